import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InlineTaskDefinition } from '../../src/manifests/types.js';
import { computePlan } from '../../src/reconcile/plan.js';
import { planToJson, renderPlanText } from '../../src/reconcile/render.js';
import type { LiveEcsService } from '../../src/kit/types.js';
import { desiredEcsService, liveEcsService } from '../kinds/fixtures.js';
import { PLAN_OPTIONS, liveSet } from './helpers.js';

const TD: InlineTaskDefinition = {
  family: 'api',
  cpu: '256',
  memory: '512',
  requiresCompatibilities: ['FARGATE'],
  containers: [{ name: 'api', image: 'example/api:1.0' }],
};
const TD_PATHS = ['containerDefinitions[0].ulimits', 'ephemeralStorage', 'runtimePlatform', 'volumes[0].efsVolumeConfiguration'];

function withTd(image: string): InlineTaskDefinition {
  return { ...TD, containers: [{ name: 'api', image }] };
}

function live(o: { unowned?: boolean; tdUnexpressed?: string[]; serviceUnexpressed?: string[]; desiredCount?: number } = {}): LiveEcsService {
  const l = liveEcsService('api', { cluster: 'demo', desiredCount: o.desiredCount ?? 1 }, { taskDefinition: TD, ...(o.unowned ? { unowned: true } : {}) });
  if (o.tdUnexpressed) l.taskDefinition!.unexpressed = o.tdUnexpressed;
  if (o.serviceUnexpressed) l.unexpressed = o.serviceUnexpressed;
  return l;
}

describe('plan: never strip a setting on write', () => {
  it('blocks an image bump that would register a revision without the live settings', () => {
    const plan = computePlan(
      [desiredEcsService('api', { cluster: 'demo', desiredCount: 1, taskDefinition: withTd('example/api:1.1') }, { adopt: true })],
      liveSet(live({ unowned: true, tdUnexpressed: TD_PATHS })),
      PLAN_OPTIONS,
    );
    const r = plan.resources[0]!;
    assert.equal(r.action, 'blocked');
    assert.equal(r.blockedBy, 'unexpressible-fields');
    assert.equal(r.wouldBe, 'update-redeploys');
    assert.equal(r.reason, `live task definition has fields ecs-gitops cannot express: ${TD_PATHS.join(', ')}`);
    assert.deepEqual(
      r.unexpressedFields,
      TD_PATHS.map((p) => `taskDefinition.${p}`),
    );
    assert.equal(plan.hasChanges, false);
    assert.equal(plan.hasDrift, true);
    const text = renderPlanText(plan);
    assert.ok(text.includes('! blocked EcsService/demo/api (unexpressible-fields, would update (redeploys))'), text);
    assert.ok(text.includes(`reason: ${r.reason}`), text);
    assert.deepEqual(planToJson(plan).resources[0]?.unexpressedFields, r.unexpressedFields);
  });

  it('lets adoption through when only the owner tags are written', () => {
    const plan = computePlan(
      [desiredEcsService('api', { cluster: 'demo', desiredCount: 1, taskDefinition: TD }, { adopt: true })],
      liveSet(live({ unowned: true, tdUnexpressed: TD_PATHS, serviceUnexpressed: ['placementConstraints'] })),
      PLAN_OPTIONS,
    );
    const r = plan.resources[0]!;
    assert.equal(r.action, 'update');
    assert.deepEqual(
      r.changes.map((c) => c.path),
      ['owner'],
    );
    assert.equal(r.unexpressedFields, undefined);
  });

  it('lets a service-only update through when only the task definition has such settings (no revision is registered)', () => {
    const plan = computePlan(
      [desiredEcsService('api', { cluster: 'demo', desiredCount: 3, taskDefinition: TD })],
      liveSet(live({ tdUnexpressed: TD_PATHS })),
      PLAN_OPTIONS,
    );
    assert.equal(plan.resources[0]?.action, 'update');
  });

  it('does not look at the task definition of a taskDefinitionRef, which ecs-gitops never registers', () => {
    const plan = computePlan(
      [desiredEcsService('api', { cluster: 'demo', desiredCount: 1, taskDefinitionRef: 'api:2' })],
      liveSet(live({ tdUnexpressed: TD_PATHS })),
      PLAN_OPTIONS,
    );
    assert.equal(plan.resources[0]?.action, 'update-redeploys');
  });

  it('blocks an UpdateService of a service with such settings, but not a change of its tags', () => {
    const svc = ['deploymentConfiguration.alarms', 'placementConstraints'];
    const scaled = computePlan(
      [desiredEcsService('api', { cluster: 'demo', desiredCount: 4, taskDefinition: TD })],
      liveSet(live({ serviceUnexpressed: svc })),
      PLAN_OPTIONS,
    );
    assert.equal(scaled.resources[0]?.action, 'blocked');
    assert.equal(scaled.resources[0]?.reason, 'live service has fields ecs-gitops cannot express: deploymentConfiguration.alarms, placementConstraints');
    assert.deepEqual(scaled.resources[0]?.unexpressedFields, svc);
    const tagged = computePlan(
      [desiredEcsService('api', { cluster: 'demo', desiredCount: 1, taskDefinition: TD, tags: { team: 'b' } })],
      liveSet(live({ serviceUnexpressed: svc })),
      PLAN_OPTIONS,
    );
    assert.equal(tagged.resources[0]?.action, 'update');
    assert.deepEqual(
      tagged.resources[0]?.changes.map((c) => c.path),
      ['spec.tags'],
    );
  });

  it('names both sides and cuts the list after 8 paths with "and N more"', () => {
    const many = Array.from({ length: 11 }, (_, i) => `volumes[${i}].efsVolumeConfiguration`).sort();
    const plan = computePlan(
      [desiredEcsService('api', { cluster: 'demo', desiredCount: 2, taskDefinition: withTd('example/api:2') })],
      liveSet(live({ tdUnexpressed: many, serviceUnexpressed: ['placementStrategy'] })),
      PLAN_OPTIONS,
    );
    const r = plan.resources[0]!;
    assert.equal(
      r.reason,
      `live task definition has fields ecs-gitops cannot express: ${many.slice(0, 8).join(', ')}, and 3 more; live service has fields ecs-gitops cannot express: placementStrategy`,
    );
    assert.equal(r.unexpressedFields?.length, 12);
  });

  it('blocks a replacement too: the service and its revision are written again', () => {
    const plan = computePlan(
      [desiredEcsService('api', { cluster: 'demo', desiredCount: 1, launchType: 'EC2', taskDefinition: TD }, { allowReplace: true })],
      liveSet(live({ tdUnexpressed: ['runtimePlatform'] })),
      PLAN_OPTIONS,
    );
    assert.equal(plan.resources[0]?.action, 'blocked');
    assert.equal(plan.resources[0]?.wouldBe, 'replace');
    assert.deepEqual(plan.resources[0]?.unexpressedFields, ['taskDefinition.runtimePlatform']);
  });
});
