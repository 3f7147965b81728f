import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { classifyReconcileError } from './errors.js';
import { WorkQueue, type BackoffOptions } from './work-queue.js';

/** What a successful reconcile asks for next. */
export interface ReconcileResult {
  /** Reconcile this key again after this many milliseconds (e.g. to poll a rollout). */
  readonly requeueAfter?: number;
}

/**
 * Reconciles one resource key (level-triggered: it receives a key, never an event, and reads
 * the state it needs each time). Throws StalledError / WaitingError / anything else; see
 * errors.ts for what the controller does next. Must stop promptly when `signal` aborts.
 */
export interface Reconciler {
  reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult | void>;
}

/** Result labels of one reconcile (also the `result` label of `reconcile_total`). */
export const RECONCILE_RESULTS = ['success', 'requeue', 'waiting', 'stalled', 'error', 'aborted'] as const;
export type ReconcileResultLabel = (typeof RECONCILE_RESULTS)[number];

/** One finished reconcile, as reported to hooks (metrics, status, logs). */
export interface ReconcileOutcome {
  readonly key: string;
  readonly result: ReconcileResultLabel;
  readonly startedAt: number;
  readonly durationMs: number;
  /** The thrown value for waiting/stalled/error/aborted. */
  readonly error?: unknown;
  /** Stable reason for waiting/stalled/error (e.g. `OperationPending`, `ReconcileFailed`). */
  readonly reason?: string;
  /** When the key will run again (ms), if scheduled. */
  readonly requeueAfterMs?: number;
  /** Consecutive failures of this key (0 after a success). */
  readonly failures: number;
}

/** Observation points; each hook must not throw (errors are swallowed). */
export interface ControllerHooks {
  onReconcileStart?(key: string): void;
  onReconcileEnd?(outcome: ReconcileOutcome): void;
  /** A resync or trigger enqueued these keys. */
  onResync?(keys: readonly string[], cause: 'start' | 'resync' | 'trigger'): void;
  /** listKeys failed. */
  onError?(context: string, err: unknown): void;
}

export interface ControllerOptions {
  readonly reconciler: Reconciler;
  /** All keys the controller knows (desired and owned live resources). */
  readonly listKeys: () => readonly string[] | Promise<readonly string[]>;
  /** Concurrent reconciles (>= 1). */
  readonly workers: number;
  /** Period of the full resync (ms). */
  readonly resyncMs: number;
  /** Fraction 0..1 of the resync period added or removed at random (default 0.1). */
  readonly resyncJitter?: number;
  /** A reconcile running longer is aborted and retried with backoff (default 5 min). */
  readonly reconcileTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly hooks?: ControllerHooks;
}

/** Result of `stop()`. */
export interface StopReport {
  /** True when every in-flight reconcile finished within the grace. */
  readonly graceful: boolean;
  /** Keys still running when stop gave up on them (after the abort). */
  readonly abandoned: readonly string[];
}

/** Liveness as seen by `/healthz`. */
export interface Liveness {
  readonly ok: boolean;
  readonly reason?: string;
}

/** Reason of the abort sent to reconciles at shutdown. */
export class ShutdownAbort extends Error {
  override readonly name = 'ShutdownAbort';
}

class ReconcileTimeout extends Error {
  override readonly name = 'ReconcileTimeout';
}

/**
 * The controller loop: a deduplicating keyed queue, `workers` concurrent reconciles, per-key
 * backoff, a jittered periodic resync that enqueues every known key, and graceful stop.
 * One failing key never blocks the others: each key is retried on its own schedule.
 */
/** Longest run of reconciles without a turn of the event loop (ms). */
const SLICE_MS = 50;

