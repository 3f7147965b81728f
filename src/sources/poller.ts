import type { Artifact } from './artifact.js';
import { SourceError, toSourceError } from './errors.js';
import { SILENT_LOGGER, type Source, type SourceLogger } from './source.js';

/** Time seam (the controller's Clock satisfies it). */
export interface PollerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): object;
  clearTimeout(handle: object): void;
}

/** What started a fetch. */
export type FetchTrigger = 'start' | 'poll' | 'request';

/** A fetch that produced a usable artifact (new revision or the same again). */
export interface FetchSucceeded {
  readonly url: string;
  readonly revision: string;
  /** True when the revision differs from the last good one (and was handed out). */
  readonly changed: boolean;
  readonly files: number;
  readonly at: number;
  readonly durationMs: number;
  readonly trigger: FetchTrigger;
}

/** What the poller keeps of the artifact in force. */
export interface GoodRevision {
  readonly revision: string;
  readonly digest: string;
  /** How many files it has. */
  readonly files: number;
  /** When it was last read (ms epoch). */
  readonly fetchedAt: number;
}

/** A fetch that failed or came back empty. The last good artifact stays in force. */
export interface FetchFailed {
  readonly url: string;
  readonly error: SourceError;
  readonly at: number;
  readonly durationMs: number;
  readonly consecutiveFailures: number;
  /** The revision still in force, if any. */
  readonly lastGoodRevision: string | undefined;
  readonly trigger: FetchTrigger;
}

/**
 * Outcome hooks for metrics, conditions and logs (e.g. `source_revision_info` and
 * `source_last_fetch_timestamp_seconds` from `fetched`, `source_fetch_failures_total{reason}`
 * from `failed`). Hooks must not throw; a throwing hook is ignored.
 */
export interface SourcePollerListener {
  fetched?(event: FetchSucceeded): void;
  failed?(event: FetchFailed): void;
  /** `onArtifact` threw; the artifact still counts as fetched and is not handed out again. */
  deliveryFailed?(event: { readonly artifact: Artifact; readonly error: unknown }): void;
}

export type FetchResult = { readonly ok: true; readonly artifact: Artifact; readonly changed: boolean } | { readonly ok: false; readonly error: SourceError };

/** Source state for `/status` and conditions. */
export interface SourceStatus {
  readonly url: string;
  /** A good artifact is in force (it may be stale when `lastError` is set). */
  readonly ready: boolean;
  readonly lastGood: GoodRevision | undefined;
  readonly lastAttemptAt: number | undefined;
  readonly lastError: { readonly reason: string; readonly code: string; readonly message: string; readonly at: number } | undefined;
  readonly consecutiveFailures: number;
}

export interface SourcePollerOptions {
  readonly source: Source;
  /** Time between the end of one fetch and the start of the next. */
  readonly intervalMs: number;
  /** Spread as a fraction of the interval (default 0.1: each wait is interval ±10 %). */
  readonly jitter?: number;
  /** Accept an artifact without manifest files (default false: an empty fetch is a failure). */
  readonly allowEmpty?: boolean;
  /**
   * Receives each new good artifact, never a failed or empty one. Fetches wait for it, so
   * hand the artifact off (enqueue) rather than reconciling inline.
   */
  readonly onArtifact: (artifact: Artifact) => void | Promise<void>;
  readonly listener?: SourcePollerListener;
  readonly logger?: SourceLogger;
  readonly clock?: PollerClock;
  /** Random numbers in [0, 1) for jitter (tests pass a fixed one). */
  readonly random?: () => number;
}

const SYSTEM_CLOCK: PollerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Fetches a source on an interval with jitter and on request. Keeps the last good
 * artifact: a failed or empty fetch is reported (listener, log, status) and changes
 * nothing else, so it can never lead to a prune. Requests that arrive while a fetch runs
 * are coalesced into one follow-up fetch (a webhook burst costs one fetch).
 */
export class SourcePoller {
  private readonly clock: PollerClock;
  private readonly random: () => number;
  private readonly logger: SourceLogger;
  /** The revision in force. Not its files: the consumer holds those as long as it needs them. */
  private good: GoodRevision | undefined;
  private timer: object | undefined;
  private inFlight: Promise<FetchResult> | undefined;
  private pending: Promise<FetchResult> | undefined;
  private abort: AbortController | undefined;
  private started = false;
  private stopped = false;
  private failures = 0;
  private lastAttemptAt: number | undefined;
  private lastError: SourceStatus['lastError'];

  constructor(private readonly options: SourcePollerOptions) {
    if (!(options.intervalMs > 0)) throw new RangeError('intervalMs must be positive');
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? SILENT_LOGGER;
  }

  /** Fetches now, then every interval. Resolves with the first fetch's result. */
  start(): Promise<FetchResult> {
    if (this.started) throw new Error('poller already started');
    this.started = true;
    return this.trigger('start');
  }

