import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateClusterCommand, DescribeServicesCommand, ECSClient, ListAccountSettingsCommand, ListClustersCommand } from '@aws-sdk/client-ecs';
import { startSandbox, type SandboxHandle } from '../src/server.js';

describe('sandbox core', () => {
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox.stop();
  });

  it('listens on 127.0.0.1 and reports its endpoint', () => {
    assert.match(sandbox.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers admin calls: counters, faults and reset', async () => {
    const add = await fetch(`${sandbox.endpoint}/_sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ service: 'ecs', operation: 'ListClusters', kind: 'throttle', count: 2 }),
    });
    assert.equal(add.status, 200);
    const faults = (await (await fetch(`${sandbox.endpoint}/_sandbox/faults`)).json()) as unknown[];
    assert.equal(faults.length, 1);
    const reset = await fetch(`${sandbox.endpoint}/_sandbox/reset`, { method: 'POST' });
    assert.equal(reset.status, 200);
    const after = (await (await fetch(`${sandbox.endpoint}/_sandbox/faults`)).json()) as unknown[];
    assert.equal(after.length, 0);
  });

  it('answers an unknown admin route with 404', async () => {
    const res = await fetch(`${sandbox.endpoint}/_sandbox/nope`);
    assert.equal(res.status, 404);
  });

  it('answers an operation it does not implement with an AWS-style error naming it', async () => {
    const ecs = new ECSClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
    await assert.rejects(ecs.send(new ListAccountSettingsCommand({})), (err: Error) => {
      assert.equal(err.name, 'UnknownOperationException');
      assert.match(err.message, /ListAccountSettings/);
      return true;
    });
    ecs.destroy();
  });

  it('delivers an injected throttle to the SDK as ThrottlingException, then answers normally', async () => {
    const ecs = new ECSClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
    sandbox.fault({ service: 'ecs', operation: 'ListClusters', kind: 'throttle', count: 1 });
    await assert.rejects(ecs.send(new ListClustersCommand({})), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, 'ThrottlingException');
      assert.equal(err.$metadata?.httpStatusCode, 400);
      return true;
    });
    const ok = await ecs.send(new ListClustersCommand({}));
    assert.ok(Array.isArray(ok.clusterArns));
    assert.equal(sandbox.world.calls.counts()['ecs:ListClusters']?.throttled, 1);
    ecs.destroy();
  });

  it('enforces the ECS service-read token bucket: a burst of DescribeServices is throttled beyond 100', async () => {
    // A frozen clock: the bucket never refills, so exactly the burst capacity gets through.
    const frozen = await startSandbox({ now: () => 1_700_000_000_000 });
    const ecs = new ECSClient({ ...frozen.clientConfig(), maxAttempts: 1 });
    try {
      await ecs.send(new CreateClusterCommand({ clusterName: 'burst' }));
      const res = await fetch(`${frozen.endpoint}/_sandbox/rate-limits`, { method: 'POST', body: JSON.stringify({ enforce: true }) });
      assert.equal(res.status, 200);
      const outcomes: string[] = [];
      for (let i = 0; i < 105; i++) {
        try {
          await ecs.send(new DescribeServicesCommand({ cluster: 'burst', services: [`svc-${i}`] }));
          outcomes.push('ok');
        } catch (err) {
          outcomes.push((err as Error).name);
        }
      }
      assert.deepEqual(
        outcomes.slice(0, 100),
        Array.from({ length: 100 }, () => 'ok'),
      );
      assert.deepEqual(
        outcomes.slice(100),
        Array.from({ length: 5 }, () => 'ThrottlingException'),
      );
      assert.deepEqual(frozen.world.calls.counts()['ecs:DescribeServices'], { ok: 100, error: 0, throttled: 5 });
      // Other buckets are separate: ListClusters still answers.
      assert.ok((await ecs.send(new ListClustersCommand({}))).clusterArns);
    } finally {
      ecs.destroy();
      await frozen.stop();
    }
  });
});
