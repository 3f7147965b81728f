/**
 * The manifest model of ECS task definitions and services, as seen from the raw SDK shapes:
 * what convertTaskDefinition / convertEcsService carry, what AWS alone sets, and what AWS
 * echoes for settings never asked for (docs/aws-behaviour.md). Any other member that is set
 * is reported by unexpressedPaths.
 */
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { oneOf, unexpressedPaths, type FieldModel } from '../../kit/unexpressed.js';

const M = 'modelled';
const RO = 'read-only';

const NAME_VALUE: FieldModel = { items: { fields: { name: M, valueFrom: M } } };

const CONTAINER: FieldModel = {
  fields: {
    name: M,
    image: M,
    cpu: M,
    memory: M,
    memoryReservation: M,
    essential: M,
    portMappings: { items: { fields: { containerPort: M, hostPort: M, protocol: M, name: M, appProtocol: M } } },
    environment: { items: { fields: { name: M, value: M } } },
    secrets: NAME_VALUE,
    logConfiguration: { fields: { logDriver: M, options: M, secretOptions: NAME_VALUE } },
    healthCheck: { fields: { command: M, interval: M, timeout: M, retries: M, startPeriod: M } },
    command: M,
    entryPoint: M,
    workingDirectory: M,
    user: M,
    // ECS resolves image tags to digests unless told otherwise; `enabled` is that default.
    versionConsistency: oneOf('enabled'),
  },
};

/** DescribeTaskDefinition's `taskDefinition`. */
export const TASK_DEFINITION_MODEL: FieldModel = {
  fields: {
    taskDefinitionArn: RO,
    revision: RO,
    status: RO,
    requiresAttributes: RO,
    compatibilities: RO,
    registeredAt: RO,
    registeredBy: RO,
    deregisteredAt: RO,
    deleteRequestedAt: RO,
    family: M,
    cpu: M,
    memory: M,
    networkMode: M,
    requiresCompatibilities: M,
    executionRoleArn: M,
    taskRoleArn: M,
    containerDefinitions: { items: CONTAINER },
    volumes: { items: { fields: { name: 'identity' } } },
    // What a Linux task on x86 gets when the task definition names no platform.
    runtimePlatform: oneOf({ cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' }, { cpuArchitecture: 'X86_64' }, { operatingSystemFamily: 'LINUX' }),
    // Fargate's ephemeral storage when none is asked for.
    ephemeralStorage: oneOf({ sizeInGiB: 20 }),
  },
};

/** DescribeServices' `services[]`, minus its deployments (see SERVICE_DEPLOYMENT_MODEL). */
export const SERVICE_MODEL: FieldModel = {
  fields: {
    serviceArn: RO,
    clusterArn: RO,
    status: RO,
    runningCount: RO,
    pendingCount: RO,
    platformFamily: RO,
    taskSets: RO,
    deployments: RO,
    events: RO,
    createdAt: RO,
    createdBy: RO,
    currentServiceDeployment: RO,
    currentServiceRevisions: RO,
    resourceManagementType: RO,
    serviceName: M,
    taskDefinition: M,
    desiredCount: M,
    launchType: M,
    platformVersion: M,
    healthCheckGracePeriodSeconds: M,
    enableECSManagedTags: M,
    enableExecuteCommand: M,
    propagateTags: M,
    tags: M,
    capacityProviderStrategy: { items: { fields: { capacityProvider: M, weight: M, base: M } } },
    loadBalancers: { items: { fields: { targetGroupArn: M, containerName: M, containerPort: M } } },
    serviceRegistries: { items: { fields: { registryArn: M, port: M, containerName: M, containerPort: M } } },
    networkConfiguration: { fields: { awsvpcConfiguration: { fields: { subnets: M, securityGroups: M, assignPublicIp: M } } } },
    deploymentConfiguration: {
      fields: {
        minimumHealthyPercent: M,
        maximumPercent: M,
        deploymentCircuitBreaker: { fields: { enable: M, rollback: M } },
        strategy: oneOf('ROLLING'),
        bakeTimeInMinutes: oneOf(0),
      },
    },
    schedulingStrategy: oneOf('REPLICA'),
    deploymentController: oneOf({ type: 'ECS' }),
    // New services default to ENABLED; services older than the setting report DISABLED, and
    // an UpdateService that does not name it keeps it.
    availabilityZoneRebalancing: oneOf('ENABLED', 'DISABLED'),
    // The service-linked role ECS uses when a service names no role.
    roleArn: { isDefault: (v) => typeof v === 'string' && v.endsWith(':role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS') },
  },
};

/**
 * Settings ECS reports on the PRIMARY deployment only (UpdateService request members of the
 * same name). Nothing of them is modelled yet.
 */
const SERVICE_DEPLOYMENT_MODEL: FieldModel = { fields: {} };

function sorted(paths: string[]): string[] {
  return [...new Set(paths)].sort();
}

/** Sorted paths of the task definition's settings the manifest model cannot express. */
export function unexpressedTaskDefinitionFields(td: TaskDefinition): string[] {
  return sorted(unexpressedPaths(td, TASK_DEFINITION_MODEL));
}

/** Sorted paths of the service's settings (its PRIMARY deployment's included) the model cannot express. */
export function unexpressedServiceFields(svc: Service): string[] {
  const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
  const settings = primary
    ? {
        serviceConnectConfiguration: primary.serviceConnectConfiguration,
        volumeConfigurations: primary.volumeConfigurations,
        vpcLatticeConfigurations: primary.vpcLatticeConfigurations,
      }
    : {};
  return sorted([...unexpressedPaths(svc, SERVICE_MODEL), ...unexpressedPaths(settings, SERVICE_DEPLOYMENT_MODEL)]);
}
