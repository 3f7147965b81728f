/**
 * Delete blocker: a namespace is in use while it holds a Cloud Map service the plan does not
 * delete, or while ECS services use it through Service Connect (live, or declared in the
 * source). ECS never deletes the Cloud Map services it created there, so those alone keep
 * the namespace too; the message names the ECS services behind them.
 */
import { listKeys, type UsageContext } from '../../kit/kind-module.js';
import type { LiveEcsService, LiveNamespace } from '../../kit/types.js';

/** Whether a live ECS service uses the namespace through Service Connect. */
function usesThroughServiceConnect(s: LiveEcsService, target: LiveNamespace, ecsCreated: ReadonlySet<string>): boolean {
  if (s.status === 'INACTIVE' || s.spec.serviceConnect?.enabled !== true) return false;
  if (s.serviceConnectNamespace) return s.serviceConnectNamespace.arn === target.arn;
  if ((s.serviceConnectDiscoveryArns ?? []).some((arn) => ecsCreated.has(arn))) return true;
  const ns = s.spec.serviceConnect.namespace;
  return ns === target.name || ns === target.arn;
}

/** Why deleting namespace `target` now would break something that stays; undefined when it may go. */
export function namespaceInUse(target: LiveNamespace, deleting: ReadonlySet<string>, ctx: UsageContext): string | undefined {
  const staying = new Set<string>();
  const ecsCreated = new Set<string>();
  for (const r of ctx.live) {
    if (r.kind !== 'CloudMapService' || r.namespaceId !== target.id) continue;
    if (r.managedBy !== undefined) ecsCreated.add(r.arn);
    else if (!deleting.has(r.key)) staying.add(r.key);
  }
  const users = new Set<string>();
  for (const r of ctx.live) {
    if (r.kind === 'EcsService' && !deleting.has(r.key) && usesThroughServiceConnect(r, target, ecsCreated)) users.add(r.key);
  }
  for (const rp of ctx.forward) {
    if (!rp.desired || !ctx.references(rp).includes(target.key)) continue;
    if (rp.desired.kind === 'CloudMapService') staying.add(rp.key);
    else if (rp.desired.kind === 'EcsService') users.add(rp.key);
  }
  const reasons: string[] = [];
  if (staying.size > 0) reasons.push(`Cloud Map service ${listKeys([...staying].sort())} is in the namespace and is not deleted by this plan`);
  if (users.size > 0) reasons.push(`Service Connect of ${listKeys([...users].sort())} uses the namespace`);
  else if (ecsCreated.size > 0)
    reasons.push(`it holds ${ecsCreated.size} Cloud Map service(s) ECS Service Connect created (AmazonECSManaged), which ECS does not delete`);
  if (reasons.length === 0) return undefined;
  return `in use: ${reasons.join('; ')}; kept`;
}
