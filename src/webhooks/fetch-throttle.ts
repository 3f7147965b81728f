import { systemClock, type Clock, type TimerHandle } from '../controller/clock.js';

/** What became of one fetch request. */
export type ThrottleOutcome = 'started' | 'queued' | 'coalesced' | 'stopped';

export interface FetchThrottleOptions {
  /** Starts a source fetch; its promise settling ends the fetch. */
  readonly fetch: () => Promise<unknown>;
  /** Least time between the starts of two fetches (ms). */
  readonly minIntervalMs: number;
  readonly clock?: Clock;
}

/**
 * Turns a burst of webhook triggers into few fetches: at most one fetch runs and at most one
 * waits behind it, and two fetches start at least `minIntervalMs` apart. A request while one
 * is already queued is coalesced into it (the queued fetch starts later, so it sees the
 * newest commit anyway).
 */
export class FetchThrottle {
  private readonly clock: Clock;
  private running = false;
  private queued = false;
  private stopped = false;
  private lastStart: number | undefined;
  private timer: TimerHandle | undefined;
  private started = 0;

  constructor(private readonly options: FetchThrottleOptions) {
    if (!(options.minIntervalMs >= 0)) throw new RangeError('minIntervalMs must be >= 0');
    this.clock = options.clock ?? systemClock;
  }

  /** Fetches started so far. */
  get fetches(): number {
    return this.started;
  }

  /** True while a fetch waits for the running one or for the interval. */
  get pending(): boolean {
    return this.queued;
  }

  request(): ThrottleOutcome {
    if (this.stopped) return 'stopped';
    if (this.queued) return 'coalesced';
    if (!this.running && this.due() <= 0) {
      this.start();
      return 'started';
    }
    this.queued = true;
    if (!this.running) this.arm();
    return 'queued';
  }

  /** Drops a queued fetch; a running one is left to the source's own stop. */
  stop(): void {
    this.stopped = true;
    this.queued = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Milliseconds until a fetch may start. */
  private due(): number {
    return this.lastStart === undefined ? 0 : this.lastStart + this.options.minIntervalMs - this.clock.now();
  }

  private start(): void {
    this.running = true;
    this.lastStart = this.clock.now();
    this.started++;
    let run: Promise<unknown>;
    try {
      run = this.options.fetch();
    } catch (err) {
      run = Promise.reject(err);
    }
    void run
      .catch(() => undefined)
      .then(() => {
        this.running = false;
        if (this.queued && !this.stopped) this.arm();
      });
  }

  private arm(): void {
    if (this.timer !== undefined) return;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        if (this.stopped || !this.queued) return;
        this.queued = false;
        this.start();
      },
      Math.max(0, this.due()),
    );
  }
}
