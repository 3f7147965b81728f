/**
 * Contracts between observe (AWS -> live set), diff (pure) and apply (plan -> AWS).
 * Live resources are expressed in the manifest's own shape (`spec` uses the same field
 * names as the kind's manifest spec), so a diff path is a manifest path and `ignore`
 * pointers apply to both sides.
 */
import type { CloudMapNamespaceSpec, CloudMapServiceSpec, DesiredResource, EcsServiceSpec, InlineTaskDefinition, ManifestKind } from '../manifests/types.js';

/** Tag keys ecs-gitops writes on every resource it creates (and on adopted ones). */
export const OWNER_TAGS = {
  /** Controller id (configuration `controllerId`), e.g. `ecs-gitops`. */
  controller: 'ecs-gitops.io/controller',
  /** Manifest identity, e.g. `CloudMapService/internal/name`. */
  resource: 'ecs-gitops.io/resource',
  /** On task definitions: sha256 of the normalized inline task definition content. */
  contentHash: 'ecs-gitops.io/content-hash',
  /**
   * `"false"` when the manifest had `syncPolicy.prune: false` at create/update time. Prune
   * reads it because the manifest of a pruned resource is gone by then.
   */
  prune: 'ecs-gitops.io/prune',
  /**
   * On ECS services: the id of the rolled-back service deployment whose hold
   * `ecs-gitops rollout retry` lifted (docs/operations.md "Rollouts and rollbacks").
   */
  rolloutRetry: 'ecs-gitops.io/rollout-retry',
} as const;

/** Who owns a live resource, from its tags. */
export interface Ownership {
  controllerId: string;
  resourceKey: string;
}

interface LiveBase<K extends ManifestKind, S> {
  kind: K;
  /** Same key format as DesiredResource.key. */
  key: string;
  name: string;
  arn: string;
  /** All tags (aws:* included; diff ignores those). */
  tags: Record<string, string>;
  /** From OWNER_TAGS; undefined when the resource was not created/adopted by ecs-gitops. */
  owner?: Ownership;
  /**
   * The AWS service that created and owns the resource (e.g. `ECS Service Connect of <arn>`
   * for a Cloud Map service tagged AmazonECSManaged=true): never diffed, adopted or pruned.
   */
  managedBy?: string;
  /** Live state in manifest shape, as AWS reports it (not yet normalized). */
  spec: S;
}

export interface LiveNamespace extends LiveBase<'CloudMapNamespace', CloudMapNamespaceSpec> {
  id: string;
  /** Route 53 hosted zone of DNS namespaces. */
  hostedZoneId?: string;
  serviceCount?: number;
}

export interface LiveCloudMapService extends LiveBase<'CloudMapService', CloudMapServiceSpec> {
  id: string;
  namespaceId: string;
  /** Type of the namespace the service is in, when known (Cloud Map refuses UpdateService in HTTP namespaces). */
  namespaceType?: CloudMapNamespaceSpec['type'];
  instanceCount?: number;
}

/** A task definition revision as described by ECS, in manifest shape. */
export interface LiveTaskDefinition {
  arn: string;
  family: string;
  revision: number;
  tags: Record<string, string>;
  spec: InlineTaskDefinition;
  /**
   * Set members of the revision the manifest model cannot express (raw ECS paths, sorted,
   * e.g. `volumes[0].efsVolumeConfiguration`); absent when there are none. A new revision
   * registered from the manifest would drop them.
   */
  unexpressed?: string[];
}

export interface LiveEcsService extends LiveBase<'EcsService', EcsServiceSpec> {
  cluster: string;
  /** ACTIVE | DRAINING | INACTIVE */
  status: string;
  /** Full ARN of the task definition the service runs (PRIMARY deployment). */
  taskDefinitionArn: string;
  /** The task definition in use, described (cached by ARN). */
  taskDefinition?: LiveTaskDefinition;
  /** serviceRegistries as ECS reports them (ARNs), resolved into spec.discovery when known. */
  serviceRegistryArns: string[];
  runningCount: number;
  pendingCount: number;
  /** Number of deployments not yet finished (>1 = rolling). */
  deploymentsInProgress: number;
  /** What rollout health is judged from (DescribeServices only); absent when ECS reported no deployment. */
  deploymentState?: EcsDeploymentState;
  /**
   * Set members of the service the manifest model cannot express (raw ECS paths, sorted,
   * e.g. `placementConstraints`, `deploymentConfiguration.alarms`); absent when there are none.
   */
  unexpressed?: string[];
  /**
   * Every task definition ARN the service uses: its own, those of all its deployments
   * (PRIMARY, ACTIVE, ...) and task sets. Absent = only `taskDefinitionArn` is known.
   */
  taskDefinitionsInUse?: string[];
  /** The namespace Service Connect uses (PRIMARY deployment), when the scan saw it. */
  serviceConnectNamespace?: { name: string; arn: string };
  /** ARNs of the Cloud Map services ECS created for this service's Service Connect (PRIMARY deployment). */
  serviceConnectDiscoveryArns?: string[];
}

