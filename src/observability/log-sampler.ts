/**
 * Rate limit for log lines about refused requests: the first one is logged, then at most one
 * per interval, carrying how many were suppressed since the last logged line. A flood of bad
 * requests therefore costs a few lines, not one per request (the metrics still count each).
 */
export interface LogSamplerOptions {
  /** Minimum time between two logged lines (default 10 s). */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/** `log` true: write the line and include `suppressed` (lines skipped since the last one). */
export interface SampleDecision {
  readonly log: boolean;
  readonly suppressed: number;
}

export class LogSampler {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private lastAt: number | undefined;
  private skipped = 0;

  constructor(options: LogSamplerOptions = {}) {
    this.intervalMs = options.intervalMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Call once per event; tells whether to log it. */
  sample(): SampleDecision {
    const t = this.now();
    if (this.lastAt !== undefined && t - this.lastAt < this.intervalMs) {
      this.skipped++;
      return { log: false, suppressed: this.skipped };
    }
    const suppressed = this.skipped;
    this.lastAt = t;
    this.skipped = 0;
    return { log: true, suppressed };
  }
}
