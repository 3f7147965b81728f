/**
 * One writer per (controller id, account, region): a lease taken and renewed with conditional
 * writes (src/aws/lease-table.ts), and a fence by time. The holder may write only while
 *
 *     now < renewSentAt + duration - safetyMargin
 *
 * where renewSentAt is when its last successful acquire or renew was sent (its own clock).
 * Another controller takes over only once `now > expiresAt = renewSentAt + duration` on its
 * clock, so the old holder has stopped for `safetyMargin` before anyone else may start, as
 * long as the two clocks differ by less than the margin (docs/operations.md "One writer:
 * leases"). The fence is enforced where requests leave the process (the AWS adapter's write
 * guard), not by each writer.
 */
import { errorMessage } from '../util/errors.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';

/** A lease as the store returns it (src/aws/lease-table.ts LeaseRecord). */
export interface LeaseRecordView {
  readonly holder: string | undefined;
  readonly expiresAt: number;
  readonly token: number;
  readonly acquiredAt: number | undefined;
}

/** The store's refusal: someone else holds the lease; `current` is what is stored. */
export interface LeaseRefusal {
  readonly current: LeaseRecordView | undefined;
}

/** The conditional writes a keeper needs (LeaseTable, or a fake in tests). */
export interface LeaseStore {
  acquire(pk: string, sk: string, holder: string, now: number, durationMs: number): Promise<LeaseRecordView>;
  renew(pk: string, sk: string, holder: string, token: number, now: number, durationMs: number): Promise<LeaseRecordView>;
  release(pk: string, sk: string, holder: string, token: number): Promise<boolean>;
}

/** What a keeper knows, for /status, the metric and log lines. */
export interface LeaseState {
  /** Whether this process may write now (holds the lease and its fence is open). */
  readonly leader: boolean;
  /** The holder as last seen (this process when leader). */
  readonly holder: string | undefined;
  /** When the holder took the lease (ms epoch). */
  readonly since: number | undefined;
  /** Fencing token as last seen. */
  readonly token: number | undefined;
  /** Expiry as last seen (ms epoch, the holder's clock). */
  readonly expiresAt: number | undefined;
  /** Until when this process may write (ms epoch; only while leader). */
  readonly fenceAt: number | undefined;
  /** The last failed acquire or renew (not a refusal). */
  readonly lastError: string | undefined;
}

export interface LeaseKeeperOptions {
  readonly store: LeaseStore;
  /** Partition key: the controller id. */
  readonly pk: string;
  /** Sort key: `lease#<account>#<region>`. */
  readonly sk: string;
  /** Who this process is (e.g. `run:<host>:<pid>`). */
  readonly holder: string;
  readonly durationMs: number;
  /** Default: a third of the duration. */
  readonly renewEveryMs?: number;
  /** Default: {@link defaultSafetyMargin}. */
  readonly safetyMarginMs?: number;
  readonly clock?: Clock;
  /** Told when `leader` flips or the holder seen changes; must not throw. */
  readonly onChange?: (state: LeaseState) => void;
  /** Told about failed acquires and renews (not refusals); must not throw. */
  readonly onError?: (err: unknown) => void;
}

/** A fifth of the duration, at least 500 ms: the clock skew two controllers may have. */
export function defaultSafetyMargin(durationMs: number): number {
  return Math.max(500, Math.floor(durationMs / 5));
}

/** Thrown by the write guard: this process may not write now. */
export class NotLeaderError extends Error {
  override readonly name = 'NotLeaderError';
}

/** The lease key of one account and region. */
export function leaseKey(account: string, region: string): string {
  return `lease#${account}#${region}`;
}

/** Keeps one lease: acquires it when free, renews it, fences writes by time, releases it on stop. */
export class LeaseKeeper {
  private readonly clock: Clock;
  private readonly renewEveryMs: number;
  private readonly marginMs: number;
  private timer: TimerHandle | undefined;
  private fenceTimer: TimerHandle | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  /** The token this process holds the lease with (undefined: not holding). */
  private heldToken: number | undefined;
  private fenceAt = 0;
  private seen: LeaseRecordView | undefined;
  private lastError: string | undefined;
  private lastNotified = '';

  constructor(private readonly options: LeaseKeeperOptions) {
    if (!(options.durationMs > 0)) throw new RangeError('durationMs must be > 0');
    this.clock = options.clock ?? systemClock;
    this.renewEveryMs = options.renewEveryMs ?? Math.max(1, Math.floor(options.durationMs / 3));
    this.marginMs = options.safetyMarginMs ?? defaultSafetyMargin(options.durationMs);
    if (this.marginMs >= options.durationMs) throw new RangeError('the safety margin must be shorter than the lease duration');
    if (this.renewEveryMs >= options.durationMs - this.marginMs) throw new RangeError('renewals must come more often than duration - safety margin');
  }

