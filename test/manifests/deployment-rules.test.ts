import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Reporter } from '../../src/manifests/diagnostics.js';
import { DEPLOYMENT_RULES, isTenth } from '../../src/manifests/rules/deployment-rules.js';
import { API_VERSION, type EcsServiceManifest, type EcsServiceSpec } from '../../src/manifests/types.js';

/** The codes the deployment rules report for `spec` (with a Fargate task definition). */
function codes(spec: Partial<EcsServiceSpec>, extra: Record<string, unknown> = {}): string[] {
  const m: EcsServiceManifest = {
    apiVersion: API_VERSION,
    kind: 'EcsService',
    metadata: { name: 'web' },
    spec: { cluster: 'demo', taskDefinitionRef: 'web', ...spec, ...extra },
  };
  const out: string[] = [];
  const r: Reporter = { report: (code) => void out.push(code) };
  for (const rule of DEPLOYMENT_RULES) rule(m, r);
  return out;
}

const LB = { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123456789abcdef', containerName: 'web', containerPort: 80 };
const ADVANCED = {
  alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/0123456789abcdef',
  productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/1/2/3',
  roleArn: 'arn:aws:iam::123456789012:role/ecs-lb',
};

describe('ECS-native deployment rules', () => {
  it('accepts BLUE_GREEN without a load balancer (AWS runs it without shifting traffic) and ROLLING without advancedConfiguration', () => {
    assert.deepEqual(codes({ deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 } }), []);
    assert.deepEqual(codes({ loadBalancers: [LB] }), []);
  });

  it('accepts LINEAR and CANARY through Service Connect instead of a load balancer, not with Service Connect switched off', () => {
    assert.deepEqual(codes({ deploymentConfiguration: { strategy: 'LINEAR' } }, { serviceConnect: { enabled: true, namespace: 'internal' } }), []);
    assert.deepEqual(codes({ deploymentConfiguration: { strategy: 'CANARY' } }, { serviceConnect: { enabled: false } }), ['EGO_TRAFFIC_SHIFT_REQUIRED']);
    assert.deepEqual(codes({ deploymentConfiguration: { strategy: 'CANARY' }, loadBalancers: [{ ...LB, advancedConfiguration: ADVANCED }] }), []);
  });

  it('names every load balancer item without advancedConfiguration under a native strategy', () => {
    const two = [
      { ...LB, advancedConfiguration: ADVANCED },
      { ...LB, containerPort: 81 },
    ];
    assert.deepEqual(codes({ deploymentConfiguration: { strategy: 'LINEAR' }, loadBalancers: two }), ['EGO_ADVANCED_CONFIGURATION_REQUIRED']);
  });

  it('lets a PAUSE hook run at PRE_PRODUCTION_TRAFFIC_SHIFT and a Lambda hook at PRODUCTION_TRAFFIC_SHIFT', () => {
    const hooks = [
      { targetType: 'PAUSE' as const, lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT' as const] },
      {
        hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:check',
        roleArn: 'arn:aws:iam::123456789012:role/hooks',
        lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT' as const],
      },
    ];
    assert.deepEqual(codes({ deploymentConfiguration: { strategy: 'BLUE_GREEN', lifecycleHooks: hooks } }), []);
  });

  it('reads percents as multiples of 0.1 despite binary floating point', () => {
    for (const v of [0.1, 0.3, 3, 12.5, 33.3, 99.9, 100]) assert.equal(isTenth(v), true, String(v));
    for (const v of [0.05, 2.55, 33.33, 99.99]) assert.equal(isTenth(v), false, String(v));
  });
});
