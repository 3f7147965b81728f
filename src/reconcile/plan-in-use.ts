/**
 * In use: a prune must never pull a resource from under something that stays. A Cloud Map
 * service is in use while an ECS service that is not deleted by the same plan (and whose
 * manifest does not move it elsewhere) points its serviceRegistries at it, or while it has
 * registered instances that no such departing ECS service explains. A namespace is in use
 * while it holds a Cloud Map service the plan does not delete. Users deleted by the same plan
 * do not count: apply deletes ECS services first, and their tasks deregister before the Cloud
 * Map service is deleted.
 */
import { cloudMapServiceKey } from '../manifests/keys.js';
import type { DesiredOf } from '../manifests/types.js';
import type { LiveCloudMapService, LiveNamespace, LiveResource, ResourcePlan } from '../kit/types.js';

/** What the in-use check reads besides the resource itself. */
export interface UsageContext {
  /** Every live resource of the scan, owned or not. */
  readonly live: readonly LiveResource[];
  /** The plans of the desired resources (creates, updates, noops, blocked). */
  readonly forward: readonly ResourcePlan[];
}

const WRITES: ReadonlySet<string> = new Set(['create', 'update', 'update-redeploys', 'replace']);

/** Key of the Cloud Map service a desired ECS service registers into, if any. */
function desiredRegistry(rp: ResourcePlan): string | undefined {
  if (rp.desired?.kind !== 'EcsService') return undefined;
  const d = (rp.desired as DesiredOf<'EcsService'>).manifest.spec.discovery;
  return d ? cloudMapServiceKey(d.namespace, d.service) : undefined;
}

function list(keys: readonly string[], max = 5): string {
  return keys.length <= max ? keys.join(', ') : `${keys.slice(0, max).join(', ')} and ${keys.length - max} more`;
}

/** Why deleting Cloud Map service `target` now would break something that stays; undefined when it may go. */
function cloudMapServiceInUse(target: LiveCloudMapService, deleting: ReadonlySet<string>, ctx: UsageContext): string | undefined {
  const forward = new Map(ctx.forward.map((rp) => [rp.key, rp]));
  const staying: string[] = [];
  let departing = 0;
  for (const r of ctx.live) {
    if (r.kind !== 'EcsService' || r.status === 'INACTIVE' || !r.serviceRegistryArns.includes(target.arn)) continue;
    const rp = forward.get(r.key);
    const movesAway = rp !== undefined && WRITES.has(rp.action) && desiredRegistry(rp) !== target.key;
    if (deleting.has(r.key) || movesAway) departing++;
    else staying.push(`${r.key}${r.status !== 'ACTIVE' ? ` (${r.status})` : ''}`);
  }
  // Desired ECS services that will register into it (e.g. one about to be created).
  for (const rp of ctx.forward) {
    if (desiredRegistry(rp) === target.key && rp.action !== 'blocked' && !staying.includes(rp.key)) staying.push(rp.key);
  }
  if (staying.length > 0) {
    return `in use: ECS service ${list(staying)} registers into it and is not deleted by this plan; kept`;
  }
  const instances = target.instanceCount ?? 0;
  if (instances > 0 && departing === 0) {
    return `in use: ${instances} instance${instances === 1 ? ' is' : 's are'} registered and no ECS service deleted by this plan explains ${instances === 1 ? 'it' : 'them'} (an ECS service in a cluster that is not observed? add it with --cluster); kept`;
  }
  return undefined;
}

/** Why deleting namespace `target` now would break something that stays; undefined when it may go. */
function namespaceInUse(target: LiveNamespace, deleting: ReadonlySet<string>, ctx: UsageContext): string | undefined {
  const staying = new Set<string>();
  for (const r of ctx.live) {
    if (r.kind === 'CloudMapService' && r.namespaceId === target.id && !deleting.has(r.key)) staying.add(r.key);
  }
  for (const rp of ctx.forward) {
    if (rp.desired?.kind === 'CloudMapService' && (rp.desired as DesiredOf<'CloudMapService'>).manifest.spec.namespace === target.name) staying.add(rp.key);
  }
  if (staying.size === 0) return undefined;
  return `in use: Cloud Map service ${list([...staying].sort())} is in the namespace and is not deleted by this plan; kept`;
}

/**
 * Splits `candidates` (deletions that passed every other guard) into those that may go and
 * those in use, with the reason. ECS services go first, then Cloud Map services, then
 * namespaces, so a Cloud Map service kept because it is in use keeps its namespace too.
 */
export function checkInUse(candidates: readonly LiveResource[], ctx: UsageContext): { free: LiveResource[]; inUse: { live: LiveResource; reason: string }[] } {
  const deleting = new Set(candidates.map((c) => c.key));
  const inUse: { live: LiveResource; reason: string }[] = [];
  const order: LiveResource['kind'][] = ['EcsService', 'CloudMapService', 'CloudMapNamespace'];
  for (const kind of order) {
    for (const live of candidates) {
      if (live.kind !== kind) continue;
      const reason =
        live.kind === 'CloudMapService' ? cloudMapServiceInUse(live, deleting, ctx) : live.kind === 'CloudMapNamespace' ? namespaceInUse(live, deleting, ctx) : undefined;
      if (reason !== undefined) {
        deleting.delete(live.key);
        inUse.push({ live, reason });
      }
    }
  }
  return { free: candidates.filter((c) => deleting.has(c.key)), inUse };
}