/** The PRIMARY deployment of an ECS service and the service's task counts, as DescribeServices reports them. */
export interface EcsDeploymentState {
  /** Deployment id, e.g. `ecs-svc/1234567890123456789` (the `startedBy` of its tasks). */
  id: string;
  /** IN_PROGRESS | COMPLETED | FAILED */
  rolloutState: string;
  rolloutStateReason?: string;
  /** Tasks of this deployment that failed to reach or stay RUNNING. */
  failedTasks: number;
  /** Of the PRIMARY deployment (older deployments' tasks are not counted). */
  desiredCount: number;
  runningCount: number;
  /** Deployments of the service (PRIMARY, ACTIVE, ...): more than 1 while tasks are replaced. */
  deployments: number;
  /** ISO time of the service event "has reached a steady state", when it is the newest event. */
  steadySince?: string;
}

/** The ACTIVE revisions of one task definition family, described with tags. */
export interface LiveRevisionFamily {
  family: string;
  /** Newest first. */
  revisions: LiveTaskDefinition[];
  /** True when the family has more ACTIVE revisions than were read (the oldest are left for a later pass). */
  truncated: boolean;
}

export type LiveResource = LiveNamespace | LiveCloudMapService | LiveEcsService;

/** Everything observed in one scan. */
export interface LiveSet {
  /** Live resources by key. Includes resources ecs-gitops does not own (for conflict checks). */
  resources: Map<string, LiveResource>;
  /** AWS calls this scan made, by `service:Operation`. */
  calls: Record<string, number>;
  /**
   * Scopes that could not be read (e.g. a cluster that does not exist), with the reason and,
   * when AWS answered, its error code (e.g. `ClusterNotFoundException`).
   */
  unreadable: { scope: string; reason: string; code?: string }[];
  /** Task definition families read for revision tidying (only those the scope asked for). */
  revisions?: LiveRevisionFamily[];
}

// ------------------------------------------------------------------------------ plan

/** How a field change is carried out. */
export type ChangeEffect = 'in-place' | 'redeploy' | 'replace';

export interface FieldChange {
  /** Dotted manifest path, e.g. `spec.dns.records[0].ttl`. */
  path: string;
  /** JSON pointer of the same field, e.g. `/spec/dns/records/0/ttl` (what `ignore` matches). */
  pointer: string;
  /** Live value (normalized); undefined when absent. */
  from: unknown;
  /** Desired value (normalized); undefined when absent. */
  to: unknown;
  effect: ChangeEffect;
  /** Why, when not obvious (e.g. "routing policy cannot change in place"). */
  reason?: string;
}

export type PlanAction =
  | 'create'
  | 'update'
  | 'update-redeploys'
  | 'replace'
  | 'delete'
  | 'noop'
  /** A change exists but will not be applied: observe mode, replacement not allowed, conflict, prune refused. */
  | 'blocked';

export interface ResourcePlan {
  kind: ManifestKind;
  key: string;
  name: string;
  action: PlanAction;
  /** Field changes (empty for create/delete/noop). Ignored fields never appear. */
  changes: FieldChange[];
  /** Human reason for blocked/replace/delete/conflict. */
  reason?: string;
  /**
   * Stable reason code for blocked: `observe-mode`, `replace-not-allowed`, `not-owned`,
   * `identity-conflict`, `unexpressible-fields`, `prune-disabled`, `prune-limit`,
   * `empty-source`, `in-use`.
   */
  blockedBy?: string;
  /** For `unexpressible-fields`: every live setting the write would drop (the reason lists the first few). */
  unexpressedFields?: string[];
  /** The action it would take if not blocked. */
  wouldBe?: Exclude<PlanAction, 'blocked' | 'noop'>;
  desired?: DesiredResource;
  live?: LiveResource;
}

/**
 * Housekeeping of something a resource left behind (an unused task definition revision): not
 * a resource of the source, never drift. `deregister` is carried out by apply after the
 * resources; `blocked` is reported only (a prune guard refused it).
 */
export interface TidyPlan {
  /** The kind whose module plans and applies it (its `tidy` part). */
  owner: ManifestKind;
  /** What is tidied, e.g. `TaskDefinition/shop:3`. */
  key: string;
  arn: string;
  action: 'deregister' | 'blocked';
  /** With `blocked`: `prune-disabled` or `prune-limit`. */
  blockedBy?: string;
  reason: string;
}

export interface Plan {
  /** In apply order: creates/updates by KIND_ORDER, then deletes in reverse order. */
  resources: ResourcePlan[];
  /** Leftovers to tidy after the resources are applied (absent = none were looked for). */
  tidy?: TidyPlan[];
  /** Whether anything would be written. */
  hasChanges: boolean;
  /** Whether drift exists (any change, including blocked ones). */
  hasDrift: boolean;
}
