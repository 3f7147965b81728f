import { PendingError } from './apply-errors.js';
import type { WaitPolicy } from './apply-types.js';

/** Time seams for bounded waits. */
export interface WaitSeams {
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export const realWaitSeams: WaitSeams = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

/**
 * Calls `check` until it returns a value (not undefined), sleeping with exponential backoff
 * between calls. Gives up with a PendingError once `policy.timeoutMs` has passed (after at
 * least one check), so the caller can report "pending" and requeue instead of blocking.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  policy: WaitPolicy,
  seams: WaitSeams,
  what: string,
  operationId?: string,
): Promise<T> {
  const start = seams.now();
  let delay = Math.max(1, policy.initialDelayMs);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    const elapsed = seams.now() - start;
    if (elapsed >= policy.timeoutMs) {
      throw new PendingError(`${what}: not done after ${elapsed}ms`, operationId);
    }
    await seams.sleep(Math.min(delay, policy.maxDelayMs, Math.max(1, policy.timeoutMs - elapsed)));
    delay = Math.min(policy.maxDelayMs, delay * policy.factor);
  }
}
