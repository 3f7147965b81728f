import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateServiceCommand as CreateEcsServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateServiceCommand, GetServiceCommand, ListTagsForResourceCommand } from '@aws-sdk/client-servicediscovery';
import { OWNER_TAGS, type LiveNamespace } from '../../src/kit/types.js';
import { cloudMapService, ecsService, namespace, withPolicy } from './fixtures.js';
import { CONTROLLER_ID, cycle, desiredOf, pendingWrites, planFor, useEnv } from './helpers.js';

const WRITE = /^(Create|Update|Delete|Register|Tag|Untag)/;

describe('ownership and prune', () => {
  const env = useEnv();
  let foreignId = '';
  const base = () => [namespace(), cloudMapService('name'), ecsService('name')];

  before(async () => {
    const first = await cycle(env, desiredOf(base()));
    assert.equal(first.result.ok, true, JSON.stringify(first.result.resources));
    // Someone else's resources, same names as manifests we will write, no owner tags.
    const ns = (await planFor(env, desiredOf(base()))).live.resources.get('CloudMapNamespace/internal') as LiveNamespace;
    const created = await env.clients.serviceDiscovery.send(
      new CreateServiceCommand({ Name: 'legacy', NamespaceId: ns.id, DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 10 }] } }),
    );
    foreignId = created.Service!.Id!;
    const td = await env.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'legacy-ecs',
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [{ name: 'app', image: 'busybox' }],
      }),
    );
    await env.clients.ecs.send(
      new CreateEcsServiceCommand({
        cluster: 'demo',
        serviceName: 'legacy-ecs',
        taskDefinition: td.taskDefinition!.taskDefinitionArn!,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'] } },
      }),
    );
  });

  it('never touches a same-named resource without our tag, and never prunes unowned ones', async () => {
    const manifests = [...base(), cloudMapService('legacy', { dns: { records: [{ type: 'A', ttl: 60 }] }, healthCheck: undefined })];
    const start = env.sandbox.world.calls.calls().length;
    const run = await cycle(env, desiredOf(manifests));
    const legacy = run.plan.resources.find((r) => r.key === 'CloudMapService/internal/legacy');
    assert.equal(legacy?.action, 'blocked');
    assert.equal(legacy?.blockedBy, 'not-owned');
    assert.equal(run.result.resources.find((r) => r.key === 'CloudMapService/internal/legacy')?.status, 'blocked');
    assert.equal(
      run.plan.resources.some((r) => r.key === 'EcsService/demo/legacy-ecs'),
      false,
    );
    const written = env.sandbox.world.calls
      .calls()
      .slice(start)
      .filter((c) => WRITE.test(c.operation));
    assert.deepEqual(written, []);
    const got = await env.clients.serviceDiscovery.send(new GetServiceCommand({ Id: foreignId }));
    assert.equal(got.Service?.DnsConfig?.DnsRecords?.[0]?.TTL, 10);
  });

  it('adopts a same-named resource when the manifest asks: owner tags added, then in sync', async () => {
    const manifests = [
      ...base(),
      withPolicy(cloudMapService('legacy', { dns: { records: [{ type: 'A', ttl: 60 }] }, healthCheck: undefined }), { adopt: true }),
    ];
    const run = await cycle(env, desiredOf(manifests));
    assert.equal(run.result.ok, true, JSON.stringify(run.result.resources));
    assert.ok(
      run.events.some((e) => e.key === 'CloudMapService/internal/legacy' && e.operation === 'adopt'),
      JSON.stringify({ events: run.events, plan: run.plan.resources.filter((r) => r.key.includes('legacy')).map(({ live, desired, ...r }) => r) }, null, 1),
    );
    const got = await env.clients.serviceDiscovery.send(new GetServiceCommand({ Id: foreignId }));
    assert.equal(got.Service?.DnsConfig?.DnsRecords?.[0]?.TTL, 60);
    const tags = await env.clients.serviceDiscovery.send(new ListTagsForResourceCommand({ ResourceARN: got.Service!.Arn! }));
    assert.ok(tags.Tags?.some((t) => t.Key === OWNER_TAGS.controller && t.Value === CONTROLLER_ID));
    const { plan } = await planFor(env, desiredOf(manifests));
    assert.deepEqual(pendingWrites(plan), []);
  });

  it('prunes an owned resource whose manifest is removed: the Cloud Map service only after ECS let go of it', async () => {
    const manifests = [
      namespace(),
      withPolicy(cloudMapService('legacy', { dns: { records: [{ type: 'A', ttl: 60 }] }, healthCheck: undefined }), { adopt: true }),
    ];
    const start = env.sandbox.world.calls.calls().length;
    const run = await cycle(env, desiredOf(manifests));
    assert.equal(run.result.ok, true, JSON.stringify(run.result.resources));
    assert.deepEqual(
      run.plan.resources.filter((r) => r.action === 'delete').map((r) => r.key),
      ['EcsService/demo/name', 'CloudMapService/internal/name'],
    );
    const calls = env.sandbox.world.calls.calls().slice(start);
    const ecsDelete = calls.findIndex((c) => c.service === 'ecs' && c.operation === 'DeleteService' && c.outcome === 'ok');
    const cmDelete = calls.findIndex((c) => c.service === 'servicediscovery' && c.operation === 'DeleteService' && c.outcome === 'ok');
    assert.ok(ecsDelete >= 0 && cmDelete > ecsDelete, 'ECS service deleted before its Cloud Map service');
    const lastInstances =
      calls
        .map((c, i) => (c.operation === 'ListInstances' ? i : -1))
        .filter((i) => i >= 0)
        .pop() ?? -1;
    assert.ok(lastInstances >= 0 && lastInstances < cmDelete, 'instances checked before the delete');
    assert.equal(calls.filter((c) => c.service === 'servicediscovery' && c.operation === 'DeleteService' && c.outcome === 'ResourceInUse').length, 0);

    const svc = await env.clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['name', 'legacy-ecs'] }));
    assert.notEqual(svc.services?.find((s) => s.serviceName === 'name')?.status, 'ACTIVE');
    assert.equal(svc.services?.find((s) => s.serviceName === 'legacy-ecs')?.status, 'ACTIVE');
    const { plan } = await planFor(env, desiredOf(manifests));
    assert.deepEqual(pendingWrites(plan), []);
  });

  it('keeps a resource created with prune: false when its manifest is removed', async () => {
    const keep = withPolicy(ecsService('keeper', { discovery: undefined, desiredCount: 1 }), { prune: false });
    const manifests = [namespace(), keep];
    const created = await cycle(env, desiredOf(manifests));
    assert.equal(created.result.ok, true, JSON.stringify(created.result.resources));
    const run = await cycle(env, desiredOf([namespace()]));
    assert.equal(run.events.filter((e) => e.key === 'EcsService/demo/keeper').length, 0);
    const svc = await env.clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['keeper'] }));
    assert.equal(svc.services?.[0]?.status, 'ACTIVE');
  });
});
