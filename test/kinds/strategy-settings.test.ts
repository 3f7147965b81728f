import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeDeploymentConfiguration } from '../../src/kinds/ecs-service/deployment-configuration.js';
import { rolloutNote } from '../../src/kinds/ecs-service/strategy-settings.js';

describe('ECS-native deployment settings', () => {
  it('normalizes with AWS defaults: ROLLING, no hooks; step, canary and hook defaults filled; stages as a set', () => {
    const bare = normalizeDeploymentConfiguration(undefined);
    assert.equal(bare.strategy, 'ROLLING');
    assert.deepEqual(bare.lifecycleHooks, []);
    assert.equal(bare.bakeTimeInMinutes, undefined, 'no documented default is reported, so none is invented');
    const linear = normalizeDeploymentConfiguration({ strategy: 'LINEAR', linearConfiguration: {} });
    assert.deepEqual(linear.linearConfiguration, { stepPercent: 10, stepBakeTimeInMinutes: 6 });
    const canary = normalizeDeploymentConfiguration({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 20 } });
    assert.deepEqual(canary.canaryConfiguration, { canaryPercent: 20, canaryBakeTimeInMinutes: 10 });
    const hooked = normalizeDeploymentConfiguration({
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'POST_SCALE_UP'] }],
    });
    assert.deepEqual(hooked.lifecycleHooks, [
      {
        targetType: 'PAUSE',
        lifecycleStages: ['POST_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'],
        timeoutConfiguration: { timeoutInMinutes: 1440, action: 'ROLLBACK' },
      },
    ]);
  });

  it('describes how ECS rolls a revision out, for plan reasons', () => {
    assert.equal(rolloutNote(undefined), undefined);
    assert.equal(rolloutNote({ strategy: 'ROLLING', bakeTimeInMinutes: 5 }), undefined);
    assert.equal(rolloutNote({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 }), 'ECS rolls it out BLUE_GREEN (bake 10 min)');
    assert.equal(rolloutNote({ strategy: 'LINEAR' }), 'ECS rolls it out LINEAR (10% steps every 6 min)');
    assert.equal(
      rolloutNote({
        strategy: 'CANARY',
        canaryConfiguration: { canaryPercent: 2.5 },
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }],
      }),
      'ECS rolls it out CANARY (2.5% canary for 10 min, 1 lifecycle hook)',
    );
  });
});
