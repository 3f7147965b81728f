import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateClusterCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { CloudFormationClient, ListExportsCommand } from '@aws-sdk/client-cloudformation';
import { startSandbox, type SandboxHandle } from '../src/index.js';
import { FAST_SANDBOX } from '../src/testing.js';
import { ManualClock } from './cloudmap-helpers.js';

const ROLE_A = 'arn:aws:iam::111111111111:role/ecs-gitops-member';
const ROLE_B = 'arn:aws:iam::222222222222:role/path/ecs-gitops-member';

describe('sandbox STS (query protocol) and several accounts', () => {
  let sandbox: SandboxHandle;
  let sts: STSClient;
  const clock = new ManualClock();

  before(async () => {
    sandbox = await startSandbox({ ...FAST_SANDBOX, now: clock.now, assumedRoleLifetimeMs: 60_000 });
    sts = new STSClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
  });
  after(async () => {
    sts.destroy();
    await sandbox.stop();
  });

  async function assume(roleArn: string, externalId?: string) {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ecs-gitops', ...(externalId ? { ExternalId: externalId } : {}) }));
    const c = out.Credentials!;
    return { out, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }, expiration: c.Expiration! };
  }

  it('GetCallerIdentity with the static key is the default account', async () => {
    const me = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Account, '123456789012');
    assert.equal(me.Arn, 'arn:aws:iam::123456789012:user/sandbox');
  });

  it('AssumeRole returns credentials with an Expiration, of the account in the role ARN', async () => {
    const { out, credentials, expiration } = await assume(ROLE_A);
    assert.match(credentials.accessKeyId, /^ASIA[0-9A-F]{16}$/);
    assert.equal(out.AssumedRoleUser?.Arn, 'arn:aws:sts::111111111111:assumed-role/ecs-gitops-member/ecs-gitops');
    // The sandbox caps the lifetime at assumedRoleLifetimeMs (60 s) below the default hour.
    assert.equal(expiration.getTime(), clock.time + 60_000);
    const asA = new STSClient({ ...sandbox.clientConfig(), credentials, maxAttempts: 1 });
    try {
      const me = await asA.send(new GetCallerIdentityCommand({}));
      assert.equal(me.Account, '111111111111');
      assert.equal(me.Arn, out.AssumedRoleUser?.Arn);
    } finally {
      asA.destroy();
    }
  });

  it('each account has its own ECS state; the call log names the account and access key', async () => {
    const a = await assume(ROLE_A);
    const b = await assume(ROLE_B);
    const ecsA = new ECSClient({ ...sandbox.clientConfig(), credentials: a.credentials, maxAttempts: 1 });
    const ecsB = new ECSClient({ ...sandbox.clientConfig(), credentials: b.credentials, maxAttempts: 1 });
    const ecsHome = new ECSClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
    try {
      const created = await ecsA.send(new CreateClusterCommand({ clusterName: 'apps' }));
      assert.equal(created.cluster?.clusterArn, 'arn:aws:ecs:us-east-1:111111111111:cluster/apps');
      assert.deepEqual((await ecsA.send(new ListClustersCommand({}))).clusterArns, ['arn:aws:ecs:us-east-1:111111111111:cluster/apps']);
      assert.deepEqual((await ecsB.send(new ListClustersCommand({}))).clusterArns, []);
      assert.deepEqual((await ecsHome.send(new ListClustersCommand({}))).clusterArns, []);
      const call = sandbox.world.calls.calls().find((c) => c.operation === 'CreateCluster');
      assert.equal(call?.account, '111111111111');
      assert.equal(call?.accessKeyId, a.credentials.accessKeyId);
    } finally {
      ecsA.destroy();
      ecsB.destroy();
      ecsHome.destroy();
    }
  });

  it('expired credentials answer ExpiredTokenException', async () => {
    const a = await assume(ROLE_A);
    const ecsA = new ECSClient({ ...sandbox.clientConfig(), credentials: a.credentials, maxAttempts: 1 });
    try {
      clock.advance(60_000);
      await assert.rejects(ecsA.send(new ListClustersCommand({})), (e: Error) => e.name === 'ExpiredTokenException');
    } finally {
      ecsA.destroy();
    }
  });

  it('a role that requires an external id refuses AssumeRole without it (AccessDenied); bad input is a ValidationError', async () => {
    const res = await fetch(`${sandbox.endpoint}/_sandbox/sts/roles`, { method: 'POST', body: JSON.stringify({ roleArn: ROLE_B, externalId: 'tenant-42' }) });
    assert.equal(res.status, 200);
    await assert.rejects(assume(ROLE_B), (e: Error) => e.name === 'AccessDenied');
    await assert.rejects(assume(ROLE_B, 'wrong'), (e: Error) => e.name === 'AccessDenied');
    const ok = await assume(ROLE_B, 'tenant-42');
    assert.match(ok.out.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[0-9A-F]{17}:ecs-gitops$/);
    await assert.rejects(
      sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::1:user/x', RoleSessionName: 'ecs-gitops' })),
      (e: Error) => e.name === 'ValidationError',
    );
    await assert.rejects(
      sts.send(new AssumeRoleCommand({ RoleArn: ROLE_A, RoleSessionName: 'ecs-gitops', DurationSeconds: 7200 })),
      (e: Error) => e.name === 'ValidationError' && /MaxSessionDuration/.test(e.message),
    );
  });

  it('shares POST / with CloudFormation: each query call goes to the service of its API version', async () => {
    const cfn = new CloudFormationClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
    try {
      const [who, exports] = await Promise.all([sts.send(new GetCallerIdentityCommand({})), cfn.send(new ListExportsCommand({}))]);
      assert.match(who.Account ?? '', /^\d{12}$/);
      assert.deepEqual(exports.Exports, []);
    } finally {
      cfn.destroy();
    }
  });
});
