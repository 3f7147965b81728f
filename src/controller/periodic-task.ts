/**
 * The contract of periodic work next to the reconcile loop: tasks that read the newest
 * observation without observing again, e.g. discovery health checks (registered instances vs
 * running tasks). The run loop schedules them (src/run/periodic.ts); features such as
 * src/discovery implement them without depending on the run loop.
 */
import type { Logger } from 'pino';
import type { AwsClients } from '../aws/clients.js';
import type { DesiredResource } from '../manifests/types.js';
import type { LiveSet } from '../kit/types.js';
import type { StatusStore } from './status.js';

/**
 * What a periodic task gets on every run. `Metrics` is the application's metrics registry
 * (src/observability, which sits above the controller and so is not named here).
 */
export interface PeriodicTaskContext<Metrics = unknown> {
  /** The newest observation (from the last scan). */
  readonly live: LiveSet;
  readonly desired: readonly DesiredResource[];
  /** Source revision of `desired`. */
  readonly revision: string;
  readonly clients: AwsClients;
  readonly controllerId: string;
  /** Report findings here (`setHealth`) and in metrics (`setDiscoveryFindings`, ...). */
  readonly status: StatusStore;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Aborts at shutdown. */
  readonly signal: AbortSignal;
}

/**
 * A task run every `intervalMs` once a first scan has completed; runs never overlap. A task
 * may declare that it reads only part of the context (`C`).
 */
export interface PeriodicTask<C = PeriodicTaskContext> {
  readonly name: string;
  readonly intervalMs: number;
  run(context: C): Promise<void>;
}
