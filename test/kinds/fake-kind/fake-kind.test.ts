import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { observe, scopeFromDesired } from '../../../src/observe/index.js';
import { applyPlan } from '../../../src/reconcile/apply.js';
import { computePlan } from '../../../src/reconcile/plan.js';
import { renderPlanText } from '../../../src/reconcile/render.js';
import type { ApplyActionEvent } from '../../../src/kit/apply-types.js';
import type { DesiredResource, Manifest } from '../../../src/manifests/types.js';
import { CONTROLLER_ID, desiredOf, FAST_WAITS, useEnv } from '../../apply/helpers.js';
import { fakeDesired, FakeParameterStore } from './kind.js';
import { kindsWithFake } from './registry.js';

const namespace: Manifest = { apiVersion: 'ecs-gitops.io/v1alpha1', kind: 'CloudMapNamespace', metadata: { name: 'fake.local' }, spec: { type: 'HTTP' } };

describe('a kind registered only in the test suite goes through the real engine', () => {
  const env = useEnv();
  const store = new FakeParameterStore();
  const kinds = kindsWithFake(store);

  const cycle = async (desired: DesiredResource[]) => {
    const live = await observe(env.clients, scopeFromDesired(desired, ['demo']), env.caches, { kinds });
    const plan = computePlan(desired, live, { controllerId: CONTROLLER_ID, pruneEnabled: true, kinds });
    const events: ApplyActionEvent[] = [];
    const result = await applyPlan(
      plan,
      { clients: env.clients, live, controllerId: CONTROLLER_ID, waits: FAST_WAITS, onAction: (e) => events.push(e) },
      kinds,
    );
    return { plan, result, events, actions: plan.resources.map((r) => `${r.action} ${r.key}`) };
  };

  it('plans and applies creates after the product kinds, then updates and noops, then prunes only what it owns', async () => {
    store.items.set('foreign', { value: 'x', tags: {} });

    const first = await cycle([...desiredOf([namespace]), fakeDesired('a', { value: '1' }), fakeDesired('b', { value: '2' })]);
    assert.deepEqual(first.actions, ['create CloudMapNamespace/fake.local', 'create FakeParameter/a', 'create FakeParameter/b']);
    assert.equal(first.result.ok, true);
    assert.deepEqual(store.writes, ['create a=1', 'create b=2']);
    assert.equal(store.items.get('a')?.tags['ecs-gitops.io/resource'], 'FakeParameter/a');
    assert.deepEqual(
      first.events.filter((e) => e.key.startsWith('FakeParameter/')).map((e) => `${e.operation} ${e.key} ${e.result}`),
      ['create FakeParameter/a ok', 'create FakeParameter/b ok'],
    );

    const second = await cycle([...desiredOf([namespace]), fakeDesired('a', { value: '1' }), fakeDesired('b', { value: '3' })]);
    assert.deepEqual(second.actions, ['noop CloudMapNamespace/fake.local', 'noop FakeParameter/a', 'update FakeParameter/b']);
    assert.deepEqual(
      second.plan.resources[2]?.changes.map((c) => `${c.path}: ${String(c.from)} -> ${String(c.to)}`),
      ['spec.value: 2 -> 3'],
    );
    assert.match(renderPlanText(second.plan), /FakeParameter\/b/);
    assert.deepEqual(store.writes.slice(2), ['update b=3']);

    // b leaves the source: pruned; the untagged parameter is never touched; deletes run in reverse registry order.
    const third = await cycle([fakeDesired('a', { value: '1' })]);
    assert.deepEqual(third.actions, ['noop FakeParameter/a', 'delete FakeParameter/b', 'delete CloudMapNamespace/fake.local']);
    assert.equal(third.result.ok, true);
    assert.deepEqual(store.writes.slice(3), ['delete b']);
    assert.deepEqual([...store.items.keys()].sort(), ['a', 'foreign']);
  });
});
