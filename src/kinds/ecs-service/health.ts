/**
 * Rollout health of an ECS service, Argo CD's vocabulary: Healthy, Progressing, Degraded.
 * Pure: judged from what DescribeServices reports (the PRIMARY deployment's rolloutState,
 * failed tasks, running vs desired, the steady-state event) and, when ECS rolled a deployment
 * back, from the rollback; the caller adds the stopped reason of a failed task.
 */
import type { EcsDeploymentState } from '../../kit/types.js';

export interface EcsRolloutHealth {
  readonly state: 'Healthy' | 'Progressing' | 'Degraded';
  /** `RolloutCompleted`, `RolloutInProgress`, `RolloutFailed`, `TasksFailing` or `RolledBack`. */
  readonly reason: string;
  readonly message: string;
  /** With Degraded: the ECS deployment whose tasks failed (their `startedBy`), to read a stopped reason from. */
  readonly failedDeployment?: string;
  /** With Degraded: ECS's stopped reason of the newest failed task, when it was read. */
  readonly stoppedReason?: string;
}

/** A rollback ECS made of a deployment the source asks for (the controller holds it). */
export interface HeldRollback {
  /** ECS deployment id of the rolled-back deployment (`ecs-svc/...`), when known. */
  readonly deploymentId?: string;
  /** ECS's reason, e.g. "ECS deployment circuit breaker: tasks failed to start." */
  readonly reason?: string;
}

const counts = (s: EcsDeploymentState): string => `${s.runningCount}/${s.desiredCount} tasks running`;

/** The health of a service from its deployment state, a held rollback, and a stopped reason of a failed task. */
export function ecsRolloutHealth(s: EcsDeploymentState, held?: HeldRollback, stoppedReason?: string): EcsRolloutHealth {
  const stopped = stoppedReason ? `; a task stopped: ${stoppedReason}` : '';
  const why = stoppedReason ? { stoppedReason } : {};
  if (held) {
    return {
      state: 'Degraded',
      reason: 'RolledBack',
      message: `ECS rolled back ${held.deploymentId ?? 'the deployment'} of the source's revision${held.reason ? `: ${held.reason}` : ''}${stopped}`,
      ...(held.deploymentId ? { failedDeployment: held.deploymentId } : {}),
      ...why,
    };
  }
  if (s.rolloutState === 'FAILED') {
    return {
      state: 'Degraded',
      reason: 'RolloutFailed',
      message: `deployment ${s.id} failed${s.rolloutStateReason ? `: ${s.rolloutStateReason}` : ''} (${counts(s)})${stopped}`,
      failedDeployment: s.id,
      ...why,
    };
  }
  if (s.failedTasks > 0 && s.runningCount < s.desiredCount) {
    return {
      state: 'Degraded',
      reason: 'TasksFailing',
      message: `${s.failedTasks} task(s) of deployment ${s.id} failed (${counts(s)})${stopped}`,
      failedDeployment: s.id,
      ...why,
    };
  }
  if (s.rolloutState === 'IN_PROGRESS' || s.deployments > 1 || s.runningCount !== s.desiredCount) {
    return { state: 'Progressing', reason: 'RolloutInProgress', message: `deployment ${s.id} ${s.rolloutState}, ${counts(s)}` };
  }
  return {
    state: 'Healthy',
    reason: 'RolloutCompleted',
    message: `deployment ${s.id} completed, ${counts(s)}${s.steadySince ? `, steady state since ${s.steadySince}` : ''}`,
  };
}

/** The ECS deployment id (`ecs-svc/<n>`) of a service revision ARN (`.../service-revision/<cluster>/<service>/<n>`). */
export function deploymentIdOfRevision(revisionArn: string | undefined): string | undefined {
  const n = revisionArn?.split('/').pop();
  return n && /^\d+$/.test(n) ? `ecs-svc/${n}` : undefined;
}
