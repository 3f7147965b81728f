/**
 * The catalogue of apply's own error codes (failures apply detects itself, not AWS). Codes are
 * stable: tools and people match on them, so a code is never renamed or reused. Each code
 * carries its error category (how the controller treats it, as for AWS errors) and whether the
 * controller waits for a dependency instead of counting a failure. docs/plan.md lists every
 * code (a test keeps both in step).
 */
import type { AwsErrorCategory } from '../aws/errors.js';

export interface ApplyCodeEntry {
  /** The category the controller acts on (`invalid` stalls, `in-use` retries, ...). */
  readonly category: AwsErrorCategory;
  /** true: the resource waits for another one of the same plan (DependencyNotReady), no failure is counted. */
  readonly waitsForDependency: boolean;
  readonly meaning: string;
}

export const APPLY_ERROR_CODES = {
  EGO_APPLY_DEPENDENCY_MISSING: {
    category: 'not-found',
    waitsForDependency: true,
    meaning: 'A resource this one needs (the namespace of a Cloud Map service, the discovery target of an ECS service) does not exist yet.',
  },
  EGO_APPLY_NOT_OWNED: {
    category: 'conflict',
    waitsForDependency: false,
    meaning: 'A create found a same-named resource that ecs-gitops did not create (made after the plan was computed); set syncPolicy.adopt to take it over.',
  },
  EGO_APPLY_NAMESPACE_IN_USE: {
    category: 'in-use',
    waitsForDependency: false,
    meaning: 'A namespace replace needs its Cloud Map services removed first.',
  },
  EGO_APPLY_IN_USE_BY_FOREIGN: {
    category: 'in-use',
    waitsForDependency: false,
    meaning: 'A Cloud Map service replace would pull it from under ECS services that ecs-gitops does not manage.',
  },
  EGO_APPLY_NO_TASK_DEFINITION: {
    category: 'invalid',
    waitsForDependency: false,
    meaning: 'An ECS service declares neither taskDefinition nor taskDefinitionRef (validation refuses such manifests; seen only from hand-built plans).',
  },
  EGO_APPLY_PLAN_INCOMPLETE: {
    category: 'invalid',
    waitsForDependency: false,
    meaning: 'A plan entry lacks the desired or live resource its action needs (a plan not made by computePlan); nothing is written.',
  },
  EGO_APPLY_NO_OPERATION: {
    category: 'unknown',
    waitsForDependency: false,
    meaning: 'Cloud Map accepted a create but returned no operation id to follow.',
  },
  EGO_APPLY_NO_TARGET: {
    category: 'unknown',
    waitsForDependency: false,
    meaning: 'A write succeeded but AWS returned no id or ARN of what it made.',
  },
  EGO_APPLY_OPERATION_FAILED: {
    category: 'invalid',
    waitsForDependency: false,
    meaning: "A Cloud Map operation ended in FAIL; the outcome carries the operation's own error code when Cloud Map gives one.",
  },
} as const satisfies Record<string, ApplyCodeEntry>;

/** A stable apply error code, e.g. `EGO_APPLY_DEPENDENCY_MISSING`. */
export type ApplyErrorCode = keyof typeof APPLY_ERROR_CODES;
