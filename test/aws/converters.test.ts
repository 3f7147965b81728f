import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import type { NamespaceSummary, ServiceSummary } from '@aws-sdk/client-servicediscovery';
import { convertCloudMapService } from '../../src/kinds/cloudmap-service/convert.js';
import { convertEcsService, deploymentsInProgress } from '../../src/kinds/ecs-service/convert.js';
import { convertNamespace } from '../../src/kinds/cloudmap-namespace/convert.js';
import { convertTaskDefinition } from '../../src/kinds/ecs-service/task-definition/convert.js';
import { nameFromArn, ownerFromTags, tagMap } from '../../src/kit/ownership.js';
import { OWNER_TAGS, type LiveCloudMapService } from '../../src/kit/types.js';

const OWNED = { [OWNER_TAGS.controller]: 'ecs-gitops', [OWNER_TAGS.resource]: 'CloudMapService/internal/name', team: 'a' };

describe('ownership and tags', () => {
  it('reads both AWS tag spellings into one map', () => {
    assert.deepEqual(tagMap([{ key: 'a', value: '1' }, { Key: 'b', Value: '2' }, { key: 'c' }]), { a: '1', b: '2', c: '' });
  });

  it('derives ownership only when controller and resource tags are both set', () => {
    assert.deepEqual(ownerFromTags(OWNED), { controllerId: 'ecs-gitops', resourceKey: 'CloudMapService/internal/name' });
    assert.equal(ownerFromTags({ [OWNER_TAGS.controller]: 'ecs-gitops' }), undefined);
    assert.equal(ownerFromTags({}), undefined);
  });

  it('takes the last path segment of an ARN as the name', () => {
    assert.equal(nameFromArn('arn:aws:ecs:us-east-1:123456789012:cluster/demo'), 'demo');
    assert.equal(nameFromArn('arn:aws:ecs:us-east-1:123456789012:service/demo/web'), 'web');
    assert.equal(nameFromArn('demo'), 'demo');
  });
});

describe('Cloud Map namespace converter', () => {
  const summary: NamespaceSummary = {
    Id: 'ns-1',
    Arn: 'arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-1',
    Name: 'internal',
    Type: 'DNS_PRIVATE',
    Description: 'internal discovery',
    ServiceCount: 3,
    Properties: { DnsProperties: { HostedZoneId: 'Z123', SOA: { TTL: 60 } } },
  };

  it('maps a private DNS namespace summary to manifest shape with owner and zone', () => {
    const live = convertNamespace(summary, { ...OWNED }, 'vpc-1');
    assert.deepEqual(live, {
      kind: 'CloudMapNamespace',
      key: 'CloudMapNamespace/internal',
      name: 'internal',
      arn: summary.Arn,
      id: 'ns-1',
      tags: OWNED,
      owner: { controllerId: 'ecs-gitops', resourceKey: 'CloudMapService/internal/name' },
      spec: { type: 'DNS_PRIVATE', vpc: 'vpc-1', description: 'internal discovery', soaTtl: 60, tags: OWNED },
      hostedZoneId: 'Z123',
      serviceCount: 3,
    });
  });

  it('leaves out what an HTTP namespace does not have, and skips summaries without identity', () => {
    const live = convertNamespace({ Id: 'ns-2', Arn: 'arn:x', Name: 'api', Type: 'HTTP', Properties: { HttpProperties: { HttpName: 'api' } } }, {});
    assert.deepEqual(live?.spec, { type: 'HTTP', tags: {} });
    assert.equal(live?.owner, undefined);
    assert.equal(live?.hostedZoneId, undefined);
    assert.equal(convertNamespace({ Id: 'ns-3', Name: 'x', Type: 'HTTP' }, {}), undefined);
  });
});

