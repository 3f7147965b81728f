import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type ListServicesCommandOutput,
  type Service,
} from '@aws-sdk/client-ecs';
import { startSandboxFixture, useFreshSandboxFixture } from '../src/testing.js';
import { AWSVPC, eventually, fargateTaskDefinition } from './ecs-helpers.js';

describe('sandbox ECS services', () => {
  const f = useFreshSandboxFixture();
  beforeEach(async () => {
    await f.ecs.send(new CreateClusterCommand({ clusterName: 'apps' }));
    await f.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web')));
  });

  const base = (name: string, extra: Partial<CreateServiceCommandInput> = {}): CreateServiceCommandInput => ({
    cluster: 'apps',
    serviceName: name,
    taskDefinition: 'web',
    desiredCount: 0,
    launchType: 'FARGATE',
    networkConfiguration: AWSVPC,
    ...extra,
  });
  const create = async (name: string, extra: Partial<CreateServiceCommandInput> = {}): Promise<Service> =>
    (await f.ecs.send(new CreateServiceCommand(base(name, extra)))).service!;
  const describeOne = async (name: string, cluster = 'apps'): Promise<Service> =>
    (await f.ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))).services![0]!;
  const rejectsWith = (p: Promise<unknown>, name: string, message?: RegExp) =>
    assert.rejects(p, (err: Error) => {
      assert.equal(err.name, name);
      if (message) assert.match(err.message, message);
      return true;
    });

  it('creates clusters idempotently and lists and describes them', async () => {
    const again = await f.ecs.send(new CreateClusterCommand({ clusterName: 'apps', tags: [{ key: 'ignored', value: 'x' }] }));
    assert.equal(again.cluster!.clusterArn, 'arn:aws:ecs:us-east-1:123456789012:cluster/apps');
    const listed = await f.ecs.send(new ListClustersCommand({}));
    assert.deepEqual(listed.clusterArns, ['arn:aws:ecs:us-east-1:123456789012:cluster/apps']);
    const described = await f.ecs.send(new DescribeClustersCommand({ clusters: ['apps', 'nope'] }));
    assert.equal(described.clusters![0]!.status, 'ACTIVE');
    assert.equal(described.failures![0]!.reason, 'MISSING');
    await rejectsWith(f.ecs.send(new CreateClusterCommand({ clusterName: 'bad/name' })), 'InvalidParameterException');
  });

  it('echoes AWS server-side defaults on a new Fargate service', async () => {
    const s = await create('web');
    assert.equal(s.serviceArn, 'arn:aws:ecs:us-east-1:123456789012:service/apps/web');
    assert.equal(s.status, 'ACTIVE');
    assert.equal(s.taskDefinition, 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1');
    assert.equal(s.platformVersion, 'LATEST');
    assert.equal(s.launchType, 'FARGATE');
    assert.equal(s.propagateTags, 'NONE');
    assert.equal(s.enableECSManagedTags, false);
    assert.equal(s.enableExecuteCommand, false);
    assert.deepEqual(s.deploymentConfiguration, {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    });
    assert.deepEqual(s.deploymentController, { type: 'ECS' });
    assert.equal(s.schedulingStrategy, 'REPLICA');
    assert.equal(s.healthCheckGracePeriodSeconds, 0);
    assert.equal(s.networkConfiguration!.awsvpcConfiguration!.assignPublicIp, 'DISABLED');
    assert.equal(s.availabilityZoneRebalancing, 'ENABLED');
    assert.deepEqual(s.serviceRegistries, []);
    assert.equal(s.deployments!.length, 1);
    assert.equal(s.deployments![0]!.status, 'PRIMARY');
    assert.ok(s.createdAt instanceof Date);
  });

  it('refuses unknown clusters with ClusterNotFoundException', async () => {
    await rejectsWith(f.ecs.send(new CreateServiceCommand(base('x', { cluster: 'nope' }))), 'ClusterNotFoundException');
    await rejectsWith(f.ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['x'] })), 'ClusterNotFoundException');
    await rejectsWith(f.ecs.send(new ListServicesCommand({ cluster: 'nope' })), 'ClusterNotFoundException');
  });

  for (const name of ['has space', 'dot.name', 'x'.repeat(256), '']) {
    it(`refuses the malformed service name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 5)}... (${name.length})` : name)}`, async () => {
      await rejectsWith(f.ecs.send(new CreateServiceCommand(base(name))), 'InvalidParameterException');
    });
  }

  it('accepts a 255-character name of letters, digits, hyphens and underscores', async () => {
    const name = `A-b_9${'x'.repeat(250)}`;
    assert.equal((await create(name)).serviceName, name);
  });

  it('refuses a task definition that is unknown, or not Fargate compatible, or awsvpc without a network configuration', async () => {
    await rejectsWith(f.ecs.send(new CreateServiceCommand(base('a', { taskDefinition: 'missing' }))), 'ClientException', /TaskDefinition not found/);
    await f.ecs.send(new RegisterTaskDefinitionCommand({ family: 'ec2', containerDefinitions: [{ name: 'c', image: 'x', memory: 128 }] }));
    await rejectsWith(
      f.ecs.send(new CreateServiceCommand(base('b', { taskDefinition: 'ec2', networkConfiguration: undefined }))),
      'InvalidParameterException',
      /does not support launch_type FARGATE/,
    );
    await rejectsWith(
      f.ecs.send(new CreateServiceCommand(base('c', { networkConfiguration: undefined }))),
      'InvalidParameterException',
      /Network Configuration must be provided when networkMode 'awsvpc' is specified/,
    );
  });

  it('refuses serviceRegistries naming an unknown Cloud Map service', async () => {
    await rejectsWith(
      f.ecs.send(
        new CreateServiceCommand(base('reg', { serviceRegistries: [{ registryArn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-nope' }] })),
      ),
      'InvalidParameterException',
      /srv-nope/,
    );
  });

  it('refuses to create a name that is ACTIVE unless the same clientToken repeats identical parameters', async () => {
    const first = await create('idem', { clientToken: 'tok-1' });
    const repeat = await create('idem', { clientToken: 'tok-1' });
    assert.equal(repeat.serviceArn, first.serviceArn);
    assert.equal(repeat.createdAt!.getTime(), first.createdAt!.getTime());
    assert.equal(repeat.deployments![0]!.id, first.deployments![0]!.id);
    await rejectsWith(
      f.ecs.send(new CreateServiceCommand(base('idem', { clientToken: 'tok-1', desiredCount: 3 }))),
      'InvalidParameterException',
      /^Creation of service was not idempotent\.$/,
    );
    await rejectsWith(f.ecs.send(new CreateServiceCommand(base('idem'))), 'InvalidParameterException', /^Creation of service was not idempotent\.$/);
  });

  it('deletes through ACTIVE -> DRAINING -> INACTIVE, refusing the name until INACTIVE', async () => {
    // Its own sandbox on a hand-moved clock, so DRAINING lasts exactly until the test moves time.
    let now = 1_700_000_000_000;
    const manual = await startSandboxFixture({ drainDelayMs: 1_000, now: () => now });
    const client = manual.ecs;
    const send = (input: CreateServiceCommandInput) => client.send(new CreateServiceCommand(input));
    const status = async () => (await client.send(new DescribeServicesCommand({ cluster: 'apps', services: ['gone'] }))).services![0]!.status;
    try {
      await client.send(new CreateClusterCommand({ clusterName: 'apps' }));
      await client.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web')));
      await send(base('gone', { desiredCount: 1 }));
      await rejectsWith(client.send(new DeleteServiceCommand({ cluster: 'apps', service: 'gone' })), 'InvalidParameterException', /scaled above 0/);
      const deleted = (await client.send(new DeleteServiceCommand({ cluster: 'apps', service: 'gone', force: true }))).service!;
      assert.equal(deleted.status, 'DRAINING');
      assert.equal(deleted.desiredCount, 0);
      now += 999;
      assert.equal(await status(), 'DRAINING');
      await rejectsWith(send(base('gone')), 'InvalidParameterException', /not idempotent/);
      await rejectsWith(client.send(new UpdateServiceCommand({ cluster: 'apps', service: 'gone', desiredCount: 2 })), 'ServiceNotActiveException');
      now += 1;
      assert.equal(await status(), 'INACTIVE');
      const listed = await client.send(new ListServicesCommand({ cluster: 'apps' }));
      assert.deepEqual(listed.serviceArns, []);
      const again = (await send(base('gone'))).service!;
      assert.equal(again.status, 'ACTIVE');
      assert.equal(await status(), 'ACTIVE');
    } finally {
      await manual.stop();
    }
  });

  it('deletes a service scaled to 0 without force', async () => {
    await create('zero');
    const out = await f.ecs.send(new DeleteServiceCommand({ cluster: 'apps', service: 'zero' }));
    assert.equal(out.service!.status, 'DRAINING');
  });

  it('answers unknown services with ServiceNotFoundException on update and delete', async () => {
    await rejectsWith(f.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'nope', desiredCount: 1 })), 'ServiceNotFoundException');
    await rejectsWith(f.ecs.send(new DeleteServiceCommand({ cluster: 'apps', service: 'nope' })), 'ServiceNotFoundException');
  });

  it('describes at most 10 services, reports unknown ones as MISSING failures and returns tags when asked', async () => {
    await create('tagged', { tags: [{ key: 'owner', value: 'ecs-gitops' }] });
    const out = await f.ecs.send(new DescribeServicesCommand({ cluster: 'apps', services: ['tagged', 'ghost'], include: ['TAGS'] }));
    assert.equal(out.services!.length, 1);
    assert.deepEqual(out.services![0]!.tags, [{ key: 'owner', value: 'ecs-gitops' }]);
    assert.deepEqual(out.failures, [{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/apps/ghost', reason: 'MISSING' }]);
    const withoutTags = await describeOne('tagged');
    assert.equal(withoutTags.tags, undefined);
    const eleven = Array.from({ length: 11 }, (_, i) => `s${i}`);
    await rejectsWith(f.ecs.send(new DescribeServicesCommand({ cluster: 'apps', services: eleven })), 'InvalidParameterException');
  });

  it('lists 10 services per page by default and up to 100 with maxResults, following nextToken', async () => {
    for (let i = 0; i < 25; i++) await create(`svc-${String(i).padStart(2, '0')}`);
    const first = await f.ecs.send(new ListServicesCommand({ cluster: 'apps' }));
    assert.equal(first.serviceArns!.length, 10);
    assert.ok(first.nextToken);
    const all: string[] = [...first.serviceArns!];
    let token: string | undefined = first.nextToken;
    while (token) {
      const page: ListServicesCommandOutput = await f.ecs.send(new ListServicesCommand({ cluster: 'apps', nextToken: token }));
      all.push(...page.serviceArns!);
      token = page.nextToken;
    }
    assert.equal(all.length, 25);
    assert.equal(new Set(all).size, 25);
    const big = await f.ecs.send(new ListServicesCommand({ cluster: 'apps', maxResults: 100 }));
    assert.equal(big.serviceArns!.length, 25);
    assert.equal(big.nextToken, undefined);
    await rejectsWith(f.ecs.send(new ListServicesCommand({ cluster: 'apps', maxResults: 101 })), 'InvalidParameterException');
  });

  it('changes desiredCount without a new deployment', async () => {
    const s = await create('scale');
    const updated = (await f.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'scale', desiredCount: 2 }))).service!;
    assert.equal(updated.desiredCount, 2);
    assert.equal(updated.deployments!.length, 1);
    assert.equal(updated.deployments![0]!.id, s.deployments![0]!.id);
  });

  it('starts a new PRIMARY deployment on a task definition change and rolls the old one over', async () => {
    await create('roll', { desiredCount: 2 });
    await eventually(
      () => describeOne('roll'),
      (s) => s.runningCount === 2,
    );
    const v2 = (await f.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', 3000, 'img:v2')))).taskDefinition!;
    const updated = (await f.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'roll', taskDefinition: 'web:2' }))).service!;
    assert.equal(updated.taskDefinition, v2.taskDefinitionArn);
    assert.deepEqual(
      updated.deployments!.map((d) => d.status),
      ['PRIMARY', 'ACTIVE'],
    );
    assert.equal(updated.deployments![0]!.taskDefinition, v2.taskDefinitionArn);
    assert.equal(updated.deployments![0]!.rolloutState, 'IN_PROGRESS');
    assert.equal(updated.deployments![1]!.runningCount, 2);
    const done = await eventually(
      () => describeOne('roll'),
      (s) => s.deployments!.length === 1,
    );
    assert.equal(done.deployments![0]!.id, updated.deployments![0]!.id);
    assert.equal(done.deployments![0]!.rolloutState, 'COMPLETED');
    assert.equal(done.runningCount, 2);
  });

  it('starts a deployment for network configuration, platform version and forceNewDeployment, not for an identical task definition', async () => {
    await create('net');
    const same = (await f.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'net', taskDefinition: 'web:1' }))).service!;
    assert.equal(same.deployments!.length, 1);
    const net = (
      await f.ecs.send(
        new UpdateServiceCommand({
          cluster: 'apps',
          service: 'net',
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-c'] } },
        }),
      )
    ).service!;
    assert.equal(net.deployments![0]!.networkConfiguration!.awsvpcConfiguration!.subnets![0], 'subnet-c');
    const pv = (await f.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'net', platformVersion: '1.4.0' }))).service!;
    assert.equal(pv.platformVersion, '1.4.0');
    const forced = (await f.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'net', forceNewDeployment: true }))).service!;
    const ids = new Set([same, net, pv, forced].map((s) => s.deployments![0]!.id));
    assert.equal(ids.size, 4, 'each of the three changes started its own PRIMARY deployment');
  });

  it('updates in-place fields without a deployment', async () => {
    const s = await create('inplace');
    const updated = (
      await f.ecs.send(
        new UpdateServiceCommand({
          cluster: 'apps',
          service: 'inplace',
          healthCheckGracePeriodSeconds: 30,
          enableExecuteCommand: true,
          propagateTags: 'SERVICE',
          deploymentConfiguration: { maximumPercent: 150 },
        }),
      )
    ).service!;
    assert.equal(updated.healthCheckGracePeriodSeconds, 30);
    assert.equal(updated.enableExecuteCommand, true);
    assert.equal(updated.propagateTags, 'SERVICE');
    assert.equal(updated.deploymentConfiguration!.maximumPercent, 150);
    assert.equal(updated.deploymentConfiguration!.minimumHealthyPercent, 100);
    assert.equal(updated.deployments![0]!.id, s.deployments![0]!.id);
  });

  it('tags and untags services, task definitions and clusters', async () => {
    const s = await create('t');
    const arns = [s.serviceArn!, 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1', 'arn:aws:ecs:us-east-1:123456789012:cluster/apps'];
    for (const resourceArn of arns) {
      await f.ecs.send(
        new TagResourceCommand({
          resourceArn,
          tags: [
            { key: 'a', value: '1' },
            { key: 'b', value: '2' },
          ],
        }),
      );
      await f.ecs.send(new UntagResourceCommand({ resourceArn, tagKeys: ['a'] }));
      const tags = await f.ecs.send(new ListTagsForResourceCommand({ resourceArn }));
      assert.deepEqual(tags.tags, [{ key: 'b', value: '2' }], resourceArn);
    }
    await rejectsWith(
      f.ecs.send(new TagResourceCommand({ resourceArn: 'arn:aws:ecs:us-east-1:123456789012:service/apps/none', tags: [{ key: 'a', value: '1' }] })),
      'ResourceNotFoundException',
    );
    await rejectsWith(f.ecs.send(new TagResourceCommand({ resourceArn: s.serviceArn!, tags: [{ key: 'aws:x', value: '1' }] })), 'InvalidParameterException');
  });
});
