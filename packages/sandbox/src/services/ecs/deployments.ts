import type { JsonObject } from '../../types.js';
import { epochSeconds, type EcsContext } from './context.js';
import type { DeploymentRecord, ServiceRecord, ServiceSpec, TaskRecord } from './state.js';
import { renderServiceConnectResources } from './service-connect-resources.js';
import type { ServiceDeploymentRecord } from './deployment-store.js';
import { mayScaleUp, onPrimaryRunning, onSteady, recordServiceDeployment } from './native-deployments.js';
import { addServiceEvent, effectiveLaunchType, startTask, stopTask, type StopReason } from './tasks.js';

/**
 * A new PRIMARY deployment of `spec`; the previous PRIMARY (if any) becomes ACTIVE. It starts
 * a service deployment (native-deployments.ts), or with `rollbackOf` rolls that one back.
 */
export function startDeployment(ctx: EcsContext, service: ServiceRecord, spec: ServiceSpec, rollbackOf?: ServiceDeploymentRecord): DeploymentRecord {
  const now = ctx.world.now();
  const id = `ecs-svc/${deploymentNumber(ctx.world.hexId(16))}`;
  const deployment: DeploymentRecord = {
    id,
    status: 'PRIMARY',
    spec,
    desiredCount: service.desiredCount,
    createdAt: now,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: 'ECS deployment in progress.',
  };
  const previous = [...service.deployments];
  for (const d of service.deployments) d.status = 'ACTIVE';
  service.deployments.unshift(deployment);
  recordServiceDeployment(ctx, service, deployment, previous, rollbackOf);
  return deployment;
}

/**
 * Moves the service's tasks toward its desired state: the PRIMARY deployment gets exactly
 * `desiredCount` tasks (0 once the service is not ACTIVE); older deployments keep theirs
 * until every PRIMARY task runs (new tasks start before old ones stop, as with the default
 * 200/100 deployment configuration), then they are stopped and the deployment completes.
 */
export function reconcileService(ctx: EcsContext, service: ServiceRecord): void {
  const primary = service.deployments[0];
  if (!primary) return;
  const target = service.status === 'ACTIVE' ? service.desiredCount : 0;
  if (primary.desiredCount !== target) {
    primary.desiredCount = target;
    primary.updatedAt = ctx.world.now();
  }
  const live = tasksOf(service, primary.id);
  if (live.length < target && mayScaleUp(ctx, primary)) {
    const started: TaskRecord[] = [];
    for (let i = live.length; i < target; i++) started.push(startTask(ctx, service, primary, () => reconcileService(ctx, service)));
    addServiceEvent(ctx, service, `(service ${service.name}) has started ${started.length} tasks: ${started.map((t) => `(task ${t.id})`).join(' ')}.`);
  } else if (live.length > target) {
    // Scale in: pending tasks go first, then the newest running ones.
    const victims = [...live]
      .sort((a, b) => Number(a.lastStatus === 'RUNNING') - Number(b.lastStatus === 'RUNNING') || b.createdAt - a.createdAt)
      .slice(0, live.length - target);
    stopTasks(ctx, service, victims, { stoppedReason: `Scaling activity initiated by (deployment ${primary.id})`, stopCode: 'ServiceSchedulerInitiated' });
  }

  const primaryTasks = tasksOf(service, primary.id);
  const allRunning = primaryTasks.length === target && primaryTasks.every((t) => t.lastStatus === 'RUNNING' && t.failure === undefined);
  if (!allRunning) return;
  if (service.deployments.length > 1) {
    if (!onPrimaryRunning(ctx, primary)) return;
    for (const old of service.deployments.slice(1)) {
      stopTasks(ctx, service, tasksOf(service, old.id), {
        stoppedReason: `Scaling activity initiated by (deployment ${old.id})`,
        stopCode: 'ServiceSchedulerInitiated',
      });
    }
    service.deployments = [primary];
  }
  if (primary.rolloutState === 'IN_PROGRESS') {
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = 'ECS deployment completed.';
    primary.updatedAt = ctx.world.now();
    addServiceEvent(ctx, service, `(service ${service.name}) (deployment ${primary.id}) deployment completed.`);
  }
  onSteady(ctx, service, primary);
  if (service.status === 'ACTIVE' && !service.events[0]?.message.endsWith('has reached a steady state.')) {
    addServiceEvent(ctx, service, `(service ${service.name}) has reached a steady state.`);
  }
}

/** Stops tasks of a service and records one service event for them. */
export function stopTasks(ctx: EcsContext, service: ServiceRecord, tasks: readonly TaskRecord[], reason: StopReason, leaveInstanceRegistered = false): void {
  if (tasks.length === 0) return;
  for (const t of tasks) stopTask(ctx, t, reason, leaveInstanceRegistered);
  addServiceEvent(ctx, service, `(service ${service.name}) has stopped ${tasks.length} running tasks: ${tasks.map((t) => `(task ${t.id})`).join(' ')}.`);
}

function tasksOf(service: ServiceRecord, deploymentId: string): TaskRecord[] {
  const out: TaskRecord[] = [];
  for (const t of service.tasks.values()) if (t.deploymentId === deploymentId) out.push(t);
  return out;
}

/** runningCount and pendingCount per deployment id, plus the service totals under ''. */
export function taskCounts(service: ServiceRecord): Map<string, { running: number; pending: number }> {
  const counts = new Map<string, { running: number; pending: number }>([['', { running: 0, pending: 0 }]]);
  for (const t of service.tasks.values()) {
    for (const key of ['', t.deploymentId ?? '']) {
      const c = counts.get(key) ?? { running: 0, pending: 0 };
      if (t.lastStatus === 'RUNNING') c.running++;
      else c.pending++;
      counts.set(key, c);
    }
  }
  return counts;
}

export function renderDeployment(d: DeploymentRecord, counts: Map<string, { running: number; pending: number }>): JsonObject {
  const c = counts.get(d.id) ?? { running: 0, pending: 0 };
  const launchType = effectiveLaunchType(d.spec.launchType, d.spec.capacityProviderStrategy);
  return {
    id: d.id,
    status: d.status,
    taskDefinition: d.spec.taskDefinition.arn,
    desiredCount: d.desiredCount,
    pendingCount: c.pending,
    runningCount: c.running,
    failedTasks: d.failedTasks ?? 0,
    createdAt: epochSeconds(d.createdAt),
    updatedAt: epochSeconds(d.updatedAt),
    ...(d.spec.capacityProviderStrategy ? { capacityProviderStrategy: d.spec.capacityProviderStrategy } : { launchType }),
    ...(d.spec.platformVersion ? { platformVersion: d.spec.platformVersion, platformFamily: 'Linux' } : {}),
    ...(d.spec.networkConfiguration ? { networkConfiguration: d.spec.networkConfiguration } : {}),
    ...(d.spec.serviceConnectConfiguration ? { serviceConnectConfiguration: d.spec.serviceConnectConfiguration } : {}),
    ...renderServiceConnectResources(d.spec),
    ...(d.spec.volumeConfigurations ? { volumeConfigurations: d.spec.volumeConfigurations } : {}),
    ...(d.spec.vpcLatticeConfigurations ? { vpcLatticeConfigurations: d.spec.vpcLatticeConfigurations } : {}),
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  };
}

function deploymentNumber(hex: string): string {
  return (BigInt(`0x${hex}`) % 10_000_000_000_000_000_000n).toString().padStart(19, '0');
}
