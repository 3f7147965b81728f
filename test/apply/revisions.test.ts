/**
 * Revision tidying through the real SDK against the sandbox: the orphan revision a lost
 * RegisterTaskDefinition response leaves is found and deregistered by the next pass, the
 * revision in use stays, and the guards (ownership, in use, prune switches) hold.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateServiceCommand, DescribeServicesCommand, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { observe, revisionFamiliesOf, scopeFromDesired } from '../../src/observe/index.js';
import { applyPlan } from '../../src/reconcile/apply.js';
import { computePlan, type PlanOptions } from '../../src/reconcile/plan.js';
import { renderPlanText, planToJson } from '../../src/reconcile/render.js';
import type { DesiredResource } from '../../src/manifests/types.js';
import { ecsService } from './fixtures.js';
import { CONTROLLER_ID, FAST_WAITS, desiredOf, startEnv, type Env } from './helpers.js';
import { waitFor } from '../run/helpers.js';

/** observe (with the source's revision families) -> plan -> apply, like one `ecs-gitops apply`. */
async function pass(env: Env, desired: readonly DesiredResource[], options: Partial<PlanOptions> = {}) {
  const live = await observe(env.clients, { ...scopeFromDesired(desired, ['demo']), revisionFamilies: revisionFamiliesOf(desired) }, env.caches);
  const plan = computePlan(desired, live, { controllerId: CONTROLLER_ID, pruneEnabled: true, ...options });
  const result = await applyPlan(plan, { clients: env.clients, live, controllerId: CONTROLLER_ID, waits: FAST_WAITS });
  return { live, plan, result };
}

async function active(env: Env, family: string): Promise<number[]> {
  const out = await env.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE' }));
  return (out.taskDefinitionArns ?? []).map((a) => Number(a.slice(a.lastIndexOf(':') + 1)));
}

function hello(image: string): DesiredResource[] {
  const m = ecsService('hello', { discovery: undefined, desiredCount: 1 });
  m.spec.taskDefinition!.containers[0]!.image = image;
  return desiredOf([m]);
}

describe('task definition revision tidying (sandbox)', () => {
  let env: Env;
  beforeEach(async () => {
    env = await startEnv();
  });
  afterEach(async () => {
    await env.stop();
  });

  it('deregisters the orphan revision a lost RegisterTaskDefinition response leaves, and nothing else', async () => {
    env.sandbox.fault({ service: 'ecs', operation: 'RegisterTaskDefinition', kind: 'drop-response', count: 1 });
    const first = await pass(env, hello('example/hello:1'));
    assert.equal(first.result.ok, true, JSON.stringify(first.result.resources));
    // The request reached the sandbox, the answer was lost, the SDK's retry registered again.
    assert.deepEqual(await active(env, 'hello'), [1, 2]);

    const second = await pass(env, hello('example/hello:1'));
    assert.deepEqual(
      second.plan.tidy?.map((t) => [t.key, t.action, t.reason]),
      [['TaskDefinition/hello:1', 'deregister', 'unused, same content as revision 2']],
    );
    assert.equal(second.plan.hasDrift, false, 'an unused revision is housekeeping, not drift');
    assert.match(renderPlanText(second.plan), /^- deregister TaskDefinition\/hello:1\n {4}reason: unused, same content as revision 2$/m);
    assert.deepEqual(
      planToJson(second.plan).revisions?.map((r) => [r.key, r.action]),
      [['TaskDefinition/hello:1', 'deregister']],
    );
    assert.deepEqual(second.result.tidied, [{ key: 'TaskDefinition/hello:1', status: 'applied' }]);
    assert.deepEqual(await active(env, 'hello'), [2]);

    const third = await pass(env, hello('example/hello:1'));
    assert.deepEqual(third.plan.tidy, []);
    assert.equal(third.plan.hasChanges, false);
    const calls = third.live.calls;
    assert.equal(calls['ecs:ListTaskDefinitions'], 1, 'one list call for the family');
    assert.equal(calls['ecs:DescribeTaskDefinition'] ?? 0, 0, 'a family with one ACTIVE revision costs no describe');
  });

  it('keeps revisions in use by any service and revisions of others; honours --keep-revisions and the prune guards', async () => {
    for (const tag of ['1', '2', '3', '4']) {
      const r = await pass(env, hello(`example/hello:${tag}`), { keepRevisions: 100 });
      assert.equal(r.result.ok, true, JSON.stringify(r.result.resources));
    }
    assert.deepEqual(await active(env, 'hello'), [1, 2, 3, 4]);
    // The sandbox finishes each deployment on its own clock (slower on a busy machine): until
    // it has, the revisions being replaced are in use, and nothing would be unused to tidy.
    await waitFor(
      async () => (await env.clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['hello'] }))).services?.[0]?.deployments?.length === 1,
      20_000,
      'the deployments of hello to finish',
    );
    // A service nobody manages runs revision 1; a revision registered without our tags is 5.
    await env.clients.ecs.send(
      new CreateServiceCommand({
        cluster: 'demo',
        serviceName: 'by-hand',
        taskDefinition: 'hello:1',
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'] } },
      }),
    );
    await env.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'hello',
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [{ name: 'x', image: 'example/x:1' }],
      }),
    );
    const desired = hello('example/hello:4');
    const live = await observe(env.clients, { ...scopeFromDesired(desired, ['demo']), revisionFamilies: ['hello'] }, env.caches);
    const inUse = new Set(
      [...live.resources.values()]
        .flatMap((r) => (r.kind === 'EcsService' ? (r.taskDefinitionsInUse ?? []) : []))
        .map((a) => Number(a.slice(a.lastIndexOf(':') + 1))),
    );
    assert.ok(inUse.has(1) && inUse.has(4), `in use: ${[...inUse].join(',')}`);
    const expected = [3, 2].filter((n) => !inUse.has(n)).map((n) => `TaskDefinition/hello:${n}`);
    assert.ok(expected.length > 0, 'some old revision is unused');
    const base = { controllerId: CONTROLLER_ID, pruneEnabled: true, keepRevisions: 1 };

    const plan = computePlan(desired, live, base);
    assert.deepEqual(
      plan.tidy?.filter((t) => t.action === 'deregister').map((t) => t.key),
      expected,
    );
    const off = computePlan(desired, live, { ...base, pruneEnabled: false });
    assert.ok(off.tidy?.every((t) => t.action === 'blocked' && t.blockedBy === 'prune-disabled'));
    assert.equal(off.hasChanges, false);
    if (expected.length > 1) {
      const limited = computePlan(desired, live, { ...base, maxPruneCount: 1 });
      assert.ok(limited.tidy?.every((t) => t.action === 'blocked' && t.blockedBy === 'prune-limit'));
    }
    const kept = computePlan(desired, live, { ...base, keepRevisions: 5 });
    assert.deepEqual(kept.tidy, []);

    const result = await applyPlan(plan, { clients: env.clients, live, controllerId: CONTROLLER_ID, waits: FAST_WAITS });
    assert.equal(result.ok, true);
    const left = await active(env, 'hello');
    for (const n of [1, 4, 5]) assert.ok(left.includes(n), `revision ${n} kept: ${left.join(',')}`);
    for (const key of expected) assert.ok(!left.includes(Number(key.slice(key.lastIndexOf(':') + 1))), `${key} deregistered`);
  });
});
