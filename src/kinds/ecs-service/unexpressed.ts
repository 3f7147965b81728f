/**
 * The manifest model of ECS services, as seen from the raw SDK shapes (the task definition's
 * is task-definition/model.ts): what convertEcsService carries, what AWS alone sets, and what AWS
 * echoes for settings never asked for (docs/aws-behaviour.md). Any other member that is set
 * is reported by unexpressedPaths.
 */
import type { Service } from '@aws-sdk/client-ecs';
import { oneOf, sortedPaths, unexpressedPaths, type FieldModel } from '../../kit/unexpressed.js';

const M = 'modelled';
const RO = 'read-only';

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
  return sortedPaths([...unexpressedPaths(svc, SERVICE_MODEL), ...unexpressedPaths(settings, SERVICE_DEPLOYMENT_MODEL)]);
}
