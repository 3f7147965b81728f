/**
 * Delete blocker: a Cloud Map service is in use while an ECS service that is not deleted by
 * the same plan (and whose manifest does not move it elsewhere) points its serviceRegistries
 * at it, or while it has registered instances that no such departing ECS service explains.
 * Users deleted by the same plan do not count: apply deletes ECS services first, and their
 * tasks deregister before the Cloud Map service is deleted.
 */
import { listKeys, type UsageContext } from '../../kit/kind-module.js';
import type { LiveCloudMapService } from '../../kit/types.js';

const WRITES: ReadonlySet<string> = new Set(['create', 'update', 'update-redeploys', 'replace']);

/** Why deleting Cloud Map service `target` now would break something that stays; undefined when it may go. */
export function cloudMapServiceInUse(target: LiveCloudMapService, deleting: ReadonlySet<string>, ctx: UsageContext): string | undefined {
  const forward = new Map(ctx.forward.map((rp) => [rp.key, rp]));
  const staying: string[] = [];
  let departing = 0;
  for (const r of ctx.live) {
    if (r.kind !== 'EcsService' || r.status === 'INACTIVE' || !r.serviceRegistryArns.includes(target.arn)) continue;
    const rp = forward.get(r.key);
    const movesAway = rp !== undefined && WRITES.has(rp.action) && !ctx.references(rp).includes(target.key);
    if (deleting.has(r.key) || movesAway) departing++;
    else staying.push(`${r.key}${r.status !== 'ACTIVE' ? ` (${r.status})` : ''}`);
  }
  // Desired ECS services that will register into it (e.g. one about to be created).
  for (const rp of ctx.forward) {
    if (ctx.references(rp).includes(target.key) && rp.action !== 'blocked' && !staying.includes(rp.key)) staying.push(rp.key);
  }
  if (staying.length > 0) {
    return `in use: ECS service ${listKeys(staying)} registers into it and is not deleted by this plan; kept`;
  }
  const instances = target.instanceCount ?? 0;
  if (instances > 0 && departing === 0) {
    return `in use: ${instances} instance${instances === 1 ? ' is' : 's are'} registered and no ECS service deleted by this plan explains ${instances === 1 ? 'it' : 'them'} (an ECS service in a cluster that is not observed? add it with --cluster); kept`;
  }
  return undefined;
}
