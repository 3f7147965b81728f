/**
 * Deferred state changes (async Cloud Map operations, task start, service drain). Instead of
 * timers, due events are applied in time order at the start of every request (`runDue`), so
 * the sandbox is deterministic and an idle sandbox does no work. Everything that can observe
 * state goes through a request, so nothing can see an event late.
 */
export class Scheduler {
  private events: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;
  /** The due time of the event being applied, so events it schedules count from that time. */
  private running: number | undefined;

  constructor(private readonly now: () => number) {}

  /**
   * Runs `fn` once `delayMs` has passed (at the next request after that). Scheduled from a
   * due event, the delay counts from that event's time, so a chain of stages lands where it
   * would on a continuously running clock even when the clock jumps.
   */
  after(delayMs: number, fn: () => void): void {
    const e = { at: (this.running ?? this.now()) + Math.max(0, delayMs), seq: this.seq++, fn };
    // Keep events sorted by (at, seq): binary search for the insertion point.
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]!.at <= e.at) lo = mid + 1;
      else hi = mid;
    }
    this.events.splice(lo, 0, e);
  }

  /** Applies all events that are due, oldest first (events they schedule run too if due). */
  runDue(): void {
    while (this.events.length > 0 && this.events[0]!.at <= this.now()) {
      const e = this.events.shift()!;
      this.running = e.at;
      try {
        e.fn();
      } finally {
        this.running = undefined;
      }
    }
  }

  /** Number of events not yet applied. */
  pending(): number {
    return this.events.length;
  }

  clear(): void {
    this.events = [];
  }
}
