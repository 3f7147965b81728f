/**
 * Whether the controller's picture of AWS is fresh. The observation turns stale when reads of
 * AWS have failed, with no success since, for longer than `staleAfterMs` counted from the last
 * successful read (or from the start, before the first one). A slow resync alone never makes
 * it stale: only failures do, so `--resync` may be longer than `--stale-after`.
 */

/** The last failed read of AWS. */
export interface ObserveFailure {
  /** ms epoch. */
  readonly at: number;
  readonly message: string;
}

/** What `state` reports. */
export interface Freshness {
  readonly stale: boolean;
  /** Last successful read (ms epoch), if any. */
  readonly lastSuccessAt?: number;
  /** The failure that is still unresolved, if any. */
  readonly lastFailure?: ObserveFailure;
}

export class ObservationFreshness {
  private lastSuccessAt: number | undefined;
  private failure: ObserveFailure | undefined;

  constructor(
    readonly staleAfterMs: number,
    /** Counted from here until the first successful read. */
    private readonly startedAt: number,
  ) {
    if (!(staleAfterMs > 0)) throw new RangeError(`staleAfterMs must be > 0 (got ${staleAfterMs})`);
  }

  recordSuccess(at: number): void {
    this.lastSuccessAt = at;
    this.failure = undefined;
  }

  recordFailure(at: number, message: string): void {
    this.failure = { at, message };
  }

  state(now: number): Freshness {
    const since = this.lastSuccessAt ?? this.startedAt;
    return {
      stale: this.failure !== undefined && now - since > this.staleAfterMs,
      ...(this.lastSuccessAt !== undefined ? { lastSuccessAt: this.lastSuccessAt } : {}),
      ...(this.failure !== undefined ? { lastFailure: this.failure } : {}),
    };
  }
}
