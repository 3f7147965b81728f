import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UpdateServiceCommand as UpdateEcsServiceCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { GetServiceCommand, UpdateServiceCommand as UpdateCloudMapServiceCommand } from '@aws-sdk/client-servicediscovery';
import { realWaitSeams } from '../../src/kit/apply-wait.js';
import { waitForOperation } from '../../src/kit/operations.js';
import type { LiveCloudMapService } from '../../src/kit/types.js';
import { cloudMapService, ecsService, namespace, withPolicy } from './fixtures.js';
import { FAST_WAITS, cycle, desiredOf, pendingWrites, planFor, useEnv } from './helpers.js';

const WRITE = /^(Create|Update|Delete|Register|Tag|Untag)/;

describe('drift made outside ecs-gitops', () => {
  const env = useEnv();
  const manifests = () => [
    namespace(),
    cloudMapService('name'),
    ecsService('name'),
    withPolicy(ecsService('hello', { discovery: undefined, desiredCount: 1 }), { ignore: ['/spec/desiredCount'] }),
    withPolicy(ecsService('watched', { discovery: undefined, desiredCount: 1 }), { mode: 'enforce' }),
  ];

  async function ttlOutOfBand(ttl: number): Promise<void> {
    const { live } = await planFor(env, desiredOf(manifests()));
    const svc = live.resources.get('CloudMapService/internal/name') as LiveCloudMapService;
    const out = await env.clients.serviceDiscovery.send(
      new UpdateCloudMapServiceCommand({ Id: svc.id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: ttl }] } } }),
    );
    await waitForOperation(env.clients.serviceDiscovery, out.OperationId!, FAST_WAITS.operation, realWaitSeams);
  }

  before(async () => {
    const first = await cycle(env, desiredOf(manifests()));
    assert.equal(first.result.ok, true, JSON.stringify(first.result.resources));
  });

  it('reports an out-of-band TTL change and desired count change as drift, and apply reverts both', async () => {
    await ttlOutOfBand(300);
    await env.clients.ecs.send(new UpdateEcsServiceCommand({ cluster: 'demo', service: 'name', desiredCount: 5 }));

    const { plan } = await planFor(env, desiredOf(manifests()));
    const changed = plan.resources.flatMap((r) => r.changes.map((c) => `${r.key} ${c.path} ${String(c.from)}->${String(c.to)}`));
    assert.ok(
      changed.some((c) => /^CloudMapService\/internal\/name .*ttl 300->60$/.test(c)),
      changed.join('\n'),
    );
    assert.ok(changed.includes('EcsService/demo/name spec.desiredCount 5->2'), changed.join('\n'));

    const applied = await cycle(env, desiredOf(manifests()));
    assert.equal(applied.result.ok, true, JSON.stringify(applied.result.resources));
    const ecsUpdate = applied.events.find((e) => e.key === 'EcsService/demo/name' && e.operation === 'update');
    assert.equal(ecsUpdate?.detail, 'desiredCount', 'only the changed field is sent, so no new deployment starts');

    const svc = await env.clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['name'] }));
    assert.equal(svc.services?.[0]?.desiredCount, 2);
    assert.equal(svc.services?.[0]?.deployments?.length, 1);
    const cm = (await planFor(env, desiredOf(manifests()))).live.resources.get('CloudMapService/internal/name') as LiveCloudMapService;
    const got = await env.clients.serviceDiscovery.send(new GetServiceCommand({ Id: cm.id }));
    assert.deepEqual(got.Service?.DnsConfig?.DnsRecords, [{ Type: 'A', TTL: 60 }]);

    const { plan: after } = await planFor(env, desiredOf(manifests()));
    assert.deepEqual(pendingWrites(after), []);
  });

  it('does not report, nor revert, a change to an ignored field', async () => {
    await env.clients.ecs.send(new UpdateEcsServiceCommand({ cluster: 'demo', service: 'hello', desiredCount: 4 }));
    const { plan } = await planFor(env, desiredOf(manifests()));
    const hello = plan.resources.find((r) => r.key === 'EcsService/demo/hello');
    assert.equal(hello?.action, 'noop');
    assert.deepEqual(hello?.changes, []);

    const start = env.sandbox.world.calls.calls().length;
    await cycle(env, desiredOf(manifests()));
    const svc = await env.clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['hello'] }));
    assert.equal(svc.services?.[0]?.desiredCount, 4);
    const written = env.sandbox.world.calls
      .calls()
      .slice(start)
      .filter((c) => WRITE.test(c.operation));
    assert.deepEqual(written, []);
  });

  it('never writes an observe-mode resource: drift is reported as blocked (checked in the sandbox call log)', async () => {
    const observed = () => manifests().map((m) => (m.metadata.name === 'watched' ? withPolicy(m, { mode: 'observe' }) : m));
    await env.clients.ecs.send(new UpdateEcsServiceCommand({ cluster: 'demo', service: 'watched', desiredCount: 3 }));
    const start = env.sandbox.world.calls.calls().length;
    const run = await cycle(env, desiredOf(observed()));
    const watched = run.plan.resources.find((r) => r.key === 'EcsService/demo/watched');
    assert.equal(watched?.action, 'blocked');
    assert.equal(watched?.blockedBy, 'observe-mode');
    assert.deepEqual(
      watched?.changes.map((c) => c.path),
      ['spec.desiredCount'],
    );
    assert.equal(run.result.resources.find((r) => r.key === 'EcsService/demo/watched')?.status, 'blocked');
    const touching = env.sandbox.world.calls
      .calls()
      .slice(start)
      .filter((c) => WRITE.test(c.operation) && JSON.stringify(c.input).includes('watched'));
    assert.deepEqual(touching, []);
    const svc = await env.clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['watched'] }));
    assert.equal(svc.services?.[0]?.desiredCount, 3);
  });
});