describe('Cloud Map service converter', () => {
  const ns = { id: 'ns-1', name: 'internal' };

  it('maps DNS config, custom health check and tags to manifest shape', () => {
    const summary: ServiceSummary = {
      Id: 'srv-1',
      Arn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1',
      Name: 'name',
      Type: 'DNS_HTTP',
      Description: 'the name service',
      InstanceCount: 2,
      DnsConfig: {
        RoutingPolicy: 'MULTIVALUE',
        DnsRecords: [
          { Type: 'A', TTL: 60 },
          { Type: 'SRV', TTL: 30 },
        ],
      },
      HealthCheckCustomConfig: { FailureThreshold: 1 },
    };
    const live = convertCloudMapService(summary, ns, { ...OWNED });
    assert.deepEqual(live, {
      kind: 'CloudMapService',
      key: 'CloudMapService/internal/name',
      name: 'name',
      arn: summary.Arn,
      id: 'srv-1',
      namespaceId: 'ns-1',
      tags: OWNED,
      owner: { controllerId: 'ecs-gitops', resourceKey: 'CloudMapService/internal/name' },
      instanceCount: 2,
      spec: {
        namespace: 'internal',
        description: 'the name service',
        tags: OWNED,
        dns: {
          routingPolicy: 'MULTIVALUE',
          records: [
            { type: 'A', ttl: 60 },
            { type: 'SRV', ttl: 30 },
          ],
        },
        healthCheck: { custom: { failureThreshold: 1 } },
      },
    });
  });

  it('maps an API-only service and a Route 53 health check', () => {
    const live = convertCloudMapService(
      { Id: 'srv-2', Arn: 'arn:s2', Name: 'api', Type: 'HTTP', HealthCheckConfig: { Type: 'HTTPS', ResourcePath: '/health', FailureThreshold: 3 } },
      { id: 'ns-2', name: 'public.example' },
      {},
    );
    assert.deepEqual(live?.spec, {
      namespace: 'public.example',
      type: 'HTTP',
      tags: {},
      healthCheck: { route53: { type: 'HTTPS', resourcePath: '/health', failureThreshold: 3 } },
    });
    assert.equal(live?.key, 'CloudMapService/public.example/api');
  });

  it('keeps an empty custom health config as present', () => {
    const live = convertCloudMapService({ Id: 's', Arn: 'a', Name: 'n', HealthCheckCustomConfig: {} }, ns, {});
    assert.deepEqual(live?.spec.healthCheck, { custom: {} });
  });
});

describe('task definition converter', () => {
  const td: TaskDefinition = {
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/name:7',
    family: 'name',
    revision: 7,
    status: 'ACTIVE',
    cpu: '256',
    memory: '512',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    compatibilities: ['EC2', 'FARGATE'],
    executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
    containerDefinitions: [
      {
        name: 'name',
        image: 'public.ecr.aws/example/name:1.0',
        cpu: 0,
        essential: true,
        portMappings: [{ containerPort: 3000, hostPort: 3000, protocol: 'tcp', name: 'http' }],
        environment: [
          { name: 'PORT', value: '3000' },
          { name: 'MODE', value: 'prod' },
        ],
        secrets: [{ name: 'DB', valueFrom: 'arn:aws:secretsmanager:x' }],
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/name' } },
        healthCheck: { command: ['CMD-SHELL', 'true'], interval: 30, timeout: 5, retries: 3 },
        command: ['node', 'server.js'],
        mountPoints: [],
        volumesFrom: [],
      },
    ],
  };

  it('maps a described revision to the inline shape: environment list becomes a map, values as AWS echoes them', () => {
    const live = convertTaskDefinition(td, [{ key: OWNER_TAGS.contentHash, value: 'abc' }]);
    assert.deepEqual(live, {
      arn: td.taskDefinitionArn,
      family: 'name',
      revision: 7,
      tags: { [OWNER_TAGS.contentHash]: 'abc' },
      spec: {
        family: 'name',
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
        tags: { [OWNER_TAGS.contentHash]: 'abc' },
        containers: [
          {
            name: 'name',
            image: 'public.ecr.aws/example/name:1.0',
            cpu: 0,
            essential: true,
            portMappings: [{ containerPort: 3000, hostPort: 3000, protocol: 'tcp', name: 'http' }],
            environment: { PORT: '3000', MODE: 'prod' },
            secrets: [{ name: 'DB', valueFrom: 'arn:aws:secretsmanager:x' }],
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/name' } },
            healthCheck: { command: ['CMD-SHELL', 'true'], interval: 30, timeout: 5, retries: 3 },
            command: ['node', 'server.js'],
          },
        ],
      },
    });
  });

  it('returns undefined without an ARN and keeps a missing task-level cpu visible', () => {
    assert.equal(convertTaskDefinition({ family: 'x', revision: 1 }, []), undefined);
    const live = convertTaskDefinition({ taskDefinitionArn: 'arn:td/x:1', family: 'x', revision: 1, containerDefinitions: [] }, undefined);
    assert.equal(live?.spec.cpu, '');
    assert.equal(live?.spec.tags, undefined);
  });
});

