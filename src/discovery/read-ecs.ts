import { DescribeTasksCommand, ListTasksCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { call } from '../aws/errors.js';
import { chunk } from '../util/map-limit.js';
import type { TaskView } from './types.js';

/** DescribeTasks takes at most 100 tasks; ListTasks pages hold at most 100. */
export const ECS_TASK_BATCH = 100;
/** ECS task ids (the instance ids ECS registers) are 32 lower-case hex digits. */
const TASK_ID = /^[0-9a-f]{32}$/;

function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function ipOf(task: Task): string | undefined {
  for (const a of task.attachments ?? []) {
    if (a.type !== 'ElasticNetworkInterface') continue;
    const ip = a.details?.find((d) => d.name === 'privateIPv4Address')?.value;
    if (ip) return ip;
  }
  for (const c of task.containers ?? []) {
    const ip = c.networkInterfaces?.[0]?.privateIpv4Address;
    if (ip) return ip;
  }
  return undefined;
}

/** A described task as the checks see it (undefined without an ARN). */
export function toTaskView(task: Task, cluster: string): TaskView | undefined {
  if (!task.taskArn) return undefined;
  const ip = ipOf(task);
  const service = task.group?.startsWith('service:') ? task.group.slice('service:'.length) : undefined;
  return {
    arn: task.taskArn,
    id: lastSegment(task.taskArn),
    cluster,
    ...(service ? { service } : {}),
    ...(ip ? { ip } : {}),
    lastStatus: task.lastStatus ?? 'UNKNOWN',
    desiredStatus: task.desiredStatus ?? 'UNKNOWN',
    ...(task.startedAt ? { startedAt: task.startedAt.getTime() } : {}),
    ...(task.stoppedAt ? { stoppedAt: task.stoppedAt.getTime() } : {}),
    ...(task.stopCode ? { stopCode: task.stopCode } : {}),
    ...(task.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
  };
}

async function describe(ecs: ECSClient, cluster: string, refs: readonly string[], signal?: AbortSignal): Promise<TaskView[]> {
  const out: TaskView[] = [];
  for (const batch of chunk(refs, ECS_TASK_BATCH)) {
    const page = await call('ecs', 'DescribeTasks', () => ecs.send(new DescribeTasksCommand({ cluster, tasks: batch }), { abortSignal: signal }));
    for (const t of page.tasks ?? []) {
      const view = toTaskView(t, cluster);
      if (view) out.push(view);
    }
  }
  return out;
}

/**
 * The tasks with desired status RUNNING (PENDING ones included) of one ECS service, or of
 * the whole cluster when `serviceName` is absent: ListTasks pages of 100, DescribeTasks in
 * batches of 100.
 */
export async function listAliveTasks(ecs: ECSClient, cluster: string, serviceName: string | undefined, signal?: AbortSignal): Promise<TaskView[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call('ecs', 'ListTasks', () =>
      ecs.send(
        new ListTasksCommand({
          cluster,
          desiredStatus: 'RUNNING',
          maxResults: ECS_TASK_BATCH,
          ...(serviceName !== undefined ? { serviceName } : {}),
          ...(nextToken ? { nextToken } : {}),
        }),
        { abortSignal: signal },
      ),
    );
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns.length === 0 ? [] : describe(ecs, cluster, arns, signal);
}

/**
 * Describes tasks by id (the ids of instances no alive task matches), so a stale instance's
 * message can say when and why its task stopped. Ids that cannot be ECS task ids are not
 * sent; ids ECS no longer knows (stopped over an hour ago) are simply absent from the result.
 */
export async function describeTasksById(ecs: ECSClient, cluster: string, ids: readonly string[], signal?: AbortSignal): Promise<TaskView[]> {
  const valid = ids.filter((id) => TASK_ID.test(id));
  return valid.length === 0 ? [] : describe(ecs, cluster, valid, signal);
}

/** Calls to read `taskCount` tasks: at least one ListTasks page, plus the DescribeTasks batches. */
export function taskReadCost(taskCount: number): number {
  return Math.max(1, Math.ceil(taskCount / ECS_TASK_BATCH)) + Math.ceil(taskCount / ECS_TASK_BATCH);
}
