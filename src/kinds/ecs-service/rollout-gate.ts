/**
 * A rollout is not drift and a rollback is not a loop: what the controller does with an ECS
 * service whose newest service deployment is still running or was rolled back. Pure: the
 * caller reads the deployment (rollout.ts) and the target's task definition.
 */
import type { DesiredOf } from '../../manifests/types.js';
import { OWNER_TAGS, type LiveTaskDefinition } from '../../kit/types.js';
import { diffTaskDefinitionRef } from './diff.js';
import { diffTaskDefinition } from './task-definition/diff.js';
import { isActive, isRolledBack, type ServiceRollout } from './rollout.js';

/**
 * Tag on the ECS service that lifts the hold of one rolled-back deployment: its value is the
 * id (last ARN segment) of that service deployment (`ecs-gitops rollout retry` writes it).
 * Bound to that deployment, it needs no clearing: a later rollback has another id.
 */
export const ROLLOUT_RETRY_TAG = OWNER_TAGS.rolloutRetry;

/**
 * - `progressing`: ECS is rolling out (or back) the revision the manifest asks for: no write,
 *   no drift; the status shows the stage.
 * - `held`: ECS rolled back the revision the manifest asks for: it is not applied again until
 *   the manifest asks for something else or `rollout retry` lifts the hold.
 */
export type RolloutGate = { readonly state: 'progressing'; readonly rollout: ServiceRollout } | { readonly state: 'held'; readonly rollout: ServiceRollout };

/**
 * Whether the manifest asks for the task definition the deployment's target revision runs:
 * true, false, or undefined when the target's task definition is not known.
 */
export function wantsTarget(desired: DesiredOf<'EcsService'>, rollout: ServiceRollout, target: LiveTaskDefinition | undefined): boolean | undefined {
  const arn = rollout.targetTaskDefinitionArn;
  if (arn === undefined) return undefined;
  const spec = desired.manifest.spec;
  if (spec.taskDefinitionRef !== undefined) return diffTaskDefinitionRef(spec.taskDefinitionRef, arn).length === 0;
  if (spec.taskDefinition !== undefined) return target === undefined ? undefined : diffTaskDefinition(spec.taskDefinition, target, arn).length === 0;
  return undefined;
}

/**
 * The gate of the newest service deployment, or undefined when the controller acts as usual.
 * `matches` is wantsTarget's answer; an unknown answer counts as a match (never start
 * another deployment, or redeploy a failed one, on a guess). `retry` is the live value of
 * ROLLOUT_RETRY_TAG.
 */
export function rolloutGate(latest: ServiceRollout | undefined, matches: boolean | undefined, retry: string | undefined): RolloutGate | undefined {
  if (!latest || matches === false) return undefined;
  if (isActive(latest)) return { state: 'progressing', rollout: latest };
  if (isRolledBack(latest) && retry !== latest.id) return { state: 'held', rollout: latest };
  return undefined;
}

/** One line for status messages: `BLUE_GREEN deployment 8f2c.. at BAKE_TIME, production traffic 100%, bake 40s left`. */
export function describeRollout(r: ServiceRollout): string {
  const parts = [`${r.strategy} deployment ${r.id} ${r.status}${r.stage ? ` at ${r.stage}` : ''}`];
  if (r.productionTrafficPercent !== undefined) parts.push(`production traffic ${r.productionTrafficPercent}%`);
  if (r.bakeTimeLeftSeconds !== undefined) parts.push(`bake ${r.bakeTimeLeftSeconds}s left`);
  if (r.waitingHooks.length > 0) parts.push(`waiting at lifecycle hook ${r.waitingHooks.map((h) => h.hookId).join(', ')}`);
  return parts.join(', ');
}
