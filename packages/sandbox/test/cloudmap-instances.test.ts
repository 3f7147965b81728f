import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeregisterInstanceCommand,
  DiscoverInstancesCommand,
  DiscoverInstancesRevisionCommand,
  GetInstanceCommand,
  GetInstancesHealthStatusCommand,
  GetNamespaceCommand,
  GetServiceCommand,
  ListInstancesCommand,
  RegisterInstanceCommand,
  UpdateInstanceCustomHealthStatusCommand,
} from '@aws-sdk/client-servicediscovery';
import { ListResourceRecordSetsCommand, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { useSandboxFixture } from '../src/testing.js';
import { createNamespace, createService, rejection, waitForOperation } from './cloudmap-helpers.js';

describe('sandbox Cloud Map instances and their Route 53 records', () => {
  const f = useSandboxFixture();
  let nsId: string;
  let zoneId: string;
  before(async () => {
    nsId = await createNamespace(f.sd, 'private', 'internal');
    zoneId = (await f.sd.send(new GetNamespaceCommand({ Id: nsId }))).Namespace!.Properties!.DnsProperties!.HostedZoneId!;
  });

  const recordsAt = async (name: string): Promise<ResourceRecordSet[]> => {
    const { ResourceRecordSets } = await f.r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name }));
    return (ResourceRecordSets ?? []).filter((r) => r.Name === name);
  };

  const register = async (serviceId: string, instanceId: string, attributes: Record<string, string>): Promise<void> => {
    const { OperationId } = await f.sd.send(new RegisterInstanceCommand({ ServiceId: serviceId, InstanceId: instanceId, Attributes: attributes }));
    const op = await waitForOperation(f.sd, OperationId!);
    assert.equal(op.Status, 'SUCCESS', `${op.ErrorCode} ${op.ErrorMessage}`);
  };

  it('registers asynchronously and writes a MULTIVALUE A record set identified by the instance id', async () => {
    const svc = await createService(f.sd, nsId, 'web', { DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 30 }] } });
    const { OperationId } = await f.sd.send(
      new RegisterInstanceCommand({ ServiceId: svc, InstanceId: 'task-a', Attributes: { AWS_INSTANCE_IPV4: '10.0.1.5', AWS_INSTANCE_PORT: '3000' } }),
    );
    const op = await waitForOperation(f.sd, OperationId!);
    assert.equal(op.Type, 'REGISTER_INSTANCE');
    assert.deepEqual(op.Targets, { SERVICE: svc, INSTANCE: 'task-a' });
    const { Instance } = await f.sd.send(new GetInstanceCommand({ ServiceId: svc, InstanceId: 'task-a' }));
    assert.deepEqual(Instance?.Attributes, { AWS_INSTANCE_IPV4: '10.0.1.5', AWS_INSTANCE_PORT: '3000' });
    assert.equal((await f.sd.send(new GetServiceCommand({ Id: svc }))).Service?.InstanceCount, 1);
    assert.deepEqual(await recordsAt('web.internal.'), [
      { Name: 'web.internal.', Type: 'A', SetIdentifier: 'task-a', MultiValueAnswer: true, TTL: 30, ResourceRecords: [{ Value: '10.0.1.5' }] },
    ]);
  });

  it('treats RegisterInstance as an upsert: the same id with a new IP replaces the record', async () => {
    const svc = await createService(f.sd, nsId, 'moving');
    await register(svc, 'task-m', { AWS_INSTANCE_IPV4: '10.0.2.1' });
    await register(svc, 'task-m', { AWS_INSTANCE_IPV4: '10.0.2.2' });
    const records = await recordsAt('moving.internal.');
    assert.equal(records.length, 1);
    assert.deepEqual(records[0]?.ResourceRecords, [{ Value: '10.0.2.2' }]);
    const { Instances } = await f.sd.send(new ListInstancesCommand({ ServiceId: svc }));
    assert.equal(Instances?.length, 1);
  });

  it('writes Weight 1 for WEIGHTED services and CNAME values from AWS_INSTANCE_CNAME', async () => {
    const svc = await createService(f.sd, nsId, 'alias', { DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'CNAME', TTL: 300 }] } });
    await register(svc, 'ext-1', { AWS_INSTANCE_CNAME: 'backend.example.com' });
    assert.deepEqual(await recordsAt('alias.internal.'), [
      { Name: 'alias.internal.', Type: 'CNAME', SetIdentifier: 'ext-1', Weight: 1, TTL: 300, ResourceRecords: [{ Value: 'backend.example.com' }] },
    ]);
  });

  it('writes SRV records pointing at an A record for the instance', async () => {
    const svc = await createService(f.sd, nsId, 'db', { DnsConfig: { DnsRecords: [{ Type: 'SRV', TTL: 20 }] } });
    await register(svc, 'task-s', { AWS_INSTANCE_IPV4: '10.0.3.3', AWS_INSTANCE_PORT: '5432' });
    const srv = await recordsAt('db.internal.');
    assert.equal(srv.length, 1);
    assert.equal(srv[0]?.Type, 'SRV');
    assert.deepEqual(srv[0]?.ResourceRecords, [{ Value: '1 1 5432 task-s.db.internal' }]);
    const host = await recordsAt('task-s.db.internal.');
    assert.equal(host[0]?.Type, 'A');
    assert.deepEqual(host[0]?.ResourceRecords, [{ Value: '10.0.3.3' }]);
  });

  it('refuses instances without the attributes the records need', async () => {
    const a = await createService(f.sd, nsId, 'needs-ip');
    const noIp = await rejection(f.sd.send(new RegisterInstanceCommand({ ServiceId: a, InstanceId: 'x', Attributes: { AWS_INSTANCE_PORT: '80' } })));
    assert.equal(noIp.name, 'InvalidInput');
    const badIp = await rejection(f.sd.send(new RegisterInstanceCommand({ ServiceId: a, InstanceId: 'x', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.300' } })));
    assert.equal(badIp.name, 'InvalidInput');
    const srv = await createService(f.sd, nsId, 'needs-port', { DnsConfig: { DnsRecords: [{ Type: 'SRV', TTL: 20 }] } });
    const noPort = await rejection(f.sd.send(new RegisterInstanceCommand({ ServiceId: srv, InstanceId: 'x', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.3' } })));
    assert.equal(noPort.name, 'InvalidInput');
    assert.equal(
      (await rejection(f.sd.send(new RegisterInstanceCommand({ ServiceId: 'srv-missing', InstanceId: 'x', Attributes: {} })))).name,
      'ServiceNotFound',
    );
  });

  it('deregisters asynchronously and removes the records; unknown instances answer InstanceNotFound', async () => {
    const svc = await createService(f.sd, nsId, 'leaving');
    await register(svc, 'task-l', { AWS_INSTANCE_IPV4: '10.0.4.4' });
    const { OperationId } = await f.sd.send(new DeregisterInstanceCommand({ ServiceId: svc, InstanceId: 'task-l' }));
    const op = await waitForOperation(f.sd, OperationId!);
    assert.equal(op.Type, 'DEREGISTER_INSTANCE');
    assert.deepEqual(await recordsAt('leaving.internal.'), []);
    assert.equal((await rejection(f.sd.send(new GetInstanceCommand({ ServiceId: svc, InstanceId: 'task-l' })))).name, 'InstanceNotFound');
    assert.equal((await rejection(f.sd.send(new DeregisterInstanceCommand({ ServiceId: svc, InstanceId: 'task-l' })))).name, 'InstanceNotFound');
  });

  it('keeps custom health: HEALTHY by default, updated by UpdateInstanceCustomHealthStatus, filtered by DiscoverInstances', async () => {
    const svc = await createService(f.sd, nsId, 'health', { HealthCheckCustomConfig: {} });
    await register(svc, 'h1', { AWS_INSTANCE_IPV4: '10.0.5.1' });
    await register(svc, 'h2', { AWS_INSTANCE_IPV4: '10.0.5.2' });
    assert.deepEqual((await f.sd.send(new GetInstancesHealthStatusCommand({ ServiceId: svc }))).Status, { h1: 'HEALTHY', h2: 'HEALTHY' });
    const before = (await f.sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: 'internal', ServiceName: 'health' }))).InstancesRevision;
    await f.sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: svc, InstanceId: 'h2', Status: 'UNHEALTHY' }));
    const afterRev = (await f.sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: 'internal', ServiceName: 'health' }))).InstancesRevision;
    assert.equal(afterRev, before, 'a health change does not move InstancesRevision (AWS API reference)');
    assert.deepEqual((await f.sd.send(new GetInstancesHealthStatusCommand({ ServiceId: svc, Instances: ['h2'] }))).Status, { h2: 'UNHEALTHY' });
    const healthy = await f.sd.send(new DiscoverInstancesCommand({ NamespaceName: 'internal', ServiceName: 'health' }));
    assert.deepEqual(
      healthy.Instances?.map((i) => i.InstanceId),
      ['h1'],
    );
    const all = await f.sd.send(new DiscoverInstancesCommand({ NamespaceName: 'internal', ServiceName: 'health', HealthStatus: 'ALL' }));
    assert.deepEqual(
      all.Instances?.map((i) => [i.InstanceId, i.HealthStatus]),
      [
        ['h1', 'HEALTHY'],
        ['h2', 'UNHEALTHY'],
      ],
    );
    await f.sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: svc, InstanceId: 'h1', Status: 'UNHEALTHY' }));
    const fallback = await f.sd.send(new DiscoverInstancesCommand({ NamespaceName: 'internal', ServiceName: 'health', HealthStatus: 'HEALTHY_OR_ELSE_ALL' }));
    assert.equal(fallback.Instances?.length, 2);
  });

  it('answers CustomHealthNotFound for a service without custom health config', async () => {
    const svc = await createService(f.sd, nsId, 'nohealth');
    await register(svc, 'n1', { AWS_INSTANCE_IPV4: '10.0.6.1' });
    const err = await rejection(f.sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: svc, InstanceId: 'n1', Status: 'UNHEALTHY' })));
    assert.equal(err.name, 'CustomHealthNotFound');
    const found = await f.sd.send(new DiscoverInstancesCommand({ NamespaceName: 'internal', ServiceName: 'nohealth' }));
    assert.equal(found.Instances?.[0]?.HealthStatus, 'UNKNOWN');
  });

  it('filters DiscoverInstances by QueryParameters and answers NamespaceNotFound/ServiceNotFound', async () => {
    const svc = await createService(f.sd, nsId, 'zoned');
    await register(svc, 'z1', { AWS_INSTANCE_IPV4: '10.0.7.1', AVAILABILITY_ZONE: 'us-east-1a' });
    await register(svc, 'z2', { AWS_INSTANCE_IPV4: '10.0.7.2', AVAILABILITY_ZONE: 'us-east-1b' });
    const out = await f.sd.send(
      new DiscoverInstancesCommand({ NamespaceName: 'internal', ServiceName: 'zoned', QueryParameters: { AVAILABILITY_ZONE: 'us-east-1b' } }),
    );
    assert.deepEqual(
      out.Instances?.map((i) => i.InstanceId),
      ['z2'],
    );
    assert.equal((await rejection(f.sd.send(new DiscoverInstancesCommand({ NamespaceName: 'nope', ServiceName: 'zoned' })))).name, 'NamespaceNotFound');
    assert.equal((await rejection(f.sd.send(new DiscoverInstancesCommand({ NamespaceName: 'internal', ServiceName: 'nope' })))).name, 'ServiceNotFound');
  });

  it('serves ECS as a CloudMapInstanceRegistry: registers by service ARN at once and deregisters', async () => {
    const svc = await createService(f.sd, nsId, 'ecs-backed', { HealthCheckCustomConfig: {} });
    const arn = (await f.sd.send(new GetServiceCommand({ Id: svc }))).Service!.Arn!;
    const registry = f.sandbox.services.cloudmap;
    assert.equal(registry.hasService(arn), true);
    assert.equal(registry.hasService(`${arn}x`), false);
    registry.registerInstance(arn, '0123456789abcdef0123456789abcdef', {
      AWS_INSTANCE_IPV4: '10.0.8.8',
      AWS_INSTANCE_PORT: '8080',
      AVAILABILITY_ZONE: 'us-east-1a',
      REGION: 'us-east-1',
      ECS_SERVICE_NAME: 'ecs-backed',
      ECS_CLUSTER_NAME: 'main',
      ECS_TASK_DEFINITION_FAMILY: 'ecs-backed',
    });
    const listed = await f.sd.send(new ListInstancesCommand({ ServiceId: svc }));
    assert.equal(listed.Instances?.[0]?.Attributes?.['ECS_CLUSTER_NAME'], 'main');
    assert.equal((await recordsAt('ecs-backed.internal.'))[0]?.ResourceRecords?.[0]?.Value, '10.0.8.8');
    assert.deepEqual((await f.sd.send(new GetInstancesHealthStatusCommand({ ServiceId: svc }))).Status, { '0123456789abcdef0123456789abcdef': 'HEALTHY' });
    registry.deregisterInstance(arn, '0123456789abcdef0123456789abcdef');
    registry.deregisterInstance(arn, 'never-registered');
    registry.registerInstance('arn:aws:servicediscovery:us-east-1:123456789012:service/srv-gone', 't', { AWS_INSTANCE_IPV4: '10.0.0.1' });
    assert.deepEqual(await recordsAt('ecs-backed.internal.'), []);
    assert.equal((await f.sd.send(new GetServiceCommand({ Id: svc }))).Service?.InstanceCount, 0);
  });

  it('offers admin routes to register, mark unhealthy and deregister instances directly', async () => {
    const svc = await createService(f.sd, nsId, 'admin-made', { HealthCheckCustomConfig: {} });
    const post = (path: string, body: unknown): Promise<Response> =>
      fetch(`${f.sandbox.endpoint}/_sandbox/servicediscovery/${path}`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal((await post('register-instance', { service: svc, instanceId: 'adm-1', attributes: { AWS_INSTANCE_IPV4: '10.0.9.1' } })).status, 200);
    assert.equal((await post('instance-health', { service: svc, instanceId: 'adm-1', status: 'UNHEALTHY' })).status, 200);
    assert.deepEqual((await f.sd.send(new GetInstancesHealthStatusCommand({ ServiceId: svc }))).Status, { 'adm-1': 'UNHEALTHY' });
    assert.equal((await post('deregister-instance', { service: svc, instanceId: 'adm-1' })).status, 200);
    assert.equal((await post('deregister-instance', { service: svc, instanceId: 'adm-1' })).status, 404);
    assert.equal((await post('no-such-switch', {})).status, 404);
    assert.deepEqual((await f.sd.send(new ListInstancesCommand({ ServiceId: svc }))).Instances, []);
  });
});
