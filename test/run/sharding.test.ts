// run --targets with --lease-table: three tasks share 12 targets 4/4/4 through per-target
// leases in one DynamoDB table, and rebalance to 6/6 when one stops (sandbox).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { FAST_SANDBOX } from '@ecs-gitops/sandbox/testing';
import { parseControllerConfig } from '../../src/config/controller-config.js';
import { startTargets, type RunningTargets } from '../../src/run/targets.js';
import { waitFor } from './helpers.js';
import { createDynamoDbClient, LeaseTable } from '../../src/aws/lease-table.js';
import { leaseKey } from '../../src/controller/lease.js';

const ACCOUNTS = Array.from({ length: 12 }, (_, i) => String(100000000001 + i));

async function writeSource(): Promise<{ dir: string; targetsFile: string }> {
  const root = await mkdtemp(join(tmpdir(), 'ecs-gitops-shard-'));
  const dir = join(root, 'source');
  const lines = ['targets:'];
  for (const [i, account] of ACCOUNTS.entries()) {
    const name = `t${String(i + 1).padStart(2, '0')}`;
    await mkdir(join(dir, name), { recursive: true });
    await writeFile(
      join(dir, name, 'namespace.yaml'),
      `apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: ns-${name}\nspec:\n  type: HTTP\n`,
    );
    lines.push(
      `  - name: ${name}`,
      `    account: "${account}"`,
      '    region: us-east-1',
      `    roleArn: arn:aws:iam::${account}:role/member`,
      `    paths: [${name}]`,
    );
  }
  const targetsFile = join(root, 'targets.yaml');
  await writeFile(targetsFile, `${lines.join('\n')}\n`);
  return { dir, targetsFile };
}

/** The targets each task runs (by name). */
function runningOf(task: RunningTargets): string[] {
  return task
    .status()
    .targets.filter((t) => t.state === 'running')
    .map((t) => t.name);
}

/** True when the tasks run disjoint sets of the sizes given, covering every target, each as lease holder. */
function sharedAs(tasks: readonly RunningTargets[], sizes: readonly number[]): boolean {
  const sets = tasks.map(runningOf);
  if (sets.some((s, i) => s.length !== sizes[i])) return false;
  const all = sets.flat();
  if (new Set(all).size !== all.length || all.length !== ACCOUNTS.length) return false;
  return tasks.every((task) =>
    task
      .status()
      .targets.filter((t) => t.state === 'running')
      .every((t) => t.status?.lease?.leader === true),
  );
}

function configOf(dir: string, targetsFile: string) {
  return parseControllerConfig(
    [
      '--source',
      dir,
      '--targets',
      targetsFile,
      '--lease-table',
      'ecs-gitops-shards',
      '--lease-duration',
      '3s',
      '--listen',
      '127.0.0.1:0',
      '--resync',
      '5s',
      '--log-level',
      'warn',
      '--shutdown-grace',
      '3s',
    ],
    {},
  );
}

