import type { Snapshot } from './scanner.js';

export interface RescanOptions {
  /** Requests within this window share one rescan (ms). */
  readonly debounceMs: number;
  readonly scan: () => Promise<Snapshot | undefined>;
  /** Called with the keys whose plan still has something to do (write, drift or a rollout to report). */
  readonly enqueue: (keys: readonly string[]) => void;
  readonly onError: (err: unknown) => void;
}

/**
 * The debounced re-observe that makes convergence level-triggered: after writes, AWS is read
 * again and every key whose plan still changes is enqueued, so nothing depends on a write's
 * own answer. Requests are coalesced: at most one rescan runs and one waits.
 */
export class Rescanner {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  private stopped = false;
  /** Rescans completed (tests and logs). */
  count = 0;

  constructor(private readonly options: RescanOptions) {}

  request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, this.options.debounceMs);
    this.timer.unref();
  }

  /** Whether no rescan is waiting for its debounce or running. */
  idle(): boolean {
    return this.timer === undefined && !this.running;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      const snap = await this.options.scan();
      this.count++;
      if (snap && !this.stopped) {
        this.options.enqueue(snap.plan.resources.filter((r) => r.action !== 'noop' || snap.rollouts?.has(r.key)).map((r) => r.key));
      }
    } catch (err) {
      this.options.onError(err);
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.request();
      }
    }
  }
}