  /** Whether this process may write now. */
  mayWrite(): boolean {
    return this.heldToken !== undefined && this.clock.now() < this.fenceAt;
  }

  /** The write guard: throws NotLeaderError unless {@link mayWrite}. */
  assertMayWrite(what: string): void {
    if (this.mayWrite()) return;
    const h = this.seen?.holder;
    throw new NotLeaderError(
      `${what} refused: this process (${this.options.holder}) does not hold the lease ${this.options.pk}/${this.options.sk}${h && h !== this.options.holder ? `; ${h} does` : ''}`,
    );
  }

  state(): LeaseState {
    const leader = this.mayWrite();
    const s = this.seen;
    return {
      leader,
      holder: s?.holder,
      since: s?.acquiredAt,
      token: s?.token,
      expiresAt: s?.expiresAt,
      fenceAt: leader ? this.fenceAt : undefined,
      lastError: this.lastError,
    };
  }

  /** Starts the acquire/renew loop (the first attempt at once). */
  start(): void {
    if (this.stopped) throw new Error('lease keeper stopped');
    this.schedule(0);
  }

  /** One acquire or renew now; resolves with the state after it. */
  async step(): Promise<LeaseState> {
    if (this.running) await this.running;
    else {
      this.running = this.attempt().finally(() => {
        this.running = undefined;
      });
      await this.running;
    }
    return this.state();
  }

  /**
   * Stops renewing. With `release`, gives the lease up at once (so a standby takes over
   * without waiting for the expiry); call it after the last write finished.
   */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    if (this.fenceTimer !== undefined) this.clock.clearTimeout(this.fenceTimer);
    this.timer = undefined;
    this.fenceTimer = undefined;
    await this.running;
    const token = this.heldToken;
    this.heldToken = undefined;
    this.fenceAt = 0;
    if (release && token !== undefined) {
      const { store, pk, sk, holder } = this.options;
      try {
        await store.release(pk, sk, holder, token);
      } catch (err) {
        this.report(err);
      }
    }
    this.notify();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.step().then(() => this.schedule(this.nextDelay()));
    }, ms);
  }

  private nextDelay(): number {
    if (this.heldToken !== undefined) return this.lastError !== undefined ? Math.max(1, Math.floor(this.renewEveryMs / 2)) : this.renewEveryMs;
    // A standby tries again just after the holder's lease would expire, and at least every renew period.
    const expiresIn = (this.seen?.expiresAt ?? 0) - this.clock.now();
    return Math.min(this.renewEveryMs, Math.max(20, expiresIn + 20));
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    const { store, pk, sk, holder, durationMs } = this.options;
    const sentAt = this.clock.now();
    const token = this.heldToken;
    try {
      const record =
        token !== undefined ? await store.renew(pk, sk, holder, token, sentAt, durationMs) : await store.acquire(pk, sk, holder, sentAt, durationMs);
      if (this.stopped && token === undefined) {
        // Stopped while acquiring: give it back rather than hold it with nobody renewing.
        await store.release(pk, sk, holder, record.token).catch((err: unknown) => this.report(err));
        return;
      }
      this.heldToken = record.token;
      this.seen = record;
      this.lastError = undefined;
      this.setFence(sentAt + durationMs - this.marginMs);
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal) {
        this.heldToken = undefined;
        this.fenceAt = 0;
        this.seen = refusal.current;
        this.lastError = undefined;
      } else {
        this.report(err);
      }
    }
    this.notify();
  }

  private setFence(at: number): void {
    this.fenceAt = at;
    if (this.fenceTimer !== undefined) this.clock.clearTimeout(this.fenceTimer);
    // Tell listeners when the fence closes without a renewal.
    this.fenceTimer = this.clock.setTimeout(
      () => {
        this.fenceTimer = undefined;
        this.notify();
      },
      Math.max(0, at - this.clock.now()),
    );
  }

  private report(err: unknown): void {
    this.lastError = errorMessage(err);
    try {
      this.options.onError?.(err);
    } catch {
      // observers never break the loop
    }
  }

  private notify(): void {
    const s = this.state();
    const sig = `${s.leader}|${s.holder ?? ''}|${s.token ?? ''}`;
    if (sig === this.lastNotified) return;
    this.lastNotified = sig;
    try {
      this.options.onChange?.(s);
    } catch {
      // observers never break the loop
    }
  }
}

/** A LeaseHeldError (or any error carrying `current`) from the store. */
function refusalOf(err: unknown): LeaseRefusal | undefined {
  if (err instanceof Error && err.name === 'LeaseHeldError' && 'current' in err) return err as unknown as LeaseRefusal;
  return undefined;
}
