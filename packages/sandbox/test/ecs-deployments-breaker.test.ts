import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeTasksCommand, ListServiceDeploymentsCommand, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { breakerThreshold } from '../src/services/ecs/native-deployments.js';
import { startClockedSandbox, type ClockedSandbox } from './deploy-helpers.js';

describe('sandbox ECS task failures and the deployment circuit breaker', () => {
  let s: ClockedSandbox;
  before(async () => {
    s = await startClockedSandbox();
  });
  after(async () => s.stop());
  beforeEach(async () => {
    await s.admin('DELETE', 'ecs/task-failures');
  });

  it('computes the failure threshold as AWS documents it: 50% of desired, at least 3, at most 200', () => {
    assert.equal(breakerThreshold(1, undefined), 3);
    assert.equal(breakerThreshold(7, undefined), 4);
    assert.equal(breakerThreshold(10, undefined), 5);
    assert.equal(breakerThreshold(1000, undefined), 200);
    assert.equal(breakerThreshold(1000, { thresholdConfiguration: { type: 'UNBOUNDED_PERCENT', value: 50 } }), 500);
    assert.equal(breakerThreshold(10, { thresholdConfiguration: { type: 'COUNT', value: 7 } }), 7);
  });

  it('refuses a task-failure rule without image or with an unknown mode, and lists the rules', async () => {
    assert.equal((await s.admin('POST', 'ecs/task-failures', { mode: 'exit' })).status, 400);
    assert.equal((await s.admin('POST', 'ecs/task-failures', { image: '*', mode: 'crash' })).status, 400);
    await s.admin('POST', 'ecs/task-failures', { image: '*:broken', mode: 'exit' });
    assert.deepEqual((await s.admin('GET', 'ecs/task-failures')).body, [{ image: '*:broken', mode: 'exit' }]);
  });

  it('exit mode: tasks stop with a non-zero exit, the breaker trips at 3 failures and rolls back to the last completed deployment', async () => {
    await s.create('roll', { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } });
    await s.advance(1_000);
    const first = await s.latest('roll');
    assert.equal(first.status, 'SUCCESSFUL');
    const good = (await s.describe('roll')).deployments![0]!.id!;
    await s.admin('POST', 'ecs/task-failures', { image: '*:broken', mode: 'exit' });
    await s.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'roll', taskDefinition: 'web:2' }));
    const during = await s.latest('roll');
    assert.equal(during.status, 'IN_PROGRESS');
    assert.deepEqual(during.deploymentCircuitBreaker, { status: 'MONITORING', failureCount: 0, threshold: 3 });
    assert.equal(during.sourceServiceRevisions![0]!.arn, first.targetServiceRevision!.arn);

    await s.advance(60_000);
    const svc = await s.describe('roll');
    assert.match(svc.taskDefinition!, /web:1$/);
    assert.equal(svc.deployments!.length, 1);
    const back = svc.deployments![0]!;
    assert.equal(back.id, good, 'the old deployment still runs, so the rollback returns to it');
    assert.equal(back.rolloutState, 'COMPLETED');
    assert.equal(back.runningCount, 2);
    assert.ok(svc.events!.some((e) => /deployment failed: tasks failed to start\.$/.test(e.message!)));
    assert.ok(svc.events!.some((e) => e.message === `(service roll) rolling back to deployment ${back.id}.`));

    const sd = await s.latest('roll');
    assert.equal(sd.serviceDeploymentArn, during.serviceDeploymentArn);
    assert.equal(sd.status, 'ROLLBACK_SUCCESSFUL');
    assert.equal(sd.deploymentCircuitBreaker!.status, 'TRIGGERED');
    assert.equal(sd.deploymentCircuitBreaker!.failureCount, 3);
    assert.equal(sd.rollback!.serviceRevisionArn, first.targetServiceRevision!.arn);
    assert.match(sd.rollback!.reason!, /^ECS deployment circuit breaker: tasks failed to start\.$/);

    const stopped = await s.ecs.send(new ListTasksCommand({ cluster: 'apps', serviceName: 'roll', desiredStatus: 'STOPPED' }));
    const tasks = (await s.ecs.send(new DescribeTasksCommand({ cluster: 'apps', tasks: stopped.taskArns! }))).tasks!;
    const failed = tasks.filter((t) => t.stopCode === 'EssentialContainerExited');
    assert.equal(failed.length, 3);
    for (const t of failed) {
      assert.equal(t.stoppedReason, 'Essential container in task exited');
      assert.equal(t.containers![0]!.exitCode, 1);
      assert.match(t.taskDefinitionArn!, /web:2$/);
    }
  });

  it('unhealthy mode without rollback: tasks report UNHEALTHY and are replaced; the deployment fails and stops launching', async () => {
    await s.create('sick', { desiredCount: 8, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } } });
    await s.advance(1_000);
    await s.admin('POST', 'ecs/task-failures', { image: 'registry.example/web:brok?n', mode: 'unhealthy' });
    await s.ecs.send(new UpdateServiceCommand({ cluster: 'apps', service: 'sick', taskDefinition: 'web:2' }));
    assert.equal((await s.latest('sick')).deploymentCircuitBreaker!.threshold, 4);
    await s.advance(60_000);
    const svc = await s.describe('sick');
    const failedDeployment = svc.deployments![0]!;
    assert.equal(failedDeployment.rolloutState, 'FAILED');
    assert.equal(failedDeployment.rolloutStateReason, 'ECS deployment circuit breaker: tasks failed to start.');
    assert.ok(failedDeployment.failedTasks! >= 4);
    assert.match(svc.taskDefinition!, /web:2$/, 'no rollback: the service keeps the failed revision');
    assert.equal(svc.deployments![1]!.runningCount, 8, 'the old deployment keeps serving');
    const sd = await s.latest('sick');
    assert.equal(sd.status, 'STOPPED');
    assert.equal(sd.statusReason, 'ECS deployment circuit breaker: tasks failed to start.');
    const stopped = await s.ecs.send(new ListTasksCommand({ cluster: 'apps', serviceName: 'sick', desiredStatus: 'STOPPED' }));
    const t = (await s.ecs.send(new DescribeTasksCommand({ cluster: 'apps', tasks: stopped.taskArns!.slice(0, 1) }))).tasks![0]!;
    assert.equal(t.healthStatus, 'UNHEALTHY');
    assert.equal(t.stoppedReason, 'Task failed container health checks');
    // No more launches after the failure.
    const before = failedDeployment.failedTasks!;
    await s.advance(60_000);
    assert.equal((await s.describe('sick')).deployments![0]!.failedTasks, before);
  });

  it('DELETE clears the rules: the same image then deploys', async () => {
    await s.admin('POST', 'ecs/task-failures', { image: '*:broken' });
    await s.admin('DELETE', 'ecs/task-failures');
    await s.create('fine', { taskDefinition: 'web:2' });
    await s.advance(1_000);
    assert.equal((await s.latest('fine')).status, 'SUCCESSFUL');
    const listed = await s.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'apps', service: 'fine', status: ['IN_PROGRESS'] }));
    assert.deepEqual(listed.serviceDeployments, []);
  });
});
