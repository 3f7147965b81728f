/**
 * Prune: owned live resources whose key is no longer in the source are deleted, unless the
 * source is empty (a broken checkout must never wipe an account), the deletions exceed the
 * configured limit (refused as a whole), pruning is off, or the resource carries
 * `ecs-gitops.io/prune: "false"`.
 */
import type { ResourcePlan, LiveResource } from './types.js';
import { pruneDisabledByTag } from './plan-owner.js';

/** Prune settings, from PlanOptions. */
export interface PruneOptions {
  pruneEnabled: boolean;
  maxPruneCount?: number;
  maxPrunePercent?: number;
  /** True when the source produced no manifests at all. */
  sourceIsEmpty: boolean;
}

function blocked(live: LiveResource, blockedBy: string, reason: string): ResourcePlan {
  return { kind: live.kind, key: live.key, name: live.name, action: 'blocked', wouldBe: 'delete', blockedBy, reason, changes: [], live };
}

function limitExceeded(count: number, ownedCount: number, o: PruneOptions): string | undefined {
  if (o.maxPruneCount !== undefined && count > o.maxPruneCount) {
    return `pruning ${count} resources exceeds the limit of ${o.maxPruneCount}: refusing all deletions`;
  }
  if (o.maxPrunePercent !== undefined && ownedCount > 0 && (count * 100) / ownedCount > o.maxPrunePercent) {
    const pct = Math.round((count * 1000) / ownedCount) / 10;
    return `pruning ${count} of ${ownedCount} owned resources (${pct}%) exceeds the limit of ${o.maxPrunePercent}%: refusing all deletions`;
  }
  return undefined;
}

/**
 * Plans deletions for `orphans` (owned, present, not in the source). `ownedCount` is the
 * number of owned live resources, the base of `maxPrunePercent`.
 */
export function planPrune(orphans: readonly LiveResource[], ownedCount: number, o: PruneOptions): ResourcePlan[] {
  const out: ResourcePlan[] = [];
  const candidates: LiveResource[] = [];
  for (const live of orphans) {
    if (pruneDisabledByTag(live)) {
      out.push(blocked(live, 'prune-disabled', 'not in the source, kept: the resource is tagged ecs-gitops.io/prune=false'));
    } else {
      candidates.push(live);
    }
  }
  if (candidates.length === 0) return out;
  if (!o.pruneEnabled) {
    for (const live of candidates) out.push(blocked(live, 'prune-disabled', 'not in the source, kept: pruning is disabled'));
    return out;
  }
  if (o.sourceIsEmpty) {
    const reason = `the source has no manifests: refusing to delete ${candidates.length} owned resources`;
    for (const live of candidates) out.push(blocked(live, 'empty-source', reason));
    return out;
  }
  const overLimit = limitExceeded(candidates.length, ownedCount, o);
  for (const live of candidates) {
    out.push(
      overLimit === undefined
        ? { kind: live.kind, key: live.key, name: live.name, action: 'delete', reason: 'not in the source any more', changes: [], live }
        : blocked(live, 'prune-limit', overLimit),
    );
  }
  return out;
}
