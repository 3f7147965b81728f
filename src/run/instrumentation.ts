import type { Logger } from 'pino';
import type { ControllerMetrics } from '../observability/metrics.js';
import type { ControllerHooks, ReconcileOutcome } from '../controller/controller.js';
import { errorMessage } from '../util/errors.js';
import type { DeliveryEvents } from '../controller/delivery-events.js';
import { eventResource } from './reconciler.js';
import { refFromKey, type ResourceSummary, type StatusStore } from '../controller/status.js';

export interface InstrumentationDeps {
  readonly metrics: ControllerMetrics;
  readonly status: StatusStore;
  readonly logger: Logger;
  /** Revision of the artifact being applied, if any. */
  readonly revision: () => string | undefined;
  readonly now?: () => number;
  /** Where resource-stalled goes (once per turn to Stalled). */
  readonly events?: DeliveryEvents;
}

/**
 * Controller hooks that turn every reconcile into one log line, the reconcile metrics and
 * (for failures) the status conditions. Successful reconciles report their own status
 * (drift, actions) through `StatusStore.reconciled`; the log line repeats those actions.
 */
export function instrumentController(deps: InstrumentationDeps): ControllerHooks {
  const now = deps.now ?? Date.now;
  return {
    onReconcileStart(key) {
      deps.status.reconciling(key, deps.revision());
    },
    onReconcileEnd(o: ReconcileOutcome) {
      const ref = refFromKey(o.key);
      const revision = deps.revision();
      deps.metrics.recordReconcile(ref.kind, o.result, o.durationMs / 1000, now());
      const message = o.error === undefined ? '' : errorMessage(o.error);
      const report = { ...(revision !== undefined ? { revision } : {}), reason: o.reason ?? 'Unknown', message };
      if (o.result === 'error') deps.status.failed(o.key, report);
      else if (o.result === 'stalled') {
        const was = deps.status.get(o.key)?.syncStatus;
        deps.status.stalled(o.key, report);
        if (was !== 'Stalled') {
          deps.events?.emit({
            type: 'resource-stalled',
            at: new Date(now()).toISOString(),
            resource: eventResource(o.key),
            reason: `${report.reason}: ${message}`,
            ...(revision !== undefined ? { revision } : {}),
          });
        }
      } else if (o.result === 'waiting') deps.status.waiting(o.key, report);
      const line = {
        key: o.key,
        revision,
        outcome: o.result,
        durationMs: o.durationMs,
        actions: deps.status.get(o.key)?.lastActions ?? [],
        ...(o.reason !== undefined ? { reason: o.reason } : {}),
        ...(o.requeueAfterMs !== undefined ? { requeueAfterMs: o.requeueAfterMs } : {}),
        ...(o.failures > 0 ? { failures: o.failures } : {}),
        ...(message ? { error: message } : {}),
      };
      if (o.result === 'error' || o.result === 'stalled') deps.logger.warn(line, 'reconcile failed');
      else deps.logger.info(line, 'reconciled');
    },
    onResync(keys, cause) {
      deps.logger.debug({ keys: keys.length, cause }, 'enqueued all keys');
    },
    onError(context, err) {
      deps.logger.error({ context, error: errorMessage(err) }, 'controller error');
    },
  };
}

/** Keeps resource_info / drifted / drift_fields equal to the status store. Returns an unsubscribe. */
export function bindStatusMetrics(status: StatusStore, metrics: ControllerMetrics): () => void {
  const publish = (r: ResourceSummary): void =>
    metrics.setResource(r.key, {
      syncStatus: r.syncStatus,
      healthStatus: r.healthStatus,
      mode: r.mode,
      driftedFieldCount: r.driftedFields.length,
      driftKnown: r.driftKnown,
    });
  for (const r of status.summaries()) publish(r);
  return status.onChange((key, r) => (r ? publish(r) : metrics.removeResource(key)));
}
