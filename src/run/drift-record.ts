/**
 * The drift consumer of the delivery events: each drift event becomes a record in the
 * resource's `/status` history, the drift counters and the last-drift time, and one log line
 * (paths and bounded values only, see util/bounded-value.ts).
 */
import type { Logger } from 'pino';
import type { DeliveryEvents } from '../controller/delivery-events.js';
import type { StatusStore } from '../controller/status.js';
import type { ControllerMetrics } from '../observability/metrics.js';

export interface DriftRecorderDeps {
  readonly events: DeliveryEvents;
  readonly status: StatusStore;
  readonly metrics: ControllerMetrics;
  readonly logger: Logger;
}

/** Subscribes to drift events; returns the unsubscribe. */
export function recordDriftEvents(deps: DriftRecorderDeps): () => void {
  const { status, metrics, logger } = deps;
  return deps.events.subscribe((e) => {
    if (e.type === 'drift-detected') {
      const at = Date.parse(e.at);
      metrics.recordDriftDetected(e.resource.key, at);
      status.recordDrift(e.resource.key, { detectedAt: e.at, mode: e.mode, fields: e.fields, ...(e.revision !== undefined ? { revision: e.revision } : {}) });
      logger.warn(
        { key: e.resource.key, revision: e.revision, mode: e.mode, fields: e.fields.map((f) => ({ path: f.path, from: f.from, to: f.to })) },
        `drift detected on ${e.resource.key}: ${e.fields.map((f) => f.path).join(', ')}${e.mode === 'observe' ? ' (observe mode: not reverted)' : ''}`,
      );
    } else if (e.type === 'drift-reverted') {
      metrics.recordDriftReverted(e.resource.key);
      status.recordDriftReverted(e.resource.key, e.at);
      logger.info({ key: e.resource.key, revision: e.revision, fields: e.fields.map((f) => f.path) }, `drift reverted on ${e.resource.key}`);
    }
  });
}
