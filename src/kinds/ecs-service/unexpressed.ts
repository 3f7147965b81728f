/**
 * The manifest model of ECS services, as seen from the raw SDK shapes (the task definition's
 * is task-definition/model.ts): what convertEcsService carries, what AWS alone sets, and what AWS
 * echoes for settings never asked for (docs/aws-behaviour.md). Any other member that is set
 * is reported by unexpressedPaths.
 */
import type { Service } from '@aws-sdk/client-ecs';
import { sortedPaths, unexpressedPaths, unsupported, type FieldModel } from '../../kit/unexpressed.js';

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
    loadBalancers: {
      items: {
        fields: {
          targetGroupArn: M,
          loadBalancerName: M,
          containerName: M,
          containerPort: M,
          advancedConfiguration: { fields: { alternateTargetGroupArn: M, productionListenerRule: M, testListenerRule: M, roleArn: M } },
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
        strategy: M,
        bakeTimeInMinutes: M,
        lifecycleHooks: {
          items: {
            fields: {
              targetType: M,
              hookTargetArn: M,
              roleArn: M,
              lifecycleStages: M,
              hookDetails: M,
              timeoutConfiguration: { fields: { timeoutInMinutes: M, action: M } },
            },
          },
        },
        linearConfiguration: { fields: { stepPercent: M, stepBakeTimeInMinutes: M } },
        canaryConfiguration: { fields: { canaryPercent: M, canaryBakeTimeInMinutes: M } },
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
          advancedConfiguration: unsupported(
            'blue/green traffic shifting through VPC Lattice is not modelled yet; load balancers (loadBalancers[].advancedConfiguration) and Service Connect carry blue/green traffic',
          ),
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
