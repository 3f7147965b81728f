import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  type CreateServiceCommandInput,
  DeleteServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type ServiceConnectConfiguration,
  UpdateClusterCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { GetNamespaceCommand, ListInstancesCommand, ListServicesCommand, ListTagsForResourceCommand } from '@aws-sdk/client-servicediscovery';
import { useFreshSandboxFixture } from '../src/testing.js';
import { createNamespace, createService as createRegistry } from './cloudmap-helpers.js';
import { AWSVPC, eventually, fargateTaskDefinition } from './ecs-helpers.js';

describe('sandbox ECS Service Connect (real SDK clients)', () => {
  const fx = useFreshSandboxFixture();
  let namespaceId: string;
  let namespaceArn: string;

  beforeEach(async () => {
    namespaceId = await createNamespace(fx.sd, 'http', 'apps');
    namespaceArn = (await fx.sd.send(new GetNamespaceCommand({ Id: namespaceId }))).Namespace!.Arn!;
    await fx.ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
    const td = fargateTaskDefinition('web', 8080);
    td.containerDefinitions![0]!.portMappings = [{ containerPort: 8080, name: 'http', appProtocol: 'http' }];
    await fx.ecs.send(new RegisterTaskDefinitionCommand(td));
  });

  const input = (name: string, connect: ServiceConnectConfiguration | undefined, desiredCount = 2): CreateServiceCommandInput => ({
    cluster: 'demo',
    serviceName: name,
    taskDefinition: 'web',
    desiredCount,
    launchType: 'FARGATE',
    networkConfiguration: AWSVPC,
    ...(connect ? { serviceConnectConfiguration: connect } : {}),
  });
  const create = (name: string, connect: ServiceConnectConfiguration | undefined, desiredCount = 2) =>
    fx.ecs.send(new CreateServiceCommand(input(name, connect, desiredCount)));
  const describe_ = async (name: string) => (await fx.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: [name] }))).services![0]!;
  const cloudMapServices = async (nsId = namespaceId) =>
    (await fx.sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [nsId], Condition: 'EQ' }] }))).Services ?? [];
  const instances = async (serviceId: string) => (await fx.sd.send(new ListInstancesCommand({ ServiceId: serviceId }))).Instances ?? [];
  const runningTasks = async (service: string) => {
    const arns = (await fx.ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: service }))).taskArns ?? [];
    if (arns.length === 0) return [];
    return ((await fx.ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: arns }))).tasks ?? []).filter((t) => t.lastStatus === 'RUNNING');
  };
  const rejectsWith = (p: Promise<unknown>, name: string, message?: RegExp) =>
    assert.rejects(p, (err: Error) => {
      assert.equal(err.name, name);
      if (message) assert.match(err.message, message);
      return true;
    });
  const SERVER: ServiceConnectConfiguration = {
    enabled: true,
    namespace: 'apps',
    services: [{ portName: 'http', clientAliases: [{ port: 80, dnsName: 'web' }] }],
  };

  it('creates an ECS-managed Cloud Map service per discoveryName and registers every running task in it', async () => {
    const created = (await create('web', SERVER)).service!;
    assert.equal((created as Record<string, unknown>)['serviceConnectConfiguration'], undefined, 'not reported at service level');

    const [cm] = await cloudMapServices();
    assert.ok(cm);
    assert.equal(cm.Name, 'http', 'discoveryName defaults to portName');
    assert.equal(cm.Type, 'HTTP');
    assert.equal(cm.DnsConfig, undefined);
    assert.equal(cm.Description, `Managed by ${created.serviceArn}`);
    const tags = (await fx.sd.send(new ListTagsForResourceCommand({ ResourceARN: cm.Arn! }))).Tags;
    assert.deepEqual(tags, [{ Key: 'AmazonECSManaged', Value: 'true' }]);

    const deployment = (await describe_('web')).deployments![0]!;
    assert.deepEqual(deployment.serviceConnectConfiguration, SERVER);
    assert.deepEqual(deployment.serviceConnectResources, [{ discoveryName: 'http', discoveryArn: cm.Arn }]);

    const registered = await eventually(
      () => instances(cm.Id!),
      (list) => list.length === 2,
    );
    const tasks = await runningTasks('web');
    assert.deepEqual(registered.map((i) => i.Id).sort(), tasks.map((t) => t.taskArn!.split('/').pop()).sort());
    for (const task of tasks) {
      const attrs = registered.find((i) => i.Id === task.taskArn!.split('/').pop())!.Attributes!;
      const ip = task.attachments![0]!.details!.find((d) => d.name === 'privateIPv4Address')!.value!;
      assert.deepEqual(attrs, {
        AWS_INSTANCE_IPV4: ip,
        AWS_INSTANCE_PORT: '8080',
        AvailabilityZone: task.availabilityZone,
        DeploymentId: `arn:aws:ecs:us-east-1:123456789012:task-set/demo/web/${deployment.id}`,
      });
    }

    await fx.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web', desiredCount: 0 }));
    await eventually(
      () => instances(cm.Id!),
      (list) => list.length === 0,
    );
  });

  it('uses discoveryName, ingressPortOverride and timeouts as given', async () => {
    const connect: ServiceConnectConfiguration = {
      enabled: true,
      namespace: namespaceArn,
      services: [{ portName: 'http', discoveryName: 'web-api', ingressPortOverride: 9090, timeout: { idleTimeoutSeconds: 30, perRequestTimeoutSeconds: 5 } }],
    };
    await create('web', connect, 1);
    const [cm] = await cloudMapServices();
    assert.equal(cm?.Name, 'web-api');
    const [instance] = await eventually(
      () => instances(cm!.Id!),
      (list) => list.length === 1,
    );
    assert.equal(instance!.Attributes!['AWS_INSTANCE_PORT'], '9090');
    assert.equal(instance!.Attributes!['IdleTimeoutInSeconds'], '30');
    assert.equal(instance!.Attributes!['PerRequestTimeoutInSeconds'], '5');
  });

  it('refuses what AWS refuses', async () => {
    await rejectsWith(create('a', { ...SERVER, namespace: 'missing' }), 'NamespaceNotFoundException');
    await rejectsWith(
      create('a', { ...SERVER, namespace: 'arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-x' }),
      'InvalidParameterException',
      /account .* and Region/,
    );
    await rejectsWith(create('a', { enabled: true, services: [{ portName: 'http' }] }), 'InvalidParameterException', /namespace must be specified/);
    await rejectsWith(create('a', { enabled: true, namespace: 'apps', services: [{ portName: 'grpc' }] }), 'InvalidParameterException', /portName 'grpc'/);
    await rejectsWith(
      create('a', { enabled: true, namespace: 'apps', services: [{ portName: 'http', clientAliases: [{ port: 70000 }] }] }),
      'InvalidParameterException',
      /port must be between 0 and 65535/,
    );
    await rejectsWith(
      create('a', { enabled: true, namespace: 'apps', services: [{ portName: 'http', discoveryName: '-bad' }] }),
      'InvalidParameterException',
      /discoveryName/,
    );
    await rejectsWith(
      create('a', { enabled: true, namespace: 'apps', services: [{ portName: 'http' }, { portName: 'http' }] }),
      'InvalidParameterException',
      /discoveryName 'http' is used by more than one/,
    );
    await rejectsWith(
      create('a', { enabled: true, namespace: 'apps', accessLogConfiguration: { format: 'JSON' } }),
      'InvalidParameterException',
      /logConfiguration must also be specified/,
    );
    assert.equal((await cloudMapServices()).length, 0, 'a refused request creates nothing');
  });

  it('allows client-only mode: no services, no Cloud Map service, no resources', async () => {
    await create('client', { enabled: true, namespace: 'apps' });
    const deployment = (await describe_('client')).deployments![0]!;
    assert.deepEqual(deployment.serviceConnectConfiguration, { enabled: true, namespace: 'apps' });
    assert.equal(deployment.serviceConnectResources, undefined);
    assert.equal((await cloudMapServices()).length, 0);
  });

  it('refuses a discoveryName another ECS service uses; after a delete the Cloud Map service stays and is reused', async () => {
    const first = (await create('web', SERVER, 1)).service!;
    await rejectsWith(create('web2', SERVER, 1), 'InvalidParameterException', new RegExp(`SC service is already used by ${namespaceArn}`));
    const [cm] = await cloudMapServices();
    await eventually(
      () => instances(cm!.Id!),
      (list) => list.length === 1,
    );

    await fx.ecs.send(new DeleteServiceCommand({ cluster: 'demo', service: first.serviceName!, force: true }));
    await eventually(
      () => instances(cm!.Id!),
      (list) => list.length === 0,
    );
    await eventually(
      () => describe_('web'),
      (s) => s.status === 'INACTIVE',
    );
    assert.deepEqual(
      (await cloudMapServices()).map((s) => s.Id),
      [cm!.Id],
      'ECS leaves the Cloud Map service it created',
    );

    await create('web2', SERVER, 1);
    assert.equal((await describe_('web2')).deployments![0]!.serviceConnectResources![0]!.discoveryArn, cm!.Arn);
    assert.equal((await cloudMapServices()).length, 1);
  });

  it('refuses a discoveryName held by a Cloud Map service ECS did not create', async () => {
    await createRegistry(fx.sd, namespaceId, 'http', { DnsConfig: undefined, Type: 'HTTP' });
    await rejectsWith(create('web', SERVER), 'InvalidParameterException', /SC service is already used/);
  });

  it('UpdateService adding Service Connect starts a deployment whose tasks alone register', async () => {
    await create('web', undefined, 1);
    await eventually(
      () => runningTasks('web'),
      (t) => t.length === 1,
    );
    const updated = (await fx.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web', serviceConnectConfiguration: SERVER }))).service!;
    assert.equal(updated.deployments!.length, 2);
    assert.ok(updated.deployments![0]!.serviceConnectResources);
    assert.equal(updated.deployments![1]!.serviceConnectResources, undefined);
    const [cm] = await cloudMapServices();
    const [instance] = await eventually(
      () => instances(cm!.Id!),
      (list) => list.length === 1,
    );
    const task = (await runningTasks('web')).find((t) => t.taskArn!.endsWith(instance!.Id!));
    assert.equal(task?.startedBy, updated.deployments![0]!.id);
  });

  it('cluster serviceConnectDefaults: a new name creates an ECS-managed HTTP namespace that services fall back to; "" removes it', async () => {
    const cluster = (await fx.ecs.send(new CreateClusterCommand({ clusterName: 'other', serviceConnectDefaults: { namespace: 'fresh' } }))).cluster!;
    const defaultArn = cluster.serviceConnectDefaults?.namespace;
    assert.match(defaultArn ?? '', /^arn:aws:servicediscovery:us-east-1:123456789012:namespace\/ns-/);
    const freshId = defaultArn!.split('/').pop()!;
    const ns = await eventually(
      // Created through Cloud Map's usual asynchronous operation: not visible until it succeeds.
      async () => (await fx.sd.send(new GetNamespaceCommand({ Id: freshId })).catch(() => ({ Namespace: undefined }))).Namespace,
      (n) => n?.Name === 'fresh',
    );
    assert.equal(ns!.Type, 'HTTP');
    assert.deepEqual((await fx.sd.send(new ListTagsForResourceCommand({ ResourceARN: defaultArn! }))).Tags, [{ Key: 'AmazonECSManaged', Value: 'true' }]);

    await fx.ecs.send(new CreateServiceCommand({ ...input('svc', { enabled: true, services: [{ portName: 'http' }] }, 0), cluster: 'other' }));
    assert.equal((await cloudMapServices(freshId)).length, 1, 'the service took the cluster default');

    const existing = (await fx.ecs.send(new UpdateClusterCommand({ cluster: 'other', serviceConnectDefaults: { namespace: 'apps' } }))).cluster!;
    assert.deepEqual(existing.serviceConnectDefaults, { namespace: namespaceArn }, 'an existing name resolves to its ARN');
    await rejectsWith(
      fx.ecs.send(new UpdateClusterCommand({ cluster: 'other', serviceConnectDefaults: { namespace: `${namespaceArn}x` } })),
      'NamespaceNotFoundException',
    );
    await fx.ecs.send(new UpdateClusterCommand({ cluster: 'other', serviceConnectDefaults: { namespace: '' } }));
    const described = (await fx.ecs.send(new DescribeClustersCommand({ clusters: ['other'] }))).clusters![0]!;
    assert.equal(described.serviceConnectDefaults, undefined);
  });
});
