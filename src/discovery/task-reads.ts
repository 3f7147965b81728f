import type { LiveSet } from '../kit/types.js';
import { taskReadCost } from './read-ecs.js';
import type { LinkedEcsService } from './types.js';

/** One ListTasks(+DescribeTasks) sweep: one service, or the whole cluster when that is cheaper. */
export interface TaskRead {
  readonly cluster: string;
  /** The ECS service to list; absent = every task of the cluster (grouped by `service:<name>`). */
  readonly service?: string;
  /** The services this read answers for. */
  readonly services: readonly string[];
}

/**
 * Chooses, per cluster, the cheaper way to read the tasks of `needed` services: one sweep per
 * service (ListTasks filtered by service) or one sweep of the whole cluster. Task counts come
 * from the live set (running + pending of every ECS service observed in the cluster), so a
 * cluster full of other services' tasks is never listed to find a few. Pure.
 */
export function planTaskReads(live: LiveSet, needed: readonly LinkedEcsService[]): TaskRead[] {
  const tasksOf = new Map<string, number>();
  const clusterTasks = new Map<string, number>();
  for (const r of live.resources.values()) {
    if (r.kind !== 'EcsService') continue;
    const n = r.runningCount + r.pendingCount;
    tasksOf.set(`${r.cluster}/${r.name}`, n);
    clusterTasks.set(r.cluster, (clusterTasks.get(r.cluster) ?? 0) + n);
  }
  const byCluster = new Map<string, Set<string>>();
  for (const s of needed) {
    const set = byCluster.get(s.cluster) ?? new Set<string>();
    set.add(s.name);
    byCluster.set(s.cluster, set);
  }
  const reads: TaskRead[] = [];
  for (const [cluster, names] of [...byCluster].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const services = [...names].sort();
    const perService = services.reduce((sum, name) => sum + taskReadCost(tasksOf.get(`${cluster}/${name}`) ?? 0), 0);
    const whole = taskReadCost(clusterTasks.get(cluster) ?? 0);
    if (services.length > 1 && whole < perService) reads.push({ cluster, services });
    else for (const name of services) reads.push({ cluster, service: name, services: [name] });
  }
  return reads;
}
