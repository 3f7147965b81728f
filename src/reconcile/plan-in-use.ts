/**
 * In use: a prune must never pull a resource from under something that stays. Each kind says
 * when one of its resources is in use (its `inUse` delete blocker, e.g. a Cloud Map service an
 * ECS service still registers into). Users deleted by the same plan do not count: apply
 * deletes in reverse dependency order.
 */
import type { KindRegistry, UsageContext } from '../kit/kind-module.js';
import type { LiveResource } from '../kit/types.js';

export type { UsageContext } from '../kit/kind-module.js';

/**
 * Splits `candidates` (deletions that passed every other guard) into those that may go and
 * those in use, with the reason. Kinds are checked in reverse dependency order (ECS services,
 * then Cloud Map services, then namespaces), so a resource kept because it is in use keeps
 * what it depends on too.
 */
export function checkInUse(
  candidates: readonly LiveResource[],
  ctx: UsageContext,
  kinds: KindRegistry,
): { free: LiveResource[]; inUse: { live: LiveResource; reason: string }[] } {
  const deleting = new Set(candidates.map((c) => c.key));
  const inUse: { live: LiveResource; reason: string }[] = [];
  for (const kind of [...kinds.modules].reverse()) {
    if (!kind.inUse) continue;
    for (const live of candidates) {
      if (live.kind !== kind.kind) continue;
      const reason = kind.inUse(live, deleting, ctx);
      if (reason !== undefined) {
        deleting.delete(live.key);
        inUse.push({ live, reason });
      }
    }
  }
  return { free: candidates.filter((c) => deleting.has(c.key)), inUse };
}
