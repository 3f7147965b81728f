/**
 * Contracts of the discovery health checks: do Cloud Map and Route 53 really point at the
 * running ECS tasks? Findings are health, not drift: they are reported (status `Healthy`
 * condition, metrics) and never "fixed" by applying manifests.
 */

/**
 * Stable reason codes, one per kind of finding. Codes are only ever added; docs/discovery.md
 * describes each one (a test keeps the two in step).
 */
export const DISCOVERY_REASONS = [
  /** An instance is registered, but no running task has its id or IP. */
  'StaleInstance',
  /** A RUNNING task has no instance, and its grace period is over. */
  'MissingInstance',
  /** More instances are UNHEALTHY than the threshold allows. */
  'UnhealthyInstances',
  /** Tasks are running but not one instance is healthy: DNS answers nothing (or only stale IPs). */
  'NoHealthyInstances',
  /** A Route 53 record set at the service's name has no registered instance (or a different IP). */
  'RecordWithoutInstance',
  /** A registered instance has no Route 53 record set for one of the service's record types. */
  'InstanceWithoutRecord',
  /** A record set's TTL differs from the service's DNS configuration. */
  'RecordTtlMismatch',
  /** A record set is routed differently from the service's policy (MultiValueAnswer vs Weight). */
  'RoutingPolicyMismatch',
  /** The namespace's hosted zone does not exist. */
  'HostedZoneMissing',
  /** The private hosted zone is not associated with the namespace's VPC. */
  'HostedZoneVpcNotAssociated',
] as const;

export type DiscoveryReason = (typeof DISCOVERY_REASONS)[number];

/** Kinds a finding can be about (the `kind` label of `discovery_findings`). */
export type FindingKind = 'CloudMapService' | 'CloudMapNamespace';

/**
 * One problem found by a check, naming the service, instance/task and IP where it can: the
 * status store's HealthFinding with the checks' own reason codes and kinds.
 */
export interface DiscoveryFinding extends HealthFinding {
  readonly reason: DiscoveryReason;
  readonly kind: FindingKind;
}

/** An ECS task as the checks see it. */
export interface TaskView {
  readonly arn: string;
  /** Last ARN segment; ECS registers the task under this instance id. */
  readonly id: string;
  readonly cluster: string;
  /** Name of the ECS service that started it (from `group: service:<name>`). */
  readonly service?: string;
  /** Private IPv4 of its ENI (awsvpc). */
  readonly ip?: string;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  /** ms epoch */
  readonly startedAt?: number;
  /** ms epoch */
  readonly stoppedAt?: number;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
}

export type InstanceHealth = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

/** A Cloud Map instance with its health. */
export interface InstanceView {
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly health: InstanceHealth;
}

/** A Route 53 record set. */
export interface RecordView {
  /** Lower case, trailing dot. */
  readonly name: string;
  readonly type: string;
  readonly setIdentifier?: string;
  readonly ttl?: number;
  readonly weight?: number;
  readonly multiValueAnswer?: boolean;
  readonly values: readonly string[];
}

/** A hosted zone as GetHostedZone reports it. */
export interface ZoneView {
  readonly id: string;
  readonly exists: boolean;
  readonly privateZone?: boolean;
  readonly vpcs: readonly string[];
  readonly recordCount?: number;
}

/** The service's DNS configuration (Cloud Map `DnsConfig`). */
export interface DnsView {
  readonly routingPolicy: 'MULTIVALUE' | 'WEIGHTED';
  readonly records: readonly { readonly type: string; readonly ttl: number }[];
}

/** An ECS service that registers its tasks in a Cloud Map service. */
export interface LinkedEcsService {
  readonly key: string;
  readonly cluster: string;
  readonly name: string;
}

/** A managed Cloud Map service linked to ECS services: what one check compares. */
export interface DiscoveryTarget {
  /** `CloudMapService/<namespace>/<name>` */
  readonly key: string;
  readonly name: string;
  readonly arn: string;
  readonly id: string;
  readonly namespace: string;
  readonly namespaceKey: string;
  readonly namespaceType: 'HTTP' | 'DNS_PRIVATE' | 'DNS_PUBLIC';
  readonly hostedZoneId?: string;
  readonly dns?: DnsView;
  readonly hasHealthCheck: boolean;
  /** Which health check the service has (absent without one). */
  readonly healthCheckType?: 'custom' | 'route53';
  /** The namespace id (for the namespace's ListServices sweep of instance counts). */
  readonly namespaceId?: string;
  readonly ecsServices: readonly LinkedEcsService[];
  /**
   * Created by ECS Service Connect for a `discoveryName` (tag AmazonECSManaged=true) and linked
   * through the ECS services' `serviceConnectResources`: ECS owns it, so its findings are
   * reported on the ECS services and never remediated.
   */
  readonly serviceConnect?: boolean;
}

