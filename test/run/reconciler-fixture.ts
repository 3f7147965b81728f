import { StatusStore } from '../../src/controller/status.js';
import type { LiveSet, Plan } from '../../src/kit/types.js';
import { ControllerMetrics } from '../../src/observability/metrics.js';
import type { GitOpsReconcilerDeps } from '../../src/run/reconciler.js';
import type { Snapshot } from '../../src/run/scanner.js';
import { CONTROLLER_ID, FAST_WAITS, type Env } from '../apply/helpers.js';

/** The snapshot a scan of revision r1 would publish for `plan` (only what the reconciler reads). */
export function snapshotOf(plan: Plan, live: LiveSet): Snapshot {
  return {
    seq: 1,
    revision: 'r1',
    live,
    plan,
    byKey: new Map(plan.resources.map((r) => [r.key, r])),
    invalidKeys: new Map(),
    observeStartedAt: Date.now(),
    keys: plan.resources.map((r) => r.key),
  } as unknown as Snapshot;
}

/** A GitOpsReconciler's dependencies on the sandbox env, always answering `snapshot`. */
export function reconcilerDeps(env: Env, snapshot: Snapshot, more: Partial<GitOpsReconcilerDeps> = {}): GitOpsReconcilerDeps {
  return {
    latest: () => snapshot,
    clients: env.clients,
    caches: env.caches,
    controllerId: CONTROLLER_ID,
    status: new StatusStore({ controllerId: CONTROLLER_ID }),
    metrics: new ControllerMetrics({ processMetrics: false }),
    requestRescan: () => {},
    waits: FAST_WAITS,
    ...more,
  };
}
