import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PendingError } from '../../src/kit/apply-errors.js';
import { applyOrder } from '../../src/reconcile/apply.js';
import { changedSpecFields, ownerTags, tagDelta } from '../../src/kit/apply-tags.js';
import { pollUntil } from '../../src/kit/apply-wait.js';
import { creatorRequestId, ecsClientToken } from '../../src/kit/idempotency.js';
import { OWNER_TAGS, type ResourcePlan } from '../../src/kit/types.js';
import { resolvePolicy } from '../../src/manifests/types.js';

function rp(kind: ResourcePlan['kind'], key: string, action: ResourcePlan['action'], extra: Partial<ResourcePlan> = {}): ResourcePlan {
  return { kind, key, name: key.split('/').pop()!, action, changes: [], ...extra };
}

describe('idempotency tokens', () => {
  it('are stable for the same identity and generation, whatever the key order of the generation', () => {
    assert.equal(
      creatorRequestId('c', 'CloudMapNamespace/internal', { type: 'DNS_PRIVATE', vpc: 'v' }),
      creatorRequestId('c', 'CloudMapNamespace/internal', { vpc: 'v', type: 'DNS_PRIVATE' }),
    );
  });
  it('differ by controller, by resource and by generation (a replacement gets a new token)', () => {
    const base = creatorRequestId('c', 'k', { routingPolicy: 'MULTIVALUE' });
    assert.notEqual(base, creatorRequestId('d', 'k', { routingPolicy: 'MULTIVALUE' }));
    assert.notEqual(base, creatorRequestId('c', 'k2', { routingPolicy: 'MULTIVALUE' }));
    assert.notEqual(base, creatorRequestId('c', 'k', { routingPolicy: 'WEIGHTED' }));
  });
  it('fit the AWS limits: 32 characters for ECS clientToken, 64 for CreatorRequestId', () => {
    assert.equal(ecsClientToken('c', 'EcsService/demo/name', {}).length, 32);
    assert.ok(creatorRequestId('c', 'k', {}).length <= 64);
  });
});

describe('apply order', () => {
  it('creates by kind order and deletes in reverse, after every create and update', () => {
    const ordered = applyOrder([
      rp('CloudMapNamespace', 'CloudMapNamespace/old', 'delete'),
      rp('EcsService', 'EcsService/demo/a', 'create'),
      rp('CloudMapService', 'CloudMapService/old/x', 'delete'),
      rp('CloudMapNamespace', 'CloudMapNamespace/new', 'create'),
      rp('EcsService', 'EcsService/demo/gone', 'delete'),
      rp('CloudMapService', 'CloudMapService/new/y', 'update'),
    ]).map((r) => `${r.action} ${r.key}`);
    assert.deepEqual(ordered, [
      'create CloudMapNamespace/new',
      'update CloudMapService/new/y',
      'create EcsService/demo/a',
      'delete EcsService/demo/gone',
      'delete CloudMapService/old/x',
      'delete CloudMapNamespace/old',
    ]);
  });
});

describe('tag delta', () => {
  const live = { [OWNER_TAGS.controller]: 'c', [OWNER_TAGS.resource]: 'k', team: 'a', keep: 'x', 'aws:cloudformation:stack': 's' };
  const plan = (changes: ResourcePlan['changes'], tags: Record<string, string> = live): ResourcePlan =>
    rp('EcsService', 'k', 'update', { changes, live: { tags } as unknown as ResourcePlan['live'] });

  it('adds changed and owner tags, and removes only tags the plan reports as gone', () => {
    const delta = tagDelta(
      plan([{ path: 'spec.tags.old', pointer: '/spec/tags/old', from: 'v', to: undefined, effect: 'in-place' }], { ...live, old: 'v' }),
      { team: 'b' },
      ownerTags('c', 'k'),
    );
    assert.deepEqual(delta, { add: { team: 'b' }, remove: ['old'] });
  });
  it('handles a whole-map tag change and never removes aws:* tags', () => {
    const delta = tagDelta(
      plan([
        { path: 'spec.tags', pointer: '/spec/tags', from: { team: 'a', keep: 'x', 'aws:cloudformation:stack': 's' }, to: { team: 'a' }, effect: 'in-place' },
      ]),
      { team: 'a' },
      ownerTags('c', 'k'),
    );
    assert.deepEqual(delta, { add: {}, remove: ['keep'] });
  });
  it('writes the prune marker for prune: false and removes it when prune is allowed again', () => {
    const noPrune = ownerTags('c', 'k', resolvePolicy({ prune: false }));
    assert.equal(noPrune[OWNER_TAGS.prune], 'false');
    assert.deepEqual(tagDelta(plan([]), { team: 'a' }, noPrune).add, { [OWNER_TAGS.prune]: 'false' });
    assert.deepEqual(tagDelta(plan([], { ...live, [OWNER_TAGS.prune]: 'false' }), { team: 'a' }, ownerTags('c', 'k')).remove, [OWNER_TAGS.prune]);
  });
  it('reads the changed top-level fields from the change pointers', () => {
    const fields = changedSpecFields(
      plan([
        { path: 'spec.desiredCount', pointer: '/spec/desiredCount', from: 1, to: 2, effect: 'in-place' },
        { path: 'spec.taskDefinition.containers[name=web].image', pointer: '/spec/taskDefinition/containers/0/image', from: 'a', to: 'b', effect: 'redeploy' },
      ]),
    );
    assert.deepEqual([...fields].sort(), ['desiredCount', 'taskDefinition']);
  });
});

describe('bounded polling', () => {
  it('backs off exponentially up to the cap and gives up with a PendingError carrying the operation id', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const seams = { now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)) };
    await assert.rejects(
      pollUntil(async () => undefined, { initialDelayMs: 100, maxDelayMs: 400, factor: 2, timeoutMs: 1_000 }, seams, 'op', 'op-1'),
      (err: unknown) => err instanceof PendingError && err.operationId === 'op-1',
    );
    assert.deepEqual(sleeps, [100, 200, 400, 300]);
  });
  it('returns the first value the check produces', async () => {
    let calls = 0;
    const value = await pollUntil(
      async () => (++calls === 3 ? 'done' : undefined),
      { initialDelayMs: 1, maxDelayMs: 1, factor: 1, timeoutMs: 1_000 },
      { now: () => 0, sleep: async () => {} },
      'x',
    );
    assert.equal(value, 'done');
    assert.equal(calls, 3);
  });
});