/** Everything the pure comparison of one service needs. */
export interface ServiceObservation {
  readonly target: DiscoveryTarget;
  /** Tasks of the linked ECS services that are not STOPPED (PENDING, RUNNING, stopping). */
  readonly tasks: readonly TaskView[];
  /** Described tasks whose id is a registered instance's id but which are no longer alive. */
  readonly stoppedTasks: ReadonlyMap<string, TaskView>;
  readonly instances: readonly InstanceView[];
  /** Record sets at `<service>.<namespace>.` and below; undefined when not checked (HTTP namespace, zone missing). */
  readonly records?: readonly RecordView[];
}

/** Thresholds of the comparison. */
export interface CompareOptions {
  /** ms epoch of the check. */
  readonly now: number;
  /** A RUNNING task may go this long (ms, since it started) without an instance. */
  readonly missingGraceMs: number;
  /** UnhealthyInstances when more than this percentage of the instances are UNHEALTHY. */
  readonly maxUnhealthyPercent: number;
}

/** A registered instance whose task is not running. */
export interface StaleInstance {
  readonly instanceId: string;
  readonly ip?: string;
  /** The task, when ECS still describes it (STOPPED tasks stay visible for about an hour). */
  readonly task?: TaskView;
  /** Registered by ECS (carries `ECS_SERVICE_NAME`): only these are ever remediated. */
  readonly registeredByEcs: boolean;
}

/** Instance counts of one service by state (the `state` label of `discovery_instances`). */
export interface InstanceCounts {
  healthy: number;
  unhealthy: number;
  unknown: number;
  stale: number;
}

export const INSTANCE_STATES = ['healthy', 'unhealthy', 'unknown', 'stale'] as const satisfies readonly (keyof InstanceCounts)[];

/** Result of comparing one service. */
export interface ServiceComparison {
  readonly findings: DiscoveryFinding[];
  readonly counts: InstanceCounts;
  readonly runningTasks: number;
  readonly stale: StaleInstance[];
}

/** A remediation the checker carried out (or tried). */
export interface RemediationRecord {
  readonly action: 'DeregisterInstance';
  readonly key: string;
  readonly instanceId: string;
  readonly ip?: string;
  readonly taskArn?: string;
  /** ms epoch the task stopped (or the instance was first seen stale). */
  readonly stoppedSince: number;
  readonly result: 'submitted' | 'gone' | 'error';
  readonly operationId?: string;
  readonly error?: string;
}

/** Per-service summary of one check. */
export interface ServiceHealth {
  readonly key: string;
  readonly name: string;
  readonly namespace: string;
  readonly ecsServices: readonly string[];
  readonly runningTasks: number;
  readonly instances: InstanceCounts;
  readonly findings: number;
  /** An ECS Service Connect service (DiscoveryTarget.serviceConnect): no status entry of its own. */
  readonly serviceConnect?: boolean;
  /** False when the previous reads were reused (Cloud Map revision and ECS counts unchanged). */
  readonly refreshed: boolean;
}

/** A service or zone a check could not read: unknown, not unhealthy. */
/** A scope a check could not read (the status store's type, which the checks fill). */
export type { UnreadableScope } from '../controller/status.js';
import type { HealthFinding, UnreadableScope } from '../controller/status.js';

/** The result of one `DiscoveryChecker.check`. */
export interface DiscoveryReport {
  /** ISO time the check started. */
  readonly checkedAt: string;
  readonly durationMs: number;
  readonly services: readonly ServiceHealth[];
  /** Hosted zones looked at: `refreshed` false when the record count was unchanged and the cached record sets were used. */
  readonly zones: readonly { readonly namespaceKey: string; readonly zoneId: string; readonly refreshed: boolean }[];
  /** Sorted by key, reason, instance. */
  readonly findings: readonly DiscoveryFinding[];
  readonly remediations: readonly RemediationRecord[];
  /** AWS calls of this check, by `service:Operation` (counted apart from reconciliation). */
  readonly calls: Readonly<Record<string, number>>;
  /** Services or zones that could not be read, with the reason (not findings: unknown, not unhealthy). */
  readonly unreadable: readonly UnreadableScope[];
}
