/**
 * The sandbox answers with the server-side values AWS adds (botocore ecs 2014-11-13 and
 * servicediscovery 2017-03-14 models, docs/aws-behaviour.md), so the round-trip suite exercises
 * the diff against realistic echoes, and it refuses what AWS refuses.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  CreatePublicDnsNamespaceCommand,
  CreateServiceCommand as CreateCloudMapServiceCommand,
  GetOperationCommand,
  ListServicesCommand,
} from '@aws-sdk/client-servicediscovery';
import { useSandboxFixture } from '../helpers/sandbox.js';

const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-0aaa1111'] } };
const STRATEGY_ERROR = /you must force a new deployment/;

describe('sandbox echoes of AWS server-side values', () => {
  const fx = useSandboxFixture();
  let taskDefinitionArn = '';

  before(async () => {
    await fx.ecs.send(new CreateClusterCommand({ clusterName: 'echo' }));
    const out = await fx.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'echo',
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [
          {
            name: 'app',
            image: 'public.ecr.aws/example/echo:1',
            portMappings: [{ containerPort: 3000 }],
            healthCheck: { command: ['CMD-SHELL', 'true'] },
          },
          { name: 'tuned', image: 'public.ecr.aws/example/echo:1', essential: false, healthCheck: { command: ['CMD', 'true'], interval: 10, startPeriod: 5 } },
        ],
      }),
    );
    taskDefinitionArn = out.taskDefinition?.taskDefinitionArn ?? '';
  });

  it('DescribeTaskDefinition fills container defaults: cpu 0, empty lists, essential, hostPort, protocol, health check timings', async () => {
    const { taskDefinition } = await fx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
    const [app, tuned] = taskDefinition?.containerDefinitions ?? [];
    assert.equal(app?.cpu, 0);
    assert.deepEqual(app?.environment, []);
    assert.deepEqual(app?.mountPoints, []);
    assert.deepEqual(app?.volumesFrom, []);
    assert.deepEqual(app?.systemControls, []);
    assert.equal(app?.essential, true);
    assert.deepEqual(app?.portMappings, [{ containerPort: 3000, hostPort: 3000, protocol: 'tcp' }]);
    assert.deepEqual(app?.healthCheck, { command: ['CMD-SHELL', 'true'], interval: 30, timeout: 5, retries: 3 });
    assert.deepEqual(tuned?.healthCheck, { command: ['CMD', 'true'], interval: 10, timeout: 5, retries: 3, startPeriod: 5 });
    assert.equal(tuned?.essential, false);
    assert.deepEqual(taskDefinition?.compatibilities, ['EC2', 'FARGATE']);
    assert.equal(taskDefinition?.status, 'ACTIVE');
    assert.deepEqual(taskDefinition?.volumes, []);
  });

  it('DescribeServices reports the server-side defaults of a minimal Fargate service', async () => {
    await fx.ecs.send(
      new CreateServiceCommand({
        cluster: 'echo',
        serviceName: 'minimal',
        taskDefinition: 'echo',
        launchType: 'FARGATE',
        desiredCount: 0,
        networkConfiguration: NETWORK,
      }),
    );
    const svc = (await fx.ecs.send(new DescribeServicesCommand({ cluster: 'echo', services: ['minimal'] }))).services?.[0];
    assert.equal(svc?.taskDefinition, taskDefinitionArn, 'the family resolves to the full ARN with revision');
    assert.equal(svc?.platformVersion, 'LATEST');
    assert.equal(svc?.platformFamily, 'Linux');
    assert.equal(svc?.propagateTags, 'NONE');
    assert.equal(svc?.enableECSManagedTags, false);
    assert.equal(svc?.enableExecuteCommand, false);
    assert.equal(svc?.healthCheckGracePeriodSeconds, 0);
    assert.equal(svc?.schedulingStrategy, 'REPLICA');
    assert.deepEqual(svc?.deploymentController, { type: 'ECS' });
    assert.equal(svc?.availabilityZoneRebalancing, 'ENABLED');
    assert.deepEqual(svc?.deploymentConfiguration, {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    });
    assert.deepEqual(svc?.networkConfiguration, { awsvpcConfiguration: { subnets: ['subnet-0aaa1111'], assignPublicIp: 'DISABLED' } });
    assert.deepEqual(svc?.loadBalancers, []);
    assert.deepEqual(svc?.serviceRegistries, []);
    assert.deepEqual(svc?.placementConstraints, []);
    assert.deepEqual(svc?.placementStrategy, []);
  });

  it('capacity provider strategy items come back with weight and base 0 when left out', async () => {
    await fx.ecs.send(
      new CreateServiceCommand({
        cluster: 'echo',
        serviceName: 'spot',
        taskDefinition: 'echo',
        desiredCount: 0,
        networkConfiguration: NETWORK,
        capacityProviderStrategy: [
          { capacityProvider: 'FARGATE_SPOT', weight: 1 },
          { capacityProvider: 'FARGATE', base: 1 },
        ],
      }),
    );
    const svc = (await fx.ecs.send(new DescribeServicesCommand({ cluster: 'echo', services: ['spot'] }))).services?.[0];
    assert.deepEqual(svc?.capacityProviderStrategy, [
      { capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 },
      { capacityProvider: 'FARGATE', weight: 0, base: 1 },
    ]);
    assert.equal(svc?.launchType, undefined);
    assert.equal(svc?.platformVersion, 'LATEST');
  });

  it('a capacity provider strategy change (or a switch from a launch type) needs forceNewDeployment, as in AWS', async () => {
    const strategy = [{ capacityProvider: 'FARGATE_SPOT', weight: 2 }];
    await assert.rejects(
      fx.ecs.send(new UpdateServiceCommand({ cluster: 'echo', service: 'spot', capacityProviderStrategy: strategy })),
      (err: Error) => err.name === 'InvalidParameterException' && STRATEGY_ERROR.test(err.message),
    );
    await assert.rejects(
      fx.ecs.send(new UpdateServiceCommand({ cluster: 'echo', service: 'minimal', capacityProviderStrategy: strategy })),
      (err: Error) => err.name === 'InvalidParameterException' && STRATEGY_ERROR.test(err.message),
    );
    // The same strategy again is no change; other fields need no force.
    await fx.ecs.send(
      new UpdateServiceCommand({
        cluster: 'echo',
        service: 'spot',
        capacityProviderStrategy: [
          { capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 },
          { capacityProvider: 'FARGATE', weight: 0, base: 1 },
        ],
        propagateTags: 'SERVICE',
      }),
    );
    const primary = (s: { deployments?: { status?: string; id?: string }[] } | undefined) => s?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
    const before = (await fx.ecs.send(new DescribeServicesCommand({ cluster: 'echo', services: ['spot'] }))).services?.[0];
    const out = await fx.ecs.send(new UpdateServiceCommand({ cluster: 'echo', service: 'spot', capacityProviderStrategy: strategy, forceNewDeployment: true }));
    assert.deepEqual(out.service?.capacityProviderStrategy, [{ capacityProvider: 'FARGATE_SPOT', weight: 2, base: 0 }]);
    assert.notEqual(primary(out.service), primary(before), 'the forced update starts a new deployment');
  });

  it('Cloud Map service summaries echo the routing policy, HTTP check path and the deprecated custom threshold as 1', async () => {
    const created = await fx.sd.send(new CreatePublicDnsNamespaceCommand({ Name: 'echo.example.com' }));
    let namespaceId = '';
    for (let i = 0; i < 200 && !namespaceId; i++) {
      const op = await fx.sd.send(new GetOperationCommand({ OperationId: created.OperationId }));
      namespaceId = op.Operation?.Status === 'SUCCESS' ? (op.Operation.Targets?.['NAMESPACE'] ?? '') : '';
      if (!namespaceId) await new Promise((r) => setTimeout(r, 10));
    }
    await fx.sd.send(
      new CreateCloudMapServiceCommand({
        Name: 'custom',
        NamespaceId: namespaceId,
        DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] },
        HealthCheckCustomConfig: { FailureThreshold: 5 },
      }),
    );
    await fx.sd.send(
      new CreateCloudMapServiceCommand({
        Name: 'checked',
        NamespaceId: namespaceId,
        DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] },
        HealthCheckConfig: { Type: 'HTTP' },
      }),
    );
    const { Services } = await fx.sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [namespaceId], Condition: 'EQ' }] }));
    const byName = new Map((Services ?? []).map((s) => [s.Name, s]));
    assert.equal(byName.get('custom')?.DnsConfig?.RoutingPolicy, 'MULTIVALUE');
    assert.deepEqual(byName.get('custom')?.HealthCheckCustomConfig, { FailureThreshold: 1 });
    assert.equal(byName.get('checked')?.HealthCheckConfig?.ResourcePath, '/');
  });
});
