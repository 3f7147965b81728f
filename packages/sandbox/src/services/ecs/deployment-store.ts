import type { JsonObject } from '../../types.js';
import type { ServiceRecord, ServiceSpec } from './state.js';

export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

export type Strategy = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
export type MonitorStatus = 'DISABLED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'TRIGGERED';

/** A service revision: what one ECS deployment runs (DescribeServiceRevisions). */
export interface ServiceRevisionRecord {
  readonly arn: string;
  readonly service: ServiceRecord;
  /** The ECS deployment (DescribeServices `deployments[].id`) that runs it. */
  readonly deploymentId: string;
  readonly spec: ServiceSpec;
  readonly createdAt: number;
}

/** A lifecycle hook run (lifecycleHookDetails). */
export interface HookRun {
  readonly hookId: string;
  readonly stage: string;
  readonly targetType: 'AWS_LAMBDA' | 'PAUSE';
  readonly targetArn?: string;
  status: 'IN_PROGRESS' | 'AWAITING_ACTION' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  readonly expiresAt: number;
  readonly timeoutAction: 'CONTINUE' | 'ROLLBACK';
}

/** One service deployment (ListServiceDeployments / DescribeServiceDeployments). */
export interface ServiceDeploymentRecord {
  readonly arn: string;
  readonly service: ServiceRecord;
  readonly strategy: Strategy;
  /** The deployment configuration when it started. */
  readonly config: JsonObject;
  readonly target: ServiceRevisionRecord;
  readonly sources: readonly ServiceRevisionRecord[];
  /** The ECS deployment started to roll back a rolling deployment (it runs a source revision). */
  rollbackDeploymentId?: string;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  /** Native strategies only (ROLLING deployments report none). */
  lifecycleStage?: string;
  readonly createdAt: number;
  readonly startedAt: number;
  updatedAt: number;
  finishedAt?: number;
  stoppedAt?: number;
  /** Traffic on the target revision, percent. */
  productionWeight: number;
  testWeight: number;
  hooks: HookRun[];
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  breaker: { status: MonitorStatus; failureCount: number; threshold: number };
  alarms: { status: MonitorStatus; alarmNames: string[]; triggeredAlarmNames: string[] };
  /** Bumped whenever the deployment leaves its planned path; scheduled stage steps of an older generation do nothing. */
  generation: number;
}

export type TaskFailureMode = 'exit' | 'unhealthy';

export interface TaskFailureRule {
  readonly image: string;
  readonly mode: TaskFailureMode;
}

/** Service deployments, revisions and task-failure rules of one sandbox. */
export class DeploymentStore {
  readonly serviceDeployments = new Map<string, ServiceDeploymentRecord>();
  /** ECS deployment id -> its service deployment (target, or a rolling rollback's). */
  readonly byDeploymentId = new Map<string, ServiceDeploymentRecord>();
  readonly revisions = new Map<string, ServiceRevisionRecord>();
  readonly revisionByDeploymentId = new Map<string, ServiceRevisionRecord>();
  /** Per service ARN: the revision of the last deployment that COMPLETED. */
  readonly lastCompleted = new Map<string, ServiceRevisionRecord>();
  taskFailures: TaskFailureRule[] = [];

  /** The failure mode of the first rule whose image glob matches one of `images`. */
  failureFor(images: readonly string[]): TaskFailureMode | undefined {
    for (const rule of this.taskFailures) {
      const re = globToRegExp(rule.image);
      if (images.some((i) => re.test(i))) return rule.mode;
    }
    return undefined;
  }

  /** Service deployments of a service, newest first. */
  ofService(service: ServiceRecord): ServiceDeploymentRecord[] {
    return [...this.serviceDeployments.values()].filter((d) => d.service === service).reverse();
  }
}

/** `*` matches any run of characters, `?` one character; everything else literally. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}
