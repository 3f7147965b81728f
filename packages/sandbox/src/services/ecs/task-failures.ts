import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import type { EcsContext } from './context.js';
import type { TaskFailureMode, TaskFailureRule } from './deployment-store.js';
import { reconcileService, stopTasks } from './deployments.js';
import { onTaskFailed } from './native-deployments.js';
import type { ServiceRecord, TaskRecord } from './state.js';
import { addServiceEvent } from './tasks.js';

/**
 * Failing tasks on demand (`POST /_sandbox/ecs/task-failures`): a task whose essential
 * container image matches a rule's glob fails once RUNNING. `exit`: the essential container
 * exits non-zero a moment later (stopCode EssentialContainerExited, "Essential container in
 * task exited"). `unhealthy`: the container health check fails, the task reports UNHEALTHY
 * and ECS replaces it ("Task failed container health checks"). Either way it never counts as
 * a healthy task of its deployment and it counts for the circuit breaker.
 */

const MODES: readonly TaskFailureMode[] = ['exit', 'unhealthy'];

export function parseTaskFailureRule(body: JsonObject): TaskFailureRule {
  const image = body['image'];
  const mode = body['mode'] ?? 'exit';
  if (typeof image !== 'string' || image === '') throw new SandboxError('InvalidParameterException', 'image (a glob such as "*:broken") is required', 400);
  if (!MODES.includes(mode as TaskFailureMode)) throw new SandboxError('InvalidParameterException', `mode must be one of ${MODES.join(', ')}`, 400);
  return { image, mode: mode as TaskFailureMode };
}

function essentialImages(task: TaskRecord): string[] {
  const defs = task.taskDefinition.body['containerDefinitions'];
  if (!Array.isArray(defs)) return [];
  return (defs as JsonObject[]).filter((d) => d['essential'] !== false && typeof d['image'] === 'string').map((d) => d['image'] as string);
}

/** Called when a service task turns RUNNING: dooms it when a rule matches. */
export function applyTaskFailure(ctx: EcsContext, task: TaskRecord, service: ServiceRecord): void {
  const mode = ctx.state.deploys.failureFor(essentialImages(task));
  if (!mode) return;
  task.failure = mode;
  // A container exits, or a health check fails its retries, a moment after the task started.
  ctx.world.scheduler.after(Math.max(1, ctx.world.options.taskStartDelayMs), () => {
    if (task.lastStatus !== 'RUNNING') return;
    if (mode === 'unhealthy') {
      addServiceEvent(ctx, service, `(service ${service.name}) (task ${task.id}) failed container health checks.`);
      stopTasks(ctx, service, [task], { stoppedReason: 'Task failed container health checks', stopCode: 'ServiceSchedulerInitiated' });
    } else {
      stopTasks(ctx, service, [task], { stoppedReason: 'Essential container in task exited', stopCode: 'EssentialContainerExited' });
    }
    onTaskFailed(ctx, service, task);
    reconcileService(ctx, service);
  });
}
