/**
 * Runs the periodic tasks next to the reconcile loop (contract: controller/periodic-task.ts).
 */
import type { Logger } from 'pino';
import type { PeriodicTask as AnyPeriodicTask, PeriodicTaskContext } from '../controller/periodic-task.js';
import type { ControllerMetrics } from '../observability/metrics.js';

/** A periodic task of the controller application: its context carries the controller's metrics. */
export type PeriodicTask = AnyPeriodicTask<PeriodicTaskContext<ControllerMetrics>>;

/** Runs tasks on their intervals; `stop` aborts a running one and cancels the timers. */
export class PeriodicRunner {
  private readonly abort = new AbortController();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly tasks: readonly PeriodicTask[],
    private readonly context: () => Omit<PeriodicTaskContext<ControllerMetrics>, 'signal'> | undefined,
    private readonly logger: Logger,
  ) {}

  start(): void {
    for (const task of this.tasks) this.schedule(task);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private schedule(task: PeriodicTask): void {
    if (this.abort.signal.aborted) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = this.runOnce(task).finally(() => {
        this.running.delete(run);
        this.schedule(task);
      });
      this.running.add(run);
    }, task.intervalMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async runOnce(task: PeriodicTask): Promise<void> {
    const ctx = this.context();
    if (!ctx) return;
    const started = Date.now();
    try {
      await task.run({ ...ctx, signal: this.abort.signal });
      this.logger.debug({ task: task.name, durationMs: Date.now() - started }, 'periodic task finished');
    } catch (err) {
      if (this.abort.signal.aborted) return;
      this.logger.warn({ task: task.name, error: err instanceof Error ? err.message : String(err) }, 'periodic task failed');
    }
  }
}
