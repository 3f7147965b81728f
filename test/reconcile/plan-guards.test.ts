import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computePlan } from '../../src/reconcile/plan.js';
import { OWNER_TAGS, type LiveEcsService, type ResourcePlan } from '../../src/kit/types.js';
import { desiredEcsService, desiredNamespace, liveCloudMapService, liveEcsService, liveNamespace } from '../kinds/fixtures.js';
import { PLAN_OPTIONS, liveSet } from './helpers.js';

const DNS = { records: [{ type: 'A' as const, ttl: 60 }] };
const keep = desiredNamespace('keep', { type: 'HTTP' });
const keepLive = liveNamespace('keep', { type: 'HTTP' });

function find(resources: readonly ResourcePlan[], key: string): ResourcePlan {
  const r = resources.find((x) => x.key === key);
  assert.ok(r, `${key} is planned`);
  return r;
}

function registeredInto(svc: LiveEcsService, arn: string): LiveEcsService {
  return { ...svc, serviceRegistryArns: [arn] };
}

describe('plan guards: identity', () => {
  it('reports an owned Cloud Map service tagged for another identity as a conflict and never deletes it', () => {
    const stray = liveCloudMapService('mysql', { namespace: 'orders-api', dns: DNS }, { tags: { [OWNER_TAGS.resource]: 'CloudMapService/app/mysql' } });
    stray.owner = { controllerId: 'ecs-gitops', resourceKey: 'CloudMapService/app/mysql' };
    const plan = computePlan([keep], liveSet(keepLive, stray), PLAN_OPTIONS);
    const r = find(plan.resources, 'CloudMapService/orders-api/mysql');
    assert.deepEqual([r.action, r.blockedBy, r.wouldBe], ['blocked', 'identity-conflict', 'delete']);
    assert.match(r.reason ?? '', /found as CloudMapService\/orders-api\/mysql but tagged ecs-gitops.io\/resource=CloudMapService\/app\/mysql/);
    assert.equal(plan.hasDrift, true);
  });

  it('never updates a desired ECS service whose live twin is tagged for another cluster', () => {
    const live = liveEcsService('api', { cluster: 'blue', desiredCount: 1 });
    live.owner = { controllerId: 'ecs-gitops', resourceKey: 'EcsService/green/api' };
    const plan = computePlan([desiredEcsService('api', { cluster: 'blue', desiredCount: 3 })], liveSet(live), PLAN_OPTIONS);
    const r = find(plan.resources, 'EcsService/blue/api');
    assert.deepEqual([r.action, r.blockedBy], ['blocked', 'identity-conflict']);
  });
});

describe('plan guards: in use', () => {
  const cms = liveCloudMapService('name', { namespace: 'internal', dns: DNS });
  const ns = liveNamespace('internal', { type: 'DNS_PRIVATE' } as never);

  it('keeps a Cloud Map service an ECS service that stays still registers into, naming it, and its namespace', () => {
    const user = registeredInto(liveEcsService('web', { cluster: 'demo' }, { unowned: true }), cms.arn);
    const plan = computePlan([keep], liveSet(keepLive, ns, cms, user), PLAN_OPTIONS);
    const r = find(plan.resources, cms.key);
    assert.deepEqual([r.action, r.blockedBy, r.wouldBe], ['blocked', 'in-use', 'delete']);
    assert.match(r.reason ?? '', /EcsService\/demo\/web registers into it/);
    const n = find(plan.resources, ns.key);
    assert.equal(n.blockedBy, 'in-use');
    assert.match(n.reason ?? '', /CloudMapService\/internal\/name is in the namespace/);
  });

  it('deletes a Cloud Map service whose only user is deleted by the same plan (ECS first)', () => {
    const user = registeredInto(liveEcsService('web', { cluster: 'demo' }), cms.arn);
    const withInstances = { ...cms, instanceCount: 2 };
    const plan = computePlan([keep], liveSet(keepLive, ns, withInstances, user), { ...PLAN_OPTIONS, maxPruneCount: 10 });
    assert.deepEqual(
      plan.resources.filter((r) => r.key !== keep.key).map((r) => [r.key, r.action]),
      [
        ['EcsService/demo/web', 'delete'],
        [cms.key, 'delete'],
        [ns.key, 'delete'],
      ],
    );
  });

  it('keeps a Cloud Map service with registered instances nothing in the plan explains', () => {
    const plan = computePlan([keep], liveSet(keepLive, { ...cms, instanceCount: 3 }), PLAN_OPTIONS);
    const r = find(plan.resources, cms.key);
    assert.equal(r.blockedBy, 'in-use');
    assert.match(r.reason ?? '', /3 instances are registered.*--cluster/);
  });

  it('keeps a Cloud Map service a user kept by prune: false still uses', () => {
    const user = registeredInto(liveEcsService('web', { cluster: 'demo' }, { tags: { [OWNER_TAGS.prune]: 'false' } }), cms.arn);
    const plan = computePlan([keep], liveSet(keepLive, cms, user), PLAN_OPTIONS);
    assert.equal(find(plan.resources, cms.key).blockedBy, 'in-use');
    assert.equal(find(plan.resources, user.key).blockedBy, 'prune-disabled');
  });

  it('applies the deletion limit to what is left after the in-use check', () => {
    const user = registeredInto(liveEcsService('web', { cluster: 'demo' }, { unowned: true }), cms.arn);
    const extra = liveNamespace('spare', { type: 'HTTP' });
    const plan = computePlan([keep], liveSet(keepLive, cms, user, extra), { ...PLAN_OPTIONS, maxPruneCount: 1 });
    assert.equal(find(plan.resources, cms.key).blockedBy, 'in-use');
    assert.equal(find(plan.resources, extra.key).action, 'delete');
  });

  it('names the flag of the limit it refuses by', () => {
    const live = liveSet(keepLive, liveNamespace('a', { type: 'HTTP' }), liveNamespace('b', { type: 'HTTP' }));
    const byCount = computePlan([keep], live, { ...PLAN_OPTIONS, maxPruneCount: 1 });
    assert.match(find(byCount.resources, 'CloudMapNamespace/a').reason ?? '', /limit of 1 \(--prune-max-deletions\)/);
    const byPercent = computePlan([keep], live, { ...PLAN_OPTIONS, maxPrunePercent: 50 });
    assert.match(find(byPercent.resources, 'CloudMapNamespace/a').reason ?? '', /limit of 50% \(--prune-max-percent\)/);
  });
});
