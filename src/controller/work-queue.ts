import { systemClock, type Clock, type TimerHandle } from './clock.js';

/** Per-key exponential backoff: `baseMs * 2^failures`, capped at `maxMs`, minus up to `jitter` of it. */
export interface BackoffOptions {
  /** First retry delay (ms). */
  readonly baseMs: number;
  /** Upper bound of any retry delay (ms). */
  readonly maxMs: number;
  /** Fraction 0..1 of the delay randomly taken off, so failing keys do not retry in lockstep. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 5 * 60_000, jitter: 0.2 };

export interface WorkQueueOptions {
  readonly clock?: Clock;
  /** Random source in [0, 1) for jitter. */
  readonly random?: () => number;
  readonly backoff?: BackoffOptions;
}

interface Waiting {
  readonly readyAt: number;
  readonly timer: TimerHandle;
}

/**
 * A keyed work queue with client-go semantics:
 * - `add` of a key already queued is a no-op (deduplication);
 * - a key added while it is being processed is queued again when `done(key)` is called,
 *   so the same key is never handed to two workers at once and no update is lost;
 * - `addAfter` delays an add (the earliest pending time wins);
 * - `addRateLimited` delays by the key's exponential backoff until `forget(key)`;
 * - `shutdown` stops handing out keys; keys in flight are still finished by their workers.
 */
export class WorkQueue<K extends string = string> {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: BackoffOptions;
  private readonly queue: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiting = new Map<K, Waiting>();
  private readonly failures = new Map<K, number>();
  private getters: ((key: K | undefined) => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    if (!(this.backoff.baseMs > 0) || this.backoff.maxMs < this.backoff.baseMs || this.backoff.jitter < 0 || this.backoff.jitter > 1) {
      throw new RangeError('backoff needs baseMs > 0, maxMs >= baseMs and jitter in 0..1');
    }
  }

  /** Queues `key` unless it is already queued. */
  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const getter = this.getters.shift();
    if (getter) {
      this.dirty.delete(key);
      this.processing.add(key);
      getter(key);
    } else {
      this.queue.push(key);
    }
  }

  /** Queues `key` after `ms`; an earlier pending addAfter for the same key wins. */
  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const existing = this.waiting.get(key);
    if (existing && existing.readyAt <= readyAt) return;
    if (existing) this.clock.clearTimeout(existing.timer);
    const timer = this.clock.setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, ms);
    this.waiting.set(key, { readyAt, timer });
  }

  /** Queues `key` after its next backoff delay; returns that delay (ms). */
  addRateLimited(key: K): number {
    const delay = this.nextBackoff(key);
    this.addAfter(key, delay);
    return delay;
  }

  /** The delay the next `addRateLimited(key)` would use, counting this failure. */
  private nextBackoff(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const { baseMs, maxMs, jitter } = this.backoff;
    // 2^n overflows to Infinity for large n; min() keeps it at the cap.
    const exp = Math.min(maxMs, baseMs * 2 ** n);
    return Math.round(exp * (1 - jitter * this.random()));
  }

  /** Resets the key's backoff (call after a success). */
  forget(key: K): void {
    this.failures.delete(key);
  }

  /** Number of consecutive rate-limited adds of `key` since the last forget. */
  retries(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /**
   * Waits for the next key and marks it as processing. Resolves `undefined` once the queue
   * is shut down. Every key received must be passed to `done` when its work ends.
   */
  get(): Promise<K | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks `key` as no longer processing; re-queues it if it was added meanwhile. */
  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
    if (this.processing.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Stops handing out keys and cancels delayed adds; keys in flight may still call done. */
  shutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const w of this.waiting.values()) this.clock.clearTimeout(w.timer);
    this.waiting.clear();
    const getters = this.getters;
    this.getters = [];
    for (const g of getters) g(undefined);
  }

  /** Resolves when no key is being processed. */
  idle(): Promise<void> {
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Keys ready to be handed out. */
  get length(): number {
    return this.queue.length;
  }

  /** Keys waiting for a delay (addAfter / addRateLimited). */
  get delayed(): number {
    return this.waiting.size;
  }

  /** Keys currently being processed. */
  inFlight(): K[] {
    return [...this.processing];
  }
}
