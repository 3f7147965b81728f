/** Delete blocker: a namespace is in use while it holds a Cloud Map service the plan does not delete. */
import { listKeys, type UsageContext } from '../../kit/kind-module.js';
import type { LiveNamespace } from '../../kit/types.js';

/** Why deleting namespace `target` now would break something that stays; undefined when it may go. */
export function namespaceInUse(target: LiveNamespace, deleting: ReadonlySet<string>, ctx: UsageContext): string | undefined {
  const staying = new Set<string>();
  for (const r of ctx.live) {
    if (r.kind === 'CloudMapService' && r.namespaceId === target.id && !deleting.has(r.key)) staying.add(r.key);
  }
  for (const rp of ctx.forward) {
    if (rp.desired?.kind === 'CloudMapService' && ctx.references(rp).includes(target.key)) staying.add(rp.key);
  }
  if (staying.size === 0) return undefined;
  return `in use: Cloud Map service ${listKeys([...staying].sort())} is in the namespace and is not deleted by this plan; kept`;
}
