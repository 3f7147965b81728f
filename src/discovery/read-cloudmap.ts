import {
  DeregisterInstanceCommand,
  DiscoverInstancesCommand,
  DiscoverInstancesRevisionCommand,
  type ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery';
import { callOrUndefined } from '../aws/errors.js';
import { keptAttributes } from './compact.js';
import type { InstanceHealth, InstanceView } from './types.js';

/** DiscoverInstances answers at most 1,000 instances, which is also the per-service quota. */
const MAX_DISCOVER = 1000;

/** The instance list revision of a service; undefined when the service (or namespace) is gone. */
export async function instancesRevision(sd: ServiceDiscoveryClient, namespace: string, service: string, signal?: AbortSignal): Promise<number | undefined> {
  const out = await callOrUndefined('servicediscovery', 'DiscoverInstancesRevision', () =>
    sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: namespace, ServiceName: service }), { abortSignal: signal }),
  );
  return out?.InstancesRevision;
}

function health(value: string | undefined): InstanceHealth {
  return value === 'HEALTHY' || value === 'UNHEALTHY' ? value : 'UNKNOWN';
}

/**
 * Every instance of a service with its health and the attributes the checks read
 * (CHECKED_ATTRIBUTES), and the list revision, in one data-plane call (DiscoverInstances,
 * `HealthStatus: ALL`). This replaces ListInstances plus GetInstancesHealthStatus (two
 * control-plane calls per 100 instances, on the budget ECS itself uses to register tasks);
 * health changes do not move the revision, so services with a health check are read this way
 * on every check. Undefined when the service is gone.
 */
export async function discoverAll(
  sd: ServiceDiscoveryClient,
  namespace: string,
  service: string,
  signal?: AbortSignal,
): Promise<{ instances: InstanceView[]; revision?: number } | undefined> {
  const out = await callOrUndefined('servicediscovery', 'DiscoverInstances', () =>
    sd.send(new DiscoverInstancesCommand({ NamespaceName: namespace, ServiceName: service, HealthStatus: 'ALL', MaxResults: MAX_DISCOVER }), {
      abortSignal: signal,
    }),
  );
  if (!out) return undefined;
  // Only the attributes the checks read are kept (the checker keeps these between checks).
  const instances = (out.Instances ?? [])
    .filter((i) => i.InstanceId)
    .map((i): InstanceView => ({ id: i.InstanceId!, attributes: keptAttributes(i.Attributes), health: health(i.HealthStatus) }));
  return { instances, ...(out.InstancesRevision !== undefined ? { revision: out.InstancesRevision } : {}) };
}

/** Deregisters one instance; resolves to the operation id, or undefined when it was already gone. */
export async function deregisterInstance(
  sd: ServiceDiscoveryClient,
  serviceId: string,
  instanceId: string,
  signal?: AbortSignal,
): Promise<{ operationId?: string } | undefined> {
  const out = await callOrUndefined('servicediscovery', 'DeregisterInstance', () =>
    sd.send(new DeregisterInstanceCommand({ ServiceId: serviceId, InstanceId: instanceId }), { abortSignal: signal }),
  );
  if (!out) return undefined;
  return out.OperationId ? { operationId: out.OperationId } : {};
}