describe('ECS service converter', () => {
  const registry: LiveCloudMapService = {
    kind: 'CloudMapService',
    key: 'CloudMapService/internal/name',
    name: 'name',
    arn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1',
    id: 'srv-1',
    namespaceId: 'ns-1',
    tags: {},
    spec: { namespace: 'internal' },
  };
  const svc: Service = {
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/demo/name',
    serviceName: 'name',
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/demo',
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 1,
    pendingCount: 1,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/name:6',
    deployments: [
      { id: 'd2', status: 'PRIMARY', taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/name:7', rolloutState: 'IN_PROGRESS' },
      { id: 'd1', status: 'ACTIVE', taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/name:6', rolloutState: 'COMPLETED' },
    ],
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-b', 'subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
    loadBalancers: [{ targetGroupArn: 'arn:tg', containerName: 'name', containerPort: 3000 }],
    deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
    healthCheckGracePeriodSeconds: 30,
    enableExecuteCommand: false,
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    serviceRegistries: [{ registryArn: registry.arn, containerName: 'name', containerPort: 3000 }],
    tags: [
      { key: OWNER_TAGS.controller, value: 'ecs-gitops' },
      { key: OWNER_TAGS.resource, value: 'EcsService/demo/name' },
    ],
  };

  it('maps a described service to manifest shape, resolving its registry to discovery', () => {
    const live = convertEcsService(svc, (arn) => (arn === registry.arn ? registry : undefined));
    assert.ok(live);
    assert.equal(live.key, 'EcsService/demo/name');
    assert.equal(live.cluster, 'demo');
    assert.deepEqual(live.owner, { controllerId: 'ecs-gitops', resourceKey: 'EcsService/demo/name' });
    assert.equal(live.taskDefinitionArn, 'arn:aws:ecs:us-east-1:123456789012:task-definition/name:7', 'the PRIMARY deployment wins');
    assert.deepEqual(live.serviceRegistryArns, [registry.arn]);
    assert.deepEqual(
      { running: live.runningCount, pending: live.pendingCount, inProgress: live.deploymentsInProgress, status: live.status },
      { running: 1, pending: 1, inProgress: 2, status: 'ACTIVE' },
    );
    assert.deepEqual(live.spec, {
      cluster: 'demo',
      tags: { [OWNER_TAGS.controller]: 'ecs-gitops', [OWNER_TAGS.resource]: 'EcsService/demo/name' },
      taskDefinitionRef: 'arn:aws:ecs:us-east-1:123456789012:task-definition/name:7',
      desiredCount: 2,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      networkConfiguration: { subnets: ['subnet-b', 'subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' },
      loadBalancers: [{ targetGroupArn: 'arn:tg', containerName: 'name', containerPort: 3000 }],
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, circuitBreaker: { enable: true, rollback: true } },
      healthCheckGracePeriodSeconds: 30,
      enableExecuteCommand: false,
      enableECSManagedTags: false,
      propagateTags: 'NONE',
      discovery: { service: 'name', namespace: 'internal', containerName: 'name', containerPort: 3000 },
    });
  });

  it('embeds the described task definition and keeps an unresolvable registry out of discovery', () => {
    const td = convertTaskDefinition(
      { taskDefinitionArn: 'arn:td/name:7', family: 'name', revision: 7, cpu: '256', memory: '512', containerDefinitions: [] },
      [],
    );
    assert.ok(td);
    const live = convertEcsService(svc, () => undefined, td);
    assert.equal(live?.spec.discovery, undefined);
    assert.deepEqual(live?.serviceRegistryArns, [registry.arn]);
    assert.deepEqual(live?.spec.taskDefinition, td.spec);
    assert.equal(live?.taskDefinition, td);
  });

  it('maps a capacity provider strategy and counts a completed primary deployment as steady', () => {
    const live = convertEcsService(
      {
        serviceArn: 'arn:s',
        serviceName: 's',
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }],
        deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: 'arn:td/s:1' }],
      },
      () => undefined,
    );
    assert.equal(live?.key, 'EcsService/default/s');
    assert.deepEqual(live?.spec.capacityProviderStrategy, [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }]);
    assert.equal(live?.owner, undefined);
    assert.equal(deploymentsInProgress({ deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }] }), 0);
  });
});
