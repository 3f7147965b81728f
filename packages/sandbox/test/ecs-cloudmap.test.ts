import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DeleteServiceCommand as DeleteRegistryCommand, GetNamespaceCommand, GetServiceCommand, ListInstancesCommand } from '@aws-sdk/client-servicediscovery';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { useFreshSandboxFixture } from '../src/testing.js';
import { createNamespace, createService as createRegistry } from './cloudmap-helpers.js';
import { AWSVPC, eventually, fargateTaskDefinition } from './ecs-helpers.js';

describe('sandbox ECS tasks registering in the sandbox Cloud Map (both SDK clients)', () => {
  const fx = useFreshSandboxFixture();
  let registryArn: string;
  let registryId: string;
  let zoneId: string;

  beforeEach(async () => {
    const namespaceId = await createNamespace(fx.sd, 'private', 'internal');
    zoneId = (await fx.sd.send(new GetNamespaceCommand({ Id: namespaceId }))).Namespace!.Properties!.DnsProperties!.HostedZoneId!;
    registryId = await createRegistry(fx.sd, namespaceId, 'name', { HealthCheckCustomConfig: {} });
    registryArn = (await fx.sd.send(new GetServiceCommand({ Id: registryId }))).Service!.Arn!;
    await fx.ecs.send(new CreateClusterCommand({ clusterName: 'apps' }));
    await fx.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('name', 3000)));
  });

  const createEcsService = (desiredCount: number) =>
    fx.ecs.send(
      new CreateServiceCommand({
        cluster: 'apps',
        serviceName: 'name',
        taskDefinition: 'name',
        desiredCount,
        launchType: 'FARGATE',
        networkConfiguration: AWSVPC,
        serviceRegistries: [{ registryArn, containerName: 'app', containerPort: 3000 }],
      }),
    );
  const instances = async () => (await fx.sd.send(new ListInstancesCommand({ ServiceId: registryId }))).Instances ?? [];
  const runningTaskIds = async (): Promise<string[]> => {
    const arns = (await fx.ecs.send(new ListTasksCommand({ cluster: 'apps', serviceName: 'name' }))).taskArns ?? [];
    if (arns.length === 0) return [];
    const tasks = (await fx.ecs.send(new DescribeTasksCommand({ cluster: 'apps', tasks: arns }))).tasks ?? [];
    return tasks
      .filter((t) => t.lastStatus === 'RUNNING')
      .map((t) => t.taskArn!.split('/').pop()!)
      .sort();
  };

  it('registers each running task as an instance with the ECS attributes and an A record per task', async () => {
    const created = (await createEcsService(2)).service!;
    assert.deepEqual(created.serviceRegistries, [{ registryArn, containerName: 'app', containerPort: 3000 }]);
    const registered = await eventually(instances, (list) => list.length === 2);
    const taskIds = await runningTaskIds();
    assert.deepEqual(registered.map((i) => i.Id).sort(), taskIds);

    const arns = (await fx.ecs.send(new ListTasksCommand({ cluster: 'apps', serviceName: 'name' }))).taskArns!;
    const tasks = (await fx.ecs.send(new DescribeTasksCommand({ cluster: 'apps', tasks: arns }))).tasks!;
    for (const task of tasks) {
      const id = task.taskArn!.split('/').pop()!;
      const ip = task.attachments![0]!.details!.find((d) => d.name === 'privateIPv4Address')!.value!;
      const attrs = registered.find((i) => i.Id === id)!.Attributes!;
      assert.equal(attrs['AWS_INSTANCE_IPV4'], ip);
      assert.equal(attrs['AWS_INSTANCE_PORT'], '3000');
      assert.equal(attrs['AVAILABILITY_ZONE'], task.availabilityZone);
      assert.equal(attrs['REGION'], 'us-east-1');
      assert.equal(attrs['ECS_SERVICE_NAME'], 'name');
      assert.equal(attrs['ECS_CLUSTER_NAME'], 'apps');
      assert.equal(attrs['ECS_TASK_DEFINITION_FAMILY'], 'name');
    }

    const records = (await fx.r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets ?? [];
    const a = records.filter((r) => r.Type === 'A' && r.Name === 'name.internal.');
    assert.deepEqual(a.map((r) => r.SetIdentifier).sort(), taskIds);
  });

  it('deregisters instances when the ECS service scales down', async () => {
    await createEcsService(3);
    await eventually(instances, (list) => list.length === 3);
    await fx.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'name', desiredCount: 1 }));
    const left = await instances();
    assert.equal(left.length, 1);
    assert.deepEqual(
      left.map((i) => i.Id),
      await runningTaskIds(),
    );
  });

  it('blocks deleting the Cloud Map service while tasks are registered, and frees it after the ECS service is deleted', async () => {
    await createEcsService(1);
    await eventually(instances, (list) => list.length === 1);
    await assert.rejects(fx.sd.send(new DeleteRegistryCommand({ Id: registryId })), { name: 'ResourceInUse' });
    await fx.ecs.send(new DeleteServiceCommand({ cluster: 'apps', service: 'name', force: true }));
    assert.deepEqual(await instances(), []);
    await fx.sd.send(new DeleteRegistryCommand({ Id: registryId }));
  });

  it('leaves a stopped task registered through the admin stale-instance switch while ECS replaces the task', async () => {
    await createEcsService(2);
    await eventually(instances, (list) => list.length === 2);
    const [victim] = await runningTaskIds();
    const res = await fetch(`${fx.sandbox.endpoint}/_sandbox/ecs/stop-task`, {
      method: 'POST',
      body: JSON.stringify({ cluster: 'apps', task: victim, leaveInstanceRegistered: true }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { lastStatus: string }).lastStatus, 'STOPPED');
    const after = await eventually(instances, (list) => list.length === 3);
    const running = await runningTaskIds();
    assert.equal(running.length, 2);
    assert.ok(!running.includes(victim!));
    assert.deepEqual(after.map((i) => i.Id).sort(), [...running, victim!].sort());
    const service = (await fx.ecs.send(new DescribeServicesCommand({ cluster: 'apps', services: ['name'] }))).services![0]!;
    assert.equal(service.runningCount, 2);
  });

  it('answers the admin switch for an unknown task with 404', async () => {
    await createEcsService(0);
    const res = await fetch(`${fx.sandbox.endpoint}/_sandbox/ecs/stop-task`, {
      method: 'POST',
      body: JSON.stringify({ cluster: 'apps', task: 'f'.repeat(32), leaveInstanceRegistered: true }),
    });
    assert.equal(res.status, 404);
  });
});