describe('sharding: three tasks share 12 targets through per-target leases (sandbox)', () => {
  let sandbox: SandboxHandle;
  const tasks: RunningTargets[] = [];

  before(async () => {
    sandbox = await startSandbox({ ...FAST_SANDBOX });
    const { dir, targetsFile } = await writeSource();
    const config = configOf(dir, targetsFile);
    const cfg = sandbox.clientConfig();
    const aws = { region: cfg.region, credentials: cfg.credentials, endpoints: { default: cfg.endpoint } };
    for (const n of [1, 2, 3]) {
      tasks.push(await startTargets(config, { aws, processMetrics: false, metricsCacheMs: 0, leaseHolder: `task-${n}`, logDestination: { write() {} } }));
    }
  });
  after(async () => {
    await Promise.all(tasks.map((t) => t.stop(2_000)));
    await sandbox.stop();
  });

  it('each task runs 4 of the 12 targets, holding their leases; every account converges', async () => {
    await waitFor(() => sharedAs(tasks, [4, 4, 4]), 60_000, `4/4/4 (now ${tasks.map((t) => runningOf(t).length).join('/')})`);
    await waitFor(
      () => ACCOUNTS.every((a, i) => sandbox.account(a).cloudmap.findNamespace(`ns-t${String(i + 1).padStart(2, '0')}`) !== undefined),
      60_000,
      'every account has its namespace',
    );
    // Each account was written once, by the one task holding its lease.
    const creates = sandbox.world.calls.calls().filter((c) => c.operation === 'CreateHttpNamespace' && c.outcome === 'ok');
    assert.deepEqual(creates.map((c) => c.account).sort(), [...ACCOUNTS].sort());
    const st = tasks[0]!.status();
    assert.equal(st.controller.shard?.members, 3);
    assert.equal(st.controller.shard?.share, 4);
    assert.equal(st.targets.filter((t) => t.state === 'standby').length, 8);
  });

  it('rebalances to 6/6 when a task stops; its targets are taken over and keep converging', async () => {
    const gone = runningOf(tasks[2]!);
    const stopped = tasks.pop()!;
    await stopped.stop(2_000);
    await waitFor(() => sharedAs(tasks, [6, 6]), 60_000, `6/6 (now ${tasks.map((t) => runningOf(t).length).join('/')})`);
    const taken = tasks.flatMap(runningOf);
    for (const name of gone) assert.ok(taken.includes(name), `${name} taken over`);
    assert.equal(tasks[0]!.status().controller.shard?.members, 2);
  });
});

describe('sharding: the targets of a task that died are taken over once its leases expire (sandbox)', () => {
  let sandbox: SandboxHandle;
  const tasks: RunningTargets[] = [];
  after(async () => {
    await Promise.all(tasks.map((t) => t.stop(2_000)));
    await sandbox?.stop();
  });

  it('two live tasks run 4 each beside a dead member holding 4, then 6/6 after its heartbeat and leases lapse, with no write to its targets meanwhile', async () => {
    sandbox = await startSandbox({ ...FAST_SANDBOX });
    const { dir, targetsFile } = await writeSource();
    const cfg = sandbox.clientConfig();
    const aws = { region: cfg.region, credentials: cfg.credentials, endpoints: { default: cfg.endpoint } };
    // A task that died a moment ago (kill -9): its membership and 4 leases expire in 4 s, never renewed.
    const client = createDynamoDbClient(aws);
    const ghostTargets = ACCOUNTS.slice(0, 4);
    try {
      const table = new LeaseTable(client, 'ecs-gitops-shards');
      await table.ensure();
      const now = Date.now();
      await table.heartbeat('ecs-gitops', 'ghost', now, 4_000);
      for (const a of ghostTargets) await table.acquire('ecs-gitops', leaseKey(a, 'us-east-1'), 'ghost', now, 4_000);
    } finally {
      client.destroy();
    }
    const diedAt = Date.now();
    const config = configOf(dir, targetsFile);
    for (const n of [1, 2]) {
      tasks.push(await startTargets(config, { aws, processMetrics: false, metricsCacheMs: 0, leaseHolder: `task-${n}`, logDestination: { write() {} } }));
    }
    const ghostNames = ghostTargets.map((_, i) => `t${String(i + 1).padStart(2, '0')}`);
    const firstRound = tasks.map(runningOf);
    const firstRoundAt = Date.now();
    // While the dead member's leases hold, nobody runs its targets.
    if (firstRoundAt - diedAt < 3_500)
      for (const names of firstRound) for (const g of ghostNames) assert.ok(!names.includes(g), `${g} taken before its lease lapsed`);
    await waitFor(() => sharedAs(tasks, [6, 6]), 60_000, `6/6 (now ${tasks.map((t) => runningOf(t).length).join('/')})`);
    await waitFor(
      () => ghostTargets.every((a) => sandbox.world.calls.calls().some((c) => c.operation === 'CreateHttpNamespace' && c.account === a)),
      60_000,
      "the dead task's accounts converge",
    );
    for (const a of ghostTargets) {
      const at = sandbox.world.calls.calls().find((c) => c.operation === 'CreateHttpNamespace' && c.account === a)!.time;
      assert.ok(at >= diedAt + 4_000, `account ${a} written ${at - diedAt} ms after the death, before its lease lapsed`);
    }
  });
});