  /**
   * Asks for a fetch as soon as possible. While a fetch runs, all requests share one
   * follow-up fetch (it starts after the current one, so a commit pushed during a fetch
   * is seen). Resolves with the result of the fetch that serves this request.
   */
  requestFetch(): Promise<FetchResult> {
    return this.trigger('request');
  }

  /** The artifact in force: the newest good one, never a failed or empty fetch. */
  lastGood(): GoodRevision | undefined {
    return this.good;
  }

  status(): SourceStatus {
    const g = this.good;
    return {
      url: this.options.source.url,
      ready: g !== undefined,
      lastGood: g,
      lastAttemptAt: this.lastAttemptAt,
      lastError: this.lastError,
      consecutiveFailures: this.failures,
    };
  }

  /** Stops polling, cancels a running fetch and waits for it to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    await this.inFlight?.catch(() => undefined);
    await this.pending?.catch(() => undefined);
  }

  private trigger(trigger: FetchTrigger): Promise<FetchResult> {
    if (this.stopped) return Promise.resolve(this.stoppedResult());
    if (!this.inFlight) return this.begin(trigger);
    this.pending ??= this.inFlight.then(() => {
      this.pending = undefined;
      // stop() may have come while the fetch before this one ran.
      return this.stopped ? this.stoppedResult() : this.begin(trigger);
    });
    return this.pending;
  }

  private stoppedResult(): FetchResult {
    const url = this.options.source.url;
    return { ok: false, error: new SourceError('aborted', `poller for ${url} is stopped`, url) };
  }

  private begin(trigger: FetchTrigger): Promise<FetchResult> {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const run = this.fetchOnce(trigger).finally(() => {
      this.inFlight = undefined;
      if (!this.pending && !this.stopped) this.schedule();
    });
    this.inFlight = run;
    return run;
  }

  private schedule(): void {
    const { intervalMs } = this.options;
    const jitter = Math.min(Math.max(this.options.jitter ?? 0.1, 0), 1);
    const delay = Math.max(0, Math.round(intervalMs * (1 + jitter * (2 * this.random() - 1))));
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.trigger('poll');
    }, delay);
  }

  private async fetchOnce(trigger: FetchTrigger): Promise<FetchResult> {
    const { source } = this.options;
    const started = this.clock.now();
    this.lastAttemptAt = started;
    const abort = new AbortController();
    this.abort = abort;
    let artifact: Artifact;
    try {
      artifact = await source.fetch(abort.signal);
      if (artifact.files.length === 0 && !this.options.allowEmpty) {
        throw new SourceError('empty', `${source.url} has no manifest files at revision ${artifact.revision}; keeping the last good revision`, source.url);
      }
    } catch (err) {
      const error = toSourceError(err, source.url, abort.signal);
      if (this.stopped && error.reason === 'aborted') return { ok: false, error };
      return this.fail(error, trigger, started);
    } finally {
      if (this.abort === abort) this.abort = undefined;
    }

    const changed = artifact.revision !== this.good?.revision;
    this.good = Object.freeze({ revision: artifact.revision, digest: artifact.digest, files: artifact.files.length, fetchedAt: artifact.fetchedAt });
    this.failures = 0;
    this.lastError = undefined;
    const at = this.clock.now();
    if (changed) this.logger.info({ source: source.url, revision: artifact.revision, files: artifact.files.length }, 'new source revision');
    notify(() =>
      this.options.listener?.fetched?.({
        url: source.url,
        revision: artifact.revision,
        changed,
        files: artifact.files.length,
        at,
        durationMs: at - started,
        trigger,
      }),
    );
    if (changed) {
      try {
        await this.options.onArtifact(artifact);
      } catch (error) {
        this.logger.warn({ source: source.url, revision: artifact.revision, err: String(error) }, 'handing out the new revision failed');
        notify(() => this.options.listener?.deliveryFailed?.({ artifact, error }));
      }
    }
    return { ok: true, artifact, changed };
  }

  private fail(error: SourceError, trigger: FetchTrigger, started: number): FetchResult {
    const at = this.clock.now();
    this.failures++;
    this.lastError = { reason: error.reason, code: error.code, message: error.message, at };
    const lastGoodRevision = this.good?.revision;
    this.logger.warn(
      { source: error.url, reason: error.reason, code: error.code, consecutiveFailures: this.failures, lastGoodRevision },
      `source fetch failed, keeping the last good revision: ${error.message}`,
    );
    notify(() =>
      this.options.listener?.failed?.({
        url: error.url,
        error,
        at,
        durationMs: at - started,
        consecutiveFailures: this.failures,
        lastGoodRevision,
        trigger,
      }),
    );
    return { ok: false, error };
  }
}

function notify(fn: () => void): void {
  try {
    fn();
  } catch {
    // A broken metrics or log hook must not break fetching.
  }
}
