/**
 * Publishes the freshness of the AWS observation: readiness and the observation metrics after
 * every scan, on every /metrics scrape and on a timer (so an outage with no scan running still
 * turns stale on time), and enqueues every key when the observation turns fresh again.
 */
import type { Logger } from 'pino';
import type { StatusStore } from '../controller/status.js';
import type { ControllerMetrics } from '../observability/metrics.js';

export interface FreshnessPublisherDeps {
  readonly status: StatusStore;
  readonly metrics: ControllerMetrics;
  readonly logger: Logger;
  /** Enqueues every key of the newest snapshot (after recovery each resource is reported again). */
  readonly enqueueAll: () => void;
}

/** Longest period of the staleness check (ms). */
const MAX_CHECK_MS = 5_000;

export class FreshnessPublisher {
  private wasStale = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly deps: FreshnessPublisherDeps) {}

  /** Checks at a quarter of the stale-after time, at most every 5 s. */
  start(staleAfterMs: number): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.publish(), Math.max(100, Math.min(MAX_CHECK_MS, Math.floor(staleAfterMs / 4))));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  publish(): void {
    const { status, metrics, logger } = this.deps;
    const stale = status.isStale();
    metrics.setObservation(status.lastObserveAt(), stale);
    metrics.setReady(status.readiness().ok);
    if (stale === this.wasStale) return;
    this.wasStale = stale;
    if (stale) {
      logger.error({ reason: status.staleMessage() }, 'AWS observation is stale: resources are reported Unknown and nothing is written');
    } else {
      logger.info('AWS observation is fresh again: every resource is reconciled');
      this.deps.enqueueAll();
    }
  }
}
