import { isDeepStrictEqual } from 'node:util';
import type { SubtreePool } from './compact.js';

/**
 * `before` when `next` is deep-equal to it, else `next`: structural sharing between two reads
 * of the same thing, so what did not change stays one object (and the new copy dies young).
 */
export function previousIfEqual<T>(before: T | undefined, next: T): T {
  return before !== undefined && before !== next && isDeepStrictEqual(before, next) ? before : next;
}

/** `previousIfEqual`, and a new or changed `next` as `pool`'s compact copy (kept for long). */
export function previousOrCompact<T>(before: T | undefined, next: T, pool: SubtreePool): T {
  const kept = previousIfEqual(before, next);
  return kept === before ? kept : pool.shareFields(next);
}
