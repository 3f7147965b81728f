import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computePlan } from '../../src/reconcile/plan.js';
import { OWNER_CHANGE_PATH } from '../../src/kit/plan-owner.js';
import { OWNER_TAGS } from '../../src/kit/types.js';
import { desiredCloudMapService, desiredEcsService, desiredNamespace, liveCloudMapService, liveEcsService, liveNamespace } from '../kinds/fixtures.js';
import { PLAN_OPTIONS, liveSet } from './helpers.js';

const DNS = { records: [{ type: 'A' as const, ttl: 60 }] };

describe('computePlan for desired resources', () => {
  it('creates what does not exist, in dependency order (namespace, Cloud Map service, ECS service)', () => {
    const plan = computePlan(
      [
        desiredEcsService('name', { cluster: 'demo' }),
        desiredCloudMapService('name', { namespace: 'internal', dns: DNS }),
        desiredNamespace('internal', { type: 'DNS_PRIVATE', vpc: 'vpc-1' }),
      ],
      liveSet(),
      PLAN_OPTIONS,
    );
    assert.deepEqual(
      plan.resources.map((r) => [r.action, r.key]),
      [
        ['create', 'CloudMapNamespace/internal'],
        ['create', 'CloudMapService/internal/name'],
        ['create', 'EcsService/demo/name'],
      ],
    );
    assert.equal(plan.hasChanges, true);
    assert.equal(plan.hasDrift, true);
  });

  it('is a noop without drift when an owned resource matches', () => {
    const spec = { namespace: 'internal', dns: DNS };
    const plan = computePlan([desiredCloudMapService('name', spec)], liveSet(liveCloudMapService('name', spec)), PLAN_OPTIONS);
    assert.deepEqual(
      plan.resources.map((r) => r.action),
      ['noop'],
    );
    assert.equal(plan.hasChanges, false);
    assert.equal(plan.hasDrift, false);
  });

  it('updates in place, or with a redeploy for ECS task changes', () => {
    const plan = computePlan(
      [
        desiredCloudMapService('name', { namespace: 'internal', dns: { records: [{ type: 'A', ttl: 300 }] } }),
        desiredEcsService('name', { cluster: 'demo', taskDefinitionRef: 'name:2' }),
      ],
      liveSet(liveCloudMapService('name', { namespace: 'internal', dns: DNS }), liveEcsService('name', { cluster: 'demo' }, { revision: 1 })),
      PLAN_OPTIONS,
    );
    assert.deepEqual(
      plan.resources.map((r) => [r.action, r.changes.map((c) => c.path)]),
      [
        ['update', ['spec.dns.records[0].ttl']],
        ['update-redeploys', ['spec.taskDefinitionRef']],
      ],
    );
  });

  it('blocks a same-named resource it does not own as a conflict', () => {
    const plan = computePlan(
      [desiredNamespace('internal', { type: 'HTTP', description: 'mine' })],
      liveSet(liveNamespace('internal', { type: 'HTTP', description: 'theirs' }, { unowned: true })),
      PLAN_OPTIONS,
    );
    const [r] = plan.resources;
    assert.equal(r?.action, 'blocked');
    assert.equal(r?.blockedBy, 'not-owned');
    assert.equal(r?.wouldBe, 'update');
    assert.match(r?.reason ?? '', /not created by ecs-gitops: set syncPolicy.adopt/);
    assert.equal(plan.hasChanges, false);
    assert.equal(plan.hasDrift, true);
  });

  it('blocks a resource owned by another controller id even with adopt', () => {
    const plan = computePlan(
      [desiredNamespace('internal', { type: 'HTTP' }, { adopt: true })],
      liveSet(liveNamespace('internal', { type: 'HTTP' }, { controllerId: 'other' })),
      PLAN_OPTIONS,
    );
    assert.equal(plan.resources[0]?.blockedBy, 'not-owned');
    assert.match(plan.resources[0]?.reason ?? '', /owned by controller "other"/);
  });

  it('adopts an untagged resource when the manifest asks: update with the owner tags', () => {
    const plan = computePlan(
      [desiredNamespace('internal', { type: 'HTTP' }, { adopt: true, prune: false })],
      liveSet(liveNamespace('internal', { type: 'HTTP' }, { unowned: true })),
      PLAN_OPTIONS,
    );
    const [r] = plan.resources;
    assert.equal(r?.action, 'update');
    const owner = r?.changes.find((c) => c.path === OWNER_CHANGE_PATH);
    assert.deepEqual(owner?.to, {
      [OWNER_TAGS.controller]: 'ecs-gitops',
      [OWNER_TAGS.resource]: 'CloudMapNamespace/internal',
      [OWNER_TAGS.prune]: 'false',
    });
    assert.equal(plan.hasChanges, true);
  });

  it('updates the prune tag of an owned resource when prune: false is set', () => {
    const plan = computePlan(
      [desiredNamespace('internal', { type: 'HTTP' }, { prune: false })],
      liveSet(liveNamespace('internal', { type: 'HTTP' })),
      PLAN_OPTIONS,
    );
    assert.equal(plan.resources[0]?.action, 'update');
    assert.deepEqual(
      plan.resources[0]?.changes.map((c) => c.path),
      [OWNER_CHANGE_PATH],
    );
  });

  it('reports drift in observe mode without writing, whoever owns the resource', () => {
    const plan = computePlan(
      [
        desiredCloudMapService('name', { namespace: 'internal', dns: { records: [{ type: 'A', ttl: 300 }] } }, { mode: 'observe' }),
        desiredCloudMapService('other', { namespace: 'internal', dns: DNS }, { mode: 'observe' }),
        desiredCloudMapService('absent', { namespace: 'internal', dns: DNS }, { mode: 'observe' }),
      ],
      liveSet(
        liveCloudMapService('name', { namespace: 'internal', dns: DNS }, { unowned: true }),
        liveCloudMapService('other', { namespace: 'internal', dns: DNS }),
      ),
      PLAN_OPTIONS,
    );
    assert.deepEqual(
      plan.resources.map((r) => [r.key, r.action, r.blockedBy, r.wouldBe]),
      [
        ['CloudMapService/internal/absent', 'blocked', 'observe-mode', 'create'],
        ['CloudMapService/internal/name', 'blocked', 'observe-mode', 'update'],
        ['CloudMapService/internal/other', 'noop', undefined, undefined],
      ],
    );
    assert.deepEqual(
      plan.resources[1]?.changes.map((c) => [c.path, c.from, c.to]),
      [['spec.dns.records[0].ttl', 60, 300]],
    );
    assert.equal(plan.hasChanges, false);
    assert.equal(plan.hasDrift, true);
  });

  it('blocks a replacement without allowReplace, with the reason', () => {
    const plan = computePlan(
      [desiredCloudMapService('name', { namespace: 'internal', dns: { routingPolicy: 'WEIGHTED', records: DNS.records } })],
      liveSet(liveCloudMapService('name', { namespace: 'internal', dns: { routingPolicy: 'MULTIVALUE', records: DNS.records } })),
      PLAN_OPTIONS,
    );
    const [r] = plan.resources;
    assert.equal(r?.action, 'blocked');
    assert.equal(r?.blockedBy, 'replace-not-allowed');
    assert.equal(r?.wouldBe, 'replace');
    assert.equal(r?.reason, 'routing policy cannot change in place: replacement required, allowReplace not set');
    assert.equal(plan.hasChanges, false);
    assert.equal(plan.hasDrift, true);
  });

  it('replaces with allowReplace', () => {
    const plan = computePlan(
      [desiredCloudMapService('name', { namespace: 'internal', dns: { routingPolicy: 'WEIGHTED', records: DNS.records } }, { allowReplace: true })],
      liveSet(liveCloudMapService('name', { namespace: 'internal', dns: DNS })),
      PLAN_OPTIONS,
    );
    assert.equal(plan.resources[0]?.action, 'replace');
    assert.equal(plan.hasChanges, true);
  });

  it('treats an ECS service that is DRAINING as gone: create, and never prune it', () => {
    const plan = computePlan(
      [desiredEcsService('name', { cluster: 'demo' })],
      liveSet(liveEcsService('name', { cluster: 'demo' }, { status: 'DRAINING' }), liveEcsService('old', { cluster: 'demo' }, { status: 'INACTIVE' })),
      PLAN_OPTIONS,
    );
    assert.deepEqual(
      plan.resources.map((r) => [r.key, r.action]),
      [['EcsService/demo/name', 'create']],
    );
  });

  it('does not modify its inputs', () => {
    const desired = [desiredNamespace('internal', { type: 'HTTP', tags: { b: '1', a: '2' } })];
    const live = liveSet(liveNamespace('internal', { type: 'HTTP', tags: { a: '2' } }));
    const before = structuredClone({ desired, live: [...live.resources.values()] });
    computePlan(desired, live, PLAN_OPTIONS);
    assert.deepEqual({ desired, live: [...live.resources.values()] }, before);
  });
});

