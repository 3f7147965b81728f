/**
 * Resource keys: the identity of a resource, unique in a source, used by the plan, status,
 * metrics labels and the `ecs-gitops.io/resource` owner tag. One helper per kind; nothing
 * else spells a key.
 */

/** The ECS cluster of a service whose manifest names none (as in AWS). */
export const DEFAULT_CLUSTER = 'default';

/** `CloudMapNamespace/<name>` */
export function namespaceKey(name: string): string {
  return `CloudMapNamespace/${name}`;
}

/** `CloudMapService/<namespace>/<name>` */
export function cloudMapServiceKey(namespace: string, name: string): string {
  return `CloudMapService/${namespace}/${name}`;
}

/** `EcsService/<cluster>/<name>`; an absent cluster is `default`. */
export function ecsServiceKey(cluster: string | undefined, name: string): string {
  return `EcsService/${cluster ?? DEFAULT_CLUSTER}/${name}`;
}

/** `TaskDefinition/<family>` (apply events only: a task definition is part of its EcsService). */
export function taskDefinitionKey(family: string): string {
  return `TaskDefinition/${family}`;
}
