/**
 * ECS services whose cluster could not be read. A cluster that does not exist makes every
 * CreateService fail with ClusterNotFoundException, and a cluster that may not be read hides
 * whether the service exists: either way the plan must not create, and says why at once.
 */
import { nameFromArn } from '../../kit/ownership.js';
import { DEFAULT_CLUSTER } from './normalize.js';
import type { DesiredResource } from '../../manifests/types.js';
import type { LiveSet, ResourcePlan } from '../../kit/types.js';

/** `blockedBy` of a service whose cluster does not exist. */
export const CLUSTER_MISSING = 'cluster-missing';
/** `blockedBy` of a service whose cluster could not be read (e.g. access denied). */
export const CLUSTER_UNREADABLE = 'cluster-unreadable';

/** The cluster name an EcsService manifest targets (absent = `default`, as in AWS). */
export function clusterOf(d: DesiredResource): string | undefined {
  if (d.kind !== 'EcsService') return undefined;
  return nameFromArn(d.manifest.spec.cluster ?? DEFAULT_CLUSTER);
}

/**
 * The blocked plan of an absent EcsService whose cluster is in `live.unreadable`, or
 * undefined when its cluster was read. The reason names the cluster, AWS's answer and the fix.
 */
export function blockedByCluster(d: DesiredResource, live: LiveSet): ResourcePlan | undefined {
  const cluster = clusterOf(d);
  if (cluster === undefined) return undefined;
  const u = live.unreadable.find((x) => x.scope === `EcsCluster/${cluster}`);
  if (!u) return undefined;
  const base = { kind: d.kind, key: d.key, name: d.name, desired: d, action: 'blocked' as const, wouldBe: 'create' as const, changes: [] };
  if (u.code === 'ClusterNotFoundException') {
    return {
      ...base,
      blockedBy: CLUSTER_MISSING,
      reason: `ECS cluster "${cluster}" does not exist (${u.reason}): create it (aws ecs create-cluster --cluster-name ${cluster}) or change spec.cluster`,
    };
  }
  return {
    ...base,
    blockedBy: CLUSTER_UNREADABLE,
    reason: `ECS cluster "${cluster}" could not be read (${u.reason}): the service is not created until the cluster can be read`,
  };
}
