import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type DeploymentConfiguration,
} from '@aws-sdk/client-ecs';
import { startClockedSandbox, type ClockedSandbox } from './deploy-helpers.js';

const MINUTE = 60_000;
const LB = [
  {
    targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1',
    containerName: 'app',
    containerPort: 3000,
    advancedConfiguration: {
      alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2',
      productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/lb/1/2/3',
      roleArn: 'arn:aws:iam::123456789012:role/ecs-lb',
    },
  },
];

describe('sandbox ECS-native deployments', () => {
  let s: ClockedSandbox;
  before(async () => {
    s = await startClockedSandbox();
  });
  after(async () => s.stop());

  const rejects = async (p: Promise<unknown>, name: string, message?: RegExp) =>
    assert.rejects(p, (e: Error) => e.name === name && (!message || message.test(e.message)));

  /** Creates a service on web:1, lets it settle, then deploys web:2 with `config`. */
  async function deploy(name: string, config: DeploymentConfiguration, extra: Partial<CreateServiceCommandInput> = {}) {
    await s.create(name, { deploymentConfiguration: config, ...extra });
    await s.advance(1_000);
    await s.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: name, taskDefinition: 'web:2' }));
    await s.advance(1_000);
  }

  it('BLUE_GREEN: green up, test and production traffic at once, bake with blue still running, then blue down', async () => {
    await deploy('bg', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 });
    let sd = await s.latest('bg');
    assert.equal(sd.status, 'IN_PROGRESS');
    assert.equal(sd.lifecycleStage, 'BAKE_TIME');
    assert.equal(sd.targetServiceRevision!.requestedProductionTrafficWeight, 100);
    assert.equal(sd.targetServiceRevision!.runningTaskCount, 2);
    assert.equal(sd.sourceServiceRevisions![0]!.runningTaskCount, 2, 'blue runs through the bake');
    let svc = await s.describe('bg');
    assert.equal(svc.runningCount, 4);
    assert.match(svc.taskDefinition!, /web:2$/);
    await s.advance(5 * MINUTE - 2_000);
    assert.equal((await s.latest('bg')).lifecycleStage, 'BAKE_TIME');
    // Green ran taskStartDelayMs (20 ms) after the update; the bake ends 5 minutes after that.
    await s.advance(1_100);
    sd = await s.latest('bg');
    assert.equal(sd.status, 'SUCCESSFUL');
    assert.equal(sd.lifecycleStage, 'CLEAN_UP');
    svc = await s.describe('bg');
    assert.equal(svc.runningCount, 2);
    assert.equal(svc.deployments!.length, 1);
    assert.equal(svc.deployments![0]!.rolloutState, 'COMPLETED');
    const rev = await s.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [sd.targetServiceRevision!.arn!, 'arn:nope'] }));
    assert.match(rev.serviceRevisions![0]!.taskDefinition!, /web:2$/);
    assert.deepEqual(rev.failures, [{ arn: 'arn:nope', reason: 'MISSING' }]);
  });

  it('LINEAR: production traffic in steps of stepPercent with stepBakeTime between, then the bake', async () => {
    await deploy(
      'lin',
      { strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 2 }, bakeTimeInMinutes: 1 },
      { loadBalancers: LB },
    );
    const weight = async () => (await s.latest('lin')).targetServiceRevision!.requestedProductionTrafficWeight;
    assert.equal(await weight(), 25);
    assert.equal((await s.latest('lin')).sourceServiceRevisions![0]!.requestedProductionTrafficWeight, 75);
    await s.advance(2 * MINUTE);
    assert.equal(await weight(), 50);
    await s.advance(2 * MINUTE);
    assert.equal(await weight(), 75);
    await s.advance(2 * MINUTE);
    assert.equal(await weight(), 100);
    assert.equal((await s.latest('lin')).lifecycleStage, 'BAKE_TIME');
    await s.advance(MINUTE);
    assert.equal((await s.latest('lin')).status, 'SUCCESSFUL');
  });

  it('CANARY: canaryPercent first, the rest after canaryBakeTime', async () => {
    await deploy(
      'can',
      { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 }, bakeTimeInMinutes: 0 },
      { loadBalancers: LB },
    );
    assert.equal((await s.latest('can')).targetServiceRevision!.requestedProductionTrafficWeight, 10);
    await s.advance(3 * MINUTE - 2_000);
    assert.equal((await s.latest('can')).targetServiceRevision!.requestedProductionTrafficWeight, 10);
    await s.advance(2_000);
    const sd = await s.latest('can');
    assert.equal(sd.status, 'SUCCESSFUL');
    assert.equal(sd.targetServiceRevision!.requestedProductionTrafficWeight, 100);
  });

  it('a PAUSE lifecycle hook holds the deployment until ContinueServiceDeployment; ROLLBACK returns to blue', async () => {
    const hooks = [{ targetType: 'PAUSE' as const, lifecycleStages: ['POST_SCALE_UP' as const] }];
    await deploy('hook', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: hooks });
    let sd = await s.latest('hook');
    assert.equal(sd.lifecycleStage, 'POST_SCALE_UP');
    assert.equal(sd.lifecycleHookDetails![0]!.status, 'AWAITING_ACTION');
    await s.advance(30 * MINUTE);
    assert.equal((await s.latest('hook')).lifecycleStage, 'POST_SCALE_UP', 'still paused');
    const arn = sd.serviceDeploymentArn!;
    await rejects(s.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: 'nope' })), 'InvalidParameterException');
    await rejects(s.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: `${arn}x`, hookId: 'nope' })), 'ServiceDeploymentNotFoundException');
    await s.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: sd.lifecycleHookDetails![0]!.hookId! }));
    await s.advance(1_000);
    sd = await s.latest('hook');
    assert.equal(sd.status, 'SUCCESSFUL');
    assert.equal(sd.lifecycleHookDetails![0]!.status, 'SUCCEEDED');

    // Next deployment (back to web:1), rolled back at the hook.
    await s.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'hook', taskDefinition: 'web:1' }));
    await s.advance(1_000);
    sd = await s.latest('hook');
    await s.ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: sd.serviceDeploymentArn!,
        hookId: sd.lifecycleHookDetails![0]!.hookId!,
        action: 'ROLLBACK',
      }),
    );
    await s.advance(1_000);
    sd = await s.latest('hook');
    assert.equal(sd.status, 'ROLLBACK_SUCCESSFUL');
    const svc = await s.describe('hook');
    assert.match(svc.taskDefinition!, /web:2$/);
    assert.equal(svc.runningCount, 2);
  });

  it('a monitored alarm going into ALARM during the bake rolls back when rollback is true', async () => {
    await deploy('alarm', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10, alarms: { alarmNames: ['high-5xx'], enable: true, rollback: true } });
    assert.equal((await s.latest('alarm')).alarms!.status, 'MONITORING');
    await s.admin('POST', 'cloudwatch/alarms', { name: 'unrelated', state: 'ALARM' });
    assert.equal((await s.latest('alarm')).status, 'IN_PROGRESS');
    assert.equal((await s.admin('POST', 'cloudwatch/alarms', { name: 'high-5xx', state: 'RED' })).status, 400);
    await s.admin('POST', 'cloudwatch/alarms', { name: 'high-5xx', state: 'ALARM' });
    await s.advance(1_000);
    const sd = await s.latest('alarm');
    assert.equal(sd.status, 'ROLLBACK_SUCCESSFUL');
    assert.deepEqual(sd.alarms!.triggeredAlarmNames, ['high-5xx']);
    assert.equal(sd.alarms!.status, 'TRIGGERED');
    const svc = await s.describe('alarm');
    assert.match(svc.taskDefinition!, /web:1$/);
    assert.equal(svc.deployments!.length, 1);
    assert.equal(svc.runningCount, 2);
    await s.admin('DELETE', 'cloudwatch/alarms');
  });

  it('StopServiceDeployment rolls back (default) or aborts, and refuses a finished deployment', async () => {
    await deploy('stop', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 });
    const sd = await s.latest('stop');
    await s.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn! }));
    await s.advance(1_000);
    const done = (await s.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [sd.serviceDeploymentArn!] }))).serviceDeployments![0]!;
    assert.equal(done.status, 'ROLLBACK_SUCCESSFUL');
    assert.match((await s.describe('stop')).taskDefinition!, /web:1$/);
    await rejects(s.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: sd.serviceDeploymentArn! })), 'ConflictException');

    await s.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'stop', taskDefinition: 'web:2' }));
    await s.advance(1_000);
    const next = await s.latest('stop');
    await s.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: next.serviceDeploymentArn!, stopType: 'ABORT' }));
    await s.advance(20 * MINUTE);
    const aborted = await s.latest('stop');
    assert.equal(aborted.status, 'STOPPED');
    assert.equal(aborted.lifecycleStage, 'BAKE_TIME', 'an aborted deployment goes no further');
  });

  it('validates strategies as AWS does', async () => {
    const bad = async (name: string, config: DeploymentConfiguration, extra: Partial<CreateServiceCommandInput> = {}, message?: RegExp) =>
      rejects(s.create(name, { deploymentConfiguration: config, ...extra }), 'InvalidParameterException', message);
    await bad('v1', { strategy: 'LINEAR', linearConfiguration: { stepPercent: 2 } }, { loadBalancers: LB }, /stepPercent/);
    await bad('v2', { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 5.05 } }, { loadBalancers: LB }, /canaryPercent/);
    await bad('v3', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1441 }, {}, /bakeTimeInMinutes/);
    await bad('v4', { strategy: 'LINEAR' }, {}, /requires a load balancer with advancedConfiguration or Service Connect/);
    await bad('v5', { strategy: 'ROLLING' }, { loadBalancers: LB }, /only supported with the BLUE_GREEN, LINEAR or CANARY/);
    await bad('v6', { strategy: 'BLUE_GREEN', lifecycleHooks: [{ lifecycleStages: ['SCALE_UP' as never], targetType: 'PAUSE' }] }, {}, /invalid stage/);
    await bad('v7', { strategy: 'BLUE_GREEN', lifecycleHooks: [{ lifecycleStages: ['PRE_SCALE_UP'] }] }, {}, /hookTargetArn and roleArn/);
    await bad(
      'v8',
      { strategy: 'BLUE_GREEN', lifecycleHooks: [{ lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'], targetType: 'PAUSE' }] },
      {},
      /PAUSE hook cannot/,
    );
    await bad(
      'v9',
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
      { deploymentController: { type: 'CODE_DEPLOY' } },
      /requires the ECS deployment controller/,
    );
    await bad('v10', { strategy: 'BLUE_GREEN', earlySuccessCriteria: { enable: true, healthyPercent: 100 } }, {}, /only be used with the ROLLING/);
    // The stage before every production traffic step is a valid hook stage (API reference, DeploymentLifecycleHook).
    await s.create('v11', {
      deploymentConfiguration: { strategy: 'BLUE_GREEN', lifecycleHooks: [{ lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'], targetType: 'PAUSE' }] },
    });
  });

  it('refuses BLUE_GREEN on UpdateService of a service under the CODE_DEPLOY controller', async () => {
    await s.create('cd', { deploymentController: { type: 'CODE_DEPLOY' } });
    await rejects(
      s.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'cd', deploymentConfiguration: { strategy: 'BLUE_GREEN' } })),
      'InvalidParameterException',
      /requires the ECS deployment controller \(got CODE_DEPLOY\)/,
    );
  });
});
