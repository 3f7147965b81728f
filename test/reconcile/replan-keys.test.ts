import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computePlan, replanKeys } from '../../src/reconcile/plan.js';
import type { LiveResource } from '../../src/kit/types.js';
import { desiredCloudMapService, desiredEcsService, liveCloudMapService, liveEcsService } from '../kinds/fixtures.js';
import { PLAN_OPTIONS, liveSet } from './helpers.js';

const DNS = { records: [{ type: 'A' as const, ttl: 60 }] };
const desired = [
  desiredCloudMapService('a', { namespace: 'internal', dns: DNS }),
  desiredCloudMapService('b', { namespace: 'internal', dns: DNS }),
  desiredEcsService('a', { cluster: 'demo', taskDefinitionRef: 'a:1' }),
];
const liveA = liveCloudMapService('a', { namespace: 'internal', dns: DNS });
const liveB = liveCloudMapService('b', { namespace: 'internal', dns: DNS });
const liveEcs = liveEcsService('a', { cluster: 'demo', taskDefinitionRef: 'a:1' }, { revision: 1 });

function changed(live: LiveResource | undefined, patch: LiveResource): ReturnType<typeof liveSet> {
  const set = liveSet(liveA, liveB, liveEcs);
  if (live) set.resources.set(patch.key, patch);
  return set;
}

describe('replanKeys: only the changed keys are planned again', () => {
  it('gives the same plan as planning everything, for a hand change of one resource', () => {
    const before = computePlan(desired, liveSet(liveA, liveB, liveEcs), PLAN_OPTIONS);
    const handChanged = liveCloudMapService('b', { namespace: 'internal', dns: { records: [{ type: 'A', ttl: 300 }] } });
    const live = changed(liveB, handChanged);
    const incremental = replanKeys(before, live, new Map([[liveB.key, liveB]]), PLAN_OPTIONS);
    assert.ok(incremental, 'an owned resource that stays owned is planned on its own');
    assert.deepEqual(incremental, computePlan(desired, live, PLAN_OPTIONS));
    assert.deepEqual(
      incremental.resources.map((r) => [r.key, r.action]),
      [
        ['CloudMapService/internal/a', 'noop'],
        ['CloudMapService/internal/b', 'update'],
        ['EcsService/demo/a', 'noop'],
      ],
    );
    assert.equal(incremental.hasDrift, true);
    // The entries of keys that did not change are the same objects.
    assert.equal(incremental.resources[0], before.resources[0]);
  });

  it('declines (undefined) when a changed resource appeared, vanished or changed owner, or the plan prunes', () => {
    const before = computePlan(desired, liveSet(liveA, liveB, liveEcs), PLAN_OPTIONS);
    const gone = liveSet(liveA, liveEcs);
    assert.equal(replanKeys(before, gone, new Map([[liveB.key, liveB]]), PLAN_OPTIONS), undefined);
    const foreign = liveCloudMapService('b', { namespace: 'internal', dns: DNS }, { controllerId: 'someone-else' });
    assert.equal(replanKeys(before, changed(liveB, foreign), new Map([[liveB.key, liveB]]), PLAN_OPTIONS), undefined);
    const orphan = liveCloudMapService('old', { namespace: 'internal', dns: DNS });
    const withOrphan = computePlan(desired, liveSet(liveA, liveB, liveEcs, orphan), PLAN_OPTIONS);
    assert.ok(withOrphan.resources.some((r) => r.action === 'delete'));
    assert.equal(replanKeys(withOrphan, liveSet(liveA, liveB, liveEcs, orphan), new Map([[liveA.key, liveA]]), PLAN_OPTIONS), undefined);
    const unknown = liveCloudMapService('zzz', { namespace: 'internal', dns: DNS });
    assert.equal(replanKeys(before, changed(undefined, unknown), new Map([[unknown.key, undefined]]), PLAN_OPTIONS), undefined);
  });
});
