// The lease table, the write guard and `apply --lease-table` against the sandbox's DynamoDB,
// through the real SDK clients.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateHttpNamespaceCommand, ListNamespacesCommand } from '@aws-sdk/client-servicediscovery';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { FAST_SANDBOX } from '@ecs-gitops/sandbox/testing';
import { createAwsClients, destroyAwsClients, type AwsClientsConfig } from '../../src/aws/clients.js';
import { createDynamoDbClient, LeaseHeldError, LeaseTable } from '../../src/aws/lease-table.js';
import { LeaseKeeper, leaseKey, NotLeaderError } from '../../src/controller/lease.js';
import { openLease } from '../../src/run/lease.js';
import { createApplyCommand, DEFAULT_APPLY_DEPS } from '../../src/cli/commands/apply.js';

const SK = leaseKey('123456789012', 'us-east-1');

describe('lease table and write guard (sandbox DynamoDB)', () => {
  let sandbox: SandboxHandle;
  let aws: AwsClientsConfig;
  before(async () => {
    sandbox = await startSandbox({ ...FAST_SANDBOX });
    const cfg = sandbox.clientConfig();
    aws = { region: cfg.region, credentials: cfg.credentials, endpoints: { default: cfg.endpoint } };
  });
  after(async () => {
    await sandbox.stop();
  });

  it('ensure creates the table on-demand once; two concurrent acquires: exactly one wins, the other learns the holder', async () => {
    const client = createDynamoDbClient(aws);
    try {
      const table = new LeaseTable(client, 'leases');
      const [x, y] = await Promise.all([table.ensure(10_000, (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50)))), table.ensure(10_000)]);
      // Both see an ACTIVE table; at least one of them created it (the other may have raced into ResourceInUse).
      assert.ok([x, y].includes('created'), `${x} ${y}`);
      assert.deepEqual(sandbox.services.dynamodb.tables.names(), ['leases']);
      const desc = sandbox.services.dynamodb.tables.describe({ TableName: 'leases' });
      assert.equal(desc.billingMode, 'PAY_PER_REQUEST');
      const now = Date.now();
      const results = await Promise.allSettled([table.acquire('ctl', SK, 'a', now, 5_000), table.acquire('ctl', SK, 'b', now, 5_000)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(lost[0]!.reason instanceof LeaseHeldError);
      const winner = (won[0] as PromiseFulfilledResult<{ holder: string; token: number }>).value;
      assert.equal((lost[0]!.reason as LeaseHeldError).current?.holder, winner.holder);
      assert.equal(winner.token, 1);
      // Renew by the loser is refused; release by the winner keeps the token.
      const loser = winner.holder === 'a' ? 'b' : 'a';
      await assert.rejects(table.renew('ctl', SK, loser, 1, now, 5_000), LeaseHeldError);
      assert.equal(await table.release('ctl', SK, winner.holder, 1), true);
      assert.equal(await table.release('ctl', SK, winner.holder, 1), false);
      const next = await table.acquire('ctl', SK, loser, Date.now(), 5_000);
      assert.equal(next.token, 2);
    } finally {
      client.destroy();
    }
  });

  it('the write guard refuses writes (never sent) and lets reads through', async () => {
    const table = new LeaseTable(createDynamoDbClient(aws), 'leases');
    const keeper = new LeaseKeeper({ store: table, pk: 'guard', sk: SK, holder: 'me', durationMs: 3_000 });
    const clients = createAwsClients(aws, { writeGuard: (s, op) => keeper.assertMayWrite(`${s} ${op}`) });
    try {
      await assert.rejects(clients.serviceDiscovery.send(new CreateHttpNamespaceCommand({ Name: 'guarded' })), NotLeaderError);
      assert.equal(sandbox.world.calls.calls().filter((c) => c.operation === 'CreateHttpNamespace').length, 0, 'the refused write never reached AWS');
      await clients.serviceDiscovery.send(new ListNamespacesCommand({}));
      assert.equal((await keeper.step()).leader, true);
      await clients.serviceDiscovery.send(new CreateHttpNamespaceCommand({ Name: 'guarded' }));
      assert.equal(sandbox.world.calls.calls().filter((c) => c.operation === 'CreateHttpNamespace').length, 1);
    } finally {
      await keeper.stop();
      destroyAwsClients(clients);
    }
  });

  it('apply --lease-table waits with --lease-wait until the holder releases, then applies and releases', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-apply-lease-'));
    await writeFile(join(dir, 'ns.yaml'), 'apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: apply-lease\nspec:\n  type: HTTP\n');
    const holder = await openLease({ settings: { table: 'leases', durationMs: 3_000 }, controllerId: 'apply-ctl', holder: 'run:other:1', aws, hooks: {} });
    assert.equal((await holder.keeper.step()).leader, true);
    holder.keeper.start();
    const env = { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox' };
    // The SDK's default credential chain reads the process environment, not the command's.
    const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
    process.env['AWS_ACCESS_KEY_ID'] = 'sandbox';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'sandbox';
    const run = async (extra: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await createApplyCommand(DEFAULT_APPLY_DEPS).run(
        ['--source', dir, '--controller-id', 'apply-ctl', '--region', 'us-east-1', '--lease-table', 'leases', ...extra],
        {
          stdout: (t) => out.push(t),
          stderr: (t) => err.push(t),
          env,
        },
      );
      return { code, out: out.join(''), err: err.join('') };
    };
    try {
      const refused = await run([]);
      assert.equal(refused.code, 1);
      assert.match(refused.err, /held by run:other:1 since \d{4}-/);
      // Released 1 s into a 20 s wait: apply takes the lease and converges.
      const release = new Promise<void>((r) => setTimeout(() => void holder.keeper.stop(true).then(r), 1_000));
      const waited = await run(['--lease-wait', '20s']);
      await release;
      assert.equal(waited.code, 0, waited.err + waited.out);
      assert.match(waited.out, /Lease of apply-ctl in 123456789012\/us-east-1 \(table leases\) taken \(token 2\)/);
      const item = sandbox.services.dynamodb.tables.describe({ TableName: 'leases' }).items;
      const stored = [...item.values()].find((i) => i['pk']?.['S'] === 'apply-ctl');
      assert.equal(stored?.['holder'], undefined, 'apply released the lease');
      assert.equal(stored?.['token']?.['N'], '2');
    } finally {
      await holder.keeper.stop(false);
      holder.close();
      if (saved.id === undefined) delete process.env['AWS_ACCESS_KEY_ID'];
      else process.env['AWS_ACCESS_KEY_ID'] = saved.id;
      if (saved.secret === undefined) delete process.env['AWS_SECRET_ACCESS_KEY'];
      else process.env['AWS_SECRET_ACCESS_KEY'] = saved.secret;
    }
  });
});
