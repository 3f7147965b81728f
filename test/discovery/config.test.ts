import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/options.js';
import { parseControllerConfig } from '../../src/config/controller-config.js';

describe('discovery configuration', () => {
  it('checks every 30s and leaves stale instances alone by default', () => {
    const c = parseControllerConfig(['--source', './m'], {});
    assert.equal(c.healthIntervalMs, 30_000);
    assert.equal(c.remediateStaleInstances, false);
    assert.equal(c.remediateGraceMs, 30_000);
  });

  it('turns remediation on by flag or environment, with its grace', () => {
    const flagged = parseControllerConfig(['--source', './m', '--remediate-stale-instances', '--remediate-grace', '2m', '--health-interval', '10s'], {});
    assert.deepEqual([flagged.remediateStaleInstances, flagged.remediateGraceMs, flagged.healthIntervalMs], [true, 120_000, 10_000]);
    const env = parseControllerConfig(['--source', './m'], { ECS_GITOPS_REMEDIATE_STALE_INSTANCES: 'true', ECS_GITOPS_REMEDIATE_GRACE: '0s' });
    assert.deepEqual([env.remediateStaleInstances, env.remediateGraceMs], [true, 0]);
  });

  it('names the variable when its value is not a boolean', () => {
    assert.throws(
      () => parseControllerConfig(['--source', './m'], { ECS_GITOPS_REMEDIATE_STALE_INSTANCES: 'maybe' }),
      (e: unknown) => e instanceof ConfigError && /ECS_GITOPS_REMEDIATE_STALE_INSTANCES/.test(e.message),
    );
  });
});
