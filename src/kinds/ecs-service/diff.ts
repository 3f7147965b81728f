import type { DesiredOf } from '../../manifests/types.js';
import type { FieldChange, LiveEcsService } from '../../kit/types.js';
import { diffDeclared, fieldChange, type Classification } from '../../kit/diff-walk.js';
import type { PathSegment } from '../../util/json-pointer.js';
import { diffTaskDefinition } from './task-definition/diff.js';
import { declaredEcsServiceSpec, normalizeEcsServiceSpec } from './normalize.js';
import { PASS_THROUGH_FIELDS } from './fields.js';
import { rolloutNote } from './strategy-settings.js';

/**
 * What UpdateService may change of a service whose deployments another controller makes (the
 * UpdateService API reference); tags go through TagResource and are always fine. Any other
 * change re-creates the service.
 */
const UPDATABLE_UNDER_EXTERNAL = [
  'desiredCount',
  'healthCheckGracePeriodSeconds',
  'placementConstraints',
  'placementStrategy',
  'enableECSManagedTags',
  'propagateTags',
  'tags',
] as const;
const UPDATABLE_UNDER: Readonly<Record<string, ReadonlySet<string>>> = {
  CODE_DEPLOY: new Set([...UPDATABLE_UNDER_EXTERNAL, 'deploymentConfiguration']),
  EXTERNAL: new Set(UPDATABLE_UNDER_EXTERNAL),
};

/** Changes UpdateService cannot make under the live service's deployment controller become replacements. */
function underController(changes: FieldChange[], controller: string | undefined): FieldChange[] {
  const allowed = controller ? UPDATABLE_UNDER[controller] : undefined;
  if (!allowed) return changes;
  return changes.map((c) => {
    const field = c.pointer.split('/')[2] ?? '';
    if (c.effect === 'replace' || allowed.has(field)) return c;
    return { ...c, effect: 'replace', reason: `UpdateService cannot change ${field} of a service under the ${controller} deployment controller` };
  });
}

/** Changed by UpdateService without starting a deployment (tags through Tag/UntagResource). */
const IN_PLACE_FIELDS: ReadonlySet<PathSegment> = new Set([
  'desiredCount',
  'deploymentConfiguration',
  'healthCheckGracePeriodSeconds',
  'enableExecuteCommand',
  'enableECSManagedTags',
  'propagateTags',
  'tags',
]);

/**
 * Changed by UpdateService, which then starts a new deployment. A capacity provider strategy
 * change (or a switch from a launch type to one) is refused by ECS unless the update forces
 * a new deployment.
 */
const REDEPLOY_FIELDS: ReadonlySet<PathSegment> = new Set([
  'capacityProviderStrategy',
  'taskDefinition',
  'taskDefinitionRef',
  'networkConfiguration',
  'platformVersion',
  'loadBalancers',
  'discovery',
  'serviceConnect',
]);

const PASS_THROUGH = new Map(PASS_THROUGH_FIELDS.map((f) => [f.name as PathSegment, f]));

function classify(segments: readonly PathSegment[]): Classification {
  const field = segments[1] ?? '';
  if (IN_PLACE_FIELDS.has(field)) return { effect: 'in-place' };
  if (REDEPLOY_FIELDS.has(field)) return { effect: 'redeploy' };
  const row = PASS_THROUGH.get(field);
  if (row) return row.reason === undefined ? { effect: row.effect } : { effect: row.effect, reason: row.reason };
  if (field === 'launchType') return { effect: 'replace', reason: 'launch type cannot change in place' };
  if (field === 'cluster') return { effect: 'replace', reason: 'a service cannot move to another cluster' };
  return { effect: 'replace', reason: `${String(field)} cannot change in place` };
}

/** A task definition reference split into family and optional revision. */
export interface TaskDefinitionRef {
  family: string;
  revision?: number;
}

/**
 * Parses `family`, `family:revision` or a task definition ARN
 * (`arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>`).
 */
export function parseTaskDefinitionRef(ref: string): TaskDefinitionRef {
  const slash = ref.lastIndexOf('task-definition/');
  const tail = ref.startsWith('arn:') && slash >= 0 ? ref.slice(slash + 'task-definition/'.length) : ref;
  const colon = tail.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(tail.slice(colon + 1))) {
    return { family: tail.slice(0, colon), revision: Number(tail.slice(colon + 1)) };
  }
  return { family: tail };
}

function formatRef(ref: TaskDefinitionRef): string {
  return ref.revision === undefined ? ref.family : `${ref.family}:${ref.revision}`;
}

/**
 * A reference matches the live ARN when family and revision agree. A family without a
 * revision means "latest ACTIVE revision" to ECS, which a plan cannot know without another
 * call; it is treated as "any revision of that family" so a CI pipeline that registers new
 * revisions does not produce drift on every scan.
 */
export function diffTaskDefinitionRef(ref: string, liveArn: string): FieldChange[] {
  const want = parseTaskDefinitionRef(ref);
  const have = parseTaskDefinitionRef(liveArn);
  const same = want.family === have.family && (want.revision === undefined || want.revision === have.revision);
  if (same) return [];
  return [fieldChange(['spec', 'taskDefinitionRef'], liveArn === '' ? undefined : formatRef(have), ref, classify(['spec', 'taskDefinitionRef']))];
}

/** Changes between a declared ECS service and the live one (ignore pointers not applied here). */
export function diffEcsService(desired: DesiredOf<'EcsService'>, live: LiveEcsService): FieldChange[] {
  const spec = desired.manifest.spec;
  const { taskDefinition, taskDefinitionRef, ...declared } = declaredEcsServiceSpec(spec);
  const ns = live.serviceConnectNamespace;
  const canonical = (value: string): string => (ns && value === ns.arn ? ns.name : value);
  const want = normalizeEcsServiceSpec(spec, canonical);
  const have = normalizeEcsServiceSpec({ ...live.spec, cluster: live.cluster }, canonical);
  // ECS replaces the whole Service Connect configuration: every member counts, defaults included.
  if (declared.serviceConnect !== undefined && want.serviceConnect !== undefined) declared.serviceConnect = want.serviceConnect;
  const out = diffDeclared(declared, want, have, ['spec'], {
    classify,
    isAtomic: (s) => s[s.length - 1] === 'tags',
  });
  if (taskDefinition !== undefined) out.push(...diffTaskDefinition(taskDefinition, live.taskDefinition, live.taskDefinitionArn));
  if (taskDefinitionRef !== undefined) out.push(...diffTaskDefinitionRef(taskDefinitionRef, live.taskDefinitionArn));
  return underController(withRolloutNote(out, rolloutNote(spec.deploymentConfiguration)), live.spec.deploymentController?.type);
}

/** Redeploying changes say how ECS rolls the new revision out when the strategy is not ROLLING. */
function withRolloutNote(changes: FieldChange[], note: string | undefined): FieldChange[] {
  if (note === undefined) return changes;
  return changes.map((c) => (c.effect === 'redeploy' ? { ...c, reason: c.reason === undefined ? note : `${c.reason}; ${note}` } : c));
}
