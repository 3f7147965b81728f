import type { JsonObject } from '../../types.js';
import type { EcsContext } from './context.js';
import type { ClusterRecord } from './state.js';
import { invalidParameter, namespaceNotFound, optObject, optString } from './validation.js';

/** Namespace names: up to 1,024 characters without `>`, `<`, `"` or `/`. */
const NAMESPACE_NAME = /^[^<>"/]{1,1024}$/;

/**
 * The cluster's `serviceConnectDefaults` from a CreateCluster or UpdateCluster request:
 * an existing namespace (name or ARN) is used as it is; a new name makes ECS create an HTTP
 * namespace of that name (tagged `AmazonECSManaged`); an unknown ARN is
 * NamespaceNotFoundException. UpdateCluster with `""` removes the default (the namespace
 * stays in Cloud Map). Returns undefined when the request leaves the defaults alone.
 */
export function parseServiceConnectDefaults(ctx: EcsContext, input: JsonObject, update: boolean): { namespace: string } | null | undefined {
  const raw = optObject(input, 'serviceConnectDefaults');
  if (!raw) return undefined;
  const ref = optString(raw, 'namespace');
  if (ref === undefined) throw invalidParameter('serviceConnectDefaults.namespace must be specified.');
  if (ref === '' && update) return null;
  if (!ref.startsWith('arn:') && !NAMESPACE_NAME.test(ref)) {
    throw invalidParameter('serviceConnectDefaults.namespace can have up to 1024 characters and can not contain >, <, " or /.');
  }
  const registry = ctx.serviceConnect;
  if (!registry) throw namespaceNotFound();
  const existing = registry.findNamespace(ref);
  if (existing) return { namespace: existing.arn };
  if (ref.startsWith('arn:')) throw namespaceNotFound();
  return { namespace: registry.createManagedNamespace(ref).arn };
}

/** Applies parsed defaults to a cluster (null removes them). */
export function applyServiceConnectDefaults(cluster: ClusterRecord, defaults: { namespace: string } | null | undefined): void {
  if (defaults === undefined) return;
  if (defaults === null) delete cluster.serviceConnectDefaults;
  else cluster.serviceConnectDefaults = defaults;
}

/** The `serviceConnectDefaults` member of a rendered cluster. */
export function renderServiceConnectDefaults(cluster: ClusterRecord): JsonObject {
  return cluster.serviceConnectDefaults ? { serviceConnectDefaults: { ...cluster.serviceConnectDefaults } } : {};
}
