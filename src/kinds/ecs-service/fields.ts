/**
 * The ECS service settings whose manifest shape is the ECS API shape (same member names, same
 * nesting), as one table: where DescribeServices reports each, what ECS reports when nothing
 * was asked for, how to compare it, and how a change is made. convert, normalize, diff and
 * the request builders read this table instead of a hand-written line per field, so a new
 * setting of that sort is one row here (plus its schema).
 */
import type { Deployment, Service } from '@aws-sdk/client-ecs';
import type { EcsServiceSpec } from '../../manifests/types.js';

/** How a change of the setting reaches AWS (see docs/plan.md, effects). */
export type FieldEffect = 'in-place' | 'redeploy' | 'replace';

export type PassThroughName =
  | 'role'
  | 'schedulingStrategy'
  | 'deploymentController'
  | 'availabilityZoneRebalancing'
  | 'placementConstraints'
  | 'placementStrategy'
  | 'volumeConfigurations'
  | 'vpcLatticeConfigurations';

export interface PassThroughField {
  readonly name: PassThroughName;
  /** The value DescribeServices reports: on the service, or on its PRIMARY deployment. */
  readonly read: (svc: Service, primary: Deployment | undefined) => unknown;
  /** What ECS reports when the request left it out; filled on both sides before comparing. */
  readonly default?: unknown;
  /** The comparable form of a value (e.g. a role ARN reduced to the role name). */
  readonly comparable?: (value: unknown) => unknown;
  /** in-place and redeploy go through UpdateService; replace re-creates the service. */
  readonly effect: FieldEffect;
  readonly reason?: string;
}

/** `arn:aws:iam::<account>:role/<path/name>` -> `<path/name>`; a name stays as it is. */
export function roleName(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const at = value.indexOf(':role/');
  return value.startsWith('arn:') && at >= 0 ? value.slice(at + ':role/'.length) : value;
}

/** binpack fields are case-insensitive to ECS (cpu = CPU); it reports them upper-cased. */
function placementStrategyComparable(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((s: { type?: string; field?: string }) =>
    typeof s.field === 'string' && ['cpu', 'memory'].includes(s.field.toLowerCase()) ? { ...s, field: s.field.toUpperCase() } : s,
  );
}

export const PASS_THROUGH_FIELDS: readonly PassThroughField[] = [
  { name: 'role', read: (s) => s.roleArn, comparable: roleName, effect: 'replace', reason: 'the role of a service cannot change in place' },
  {
    name: 'schedulingStrategy',
    read: (s) => s.schedulingStrategy,
    default: 'REPLICA',
    effect: 'replace',
    reason: 'the scheduling strategy of a service cannot change in place',
  },
  {
    name: 'deploymentController',
    read: (s) => (s.deploymentController?.type ? { type: s.deploymentController.type } : undefined),
    default: { type: 'ECS' },
    effect: 'replace',
    reason: 'ecs-gitops changes the deployment controller by re-creating the service',
  },
  { name: 'availabilityZoneRebalancing', read: (s) => s.availabilityZoneRebalancing, effect: 'in-place' },
  { name: 'placementConstraints', read: (s) => s.placementConstraints, default: [], effect: 'in-place' },
  { name: 'placementStrategy', read: (s) => s.placementStrategy, default: [], comparable: placementStrategyComparable, effect: 'in-place' },
  { name: 'volumeConfigurations', read: (_s, d) => d?.volumeConfigurations, default: [], effect: 'redeploy' },
  { name: 'vpcLatticeConfigurations', read: (_s, d) => d?.vpcLatticeConfigurations, default: [], effect: 'redeploy' },
];

type Writable = Record<string, unknown>;

/** Reads the table's settings of a described service into `spec` (deep copies; absent stays absent). */
export function convertPassThrough(svc: Service, spec: EcsServiceSpec): void {
  const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
  for (const f of PASS_THROUGH_FIELDS) {
    const value = f.read(svc, primary);
    if (value !== undefined && value !== null) (spec as Writable)[f.name] = structuredClone(value);
  }
}

/** Comparable forms of the table's settings of `spec` into `out`, defaults filled in. */
export function normalizePassThrough(spec: EcsServiceSpec, out: EcsServiceSpec): void {
  for (const f of PASS_THROUGH_FIELDS) {
    const value = spec[f.name] ?? f.default;
    if (value === undefined) continue;
    (out as Writable)[f.name] = f.comparable ? f.comparable(structuredClone(value)) : structuredClone(value);
  }
}

/** The table's settings for CreateService (only those the manifest declares). */
export function createPassThrough(spec: EcsServiceSpec): Writable {
  const out: Writable = {};
  for (const f of PASS_THROUGH_FIELDS) if (spec[f.name] !== undefined) out[f.name] = structuredClone(spec[f.name]);
  return out;
}

/**
 * The table's changed settings for UpdateService. A list the manifest still declares is sent
 * whole (an empty list removes every item, as ECS documents for placement and volumes).
 */
export function updatePassThrough(spec: EcsServiceSpec, changed: ReadonlySet<string>): Writable {
  const out: Writable = {};
  for (const f of PASS_THROUGH_FIELDS) {
    if (f.effect === 'replace' || !changed.has(f.name) || spec[f.name] === undefined) continue;
    out[f.name] = structuredClone(spec[f.name]);
  }
  return out;
}
