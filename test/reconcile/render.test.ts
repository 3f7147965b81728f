import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { computePlan } from '../../src/reconcile/plan.js';
import { planToJson, renderPlanJson, renderPlanText, summaryLine } from '../../src/reconcile/render.js';
import type { Plan } from '../../src/kit/types.js';
import { desiredCloudMapService, desiredEcsService, desiredNamespace, liveCloudMapService, liveEcsService, liveNamespace } from '../kinds/fixtures.js';
import { PLAN_OPTIONS, liveSet } from './helpers.js';

const A60 = { records: [{ type: 'A' as const, ttl: 60 }] };

function mixedPlan(): Plan {
  return computePlan(
    [
      desiredNamespace('internal', { type: 'DNS_PRIVATE', vpc: 'vpc-1' }),
      desiredNamespace('local', { type: 'HTTP' }),
      desiredCloudMapService('name', { namespace: 'internal', dns: { records: [{ type: 'A', ttl: 300 }] } }),
      desiredCloudMapService('quote', { namespace: 'internal', dns: { routingPolicy: 'WEIGHTED', records: A60.records } }),
      desiredEcsService('hello', { cluster: 'demo', desiredCount: 3, taskDefinitionRef: 'hello:2' }),
    ],
    liveSet(
      liveNamespace('local', { type: 'HTTP' }),
      liveCloudMapService('name', { namespace: 'internal', dns: A60 }),
      liveCloudMapService('quote', { namespace: 'internal', dns: A60 }),
      liveEcsService('hello', { cluster: 'demo', desiredCount: 2 }, { revision: 1 }),
      liveEcsService('old', { cluster: 'demo' }),
    ),
    PLAN_OPTIONS,
  );
}

describe('plan rendering', () => {
  it('renders one block per resource with symbol, action, fields and reasons', () => {
    const lines = renderPlanText(mixedPlan()).split('\n');
    assert.deepEqual(lines, [
      '+ create CloudMapNamespace/internal',
      '= unchanged CloudMapNamespace/local',
      '~ update CloudMapService/internal/name',
      '    spec.dns.records[0].ttl: 60 -> 300',
      '! blocked CloudMapService/internal/quote (replace-not-allowed, would replace)',
      '    reason: routing policy cannot change in place: replacement required, allowReplace not set',
      '    spec.dns.routingPolicy: "MULTIVALUE" -> "WEIGHTED"  (replace: routing policy cannot change in place)',
      '~ update (redeploys) EcsService/demo/hello',
      '    spec.desiredCount: 2 -> 3',
      '    spec.taskDefinitionRef: "hello:1" -> "hello:2"  (redeploy)',
      '- delete EcsService/demo/old',
      '    reason: not in the source any more',
      'Plan: 1 to create, 2 to update, 0 to replace, 1 to delete, 1 blocked.',
      '',
    ]);
  });

  it('can leave unchanged resources out and shortens long values', () => {
    const text = renderPlanText(mixedPlan(), { showUnchanged: false, maxValueLength: 8 });
    assert.doesNotMatch(text, /unchanged/);
    assert.match(text, /spec\.dns\.routingPolicy: "MULT\.\.\. -> "WEIG\.\.\./);
  });

  it('says "No changes" when nothing differs', () => {
    const plan = computePlan([desiredNamespace('local', { type: 'HTTP' })], liveSet(liveNamespace('local', { type: 'HTTP' })), PLAN_OPTIONS);
    assert.equal(summaryLine(plan), 'No changes. Live state matches the source.');
    assert.equal(renderPlanText(plan), '= unchanged CloudMapNamespace/local\nNo changes. Live state matches the source.\n');
  });

  it('renders absent values as (absent)', () => {
    const plan = computePlan(
      [desiredCloudMapService('name', { namespace: 'internal', healthCheck: {} })],
      liveSet(liveCloudMapService('name', { namespace: 'internal', healthCheck: { route53: { type: 'TCP' } } })),
      PLAN_OPTIONS,
    );
    assert.match(renderPlanText(plan), /^ {4}spec\.healthCheck\.route53: \{"type":"TCP"\} -> \(absent\)$/m);
  });

  it('produces the documented JSON shape', () => {
    const json = planToJson(mixedPlan());
    assert.equal(json.formatVersion, 1);
    assert.equal(json.hasChanges, true);
    assert.equal(json.hasDrift, true);
    assert.deepEqual(json.summary, { create: 1, update: 2, replace: 0, delete: 1, blocked: 1, unchanged: 1 });
    const quote = json.resources.find((r) => r.key === 'CloudMapService/internal/quote');
    assert.deepEqual(quote, {
      kind: 'CloudMapService',
      key: 'CloudMapService/internal/quote',
      name: 'quote',
      action: 'blocked',
      wouldBe: 'replace',
      blockedBy: 'replace-not-allowed',
      reason: 'routing policy cannot change in place: replacement required, allowReplace not set',
      changes: [
        {
          path: 'spec.dns.routingPolicy',
          pointer: '/spec/dns/routingPolicy',
          from: 'MULTIVALUE',
          to: 'WEIGHTED',
          effect: 'replace',
          reason: 'routing policy cannot change in place',
        },
      ],
    });
    assert.deepEqual(JSON.parse(renderPlanJson(mixedPlan())), json);
  });
});
