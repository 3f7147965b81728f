/**
 * Prune: owned live resources whose key is no longer in the source are deleted, unless
 * - the resource carries `ecs-gitops.io/prune: "false"`, or pruning is off;
 * - its owner tag names another identity than where it was found (`identity-conflict`);
 * - the source is empty (a broken checkout must never wipe an account);
 * - something that stays still uses it (`in-use`, see plan-in-use.ts);
 * - the deletions left exceed `--prune-max-deletions` or `--prune-max-percent` of the owned
 *   resources: then none is made (`prune-limit`).
 * plan, apply and run all plan through here with the same limits (src/config/reconcile-options.ts).
 */
import type { ResourcePlan, LiveResource } from '../kit/types.js';
import { identityConflict, pruneDisabledByTag } from '../kit/plan-owner.js';
import { checkInUse, type UsageContext } from './plan-in-use.js';
import type { KindRegistry } from '../kit/kind-module.js';

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
    return `pruning ${count} resources exceeds the limit of ${o.maxPruneCount} (--prune-max-deletions): refusing all deletions`;
  }
  if (o.maxPrunePercent !== undefined && ownedCount > 0 && (count * 100) / ownedCount > o.maxPrunePercent) {
    const pct = Math.round((count * 1000) / ownedCount) / 10;
    return `pruning ${count} of ${ownedCount} owned resources (${pct}%) exceeds the limit of ${o.maxPrunePercent}% (--prune-max-percent): refusing all deletions`;
  }
  return undefined;
}

/**
 * Plans deletions for `orphans` (owned, present, not in the source). `ownedCount` is the
 * number of owned live resources, the base of `maxPrunePercent`; `usage` is what the in-use
 * check reads (every live resource and the plans of the desired ones).
 */
export function planPrune(orphans: readonly LiveResource[], ownedCount: number, usage: UsageContext, o: PruneOptions, kinds: KindRegistry): ResourcePlan[] {
  const out: ResourcePlan[] = [];
  const pending: LiveResource[] = [];
  for (const live of orphans) {
    const conflict = identityConflict(live);
    if (conflict !== undefined) {
      out.push(blocked(live, 'identity-conflict', conflict));
    } else if (pruneDisabledByTag(live)) {
      out.push(blocked(live, 'prune-disabled', 'not in the source, kept: the resource is tagged ecs-gitops.io/prune=false'));
    } else {
      pending.push(live);
    }
  }
  if (pending.length === 0) return out;
  if (!o.pruneEnabled) {
    for (const live of pending) out.push(blocked(live, 'prune-disabled', 'not in the source, kept: pruning is disabled'));
    return out;
  }
  if (o.sourceIsEmpty) {
    const reason = `the source has no manifests: refusing to delete ${pending.length} owned resources`;
    for (const live of pending) out.push(blocked(live, 'empty-source', reason));
    return out;
  }
  const { free: candidates, inUse } = checkInUse(pending, usage, kinds);
  for (const { live, reason } of inUse) out.push(blocked(live, 'in-use', reason));
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
