import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import { applyServiceConnectDefaults, parseServiceConnectDefaults, renderServiceConnectDefaults } from './cluster-service-connect.js';
import type { EcsContext } from './context.js';
import { pageByToken } from './page-token.js';
import { newCluster, type ClusterRecord } from './state.js';
import { checkName, objectList, optString, pageSize, parseTags, stringList } from './validation.js';

export const DEFAULT_CLUSTER = 'default';

export const clusterNotFound = (): SandboxError => new SandboxError('ClusterNotFoundException', 'Cluster not found.');

/** The cluster name in a cluster name or ARN (`arn:aws:ecs:<region>:<account>:cluster/<name>`). */
export function clusterNameOf(ref: string): string {
  const i = ref.indexOf(':cluster/');
  return ref.startsWith('arn:') && i >= 0 ? ref.slice(i + ':cluster/'.length) : ref;
}

/** The ACTIVE cluster a request names (absent = `default`), else ClusterNotFoundException. */
export function resolveCluster(ctx: EcsContext, ref: string | undefined): ClusterRecord {
  const cluster = ctx.state.clusters.get(clusterNameOf(ref ?? DEFAULT_CLUSTER));
  if (!cluster || cluster.status !== 'ACTIVE') throw clusterNotFound();
  return cluster;
}

export function createCluster(ctx: EcsContext, input: JsonObject): JsonObject {
  const name = optString(input, 'clusterName') ?? DEFAULT_CLUSTER;
  checkName('Cluster', name);
  const tags = parseTags(input['tags']);
  const existing = ctx.state.clusters.get(name);
  // CreateCluster is idempotent by name: an existing ACTIVE cluster is returned as it is.
  if (existing && existing.status === 'ACTIVE') return { cluster: renderCluster(existing, true) };
  const defaults = parseServiceConnectDefaults(ctx, input, false);
  const cluster = newCluster(
    `arn:aws:ecs:${ctx.world.options.region}:${ctx.world.options.accountId}:cluster/${name}`,
    name,
    tags,
    objectList(input, 'settings'),
    stringList(input, 'capacityProviders'),
  );
  applyServiceConnectDefaults(cluster, defaults);
  ctx.state.clusters.set(name, cluster);
  ctx.state.clusterOrder.add(cluster);
  return { cluster: renderCluster(cluster, true) };
}

/** UpdateCluster: `settings` (replaced by name) and `serviceConnectDefaults`. */
export function updateCluster(ctx: EcsContext, input: JsonObject): JsonObject {
  const ref = optString(input, 'cluster');
  if (ref === undefined || ref === '') throw new SandboxError('InvalidParameterException', 'cluster can not be blank.');
  const cluster = resolveCluster(ctx, ref);
  const defaults = parseServiceConnectDefaults(ctx, input, true);
  for (const setting of objectList(input, 'settings')) {
    const i = cluster.settings.findIndex((s) => s['name'] === setting['name']);
    if (i >= 0) cluster.settings[i] = setting;
    else cluster.settings.push(setting);
  }
  applyServiceConnectDefaults(cluster, defaults);
  return { cluster: renderCluster(cluster, true) };
}

export function describeClusters(ctx: EcsContext, input: JsonObject): JsonObject {
  const refs = stringList(input, 'clusters');
  const include = new Set(stringList(input, 'include'));
  if (refs.length > 100) throw new SandboxError('InvalidParameterException', 'Too many clusters. Max allowed: 100.');
  const clusters: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const ref of refs.length ? refs : [DEFAULT_CLUSTER]) {
    const name = clusterNameOf(ref);
    const c = ctx.state.clusters.get(name);
    if (c) clusters.push(renderCluster(c, include.has('TAGS')));
    else failures.push({ arn: `arn:aws:ecs:${ctx.world.options.region}:${ctx.world.options.accountId}:cluster/${name}`, reason: 'MISSING' });
  }
  return { clusters, failures };
}

export function listClusters(ctx: EcsContext, input: JsonObject): JsonObject {
  const page = pageByToken(ctx.state.clusterOrder, 'clusters', pageSize(input, 100, 100), optString(input, 'nextToken'), (c) => c.status === 'ACTIVE');
  return { clusterArns: page.items.map((c) => c.arn), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

export function renderCluster(c: ClusterRecord, withTags: boolean): JsonObject {
  return {
    clusterArn: c.arn,
    clusterName: c.name,
    status: c.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: c.runningTasksCount,
    pendingTasksCount: c.pendingTasksCount,
    activeServicesCount: c.activeServicesCount,
    statistics: [],
    tags: withTags ? c.tags : [],
    settings: c.settings.length ? c.settings : [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: c.capacityProviders,
    defaultCapacityProviderStrategy: [],
    ...renderServiceConnectDefaults(c),
  };
}
