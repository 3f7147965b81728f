import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { convertEcsService } from '../../src/kinds/ecs-service/convert.js';
import { convertTaskDefinition } from '../../src/kinds/ecs-service/task-definition/convert.js';
import { isUnset, oneOf, unexpressedPaths } from '../../src/kit/unexpressed.js';
import { unexpressedServiceFields } from '../../src/kinds/ecs-service/unexpressed.js';
import { unexpressedTaskDefinitionFields } from '../../src/kinds/ecs-service/task-definition/model.js';

describe('unexpressedPaths (generic walk)', () => {
  const model = {
    fields: {
      id: 'read-only' as const,
      name: 'modelled' as const,
      mode: oneOf('DEFAULT'),
      items: { items: { fields: { name: 'identity' as const, size: 'modelled' as const } } },
    },
  };

  it('reports set members the model does not list, with list indexes, and nothing for unset values', () => {
    const paths = unexpressedPaths(
      {
        id: 'x',
        name: 'n',
        mode: 'DEFAULT',
        extra: { a: 1 },
        empty: [],
        off: false,
        blank: '',
        nested: { list: [], flag: false },
        items: [
          { name: 'a', size: 1 },
          { name: 'b', other: 2 },
        ],
      },
      model,
    );
    assert.deepEqual(paths, ['extra', 'items[1].other']);
  });

  it('reports a non-default value of a defaulted member, and an item that only names itself', () => {
    assert.deepEqual(unexpressedPaths({ mode: 'OTHER', items: [{ name: 'scratch' }] }, model), ['mode', 'items[0]']);
  });

  it('counts dates and numbers (also 0) as set', () => {
    assert.equal(isUnset(new Date(0)), false);
    assert.equal(isUnset(0), false);
    assert.equal(isUnset({ a: [], b: { c: null } }), true);
  });
});

/** A Fargate revision as DescribeTaskDefinition returns it, with the members AWS fills in. */
function echoedTaskDefinition(): TaskDefinition {
  return {
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:3',
    family: 'api',
    revision: 3,
    status: 'ACTIVE',
    cpu: '256',
    memory: '512',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    compatibilities: ['EC2', 'FARGATE'],
    requiresAttributes: [{ name: 'ecs.capability.task-eni' }],
    executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
    volumes: [],
    placementConstraints: [],
    runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    enableFaultInjection: false,
    registeredAt: new Date(1_700_000_000_000),
    registeredBy: 'arn:aws:iam::123456789012:root',
    containerDefinitions: [
      {
        name: 'api',
        image: 'public.ecr.aws/example/api:1.0',
        cpu: 0,
        essential: true,
        portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
        environment: [],
        environmentFiles: [],
        mountPoints: [],
        volumesFrom: [],
        systemControls: [],
        ulimits: [],
        dockerLabels: {},
        versionConsistency: 'enabled',
        healthCheck: { command: ['CMD', 'true'], interval: 30, timeout: 5, retries: 3 },
      },
    ],
  };
}