describe('computePlan prune', () => {
  const keep = desiredNamespace('keep', { type: 'HTTP' });
  const keepLive = liveNamespace('keep', { type: 'HTTP' });

  it('deletes owned resources missing from the source, in reverse dependency order', () => {
    const plan = computePlan(
      [keep],
      liveSet(
        keepLive,
        liveNamespace('gone', { type: 'HTTP' }),
        liveCloudMapService('gone', { namespace: 'gone', dns: DNS }),
        liveEcsService('gone', { cluster: 'demo' }),
        liveEcsService('foreign', { cluster: 'demo' }, { unowned: true }),
        liveEcsService('elsewhere', { cluster: 'demo' }, { controllerId: 'other' }),
      ),
      PLAN_OPTIONS,
    );
    assert.deepEqual(
      plan.resources.map((r) => [r.action, r.key]),
      [
        ['noop', 'CloudMapNamespace/keep'],
        ['delete', 'EcsService/demo/gone'],
        ['delete', 'CloudMapService/gone/gone'],
        ['delete', 'CloudMapNamespace/gone'],
      ],
    );
    assert.equal(plan.hasChanges, true);
  });

  it('refuses to prune anything when the source is empty', () => {
    const plan = computePlan([], liveSet(keepLive), PLAN_OPTIONS);
    assert.deepEqual(
      plan.resources.map((r) => [r.action, r.blockedBy, r.wouldBe]),
      [['blocked', 'empty-source', 'delete']],
    );
    assert.match(plan.resources[0]?.reason ?? '', /no manifests/);
    assert.equal(plan.hasChanges, false);
    const flagged = computePlan([keep], liveSet(keepLive, liveNamespace('x', { type: 'HTTP' })), { ...PLAN_OPTIONS, sourceIsEmpty: true });
    assert.equal(flagged.resources.find((r) => r.key === 'CloudMapNamespace/x')?.blockedBy, 'empty-source');
  });

  it('refuses all deletions over the count limit or the percent limit', () => {
    const live = liveSet(keepLive, liveNamespace('a', { type: 'HTTP' }), liveNamespace('b', { type: 'HTTP' }), liveNamespace('c', { type: 'HTTP' }));
    const byCount = computePlan([keep], live, { ...PLAN_OPTIONS, maxPruneCount: 2 });
    assert.deepEqual(
      byCount.resources.filter((r) => r.key !== keep.key).map((r) => r.blockedBy),
      ['prune-limit', 'prune-limit', 'prune-limit'],
    );
    assert.match(byCount.resources[1]?.reason ?? '', /exceeds the limit of 2/);
    const byPercent = computePlan([keep], live, { ...PLAN_OPTIONS, maxPrunePercent: 50 });
    assert.match(byPercent.resources[1]?.reason ?? '', /3 of 4 owned resources \(75%\) exceeds the limit of 50%/);
    const within = computePlan([keep], live, { ...PLAN_OPTIONS, maxPruneCount: 3, maxPrunePercent: 75 });
    assert.deepEqual(
      within.resources.filter((r) => r.key !== keep.key).map((r) => r.action),
      ['delete', 'delete', 'delete'],
    );
  });

  it('keeps a resource tagged ecs-gitops.io/prune=false, and does not count it as drift', () => {
    const plan = computePlan([keep], liveSet(keepLive, liveNamespace('pinned', { type: 'HTTP' }, { tags: { [OWNER_TAGS.prune]: 'false' } })), PLAN_OPTIONS);
    const pinned = plan.resources.find((r) => r.key === 'CloudMapNamespace/pinned');
    assert.equal(pinned?.action, 'blocked');
    assert.equal(pinned?.blockedBy, 'prune-disabled');
    assert.equal(plan.hasChanges, false);
    assert.equal(plan.hasDrift, false);
  });

  it('plans no deletions when pruning is off', () => {
    const plan = computePlan([keep], liveSet(keepLive, liveNamespace('gone', { type: 'HTTP' })), { ...PLAN_OPTIONS, pruneEnabled: false });
    assert.equal(
      plan.resources.some((r) => r.action === 'delete'),
      false,
    );
    assert.equal(plan.hasDrift, false);
  });
});