export class Controller {
  private sliceStartedAt = performance.now();
  readonly queue: WorkQueue;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly hooks: ControllerHooks;
  private readonly resyncJitter: number;
  private readonly reconcileTimeoutMs: number;
  private readonly abort = new AbortController();
  private readonly running = new Map<string, number>();
  private workers: Promise<void>[] = [];
  private resyncTimer: TimerHandle | undefined;
  private started = false;
  private stopping = false;
  private lastResyncAt = 0;

  constructor(private readonly options: ControllerOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError(`workers must be an integer >= 1 (got ${options.workers})`);
    if (!(options.resyncMs > 0)) throw new RangeError(`resyncMs must be > 0 (got ${options.resyncMs})`);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.hooks = options.hooks ?? {};
    this.resyncJitter = options.resyncJitter ?? 0.1;
    this.reconcileTimeoutMs = options.reconcileTimeoutMs ?? 5 * 60_000;
    this.queue = new WorkQueue({ clock: this.clock, random: this.random, ...(options.backoff ? { backoff: options.backoff } : {}) });
  }

  /** Starts the workers and the resync loop, and enqueues every known key. */
  start(): void {
    if (this.started) throw new Error('controller already started');
    this.started = true;
    this.lastResyncAt = this.clock.now();
    for (let i = 0; i < this.options.workers; i++) this.workers.push(this.work());
    void this.enqueueAll('start');
    this.scheduleResync();
  }

  /** Enqueues every known key now (new source revision, webhook). */
  trigger(): Promise<void> {
    return this.enqueueAll('trigger');
  }

  /** Enqueues one key now. */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /**
   * Stops handing out work, waits up to `graceMs` for in-flight reconciles, then aborts their
   * signal and waits up to `abandonAfterMs` more. Resolves when the workers are idle or
   * abandoned.
   */
  async stop(graceMs: number, abandonAfterMs = 2_000): Promise<StopReport> {
    this.stopping = true;
    if (this.resyncTimer !== undefined) this.clock.clearTimeout(this.resyncTimer);
    this.resyncTimer = undefined;
    this.queue.shutdown();
    const idle = Promise.all(this.workers).then(() => true);
    if (await this.within(idle, graceMs)) return { graceful: true, abandoned: [] };
    this.abort.abort(new ShutdownAbort('controller is shutting down'));
    if (await this.within(idle, abandonAfterMs)) return { graceful: false, abandoned: [] };
    return { graceful: false, abandoned: [...this.running.keys()] };
  }

  /** Not stuck: the resync loop fires on time and no reconcile outlives its timeout by far. */
  liveness(): Liveness {
    if (!this.started || this.stopping) return { ok: true };
    const now = this.clock.now();
    const maxGap = this.options.resyncMs * (1 + this.resyncJitter) * 2 + 30_000;
    if (now - this.lastResyncAt > maxGap) {
      return { ok: false, reason: `no resync for ${Math.round((now - this.lastResyncAt) / 1000)}s` };
    }
    const stuckAfter = this.reconcileTimeoutMs + 60_000;
    for (const [key, startedAt] of this.running) {
      if (now - startedAt > stuckAfter) {
        return { ok: false, reason: `reconcile of ${key} running for ${Math.round((now - startedAt) / 1000)}s` };
      }
    }
    return { ok: true };
  }

  /** Keys being reconciled right now. */
  inFlight(): string[] {
    return [...this.running.keys()];
  }

