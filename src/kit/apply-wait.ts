import { PendingError } from './apply-errors.js';
import type { WaitPolicy } from './apply-types.js';

/** Time seams for bounded waits. */
export interface WaitSeams {
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Ends a wait early: pollUntil rejects with the signal's reason instead of checking again. */
  signal?: AbortSignal;
}

export const realWaitSeams: WaitSeams = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

/**
 * Settles like `work`, or rejects with the signal's reason as soon as it aborts (the work
 * itself is then abandoned, so it must check the same signal before doing more).
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

/**
 * Calls `check` until it returns a value (not undefined), sleeping with exponential backoff
 * between calls. Gives up with a PendingError once `policy.timeoutMs` has passed (after at
 * least one check), so the caller can report "pending" and requeue instead of blocking.
 * Rejects with the abort reason once `seams.signal` aborts.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, policy: WaitPolicy, seams: WaitSeams, what: string, operationId?: string): Promise<T> {
  const start = seams.now();
  let delay = Math.max(1, policy.initialDelayMs);
  for (;;) {
    seams.signal?.throwIfAborted();
    const value = await check();
    if (value !== undefined) return value;
    const elapsed = seams.now() - start;
    if (elapsed >= policy.timeoutMs) {
      throw new PendingError(`${what}: not done after ${elapsed}ms`, operationId);
    }
    await untilAborted(seams.sleep(Math.min(delay, policy.maxDelayMs, Math.max(1, policy.timeoutMs - elapsed))), seams.signal);
    delay = Math.min(policy.maxDelayMs, delay * policy.factor);
  }
}
