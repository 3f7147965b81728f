import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  GetServiceCommand,
  ListServicesCommand,
  RegisterInstanceCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
} from '@aws-sdk/client-servicediscovery';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { useSandboxFixture } from '../src/testing.js';
import { createNamespace, createService, rawCloudMapCall, rejection, waitForOperation } from './cloudmap-helpers.js';

describe('sandbox Cloud Map services', () => {
  const f = useSandboxFixture();
  let privateNs: string;
  let publicNs: string;
  let httpNs: string;
  before(async () => {
    privateNs = await createNamespace(f.sd, 'private', 'internal');
    publicNs = await createNamespace(f.sd, 'public', 'example.com');
    httpNs = await createNamespace(f.sd, 'http', 'api');
  });

  const zoneOf = async (nsId: string): Promise<string> => {
    const ns = (await f.sandbox.services.cloudmap.operations['GetNamespace']!({ Id: nsId })) as {
      Namespace: { Properties: { DnsProperties: { HostedZoneId: string } } };
    };
    return ns.Namespace.Properties.DnsProperties.HostedZoneId;
  };

  it('lists summaries with DNS and health config, InstanceCount and Type but no NamespaceId', async () => {
    const id = await createService(f.sd, privateNs, 'summary', { HealthCheckCustomConfig: { FailureThreshold: 5 } });
    const { Services } = await f.sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [privateNs], Condition: 'EQ' }] }));
    const s = Services?.find((x) => x.Id === id);
    assert.ok(s);
    assert.equal(s.Type, 'DNS_HTTP');
    assert.equal(s.InstanceCount, 0);
    assert.deepEqual(s.DnsConfig, { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 60 }] });
    assert.deepEqual(s.HealthCheckCustomConfig, { FailureThreshold: 1 }, 'the deprecated FailureThreshold comes back as 1');
    assert.equal((s as Record<string, unknown>)['NamespaceId'], undefined);
    const { Service } = await f.sd.send(new GetServiceCommand({ Id: id }));
    assert.equal(Service?.NamespaceId, privateNs);
    assert.equal(Service?.DnsConfig?.NamespaceId, privateNs);
  });

  it('gives services in an HTTP namespace type HTTP and refuses DnsConfig there', async () => {
    const id = await createService(f.sd, httpNs, 'plain', { DnsConfig: undefined });
    assert.equal((await f.sd.send(new GetServiceCommand({ Id: id }))).Service?.Type, 'HTTP');
    assert.equal((await rejection(createService(f.sd, httpNs, 'with-dns'))).name, 'InvalidInput');
  });

  it('answers ServiceAlreadyExists with the existing id and CreatorRequestId; the same CreatorRequestId returns the same service', async () => {
    const input: CreateServiceCommandInput = {
      Name: 'dup',
      NamespaceId: privateNs,
      CreatorRequestId: 'svc-req-1',
      DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }] },
    };
    const first = await f.sd.send(new CreateServiceCommand(input));
    const again = await f.sd.send(new CreateServiceCommand(input));
    assert.equal(again.Service?.Id, first.Service?.Id);
    const err = await rejection(f.sd.send(new CreateServiceCommand({ ...input, CreatorRequestId: 'svc-req-2' })));
    assert.equal(err.name, 'ServiceAlreadyExists');
    assert.equal(err['ServiceId'], first.Service?.Id);
    assert.equal(err['CreatorRequestId'], 'svc-req-1');
  });

  const combinations: { name: string; extra: Partial<CreateServiceCommandInput>; ok: boolean }[] = [
    {
      name: 'a-aaaa',
      extra: {
        DnsConfig: {
          DnsRecords: [
            { Type: 'A', TTL: 5 },
            { Type: 'AAAA', TTL: 5 },
          ],
        },
      },
      ok: true,
    },
    { name: 'srv', extra: { DnsConfig: { DnsRecords: [{ Type: 'SRV', TTL: 5 }] } }, ok: true },
    { name: 'cname-weighted', extra: { DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'CNAME', TTL: 5 }] } }, ok: true },
    {
      name: 'a-srv',
      extra: {
        DnsConfig: {
          DnsRecords: [
            { Type: 'A', TTL: 5 },
            { Type: 'SRV', TTL: 5 },
          ],
        },
      },
      ok: false,
    },
    {
      name: 'a-cname',
      extra: {
        DnsConfig: {
          RoutingPolicy: 'WEIGHTED',
          DnsRecords: [
            { Type: 'A', TTL: 5 },
            { Type: 'CNAME', TTL: 5 },
          ],
        },
      },
      ok: false,
    },
    { name: 'cname-multivalue', extra: { DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'CNAME', TTL: 5 }] } }, ok: false },
    {
      name: 'a-twice',
      extra: {
        DnsConfig: {
          DnsRecords: [
            { Type: 'A', TTL: 5 },
            { Type: 'A', TTL: 6 },
          ],
        },
      },
      ok: false,
    },
    { name: 'no-records', extra: { DnsConfig: { DnsRecords: [] } }, ok: false },
    { name: 'private-r53-health', extra: { HealthCheckConfig: { Type: 'HTTP' } }, ok: false },
    { name: 'both-health', extra: { HealthCheckConfig: { Type: 'HTTP' }, HealthCheckCustomConfig: {} }, ok: false },
    { name: 'bad name!', extra: {}, ok: false },
  ];
  for (const c of combinations) {
    it(`${c.ok ? 'accepts' : 'refuses with InvalidInput'} ${c.name} in a private DNS namespace`, async () => {
      const attempt = createService(f.sd, privateNs, `combo-${c.name}`, c.extra);
      if (c.ok) assert.match(await attempt, /^srv-/);
      else assert.equal((await rejection(attempt)).name, 'InvalidInput');
    });
  }

  it('accepts a Route 53 health check in a public namespace but not with CNAME records', async () => {
    const id = await createService(f.sd, publicNs, 'checked', { HealthCheckConfig: { Type: 'HTTPS', ResourcePath: '/health', FailureThreshold: 3 } });
    assert.deepEqual((await f.sd.send(new GetServiceCommand({ Id: id }))).Service?.HealthCheckConfig, {
      Type: 'HTTPS',
      ResourcePath: '/health',
      FailureThreshold: 3,
    });
    const err = await rejection(
      createService(f.sd, publicNs, 'cname-checked', {
        DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'CNAME', TTL: 5 }] },
        HealthCheckConfig: { Type: 'HTTP' },
      }),
    );
    assert.equal(err.name, 'InvalidInput');
  });

  it('refuses DeleteService with ResourceInUse while instances are registered', async () => {
    const id = await createService(f.sd, privateNs, 'occupied');
    const reg = await f.sd.send(new RegisterInstanceCommand({ ServiceId: id, InstanceId: 'i-1', Attributes: { AWS_INSTANCE_IPV4: '10.0.0.1' } }));
    await waitForOperation(f.sd, reg.OperationId!);
    assert.equal((await rejection(f.sd.send(new DeleteServiceCommand({ Id: id })))).name, 'ResourceInUse');
    f.sandbox.services.cloudmap.adminDeregisterInstance(id, 'i-1');
    await f.sd.send(new DeleteServiceCommand({ Id: id }));
    assert.equal((await rejection(f.sd.send(new GetServiceCommand({ Id: id })))).name, 'ServiceNotFound');
  });

  it('updates TTLs asynchronously and rewrites the TTL of existing instance records', async () => {
    const id = await createService(f.sd, privateNs, 'ttl');
    f.sandbox.services.cloudmap.adminRegisterInstance(id, 'task-1', { AWS_INSTANCE_IPV4: '10.0.0.7' });
    const { OperationId } = await f.sd.send(
      new UpdateServiceCommand({ Id: id, Service: { Description: 'v2', DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 300 }] } } }),
    );
    const op = await waitForOperation(f.sd, OperationId!);
    assert.equal(op.Type, 'UPDATE_SERVICE');
    assert.equal(op.Targets?.SERVICE, id);
    const { Service } = await f.sd.send(new GetServiceCommand({ Id: id }));
    assert.equal(Service?.Description, 'v2');
    assert.deepEqual(Service?.DnsConfig?.DnsRecords, [{ Type: 'A', TTL: 300 }]);
    const { ResourceRecordSets } = await f.r53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: await zoneOf(privateNs), StartRecordName: 'ttl.internal.', StartRecordType: 'A', MaxItems: 1 }),
    );
    assert.equal(ResourceRecordSets?.[0]?.SetIdentifier, 'task-1');
    assert.equal(ResourceRecordSets?.[0]?.TTL, 300);
  });

  it('replaces the whole record list: a record type left out is deleted, with its records', async () => {
    const id = await createService(f.sd, privateNs, 'dual', {
      DnsConfig: {
        DnsRecords: [
          { Type: 'A', TTL: 60 },
          { Type: 'AAAA', TTL: 60 },
        ],
      },
    });
    f.sandbox.services.cloudmap.adminRegisterInstance(id, 'task-2', { AWS_INSTANCE_IPV4: '10.0.0.8', AWS_INSTANCE_IPV6: 'fd00::8' });
    const zone = f.sandbox.services.route53.zones.get(await zoneOf(privateNs))!;
    assert.ok(zone.records.get('dual.internal.', 'AAAA', 'task-2'));
    const { OperationId } = await f.sd.send(new UpdateServiceCommand({ Id: id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] } } }));
    await waitForOperation(f.sd, OperationId!);
    assert.deepEqual((await f.sd.send(new GetServiceCommand({ Id: id }))).Service?.DnsConfig?.DnsRecords, [{ Type: 'A', TTL: 60 }]);
    assert.equal(zone.records.get('dual.internal.', 'AAAA', 'task-2'), undefined);
    assert.ok(zone.records.get('dual.internal.', 'A', 'task-2'));
  });

  it('refuses adding record types, changing the routing policy or HealthCheckCustomConfig, and omitting DnsConfig', async () => {
    const id = await createService(f.sd, privateNs, 'frozen', { HealthCheckCustomConfig: {} });
    const addSrv = await rejection(f.sd.send(new UpdateServiceCommand({ Id: id, Service: { DnsConfig: { DnsRecords: [{ Type: 'SRV', TTL: 60 }] } } })));
    assert.equal(addSrv.name, 'InvalidInput');
    const noDns = await rejection(f.sd.send(new UpdateServiceCommand({ Id: id, Service: { Description: 'only' } })));
    assert.equal(noDns.name, 'InvalidInput');
    // Members the SDK model does not carry, sent as a hand-written client would.
    const routing = await rawCloudMapCall(f.sandbox.endpoint, 'UpdateService', {
      Id: id,
      Service: { DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'A', TTL: 60 }] } },
    });
    assert.equal(routing.status, 400);
    assert.equal(routing.json['__type'], 'InvalidInput');
    const custom = await rawCloudMapCall(f.sandbox.endpoint, 'UpdateService', {
      Id: id,
      Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] }, HealthCheckCustomConfig: null },
    });
    assert.equal(custom.json['__type'], 'InvalidInput');
  });

  it('removes a Route 53 health check left out of UpdateService and refuses changing its type', async () => {
    const id = await createService(f.sd, publicNs, 'hc', { HealthCheckConfig: { Type: 'HTTP', ResourcePath: '/' } });
    const typeChange = await rejection(
      f.sd.send(new UpdateServiceCommand({ Id: id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] }, HealthCheckConfig: { Type: 'TCP' } } })),
    );
    assert.equal(typeChange.name, 'InvalidInput');
    const { OperationId } = await f.sd.send(new UpdateServiceCommand({ Id: id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] } } }));
    await waitForOperation(f.sd, OperationId!);
    assert.equal((await f.sd.send(new GetServiceCommand({ Id: id }))).Service?.HealthCheckConfig, undefined);
  });

  it('refuses UpdateService for a service in an HTTP namespace', async () => {
    const id = await createService(f.sd, httpNs, 'http-upd', { DnsConfig: undefined });
    assert.equal((await rejection(f.sd.send(new UpdateServiceCommand({ Id: id, Service: { Description: 'x' } })))).name, 'InvalidInput');
  });

  it('pages ListServices for one namespace from its own index among 5,000 services', async () => {
    const ops = f.sandbox.services.cloudmap.operations;
    const bulkNs: string[] = [];
    for (let n = 0; n < 10; n++) bulkNs.push(await createNamespace(f.sd, 'http', `bulk-${n}`));
    for (let i = 0; i < 5000; i++) ops['CreateService']!({ Name: `svc-${i}`, NamespaceId: bulkNs[i % 10] });
    const small = await createNamespace(f.sd, 'http', 'small');
    for (const name of ['x', 'y', 'z']) ops['CreateService']!({ Name: name, NamespaceId: small });

    const one = await f.sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [small] }] }));
    assert.deepEqual(
      one.Services?.map((s) => s.Name),
      ['x', 'y', 'z'],
    );
    assert.equal(one.NextToken, undefined);

    const names = new Set<string>();
    let NextToken: string | undefined;
    do {
      const page = await f.sd.send(new ListServicesCommand({ MaxResults: 100, NextToken, Filters: [{ Name: 'NAMESPACE_ID', Values: [bulkNs[3]!] }] }));
      for (const s of page.Services ?? []) names.add(s.Name!);
      NextToken = page.NextToken;
    } while (NextToken);
    assert.equal(names.size, 500);
    assert.ok(names.has('svc-3') && names.has('svc-4993'));
  });
});
