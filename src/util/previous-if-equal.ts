import { isDeepStrictEqual } from 'node:util';

/**
 * `before` when `next` is deep-equal to it, else `next`: structural sharing between two reads
 * of the same thing, so what did not change stays one object (and the new copy dies young).
 */
export function previousIfEqual<T>(before: T | undefined, next: T): T {
  return before !== undefined && before !== next && isDeepStrictEqual(before, next) ? before : next;
}
