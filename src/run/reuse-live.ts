/**
 * Structural sharing between scans: a live resource that did not change since the previous
 * snapshot is the previous snapshot's object, not a second copy. Between two scans almost
 * nothing changes, so the controller holds one set of live resources instead of two while the
 * old snapshot is still in use, and each scan's fresh copies die young (cheap to collect)
 * instead of replacing the whole set in the old generation.
 */
import type { LiveResource } from '../kit/types.js';
import { SubtreePool } from '../util/compact.js';
import { previousIfEqual, previousOrCompact } from '../util/previous-if-equal.js';

/**
 * Replaces, in `next`, every resource deep-equal to the one under the same key in `previous`
 * by that previous object, and every other one by a compact copy (see util/compact.ts: exact
 * arrays, equal subtrees shared between the resources of this scan). Returns how many were
 * shared with `previous`. Live resources are never mutated after observe builds them
 * (normalizers and patches make new objects), so sharing is safe; the shared parts are frozen.
 */
export function reuseUnchanged(previous: ReadonlyMap<string, LiveResource> | undefined, next: Map<string, LiveResource>): number {
  let shared = 0;
  const pool = new SubtreePool();
  for (const [key, live] of next) {
    const before = previous?.get(key);
    if (before === live) continue;
    const kept = previousOrCompact(before, live, pool);
    if (kept === before) shared++;
    next.set(key, kept);
  }
  return shared;
}

/**
 * Replaces, in `next`, every value deep-equal to the previous snapshot's under the same key by
 * that previous value (rollout health: its message is one string for every snapshot, and for
 * the status store that was handed it, instead of one per scan).
 */
export function keepEqual<K, V>(previous: ReadonlyMap<K, V> | undefined, next: Map<K, V>): void {
  if (!previous) return;
  for (const [key, value] of next) next.set(key, previousIfEqual(previous.get(key), value));
}
