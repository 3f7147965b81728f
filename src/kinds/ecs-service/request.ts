/** ECS CreateService / UpdateService request fields from an EcsService spec. */
import type { CreateServiceRequest, DeploymentConfiguration, NetworkConfiguration, ServiceRegistry, UpdateServiceRequest } from '@aws-sdk/client-ecs';
import type { EcsServiceSpec } from '../../manifests/types.js';
import { DEFAULT_CLUSTER } from './normalize.js';
import { deploymentConfigurationRequest } from './deployment-configuration.js';
import { createPassThrough, updatePassThrough } from './fields.js';
import { serviceConnectRequest } from './service-connect.js';

/** desiredCount of a new service whose manifest leaves it unmanaged (autoscaling takes over). */
export const UNMANAGED_INITIAL_DESIRED_COUNT = 1;

export function networkConfiguration(spec: EcsServiceSpec): NetworkConfiguration | undefined {
  const n = spec.networkConfiguration;
  if (!n) return undefined;
  return {
    awsvpcConfiguration: { subnets: [...n.subnets], securityGroups: n.securityGroups ? [...n.securityGroups] : undefined, assignPublicIp: n.assignPublicIp },
  };
}

export function deploymentConfiguration(spec: EcsServiceSpec): DeploymentConfiguration | undefined {
  return deploymentConfigurationRequest(spec);
}

/** serviceRegistries for `spec.discovery`, given the Cloud Map service's ARN. */
export function serviceRegistries(spec: EcsServiceSpec, registryArn: string | undefined): ServiceRegistry[] {
  const d = spec.discovery;
  if (!d || !registryArn) return [];
  return [{ registryArn, port: d.port, containerName: d.containerName, containerPort: d.containerPort }];
}

/** CreateService input (without tags and token, which the executor adds). */
export function createServiceRequest(name: string, spec: EcsServiceSpec, taskDefinition: string, registries: ServiceRegistry[]): CreateServiceRequest {
  return {
    cluster: spec.cluster ?? DEFAULT_CLUSTER,
    serviceName: name,
    taskDefinition,
    desiredCount: spec.desiredCount ?? UNMANAGED_INITIAL_DESIRED_COUNT,
    launchType: spec.capacityProviderStrategy ? undefined : spec.launchType,
    capacityProviderStrategy: spec.capacityProviderStrategy?.map((s) => ({ ...s })),
    platformVersion: spec.platformVersion,
    networkConfiguration: networkConfiguration(spec),
    loadBalancers: spec.loadBalancers?.map((lb) => ({ ...lb })),
    deploymentConfiguration: deploymentConfiguration(spec),
    healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds,
    enableExecuteCommand: spec.enableExecuteCommand,
    enableECSManagedTags: spec.enableECSManagedTags,
    propagateTags: spec.propagateTags,
    serviceRegistries: registries.length > 0 ? registries : undefined,
    serviceConnectConfiguration: serviceConnectRequest(spec.serviceConnect),
    ...createPassThrough(spec),
  };
}

/**
 * UpdateService fields for the changed top-level spec fields only, so a desiredCount change
 * alone never starts a deployment. `taskDefinition` and `registries` are resolved by the caller.
 */
export function updateServiceFields(
  spec: EcsServiceSpec,
  fields: ReadonlySet<string>,
  resolved: { taskDefinition?: string; registries?: ServiceRegistry[] },
): Partial<UpdateServiceRequest> {
  const out: Partial<UpdateServiceRequest> = {};
  if (fields.has('desiredCount') && spec.desiredCount !== undefined) out.desiredCount = spec.desiredCount;
  if ((fields.has('taskDefinition') || fields.has('taskDefinitionRef')) && resolved.taskDefinition) out.taskDefinition = resolved.taskDefinition;
  if (fields.has('networkConfiguration')) out.networkConfiguration = networkConfiguration(spec);
  if (fields.has('platformVersion')) out.platformVersion = spec.platformVersion;
  if (fields.has('loadBalancers')) out.loadBalancers = (spec.loadBalancers ?? []).map((lb) => ({ ...lb }));
  if (fields.has('deploymentConfiguration')) out.deploymentConfiguration = deploymentConfiguration(spec);
  if (fields.has('capacityProviderStrategy')) {
    out.capacityProviderStrategy = (spec.capacityProviderStrategy ?? []).map((s) => ({ ...s }));
    // ECS refuses a strategy change (or a switch from a launch type) that does not force a deployment.
    out.forceNewDeployment = true;
  }
  if (fields.has('healthCheckGracePeriodSeconds')) out.healthCheckGracePeriodSeconds = spec.healthCheckGracePeriodSeconds;
  if (fields.has('enableExecuteCommand')) out.enableExecuteCommand = spec.enableExecuteCommand;
  if (fields.has('enableECSManagedTags')) out.enableECSManagedTags = spec.enableECSManagedTags;
  if (fields.has('propagateTags')) out.propagateTags = spec.propagateTags;
  if (fields.has('discovery') && resolved.registries) out.serviceRegistries = resolved.registries;
  if (fields.has('serviceConnect')) out.serviceConnectConfiguration = serviceConnectRequest(spec.serviceConnect) ?? { enabled: false };
  Object.assign(out, updatePassThrough(spec, fields));
  return out;
}
