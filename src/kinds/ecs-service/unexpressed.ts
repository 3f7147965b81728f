/**
 * The manifest model of ECS services, as seen from the raw SDK shapes (the task definition's
 * is task-definition/model.ts): what convertEcsService carries, what AWS alone sets, and what AWS
 * echoes for settings never asked for (docs/aws-behaviour.md). Any other member that is set
 * is reported by unexpressedPaths.
 */
import type { Service } from '@aws-sdk/client-ecs';
import { sortedPaths, unexpressedPaths, unsupported, type FieldModel } from '../../kit/unexpressed.js';
import { deepEqual } from '../../util/deep-equal.js';

const M = 'modelled';
const RO = 'read-only';

const NEXT_RELEASE = 'comes with the next release (deployment strategies BLUE_GREEN, LINEAR and CANARY)';

/** A member only its default value of which is expressible, and why. */
function onlyDefault(reason: string, ...values: readonly unknown[]): FieldModel {
  return { isDefault: (value) => values.some((v) => deepEqual(v, value)), reason };
}

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
    loadBalancers: {
      items: {
        fields: {
          targetGroupArn: M,
          loadBalancerName: M,
          containerName: M,
          containerPort: M,
          advancedConfiguration: unsupported(`blue/green target groups and listener rules ${NEXT_RELEASE}`),
        },
      },
    },
    serviceRegistries: { items: { fields: { registryArn: M, port: M, containerName: M, containerPort: M } } },
    networkConfiguration: { fields: { awsvpcConfiguration: { fields: { subnets: M, securityGroups: M, assignPublicIp: M } } } },
    deploymentConfiguration: {
      fields: {
        minimumHealthyPercent: M,
        maximumPercent: M,
        deploymentCircuitBreaker: { fields: { enable: M, rollback: M, resetOnHealthyTask: M, thresholdConfiguration: M } },
        alarms: { fields: { alarmNames: M, enable: M, rollback: M } },
        earlySuccessCriteria: M,
        strategy: onlyDefault(`ROLLING (the default) only; the other strategies ${NEXT_RELEASE}`, 'ROLLING'),
        bakeTimeInMinutes: onlyDefault(`0 only; bake time ${NEXT_RELEASE}`, 0),
        lifecycleHooks: unsupported(`deployment lifecycle hooks ${NEXT_RELEASE}`),
        linearConfiguration: unsupported(`LINEAR steps ${NEXT_RELEASE}`),
        canaryConfiguration: unsupported(`CANARY steps ${NEXT_RELEASE}`),
      },
    },
    schedulingStrategy: M,
    deploymentController: { fields: { type: M } },
    availabilityZoneRebalancing: M,
    roleArn: M,
    placementConstraints: { items: { fields: { type: M, expression: M } } },
    placementStrategy: { items: { fields: { type: M, field: M } } },
  },
};

/**
 * Settings ECS reports on the PRIMARY deployment only (UpdateService request members of the
 * same name).
 */
export const SERVICE_DEPLOYMENT_MODEL: FieldModel = {
  fields: {
    volumeConfigurations: M,
    vpcLatticeConfigurations: {
      items: {
        fields: {
          roleArn: M,
          targetGroupArn: M,
          portName: M,
          advancedConfiguration: unsupported(`blue/green alternate target groups ${NEXT_RELEASE}`),
        },
      },
    },
    serviceConnectConfiguration: {
      fields: {
        enabled: M,
        namespace: M,
        services: {
          items: {
            fields: {
              portName: M,
              discoveryName: M,
              clientAliases: { items: { fields: { port: M, dnsName: M, testTrafficRules: M } } },
              ingressPortOverride: M,
              timeout: M,
              tls: M,
            },
          },
        },
        logConfiguration: M,
        accessLogConfiguration: M,
        containerConfigurations: M,
      },
    },
  },
};

function fieldsOf(model: FieldModel): Readonly<Record<string, FieldModel>> {
  return typeof model === 'object' && 'fields' in model ? model.fields : {};
}

/**
 * CreateService / UpdateService request members, as the coverage table reads them: the
 * service's and its deployment's settings, plus the members a request has and
 * DescribeServices does not. Request member names that differ from the response's are
 * mapped by SERVICE_REQUEST_ALIASES.
 */
export const SERVICE_REQUEST_MODEL: FieldModel = {
  fields: {
    ...fieldsOf(SERVICE_MODEL),
    ...fieldsOf(SERVICE_DEPLOYMENT_MODEL),
    // The apply step sets it from the resource key and the request (kit/idempotency.ts).
    clientToken: M,
    forceNewDeployment: unsupported(
      'an action, not a setting: ecs-gitops forces a deployment itself where ECS requires one (a capacity provider strategy change)',
    ),
    gatewayConnectors: unsupported(
      'DescribeServices does not report it (not in the SDK Service shape), so it can be neither observed nor diffed; it also needs an ECS gateway associated with the cluster',
    ),
    monitoring: unsupported('DescribeServices does not report it (not in the SDK Service shape), so it can be neither observed nor diffed'),
  },
};

/** Request member -> the name SERVICE_REQUEST_MODEL uses (the DescribeServices member). */
export const SERVICE_REQUEST_ALIASES: Readonly<Record<string, string>> = { cluster: 'clusterArn', service: 'serviceName', role: 'roleArn' };

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
