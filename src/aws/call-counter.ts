import { AsyncLocalStorage } from 'node:async_hooks';
import type { AwsServiceName } from './errors.js';

/** Outcome of one HTTP attempt, as reported to call observers and metrics. */
export type CallOutcome = 'ok' | 'throttled' | 'error' | 'not-found';

/**
 * Counts AWS HTTP attempts by `service:Operation` (the same keys as the local emulator's call log and
 * `LiveSet.calls`). A retried call counts once per attempt: every attempt costs a token of
 * the account's AWS budget.
 */
export class CallCounter {
  private readonly counts = new Map<string, number>();
  private readonly outcomes = new Map<CallOutcome, number>();

  record(service: AwsServiceName, operation: string, outcome: CallOutcome): void {
    const key = `${service}:${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  /** Attempts so far by `service:Operation`, keys sorted. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Attempts so far by outcome. */
  byOutcome(): Record<CallOutcome, number> {
    return {
      ok: this.outcomes.get('ok') ?? 0,
      throttled: this.outcomes.get('throttled') ?? 0,
      error: this.outcomes.get('error') ?? 0,
      'not-found': this.outcomes.get('not-found') ?? 0,
    };
  }

  /** All attempts, optionally of one service. */
  total(service?: AwsServiceName): number {
    let n = 0;
    for (const [key, count] of this.counts) if (service === undefined || key.startsWith(`${service}:`)) n += count;
    return n;
  }
}

// The counter follows the async call chain, so two scans running at once on the same clients
// each count only their own calls.
const scope = new AsyncLocalStorage<CallCounter[]>();

/**
 * Runs `fn`; every AWS attempt made inside it (through clients from createAwsClients) is
 * recorded in `counter`. Scopes nest: an attempt is recorded in every enclosing counter.
 */
export function countCalls<T>(counter: CallCounter, fn: () => Promise<T>): Promise<T> {
  const outer = scope.getStore() ?? [];
  return scope.run([...outer, counter], fn);
}

/** Records one attempt in the counters of the current scope (used by the adapter's middleware). */
export function recordInScope(service: AwsServiceName, operation: string, outcome: CallOutcome): void {
  const counters = scope.getStore();
  if (counters) for (const c of counters) c.record(service, operation, outcome);
}
