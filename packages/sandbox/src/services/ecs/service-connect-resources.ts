import type { JsonObject } from '../../types.js';
import type { EcsContext } from './context.js';
import type { ServiceConnectPlan, ServiceRecord, ServiceSpec, TaskRecord } from './state.js';
import { addServiceEvent } from './tasks.js';
import { invalidParameter } from './validation.js';

/**
 * Refuses a plan whose discovery names another ECS service already uses in the same
 * namespace, or that a Cloud Map service ECS did not create already holds (AWS:
 * InvalidParameterException "SC service is already used by <namespace ARN>"). Runs before
 * the request changes anything. `serviceArn` is the service being created or updated.
 */
export function checkServiceConnectClaims(ctx: EcsContext, serviceArn: string, plan: ServiceConnectPlan | undefined, operation: string): void {
  if (!plan) return;
  const inUse = (): never => {
    throw invalidParameter(`${operation} error: SC service is already used by ${plan.namespace.arn}`);
  };
  for (const endpoint of plan.endpoints) {
    if (claimedElsewhere(ctx, serviceArn, plan.namespace.id, endpoint.discoveryName)) inUse();
    const existing = ctx.serviceConnect?.findDiscovery(plan.namespace.id, endpoint.discoveryName);
    if (existing && !existing.managed) inUse();
  }
}

/** Whether another ECS service (not INACTIVE) has a deployment using this discovery name. */
function claimedElsewhere(ctx: EcsContext, serviceArn: string, namespaceId: string, discoveryName: string): boolean {
  for (const cluster of ctx.state.clusters.values()) {
    for (const other of cluster.services.values()) {
      if (other.arn === serviceArn || other.status === 'INACTIVE') continue;
      const plans = other.deployments.map((d) => d.spec.serviceConnect);
      if (plans.some((p) => p?.namespace.id === namespaceId && p.endpoints.some((e) => e.discoveryName === discoveryName))) return true;
    }
  }
  return false;
}

/**
 * Creates the Cloud Map service of each endpoint (or reuses the one ECS created before, for
 * this or an earlier service) and records its ARN on the endpoint.
 */
export function attachServiceConnect(ctx: EcsContext, service: ServiceRecord, plan: ServiceConnectPlan | undefined): void {
  const registry = ctx.serviceConnect;
  if (!plan || !registry) return;
  for (const endpoint of plan.endpoints) {
    const existing = registry.findDiscovery(plan.namespace.id, endpoint.discoveryName);
    endpoint.discoveryArn = existing?.arn ?? registry.createManagedDiscovery(plan.namespace.id, endpoint.discoveryName, `Managed by ${service.arn}`);
  }
}

/**
 * Registers a task that has started in the Cloud Map service of each endpoint of its
 * deployment (instance id = task id) with the attributes ECS writes for Service Connect.
 * Stopping the task deregisters it (through `task.registrations`).
 */
export function registerServiceConnectInstances(ctx: EcsContext, task: TaskRecord, service: ServiceRecord): void {
  const plan = task.spec?.serviceConnect;
  if (!plan || !ctx.registry) return;
  const { region, accountId } = ctx.world.options;
  const deploymentArn = `arn:aws:ecs:${region}:${accountId}:task-set/${service.cluster.name}/${service.name}/${task.deploymentId ?? ''}`;
  for (const endpoint of plan.endpoints) {
    if (endpoint.discoveryArn === undefined) continue;
    const attributes: Record<string, string> = {
      AWS_INSTANCE_IPV4: task.privateIp,
      AWS_INSTANCE_PORT: String(endpoint.port),
      AvailabilityZone: task.availabilityZone,
      DeploymentId: deploymentArn,
      ...(endpoint.idleTimeoutSeconds !== undefined ? { IdleTimeoutInSeconds: String(endpoint.idleTimeoutSeconds) } : {}),
      ...(endpoint.perRequestTimeoutSeconds !== undefined ? { PerRequestTimeoutInSeconds: String(endpoint.perRequestTimeoutSeconds) } : {}),
    };
    try {
      ctx.registry.registerInstance(endpoint.discoveryArn, task.id, attributes);
      task.registrations.push({ registryArn: endpoint.discoveryArn, instanceId: task.id });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      addServiceEvent(
        ctx,
        service,
        `(service ${service.name}) failed to register task ${task.id} in Service Connect service ${endpoint.discoveryName}: ${why}`,
      );
    }
  }
}

/** `serviceConnectResources` of a deployment: one `{discoveryName, discoveryArn}` per endpoint. */
export function renderServiceConnectResources(spec: ServiceSpec): JsonObject {
  const endpoints = spec.serviceConnect?.endpoints ?? [];
  if (endpoints.length === 0) return {};
  return {
    serviceConnectResources: endpoints.map((e) => ({
      discoveryName: e.discoveryName,
      ...(e.discoveryArn !== undefined ? { discoveryArn: e.discoveryArn } : {}),
    })),
  };
}
