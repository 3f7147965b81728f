import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computePlan } from '../../src/reconcile/plan.js';
import { desiredNamespace, liveCloudMapService, liveEcsService, liveNamespace } from '../kinds/fixtures.js';
import { PLAN_OPTIONS, liveSet } from './helpers.js';

const DNS = { records: [{ type: 'A' as const, ttl: 60 }] };

describe('computePlan retain (manifests that are invalid in this revision)', () => {
  const keep = desiredNamespace('keep', { type: 'HTTP' });
  const live = liveSet(
    liveNamespace('keep', { type: 'HTTP' }),
    liveCloudMapService('broken', { namespace: 'keep', dns: DNS }),
    liveEcsService('broken', { cluster: 'demo' }),
    liveEcsService('gone', { cluster: 'demo' }),
  );

  it('never plans a deletion of an owned resource whose kind and name are retained', () => {
    const plan = computePlan([keep], live, { ...PLAN_OPTIONS, retain: (kind, name) => kind === 'EcsService' && name === 'broken' });
    assert.deepEqual(
      plan.resources.map((r) => [r.action, r.key]),
      [
        ['noop', 'CloudMapNamespace/keep'],
        ['delete', 'EcsService/demo/gone'],
        ['delete', 'CloudMapService/keep/broken'],
      ],
    );
  });

  it('matches on kind as well as name', () => {
    const plan = computePlan([keep], live, { ...PLAN_OPTIONS, retain: (kind, name) => kind === 'CloudMapService' && name === 'broken' });
    const deleted = plan.resources
      .filter((r) => r.action === 'delete')
      .map((r) => r.key)
      .sort();
    assert.deepEqual(deleted, ['EcsService/demo/broken', 'EcsService/demo/gone']);
  });

  it('without retain, the same resources are pruned', () => {
    const plan = computePlan([keep], live, PLAN_OPTIONS);
    assert.equal(plan.resources.filter((r) => r.action === 'delete').length, 3);
  });
});
