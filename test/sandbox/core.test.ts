import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ECSClient, ListAccountSettingsCommand } from '@aws-sdk/client-ecs';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';

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
});
