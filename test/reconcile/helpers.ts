import type { LiveResource, LiveSet } from '../../src/reconcile/types.js';

/** A live set holding the given resources. */
export function liveSet(...resources: LiveResource[]): LiveSet {
  return { resources: new Map(resources.map((r) => [r.key, r])), calls: {}, unreadable: [] };
}
