import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusStore } from '../../src/controller/status.js';
import { ControllerMetrics } from '../../src/observability/metrics.js';
import { GitOpsReconciler } from '../../src/run/reconciler.js';
import type { Snapshot } from '../../src/run/scanner.js';
import { namespace } from '../apply/fixtures.js';
import { CONTROLLER_ID, FAST_WAITS, desiredOf, planFor, useEnv } from '../apply/helpers.js';

describe('GitOpsReconciler: an aborted reconcile (shutdown, timeout) leaves no apply running behind it', () => {
  // The namespace create takes 400 ms, so the reconcile is waiting on GetOperation when aborted.
  const env = useEnv(['demo'], { operationDelayMs: 400 });

  it('rejects with the abort reason and makes no AWS call after it', async () => {
    const desired = desiredOf([namespace()]);
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
    const reconciler = new GitOpsReconciler({
      latest: () => snapshot,
      clients: env.clients,
      caches: env.caches,
      controllerId: CONTROLLER_ID,
      status: new StatusStore({ controllerId: CONTROLLER_ID }),
      metrics: new ControllerMetrics({ processMetrics: false }),
      requestRescan: () => {},
      waits: FAST_WAITS,
    });
    const calls = () => env.sandbox.world.calls.calls().length;
    const abort = new AbortController();
    const reason = new Error('controller is shutting down');
    const reconciling = reconciler.reconcile('CloudMapNamespace/internal', abort.signal);
    // Abort once the create is sent and its operation is being polled.
    while (!env.sandbox.world.calls.calls().some((c) => c.operation === 'GetOperation')) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    abort.abort(reason);
    await assert.rejects(reconciling, (err: unknown) => err === reason);
    const atAbort = calls();
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(calls(), atAbort, 'the abandoned apply kept polling Cloud Map');
  });
});