  private within(p: Promise<boolean>, ms: number): Promise<boolean> {
    let timer: TimerHandle | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = this.clock.setTimeout(() => resolve(false), ms);
    });
    return Promise.race([p, timeout]).finally(() => {
      if (timer !== undefined) this.clock.clearTimeout(timer);
    });
  }

  private scheduleResync(): void {
    if (this.stopping) return;
    const factor = 1 + this.resyncJitter * (2 * this.random() - 1);
    this.resyncTimer = this.clock.setTimeout(
      () => {
        this.resyncTimer = undefined;
        this.lastResyncAt = this.clock.now();
        void this.enqueueAll('resync');
        this.scheduleResync();
      },
      Math.round(this.options.resyncMs * factor),
    );
  }

  private async enqueueAll(cause: 'start' | 'resync' | 'trigger'): Promise<void> {
    let keys: readonly string[];
    try {
      keys = await this.options.listKeys();
    } catch (err) {
      this.call(() => this.hooks.onError?.('listKeys', err));
      return;
    }
    if (this.stopping) return;
    for (const key of keys) this.queue.add(key);
    this.call(() => this.hooks.onResync?.(keys, cause));
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.reconcileOne(key);
      } finally {
        this.queue.done(key);
      }
      await this.yieldAfterSlice();
    }
  }

  /**
   * Lets I/O and timers in after `SLICE_MS` of reconciles that never waited for either. A
   * reconcile of a resource in sync awaits only promises that are already resolved, so at the
   * first scan of 10,000 resources the workers ran for seconds as one chain of microtasks:
   * no /healthz answer (a container health check times out after 5 s), no scrape, no timer.
   */
  private async yieldAfterSlice(): Promise<void> {
    if (performance.now() - this.sliceStartedAt < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStartedAt = performance.now();
  }

  private async reconcileOne(key: string): Promise<void> {
    const startedAt = this.clock.now();
    this.running.set(key, startedAt);
    this.call(() => this.hooks.onReconcileStart?.(key));
    const perKey = new AbortController();
    const onShutdown = (): void => perKey.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener('abort', onShutdown, { once: true });
    const timer = this.clock.setTimeout(
      () => perKey.abort(new ReconcileTimeout(`reconcile of ${key} exceeded ${this.reconcileTimeoutMs}ms`)),
      this.reconcileTimeoutMs,
    );
    let outcome: ReconcileOutcome;
    const base = { key, startedAt };
    try {
      const result = await this.options.reconciler.reconcile(key, perKey.signal);
      this.queue.forget(key);
      const after = result?.requeueAfter;
      if (after !== undefined && after >= 0 && !this.stopping) {
        this.queue.addAfter(key, after);
        outcome = { ...base, result: 'requeue', requeueAfterMs: after, durationMs: 0, failures: 0 };
      } else {
        outcome = { ...base, result: 'success', durationMs: 0, failures: 0 };
      }
    } catch (err) {
      outcome = { ...base, ...this.afterFailure(key, err), durationMs: 0 };
    } finally {
      this.clock.clearTimeout(timer);
      this.abort.signal.removeEventListener('abort', onShutdown);
      this.running.delete(key);
    }
    const final: ReconcileOutcome = { ...outcome, durationMs: this.clock.now() - startedAt };
    this.call(() => this.hooks.onReconcileEnd?.(final));
  }

  private afterFailure(key: string, err: unknown): Omit<ReconcileOutcome, 'key' | 'startedAt' | 'durationMs'> {
    if (this.abort.signal.aborted) {
      return { result: 'aborted', error: err, reason: 'ShutdownAbort', failures: this.queue.retries(key) };
    }
    const disposition = classifyReconcileError(err);
    switch (disposition.kind) {
      case 'stalled':
        // Needs a human: wait for the next revision or resync to enqueue it again.
        this.queue.forget(key);
        return { result: 'stalled', error: err, reason: disposition.reason, failures: 0 };
      case 'waiting':
        this.queue.forget(key);
        this.queue.addAfter(key, disposition.requeueAfterMs);
        return { result: 'waiting', error: err, reason: disposition.reason, requeueAfterMs: disposition.requeueAfterMs, failures: 0 };
      case 'retry': {
        const reason = err instanceof ReconcileTimeout ? 'ReconcileTimeout' : disposition.reason;
        const delay = this.queue.addRateLimited(key);
        return { result: 'error', error: err, reason, requeueAfterMs: delay, failures: this.queue.retries(key) };
      }
    }
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch {
      // Hooks are observers; a bug in one must never stop the loop.
    }
  }
}
