import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DesiredResource } from '../../src/manifests/types.js';
import { applyPlan } from '../../src/reconcile/apply.js';
import type { ApplyActionEvent } from '../../src/kit/apply-types.js';
import { cloudMapService, ecsService, namespace } from './fixtures.js';
import { CONTROLLER_ID, FAST_WAITS, desiredOf, planFor, useEnv, type Env } from './helpers.js';

function withImage(tag: string): DesiredResource[] {
  const svc = ecsService('name');
  const td = svc.spec.taskDefinition!;
  svc.spec.taskDefinition = { ...td, containers: td.containers.map((c) => ({ ...c, image: `public.ecr.aws/example/name:${tag}` })) };
  return desiredOf([namespace(), cloudMapService('name'), svc]);
}

function calls(env: Env, operation: string): number {
  return env.sandbox.world.calls.calls().filter((c) => c.service === 'ecs' && c.operation === operation).length;
}

/** observe -> plan -> apply with observe's caches shared, as the controller runs it; counts the apply's own calls. */
async function applyShared(env: Env, desired: readonly DesiredResource[]): Promise<{ events: ApplyActionEvent[]; describes: number; registers: number }> {
  const { plan, live } = await planFor(env, desired);
  const before = { describes: calls(env, 'DescribeTaskDefinition'), registers: calls(env, 'RegisterTaskDefinition') };
  const events: ApplyActionEvent[] = [];
  const result = await applyPlan(plan, {
    clients: env.clients,
    live,
    controllerId: CONTROLLER_ID,
    waits: FAST_WAITS,
    taskDefinitions: env.caches,
    onAction: (e) => events.push(e),
    onTagsChanged: (arn) => env.caches.forgetTags(arn),
  });
  assert.equal(result.ok, true, JSON.stringify(result.resources));
  return {
    events,
    describes: calls(env, 'DescribeTaskDefinition') - before.describes,
    registers: calls(env, 'RegisterTaskDefinition') - before.registers,
  };
}

describe('task definition revisions are described once, shared between observe and apply', () => {
  const env = useEnv();

  it('a new image inspects the earlier revisions without describing them again, and the next scan needs no describe', async () => {
    await applyShared(env, withImage('1.0'));
    await applyShared(env, withImage('2.0'));

    const third = await applyShared(env, withImage('3.0'));
    assert.equal(third.registers, 1);
    assert.equal(third.describes, 0, 'revisions 1 and 2 were described before: by observe or when registered');

    const { live, plan } = await planFor(env, withImage('3.0'));
    assert.equal(live.calls['ecs:DescribeTaskDefinition'] ?? 0, 0, 'the registered revision is known from its register answer');
    assert.deepEqual(
      plan.resources.filter((r) => r.action !== 'noop').map((r) => r.key),
      [],
    );
  });

  it('a revert reuses the earlier revision by content, with no register and no describe', async () => {
    const revert = await applyShared(env, withImage('1.0'));
    assert.equal(revert.registers, 0);
    assert.equal(revert.describes, 0);
    assert.ok(
      revert.events.some((e) => e.operation === 'reuse' && /name:1 /.test(e.detail ?? '')),
      JSON.stringify(revert.events),
    );
  });
});
