/**
 * The sandbox's reading of the ECS service settings beyond the basics: deployment alarms and
 * circuit breaker thresholds, early success criteria, managed EBS volume configurations
 * (reported on the deployment), role, placement, and what UpdateService refuses under the
 * CODE_DEPLOY and EXTERNAL deployment controllers.
 */
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type Service,
} from '@aws-sdk/client-ecs';
import { useFreshSandboxFixture } from '../src/testing.js';
import { AWSVPC, fargateTaskDefinition } from './ecs-helpers.js';

const EBS_ROLE = 'arn:aws:iam::123456789012:role/ecsInfrastructureRole';

describe('sandbox ECS service settings', () => {
  const f = useFreshSandboxFixture();
  beforeEach(async () => {
    await f.ecs.send(new CreateClusterCommand({ clusterName: 'apps' }));
    await f.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web')));
    await f.ecs.send(
      new RegisterTaskDefinitionCommand({ ...fargateTaskDefinition('disk'), volumes: [{ name: 'data', configuredAtLaunch: true }, { name: 'scratch' }] }),
    );
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
  const describe1 = async (name: string): Promise<Service> =>
    (await f.ecs.send(new DescribeServicesCommand({ cluster: 'apps', services: [name] }))).services![0]!;

  it('stores deployment alarms, circuit breaker thresholds and early success criteria as requested', async () => {
    await create('dc', {
      deploymentConfiguration: {
        minimumHealthyPercent: 50,
        deploymentCircuitBreaker: { enable: true, rollback: false, resetOnHealthyTask: false, thresholdConfiguration: { type: 'COUNT', value: 3 } },
        alarms: { alarmNames: ['high-5xx'], enable: true, rollback: true },
        earlySuccessCriteria: { enable: true, healthyPercent: 80, sourceServiceRevisionCleanup: 'DEFERRED' },
      },
    });
    const dc = (await describe1('dc')).deploymentConfiguration;
    assert.deepEqual(dc?.deploymentCircuitBreaker, {
      enable: true,
      rollback: false,
      resetOnHealthyTask: false,
      thresholdConfiguration: { type: 'COUNT', value: 3 },
    });
    assert.deepEqual(dc?.alarms, { alarmNames: ['high-5xx'], enable: true, rollback: true });
    assert.deepEqual(dc?.earlySuccessCriteria, { enable: true, healthyPercent: 80, sourceServiceRevisionCleanup: 'DEFERRED' });
  });

  it('refuses an unknown threshold type and an early success percentage below minimumHealthyPercent', async () => {
    await assert.rejects(
      create('bad-threshold', {
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true, thresholdConfiguration: { type: 'MOST' as 'COUNT', value: 1 } } },
      }),
      /thresholdConfiguration type/,
    );
    await assert.rejects(
      create('bad-early', { deploymentConfiguration: { minimumHealthyPercent: 90, earlySuccessCriteria: { enable: true, healthyPercent: 50 } } }),
      /healthyPercent/,
    );
  });

  it('reports managed EBS volume configurations on the PRIMARY deployment, and checks them against the task definition', async () => {
    const volume = { name: 'data', managedEBSVolume: { roleArn: EBS_ROLE, sizeInGiB: 20, volumeType: 'gp3' as const, filesystemType: 'xfs' as const } };
    await create('ebs', { taskDefinition: 'disk', volumeConfigurations: [volume] });
    const svc = await describe1('ebs');
    assert.deepEqual(svc.deployments?.find((d) => d.status === 'PRIMARY')?.volumeConfigurations, [volume]);
    await assert.rejects(
      create('ebs-bad-name', { taskDefinition: 'disk', volumeConfigurations: [{ ...volume, name: 'scratch' }] }),
      /not configured at launch/,
    );
    await assert.rejects(
      create('ebs-no-size', { taskDefinition: 'disk', volumeConfigurations: [{ name: 'data', managedEBSVolume: { roleArn: EBS_ROLE } }] }),
      /sizeInGiB or snapshotId/,
    );
  });

  it('echoes the deployment controller, and refuses what UpdateService cannot change under CODE_DEPLOY and EXTERNAL', async () => {
    await create('blue-green', { deploymentController: { type: 'CODE_DEPLOY' } });
    await create('external', { deploymentController: { type: 'EXTERNAL' } });
    assert.deepEqual((await describe1('blue-green')).deploymentController, { type: 'CODE_DEPLOY' });
    await assert.rejects(f.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'blue-green', taskDefinition: 'disk' })), /CODE_DEPLOY/);
    await f.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'blue-green', desiredCount: 1, deploymentConfiguration: { maximumPercent: 150 } }));
    await assert.rejects(
      f.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'external', deploymentConfiguration: { maximumPercent: 150 } })),
      /EXTERNAL/,
    );
    await f.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'external', healthCheckGracePeriodSeconds: 30 }));
    await assert.rejects(create('bad-controller', { deploymentController: { type: 'MANUAL' as 'ECS' } }), /deploymentController/);
  });
});
