import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusStore } from '../../src/controller/status.js';
import { WaitingError } from '../../src/controller/errors.js';
import { ControllerMetrics } from '../../src/observability/metrics.js';
import { GitOpsReconciler, MAX_DEPENDENCY_WAIT_MS } from '../../src/run/reconciler.js';
import type { Snapshot } from '../../src/run/scanner.js';
import { cloudMapService, namespace } from '../apply/fixtures.js';
import { CONTROLLER_ID, FAST_WAITS, desiredOf, planFor, useEnv } from '../apply/helpers.js';

describe('GitOpsReconciler: a resource that keeps waiting for a dependency backs off', () => {
  const env = useEnv(['demo']);

  it('retries after 1.5 s, then twice as long each time, at most 30 s, and still asks for the rescan that queues it again', async () => {
    const desired = desiredOf([namespace(), cloudMapService('web')]);
    const { plan, live } = await planFor(env, desired);
    const snapshot = {
      seq: 1,
      revision: 'r1',
      live,
      plan,
      byKey: new Map(plan.resources.map((r) => [r.key, r])),
      invalidKeys: new Map(),
      observeStartedAt: Date.now(),
      keys: plan.resources.map((r) => r.key),
    } as unknown as Snapshot;
    let rescans = 0;
    const reconciler = new GitOpsReconciler({
      latest: () => snapshot,
      clients: env.clients,
      caches: env.caches,
      controllerId: CONTROLLER_ID,
      status: new StatusStore({ controllerId: CONTROLLER_ID }),
      metrics: new ControllerMetrics({ processMetrics: false }),
      requestRescan: () => rescans++,
      waits: FAST_WAITS,
    });
    const key = 'CloudMapService/internal/web';
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const err = await reconciler.reconcile(key, new AbortController().signal).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof WaitingError, `attempt ${i + 1}: ${String(err)}`);
      assert.equal(err.reason, 'DependencyNotReady');
      delays.push(err.requeueAfterMs);
    }
    assert.deepEqual(delays, [1_500, 3_000, 6_000, 12_000, 24_000, MAX_DEPENDENCY_WAIT_MS, MAX_DEPENDENCY_WAIT_MS]);
    assert.ok(rescans > 0, 'a missing dependency still asks for a rescan, which queues the resource again');
  });
});