describe('unexpressed task definition settings', () => {
  it('lists nothing for a revision that only carries modelled fields and the defaults AWS echoes', () => {
    assert.deepEqual(unexpressedTaskDefinitionFields(echoedTaskDefinition()), []);
    assert.equal(convertTaskDefinition(echoedTaskDefinition(), [])?.unexpressed, undefined);
  });

  it('carries ARM64, 50 GiB ephemeral storage, an EFS volume, ulimits and linux parameters into the manifest; lists retired inference accelerators', () => {
    const td = echoedTaskDefinition();
    td.runtimePlatform = { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' };
    td.ephemeralStorage = { sizeInGiB: 50 };
    td.volumes = [{ name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-1', rootDirectory: '/' } }];
    td.inferenceAccelerators = [{ deviceName: 'eia', deviceType: 'eia2.medium' }];
    const container = td.containerDefinitions![0]!;
    container.ulimits = [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }];
    container.mountPoints = [{ sourceVolume: 'data', containerPath: '/data' }];
    container.linuxParameters = { initProcessEnabled: true };
    const live = convertTaskDefinition(td, []);
    assert.deepEqual(live?.unexpressed, ['inferenceAccelerators']);
    assert.deepEqual(live?.spec.runtimePlatform, { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' });
    assert.deepEqual(live?.spec.ephemeralStorage, { sizeInGiB: 50 });
    assert.deepEqual(live?.spec.volumes, [{ name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-1', rootDirectory: '/' } }]);
    const app = live?.spec.containers[0];
    assert.deepEqual(app?.ulimits, [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }]);
    assert.deepEqual(app?.mountPoints, [{ sourceVolume: 'data', containerPath: '/data' }]);
    assert.deepEqual(app?.linuxParameters, { initProcessEnabled: true });
    // Echoed empties are left out of the manifest shape.
    assert.equal(app?.systemControls, undefined);
    assert.equal(app?.dockerLabels, undefined);
  });

  it('catches a member AWS adds later, at task and container level', () => {
    const td = { ...echoedTaskDefinition(), futureSetting: { mode: 'strict' } } as TaskDefinition;
    td.containerDefinitions![0] = { ...td.containerDefinitions![0]!, futureContainerSetting: true } as NonNullable<
      TaskDefinition['containerDefinitions']
    >[number];
    td.containerDefinitions![0]!.portMappings = [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp', containerPortRange: '9000-9001' }];
    td.volumes = [{ name: 'scratch' }];
    assert.deepEqual(unexpressedTaskDefinitionFields(td), ['containerDefinitions[0].futureContainerSetting', 'futureSetting']);
  });
});

/** A Fargate service as DescribeServices returns it, with the members AWS fills in. */
function echoedService(): Service {
  return {
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/demo/api',
    serviceName: 'api',
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/demo',
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    platformFamily: 'Linux',
    taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:3',
    loadBalancers: [],
    serviceRegistries: [],
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      alarms: { alarmNames: [], enable: false, rollback: false },
      strategy: 'ROLLING',
      bakeTimeInMinutes: 0,
    },
    deployments: [
      {
        id: 'ecs-svc/1',
        status: 'PRIMARY',
        taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:3',
        rolloutState: 'COMPLETED',
        createdAt: new Date(1_700_000_000_000),
      },
    ],
    roleArn: 'arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS',
    events: [{ id: 'e1', message: 'steady', createdAt: new Date(1_700_000_000_000) }],
    createdAt: new Date(1_700_000_000_000),
    createdBy: 'arn:aws:iam::123456789012:root',
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
    healthCheckGracePeriodSeconds: 0,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: false,
    availabilityZoneRebalancing: 'ENABLED',
    tags: [{ key: 'team', value: 'a' }],
  };
}

describe('unexpressed service settings', () => {
  it('lists nothing for a service with modelled fields and echoed defaults only', () => {
    assert.deepEqual(unexpressedServiceFields(echoedService()), []);
    assert.equal(convertEcsService(echoedService(), () => undefined)?.unexpressed, undefined);
  });

  it('lists nothing for the modelled placement, alarms, role, blue/green deployment settings and Service Connect', () => {
    const svc = echoedService();
    svc.placementConstraints = [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*' }];
    svc.placementStrategy = [{ type: 'spread', field: 'attribute:ecs.availability-zone' }];
    svc.deploymentConfiguration!.alarms = { alarmNames: ['api-5xx'], enable: true, rollback: true };
    svc.deploymentConfiguration!.strategy = 'BLUE_GREEN';
    svc.deploymentConfiguration!.bakeTimeInMinutes = 15;
    svc.loadBalancers = [
      {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/0123456789abcdef',
        containerName: 'app',
        containerPort: 8080,
        advancedConfiguration: {
          alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/0123456789abcdef',
          productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/1/2/3',
          roleArn: 'arn:aws:iam::123456789012:role/ecs-lb',
        },
      },
    ];
    svc.roleArn = 'arn:aws:iam::123456789012:role/custom-ecs';
    svc.deployments![0]!.serviceConnectConfiguration = { enabled: true, namespace: 'internal' };
    svc.deployments!.push({ id: 'ecs-svc/0', status: 'ACTIVE', volumeConfigurations: [{ name: 'old' }] });
    const live = convertEcsService(svc, () => undefined);
    svc.deploymentConfiguration!.lifecycleHooks = [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }];
    assert.equal(live?.unexpressed, undefined);
    assert.equal(live?.spec.deploymentConfiguration?.strategy, 'BLUE_GREEN');
    assert.equal(live?.spec.deploymentConfiguration?.bakeTimeInMinutes, 15);
    assert.equal(live?.spec.loadBalancers?.[0]?.advancedConfiguration?.roleArn, 'arn:aws:iam::123456789012:role/ecs-lb');
    assert.deepEqual(live?.spec.serviceConnect, { enabled: true, namespace: 'internal' });
    assert.deepEqual(unexpressedServiceFields(svc), [], 'lifecycle hooks are modelled too');
    assert.equal(live?.spec.role, 'arn:aws:iam::123456789012:role/custom-ecs');
    assert.deepEqual(live?.spec.deploymentConfiguration?.alarms, { alarmNames: ['api-5xx'], enable: true, rollback: true });
  });

  it('does not count Service Connect that is switched off, and expresses a daemon service', () => {
    const svc = echoedService();
    svc.deployments![0]!.serviceConnectConfiguration = { enabled: false };
    assert.deepEqual(unexpressedServiceFields(svc), []);
    svc.schedulingStrategy = 'DAEMON';
    assert.deepEqual(unexpressedServiceFields(svc), []);
    assert.equal(convertEcsService(svc, () => undefined)?.spec.schedulingStrategy, 'DAEMON');
  });
});
