import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { STSClient } from '@aws-sdk/client-sts';
import { assumeRoleProvider, sessionNameOf } from '../../src/aws/assume-role.js';

/** An STS stand-in: answers AssumeRole with credentials valid for `lifetimeMs` from the fake clock, or fails while `fail` is set. */
function fakeSts(clock: { t: number }, lifetimeMs: number) {
  const inputs: Record<string, unknown>[] = [];
  const state = { fail: false };
  const client = {
    send: async (cmd: { input: Record<string, unknown> }) => {
      inputs.push(cmd.input);
      await new Promise((r) => setImmediate(r));
      if (state.fail) throw Object.assign(new Error('not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' });
      return {
        Credentials: {
          AccessKeyId: `ASIA${inputs.length}`,
          SecretAccessKey: 'secret',
          SessionToken: 'token',
          Expiration: new Date(clock.t + lifetimeMs),
        },
      };
    },
  };
  // Only `send` is used by the provider; the cast keeps the test free of a real client.
  return { sts: client as unknown as STSClient, inputs, state };
}

describe('AssumeRole credentials', () => {
  it('assumes once for concurrent callers, passes role, session and external id, refreshes before expiry', async () => {
    const clock = { t: 1_000_000 };
    const { sts, inputs } = fakeSts(clock, 3_600_000);
    const provider = assumeRoleProvider(sts, {
      roleArn: 'arn:aws:iam::111111111111:role/r',
      externalId: 'ext',
      sessionName: 'ecs-gitops-x',
      now: () => clock.t,
    });
    const [a, b] = await Promise.all([provider(), provider()]);
    assert.equal(inputs.length, 1);
    assert.equal(a.accessKeyId, 'ASIA1');
    assert.equal(b.accessKeyId, 'ASIA1');
    assert.deepEqual(inputs[0], { RoleArn: 'arn:aws:iam::111111111111:role/r', RoleSessionName: 'ecs-gitops-x', DurationSeconds: 3600, ExternalId: 'ext' });
    clock.t += 54 * 60_000;
    assert.equal((await provider()).accessKeyId, 'ASIA1', 'still 6 min left: cached');
    clock.t += 2 * 60_000;
    assert.equal((await provider()).accessKeyId, 'ASIA2', 'within 5 min of the expiry: assumed again');
    assert.equal(inputs.length, 2);
  });

  it('a failed refresh keeps valid credentials; expired ones are never handed out', async () => {
    const clock = { t: 0 };
    const { sts, state } = fakeSts(clock, 60_000);
    const provider = assumeRoleProvider(sts, { roleArn: 'arn:aws:iam::111111111111:role/r', sessionName: 'se', now: () => clock.t });
    assert.equal((await provider()).accessKeyId, 'ASIA1');
    state.fail = true;
    clock.t = 40_000; // past the refresh point (half the lifetime), 20 s before the expiry
    assert.equal((await provider()).accessKeyId, 'ASIA1');
    clock.t = 55_000;
    await assert.rejects(provider(), /not authorized/);
    state.fail = false;
    assert.equal((await provider()).accessKeyId, 'ASIA4');
  });

  it('session names keep to the allowed characters and length', () => {
    assert.equal(sessionNameOf('ecs-gitops-team a/b'), 'ecs-gitops-team-a-b');
    assert.equal(sessionNameOf('x'.repeat(80)).length, 64);
    assert.equal(sessionNameOf('x').length, 2);
  });
});
