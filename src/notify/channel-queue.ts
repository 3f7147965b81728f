/**
 * The delivery queue of one channel: de-duplicates within a window, keeps at most `queueSize`
 * notifications (dropping the oldest), sends one at a time within a token bucket, and retries
 * 5xx, 429 and network errors with exponential backoff and jitter, honouring Retry-After.
 * `enqueue` is synchronous and cheap: nothing here ever waits on the caller's behalf.
 */
import { TokenBucket } from '../util/token-bucket.js';
import { postOnce, type FetchLike, type PostRequest } from './post.js';
import type { DeliveryConfig, NotifyChannel, NotifyResult } from './types.js';

/** One notification ready to send. */
export interface Notification {
  /** The event type, for logs. */
  readonly event: string;
  /** Equal keys within the de-duplication window are sent once. */
  readonly dedupKey: string;
  readonly request: PostRequest;
}

/** The log lines the queue writes (a pino logger fits). Never given a URL, header or body. */
export interface NotifyLog {
  warn(fields: Record<string, unknown>, msg: string): void;
  debug(fields: Record<string, unknown>, msg: string): void;
}

/** Seams for time and I/O (tests replace them). */
export interface QueueSeams {
  readonly fetch?: FetchLike;
  readonly now?: () => number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter. */
  readonly random?: () => number;
}

export interface ChannelQueueOptions extends QueueSeams {
  readonly channel: NotifyChannel;
  readonly config: DeliveryConfig;
  readonly record: (channel: NotifyChannel, result: NotifyResult) => void;
  readonly log: NotifyLog;
}

/** De-duplication keys kept at most (the oldest go first; they are also pruned by age). */
const MAX_SEEN = 10_000;

export class ChannelQueue {
  private readonly pending: Notification[] = [];
  /** Dedup key -> when it was accepted (Map order is acceptance order). */
  private readonly seen = new Map<string, number>();
  private readonly bucket: TokenBucket;
  private readonly stopper = new AbortController();
  private readonly fetchFn: FetchLike;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private draining: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly options: ChannelQueueOptions) {
    this.now = options.now ?? Date.now;
    this.fetchFn = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.bucket = new TokenBucket(options.config.burst, options.config.ratePerSecond, this.now);
  }

  /** Notifications waiting (the one being sent excluded). */
  get length(): number {
    return this.pending.length;
  }

  /** Whether nothing is waiting or being sent. */
  idle(): boolean {
    return this.draining === undefined;
  }

  /** Accepts a notification unless it is a duplicate; never waits. */
  enqueue(n: Notification): void {
    const { channel, config, record, log } = this.options;
    if (this.stopping) {
      record(channel, 'dropped');
      return;
    }
    const t = this.now();
    this.forgetOld(t);
    const at = this.seen.get(n.dedupKey);
    if (config.dedupWindowMs > 0 && at !== undefined && t - at < config.dedupWindowMs) {
      record(channel, 'deduplicated');
      return;
    }
    if (config.dedupWindowMs > 0) {
      this.seen.delete(n.dedupKey);
      this.seen.set(n.dedupKey, t);
    }
    if (this.pending.length >= config.queueSize) {
      const dropped = this.pending.shift()!;
      this.forget(dropped);
      record(channel, 'dropped');
      log.warn({ channel, event: dropped.event, queueSize: config.queueSize }, 'notification queue full: dropped the oldest notification');
    }
    this.pending.push(n);
    this.kick();
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain()
      // Only a throwing log or metric callback gets here: never let it become an unhandled rejection.
      .catch(() => {})
      .finally(() => {
        this.draining = undefined;
        if (this.pending.length > 0 && !this.stopper.signal.aborted) this.kick();
      });
  }

  /**
   * Stops accepting; lets what is queued go out for up to `graceMs`, then abandons the rest
   * (counted as dropped). Resolves when the queue is stopped.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.draining) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.draining, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
    this.stopper.abort();
    await this.draining;
    for (const n of this.pending.splice(0)) {
      this.options.record(this.options.channel, 'dropped');
      this.options.log.warn({ channel: this.options.channel, event: n.event }, 'notification not sent: the controller stopped');
    }
  }

  private async drain(): Promise<void> {
    const signal = this.stopper.signal;
    while (this.pending.length > 0 && !signal.aborted) {
      const wait = this.bucket.msUntil(1);
      if (wait > 0) {
        await this.sleep(wait, signal);
        continue;
      }
      this.bucket.tryTake(1);
      const n = this.pending.shift()!;
      await this.deliver(n, signal);
    }
  }

  private async deliver(n: Notification, signal: AbortSignal): Promise<void> {
    const { channel, config, record, log } = this.options;
    for (let attempt = 1; ; attempt++) {
      const outcome = await postOnce(n.request, config.timeoutMs, this.fetchFn, this.now, signal);
      if (outcome.kind === 'sent') {
        record(channel, 'sent');
        log.debug({ channel, event: n.event, status: outcome.status, attempts: attempt }, 'notification sent');
        return;
      }
      const giveUp =
        outcome.kind === 'rejected'
          ? outcome.detail
          : attempt >= config.maxAttempts
            ? `${outcome.detail} (after ${attempt} attempts)`
            : outcome.retryAfterMs !== undefined && outcome.retryAfterMs > config.maxBackoffMs
              ? `${outcome.detail} (Retry-After ${Math.ceil(outcome.retryAfterMs / 1000)}s is longer than the longest backoff)`
              : signal.aborted
                ? `${outcome.detail} (the controller stopped)`
                : undefined;
      if (giveUp !== undefined) {
        record(channel, 'failed');
        this.forget(n);
        log.warn({ channel, event: n.event, attempts: attempt, error: giveUp }, 'notification failed');
        return;
      }
      const delay = this.backoff(attempt, outcome.kind === 'retry' ? outcome.retryAfterMs : undefined);
      log.debug({ channel, event: n.event, attempts: attempt, retryInMs: delay, error: outcome.detail }, 'notification will be retried');
      await this.sleep(delay, signal);
    }
  }

  /** Exponential backoff with equal jitter (half fixed, half random), never shorter than Retry-After. */
  backoff(attempt: number, retryAfterMs?: number): number {
    const { baseBackoffMs, maxBackoffMs } = this.options.config;
    const exp = Math.min(maxBackoffMs, baseBackoffMs * 2 ** (attempt - 1));
    const jittered = Math.round(exp / 2 + (this.random() * exp) / 2);
    return Math.max(jittered, retryAfterMs ?? 0);
  }

  /** A notification that was not sent may be tried again within the window. */
  private forget(n: Notification): void {
    this.seen.delete(n.dedupKey);
  }

  private forgetOld(t: number): void {
    const window = this.options.config.dedupWindowMs;
    for (const [key, at] of this.seen) {
      if (t - at < window && this.seen.size <= MAX_SEEN) break;
      this.seen.delete(key);
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
