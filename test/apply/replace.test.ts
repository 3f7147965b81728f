import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { LiveCloudMapService } from '../../src/kit/types.js';
import { cloudMapService, ecsService, namespace, withPolicy } from './fixtures.js';
import { cycle, desiredOf, pendingWrites, planFor, useEnv } from './helpers.js';

const WRITE = /^(Create|Update|Delete|Register|Tag|Untag)/;

describe('changes that need a replacement', () => {
  const env = useEnv();
  const weighted = (allowReplace: boolean) => [
    namespace(),
    withPolicy(cloudMapService('name', { dns: { routingPolicy: 'WEIGHTED', records: [{ type: 'A', ttl: 60 }] } }), { allowReplace }),
    ecsService('name'),
  ];

  before(async () => {
    const first = await cycle(env, desiredOf([namespace(), cloudMapService('name'), ecsService('name')]));
    assert.equal(first.result.ok, true, JSON.stringify(first.result.resources));
  });

  it('reports a routing-policy change without allowReplace and does not apply it', async () => {
    const start = env.sandbox.world.calls.calls().length;
    const run = await cycle(env, desiredOf(weighted(false)));
    const svc = run.plan.resources.find((r) => r.key === 'CloudMapService/internal/name');
    assert.equal(svc?.action, 'blocked');
    assert.equal(svc?.blockedBy, 'replace-not-allowed');
    assert.match(svc?.reason ?? '', /routing policy/i);
    assert.equal(run.result.resources.find((r) => r.key === 'CloudMapService/internal/name')?.status, 'blocked');
    assert.deepEqual(
      env.sandbox.world.calls
        .calls()
        .slice(start)
        .filter((c) => WRITE.test(c.operation)),
      [],
    );
  });

  it('with allowReplace detaches ECS, replaces the Cloud Map service and re-attaches ECS to the new one', async () => {
    const before = (await planFor(env, desiredOf(weighted(true)))).live.resources.get('CloudMapService/internal/name') as LiveCloudMapService;
    const run = await cycle(env, desiredOf(weighted(true)));
    assert.equal(run.result.ok, true, JSON.stringify(run.result.resources));
    const ops = run.events.map((e) => `${e.key} ${e.operation}`);
    const order = [
      'EcsService/demo/name detach',
      'CloudMapService/internal/name delete',
      'CloudMapService/internal/name create',
      'EcsService/demo/name attach',
    ];
    const positions = order.map((o) => ops.indexOf(o));
    assert.ok(
      positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)),
      ops.join('\n'),
    );

    const { plan, live } = await planFor(env, desiredOf(weighted(true)));
    const now = live.resources.get('CloudMapService/internal/name') as LiveCloudMapService;
    assert.notEqual(now.id, before.id);
    assert.equal(now.spec.dns?.routingPolicy, 'WEIGHTED');
    const svc = await env.clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['name'] }));
    assert.deepEqual(
      svc.services?.[0]?.serviceRegistries?.map((r) => r.registryArn),
      [now.arn],
    );
    assert.deepEqual(pendingWrites(plan), []);
  });

  it('replaces an ECS service whose launch type changes only after the old one is INACTIVE', async () => {
    const ec2 = [
      namespace(),
      withPolicy(cloudMapService('name', { dns: { routingPolicy: 'WEIGHTED', records: [{ type: 'A', ttl: 60 }] } }), { allowReplace: true }),
      withPolicy(ecsService('name', { launchType: 'EC2', taskDefinition: { ...ecsService('name').spec.taskDefinition!, requiresCompatibilities: ['EC2'] } }), {
        allowReplace: true,
      }),
    ];
    const run = await cycle(env, desiredOf(ec2));
    assert.equal(run.result.ok, true, JSON.stringify(run.result.resources));
    const ops = run.events.filter((e) => e.key === 'EcsService/demo/name').map((e) => e.operation);
    assert.deepEqual(
      ops.filter((o) => o !== 'update'),
      ['delete', 'wait', 'create'],
    );
    const svc = await env.clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['name'] }));
    assert.equal(svc.services?.find((s) => s.status === 'ACTIVE')?.launchType, 'EC2');
    const { plan } = await planFor(env, desiredOf(ec2));
    assert.deepEqual(pendingWrites(plan), []);
  });
});
