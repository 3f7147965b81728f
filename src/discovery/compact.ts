/**
 * The compact forms of what the checker keeps between checks (per service, so they grow with
 * the number of services): only the instance attributes the checks read, tasks without their
 * full ARN, the ECS change signal as one short flat string.
 */
import type { LiveSet } from '../kit/types.js';
import type { DiscoveryTarget, TaskView } from './types.js';

/**
 * The instance attributes the checks read (IPs and the record values they expect, who
 * registered the instance and in which cluster). Cloud Map answers every attribute (ECS adds
 * AVAILABILITY_ZONE, REGION, ECS_TASK_DEFINITION_FAMILY, AWS_INIT_HEALTH_STATUS, ...); the
 * others are not kept. A check that reads another attribute adds it here (a test compares
 * this list with the attributes src/discovery reads).
 */
export const CHECKED_ATTRIBUTES = [
  'AWS_INSTANCE_IPV4',
  'AWS_INSTANCE_IPV6',
  'AWS_INSTANCE_CNAME',
  'AWS_INSTANCE_PORT',
  'ECS_SERVICE_NAME',
  'ECS_CLUSTER_NAME',
] as const;

/** The checked attributes of an instance, always in the same order (so the objects share one shape). */
export function keptAttributes(all: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (all) {
    for (const name of CHECKED_ATTRIBUTES) {
      const value = all[name];
      if (value !== undefined) out[name] = value;
    }
  }
  return out;
}

/**
 * A task as the checker keeps it: the ARN is rebuilt from its prefix
 * (`arn:aws:ecs:<region>:<account>:task/<cluster>/`, one string per cluster, shared) and the
 * id (the id of the task's Cloud Map instance, shared with it where one is registered).
 */
class KeptTask implements TaskView {
  constructor(
    readonly arnPrefix: string,
    readonly id: string,
    readonly cluster: string,
    readonly service: string | undefined,
    readonly ip: string | undefined,
    readonly lastStatus: string,
    readonly desiredStatus: string,
    readonly startedAt: number | undefined,
    readonly stoppedAt: number | undefined,
    readonly stopCode: string | undefined,
    readonly stoppedReason: string | undefined,
  ) {}

  get arn(): string {
    return this.arnPrefix + this.id;
  }
}

/**
 * Turns described tasks into kept ones, sharing the strings many tasks have in common (ARN
 * prefixes, cluster names: one copy each). `forgetAllBut` bounds what is shared by what the
 * kept tasks still use.
 */
export class TaskKeeper {
  private readonly shared = new Map<string, string>();

  /** `sameId` gives an equal id string that is kept anyway (the instance's), or undefined. */
  keep(task: TaskView, sameId: (id: string) => string | undefined = () => undefined): TaskView {
    // The id is the ARN's last segment (read-ecs.ts); anything else is kept as it is.
    if (!task.arn.endsWith(`/${task.id}`)) return task;
    return new KeptTask(
      this.share(task.arn.slice(0, task.arn.length - task.id.length)),
      sameId(task.id) ?? task.id,
      this.share(task.cluster),
      task.service,
      task.ip,
      task.lastStatus,
      task.desiredStatus,
      task.startedAt,
      task.stoppedAt,
      task.stopCode,
      task.stoppedReason,
    );
  }

  /** Drops the shared strings none of `tasks` uses. */
  forgetAllBut(tasks: Iterable<TaskView>): void {
    const used = new Set<string>();
    for (const t of tasks) {
      if (!(t instanceof KeptTask)) continue;
      used.add(t.arnPrefix);
      used.add(t.cluster);
    }
    for (const s of [...this.shared.keys()]) if (!used.has(s)) this.shared.delete(s);
  }

  /** Distinct strings shared now (for tests). */
  get sharedCount(): number {
    return this.shared.size;
  }

  private share(value: string): string {
    const kept = this.shared.get(value);
    if (kept !== undefined) return kept;
    this.shared.set(value, value);
    return value;
  }
}

/**
 * What the live set says about the ECS side of a target: when it moves, tasks are read again.
 * Per linked ECS service its key, running and pending counts, deployments in progress and the
 * task definition's `family:revision` (the rest of that ARN is the checker's own account and
 * region). Joined into one flat string, a few dozen bytes per service.
 */
export function ecsMark(live: LiveSet, target: DiscoveryTarget): string {
  const parts: (string | number)[] = [];
  for (const e of target.ecsServices) {
    if (parts.length > 0) parts.push(',');
    const r = live.resources.get(e.key);
    if (r && r.kind === 'EcsService') {
      const td = r.taskDefinitionArn;
      parts.push(e.key, ':', r.runningCount, ':', r.pendingCount, ':', td.slice(td.lastIndexOf('/') + 1), ':', r.deploymentsInProgress);
    } else parts.push(e.key, ':-');
  }
  return parts.join('');
}
