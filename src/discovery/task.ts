import type { AwsClients } from '../aws/clients.js';
import type { PeriodicTask, PeriodicTaskContext } from '../controller/periodic-task.js';
import type { ControllerMetrics } from '../observability/metrics.js';
import { createDiscoveryChecker, type DiscoveryChecker, type DiscoveryCheckerOptions } from './checker.js';

/** The part of the periodic task context the discovery task reads (not the desired set). */
export type DiscoveryTaskContext = Omit<PeriodicTaskContext<ControllerMetrics>, 'desired' | 'revision'>;

/** Options of the periodic discovery task: the checker's tuning, without what the context gives. */
export type DiscoveryTaskOptions = Omit<DiscoveryCheckerOptions, 'clients' | 'controllerId' | 'metrics' | 'status' | 'logger'> & {
  /** `--health-interval` (ms). */
  readonly intervalMs: number;
};

/**
 * A scheduler-friendly task: `run(context)` checks the newest live set and publishes the
 * report to the context's status and metrics. The checker (and its caches) is created on the
 * first run and kept; runs must not overlap (the caller's scheduler guarantees that).
 */
export function createDiscoveryTask(options: DiscoveryTaskOptions): PeriodicTask<DiscoveryTaskContext> {
  let checker: DiscoveryChecker | undefined;
  let clients: AwsClients | undefined;
  const { intervalMs, ...tuning } = options;
  return {
    name: 'discovery-health',
    intervalMs,
    async run(ctx) {
      if (!checker || clients !== ctx.clients) {
        clients = ctx.clients;
        checker = createDiscoveryChecker({
          ...tuning,
          clients: ctx.clients,
          controllerId: ctx.controllerId,
          metrics: ctx.metrics,
          status: ctx.status,
          logger: ctx.logger,
        });
      }
      const report = await checker.check(ctx.live, ctx.signal);
      ctx.logger.info(
        {
          services: report.services.length,
          findings: report.findings.length,
          remediations: report.remediations.length,
          unreadable: report.unreadable.length,
          calls: report.calls,
          durationMs: report.durationMs,
        },
        'discovery health checked',
      );
    },
  };
}
