import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { ApplyError } from '../../src/kit/apply-errors.js';
import { ApplyRun } from '../../src/kit/apply-run.js';
import { applyByAction, type KindSteps } from '../../src/kit/apply-steps.js';
import { applyTagDelta, ownedBy, ownerTags } from '../../src/kit/apply-tags.js';
import type { ApplyActionEvent } from '../../src/kit/apply-types.js';
import type { PlanAction, ResourcePlan } from '../../src/kit/types.js';
import { liveSet } from '../reconcile/helpers.js';

const plan = (action: PlanAction, sides: { desired?: boolean; live?: boolean }): ResourcePlan =>
  ({
    kind: 'CloudMapNamespace',
    key: 'CloudMapNamespace/internal',
    name: 'internal',
    action,
    changes: [],
    ...(sides.desired ? { desired: { name: 'desired' } } : {}),
    ...(sides.live ? { live: { name: 'live' } } : {}),
  }) as unknown as ResourcePlan;

/** Steps that record which one ran with which sides. */
function recordingSteps(): { steps: KindSteps<{ name: string }, { name: string }>; calls: string[] } {
  const calls: string[] = [];
  const side = (v: { name: string } | undefined): string => v?.name ?? '-';
  return {
    calls,
    steps: {
      create: async (d, l) => void calls.push(`create ${side(d)} ${side(l)}`),
      update: async (d, l) => void calls.push(`update ${side(d)} ${side(l)}`),
      replace: async (d, l) => void calls.push(`replace ${side(d)} ${side(l)}`),
      delete: async (l) => void calls.push(`delete ${side(l)}`),
    },
  };
}

describe('applying a resource plan by action', () => {
  it('runs the step of the action with the sides it needs, and nothing for noop or blocked', async () => {
    const cases: [PlanAction, { desired?: boolean; live?: boolean }, string[]][] = [
      ['create', { desired: true }, ['create desired -']],
      ['create', { desired: true, live: true }, ['create desired live']],
      ['update', { desired: true, live: true }, ['update desired live']],
      ['update-redeploys', { desired: true, live: true }, ['update desired live']],
      ['replace', { desired: true, live: true }, ['replace desired live']],
      ['delete', { live: true }, ['delete live']],
      ['noop', { desired: true, live: true }, []],
      ['blocked', { desired: true, live: true }, []],
    ];
    for (const [action, sides, expected] of cases) {
      const { steps, calls } = recordingSteps();
      await applyByAction(plan(action, sides), steps);
      assert.deepEqual(calls, expected, action);
    }
  });

  it('refuses a plan that lacks a side its action needs before any step runs', async () => {
    const cases: [PlanAction, { desired?: boolean; live?: boolean }][] = [
      ['create', { live: true }],
      ['update', { desired: true }],
      ['replace', { desired: true }],
      ['replace', { live: true }],
      ['delete', { desired: true }],
    ];
    for (const [action, sides] of cases) {
      const { steps, calls } = recordingSteps();
      await assert.rejects(applyByAction(plan(action, sides), steps), (err: unknown) => err instanceof ApplyError && err.code === 'EGO_APPLY_PLAN_INCOMPLETE');
      assert.deepEqual(calls, [], `${action} ran a step`);
    }
  });
});

describe('writing a tag delta', () => {
  const run = (events: ApplyActionEvent[], changed: string[]): ApplyRun =>
    new ApplyRun({
      clients: { ecs: {} as ECSClient, serviceDiscovery: {} as ServiceDiscoveryClient },
      live: liveSet(),
      controllerId: 'c1',
      onAction: (e) => events.push(e),
      onTagsChanged: (arn) => changed.push(arn),
    });

  it('tags, then untags, reporting each write and the ARN whose tags changed', async () => {
    const events: ApplyActionEvent[] = [];
    const changed: string[] = [];
    const writes: string[] = [];
    await applyTagDelta(run(events, changed), 'EcsService', 'EcsService/demo/web', 'arn:x', { add: { a: '1', b: '2' }, remove: ['old'] }, false, {
      tag: async (add) => void writes.push(`tag ${Object.keys(add).join(',')}`),
      untag: async (keys) => void writes.push(`untag ${keys.join(',')}`),
    });
    assert.deepEqual(writes, ['tag a,b', 'untag old']);
    assert.deepEqual(
      events.map((e) => `${e.operation} ${e.detail ?? ''}`),
      ['tag a, b', 'untag old'],
    );
    assert.deepEqual(changed, ['arn:x', 'arn:x']);
  });

  it('reports putting the owner tags on for the first time as adopt, and writes nothing for an empty delta', async () => {
    const events: ApplyActionEvent[] = [];
    const noWrite = { tag: async () => assert.fail('no tag write expected'), untag: async () => assert.fail('no untag expected') };
    await applyTagDelta(run(events, []), 'CloudMapService', 'k', 'arn:y', { add: {}, remove: [] }, true, noWrite);
    assert.equal(events.length, 0);
    await applyTagDelta(run(events, []), 'CloudMapService', 'k', 'arn:y', { add: ownerTags('c1', 'k'), remove: [] }, true, {
      tag: async () => undefined,
      untag: async () => assert.fail('no untag expected'),
    });
    assert.deepEqual(
      events.map((e) => e.operation),
      ['adopt'],
    );
  });
});

describe('ownership by tags', () => {
  it('holds only for this controller and this resource key', () => {
    assert.equal(ownedBy(ownerTags('c1', 'k'), 'c1', 'k'), true);
    assert.equal(ownedBy(ownerTags('c2', 'k'), 'c1', 'k'), false);
    assert.equal(ownedBy(ownerTags('c1', 'other'), 'c1', 'k'), false);
    assert.equal(ownedBy({}, 'c1', 'k'), false);
  });
});
