import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { convertServiceDeployment, type ServiceRollout } from '../../src/kinds/ecs-service/rollout.js';
import { describeRollout, rolloutGate } from '../../src/kinds/ecs-service/rollout-gate.js';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/abc123';

function rollout(status: string): ServiceRollout {
  return { arn: ARN, id: 'abc123', status, strategy: 'ROLLING', waitingHooks: [] };
}

describe('rollout gate', () => {
  it('an active deployment of the desired revision is progressing; of another revision it is not gated', () => {
    for (const status of ['PENDING', 'IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED']) {
      assert.equal(rolloutGate(rollout(status), true, undefined)?.state, 'progressing', status);
      assert.equal(rolloutGate(rollout(status), undefined, undefined)?.state, 'progressing', `${status}, target unknown`);
      assert.equal(rolloutGate(rollout(status), false, undefined), undefined, `${status}, the manifest changed`);
    }
  });

  it('a rolled-back deployment of the desired revision is held until retried with its id or the manifest changes', () => {
    for (const status of ['ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']) {
      assert.equal(rolloutGate(rollout(status), true, undefined)?.state, 'held');
      assert.equal(rolloutGate(rollout(status), true, 'older-id')?.state, 'held', 'a retry of another deployment does not count');
      assert.equal(rolloutGate(rollout(status), true, 'abc123'), undefined);
      assert.equal(rolloutGate(rollout(status), false, undefined), undefined);
    }
    for (const status of ['SUCCESSFUL', 'STOPPED']) assert.equal(rolloutGate(rollout(status), true, undefined), undefined);
    assert.equal(rolloutGate(undefined, true, undefined), undefined);
  });

  it('converts a service deployment: strategy, stage, traffic, bake left, ECS reason, waiting hooks', () => {
    const now = Date.parse('2025-01-01T00:01:00Z');
    const r = convertServiceDeployment(
      {
        serviceDeploymentArn: ARN,
        status: 'IN_PROGRESS',
        lifecycleStage: 'BAKE_TIME',
        updatedAt: new Date('2025-01-01T00:00:00Z'),
        deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
        targetServiceRevision: { arn: 'rev-2', requestedProductionTrafficWeight: 100, requestedTestTrafficWeight: 100 },
        lifecycleHookDetails: [{ hookId: 'h1', status: 'AWAITING_ACTION', targetType: 'PAUSE' }],
      },
      new Map([['rev-2', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2']]),
      now,
    );
    assert.equal(r.strategy, 'BLUE_GREEN');
    assert.equal(r.bakeTimeLeftSeconds, 240);
    assert.equal(r.productionTrafficPercent, 100);
    assert.equal(r.targetTaskDefinitionArn, 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2');
    assert.deepEqual(r.waitingHooks, [{ hookId: 'h1', targetType: 'PAUSE' }]);
    assert.match(
      describeRollout(r),
      /BLUE_GREEN deployment abc123 IN_PROGRESS at BAKE_TIME, production traffic 100%, bake 240s left, waiting at lifecycle hook h1/,
    );
    const back = convertServiceDeployment(
      {
        serviceDeploymentArn: ARN,
        status: 'ROLLBACK_SUCCESSFUL',
        statusReason: 'x',
        rollback: { reason: 'ECS deployment circuit breaker: tasks failed to start.' },
      },
      new Map(),
      now,
    );
    assert.equal(back.strategy, 'ROLLING');
    assert.equal(back.productionTrafficPercent, undefined);
    assert.equal(back.reason, 'ECS deployment circuit breaker: tasks failed to start.');
  });
});
