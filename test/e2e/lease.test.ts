// Two `ecs-gitops run` processes with the same controller id and one lease table on the
// sandbox: exactly one writes; kill -9 of the leader hands over within the lease time; a
// paused (SIGSTOP) leader writes nothing once its lease lapsed; apply refuses while a
// controller holds the lease.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetServiceCommand, ListServicesCommand, ServiceDiscoveryClient, UpdateServiceCommand } from '@aws-sdk/client-servicediscovery';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { FAST_SANDBOX } from '@ecs-gitops/sandbox/testing';

const LEASE_MS = 3_000;
const TABLE = 'ecs-gitops-leases';
const ID = 'lease-e2e';
const READ = /^(Describe|List|Get|Discover)/;

const MANIFESTS = `apiVersion: ecs-gitops.io/v1alpha1
kind: CloudMapNamespace
metadata:
  name: lease-demo
spec:
  type: DNS_PRIVATE
  vpc: vpc-0123456789abcdef0
---
apiVersion: ecs-gitops.io/v1alpha1
kind: CloudMapService
metadata:
  name: api
spec:
  namespace: lease-demo
  dns:
    routingPolicy: MULTIVALUE
    records:
      - type: A
        ttl: 60
  healthCheck:
    custom: {}
`;

interface Proc {
  readonly name: string;
  readonly key: string;
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly stderr: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  url?: string;
}

function env(sandbox: SandboxHandle, key: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_REGION: 'us-east-1',
    // Each process signs with its own key, so the sandbox call log tells them apart.
    AWS_ACCESS_KEY_ID: key,
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

function spawnCli(sandbox: SandboxHandle, name: string, key: string, argv: readonly string[]): Proc {
  const child = spawn(process.execPath, ['dist/src/cli/bin.js', ...argv], { env: env(sandbox, key), stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    try {
      lines.push(JSON.parse(l) as Record<string, unknown>);
    } catch {
      stderr.push(l);
    }
  });
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { name, key, child, lines, stderr, exited };
}

function spawnRun(sandbox: SandboxHandle, dir: string, name: string): Proc {
  return spawnCli(sandbox, name, `key-${name}`, [
    'run',
    '--source',
    dir,
    '--controller-id',
    ID,
    '--listen',
    '127.0.0.1:0',
    '--resync',
    '1s',
    '--interval',
    '1s',
    '--lease-table',
    TABLE,
    '--lease-duration',
    `${LEASE_MS / 1000}s`,
    '--shutdown-grace',
    '3s',
    '--rate-limit',
    'servicediscovery=50:100',
  ]);
}

async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function started(p: Proc): Promise<string> {
  p.url = await waitFor(
    `${p.name} to start (${p.stderr.join(' | ')})`,
    () => p.lines.find((l) => l['msg'] === 'controller running')?.['url'] as string | undefined,
  );
  return p.url;
}

/** `ecs_gitops_leader` of a process: 1, 0, or undefined when it does not answer (stopped). */
async function leader(p: Proc): Promise<number | undefined> {
  try {
    const res = await fetch(`${p.url}/metrics`, { signal: AbortSignal.timeout(1_000) });
    const m = /^ecs_gitops_leader\{account="123456789012",region="us-east-1"\} (\d)/m.exec(await res.text());
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes to the managed services (not the lease table) in the call log, by access key. */
function writes(sandbox: SandboxHandle, since = 0) {
  return sandbox.world.calls
    .calls(since)
    .filter((c) => (c.service === 'servicediscovery' || c.service === 'ecs' || c.service === 'route53') && !READ.test(c.operation));
}

describe('one writer: two run processes share a DynamoDB lease (sandbox, real CLI)', () => {
  let sandbox: SandboxHandle;
  let sd: ServiceDiscoveryClient;
  let dir: string;
  const procs: Proc[] = [];

  async function serviceTtl(): Promise<number | undefined> {
    const list = await sd.send(new ListServicesCommand({}));
    const id = list.Services?.find((s) => s.Name === 'api')?.Id;
    if (!id) return undefined;
    const svc = await sd.send(new GetServiceCommand({ Id: id }));
    return svc.Service?.DnsConfig?.DnsRecords?.[0]?.TTL;
  }

  async function setTtlByHand(ttl: number): Promise<void> {
    const list = await sd.send(new ListServicesCommand({}));
    const id = list.Services!.find((s) => s.Name === 'api')!.Id!;
    await sd.send(new UpdateServiceCommand({ Id: id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: ttl }] } } }));
    await waitFor(`TTL ${ttl} by hand`, async () => (await serviceTtl()) === ttl);
  }

  before(async () => {
    sandbox = await startSandbox({ ...FAST_SANDBOX });
    sd = new ServiceDiscoveryClient({ ...sandbox.clientConfig(), disableHostPrefix: true });
    dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-lease-'));
    await writeFile(join(dir, 'manifests.yaml'), MANIFESTS);
  });
  after(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    sd.destroy();
    await sandbox.stop();
  });

  let first: Proc;
  let second: Proc;
  let third: Proc;

  it('creates the table; ecs_gitops_leader is 1 on exactly one; only that one writes', async () => {
    const a = spawnRun(sandbox, dir, 'a');
    const b = spawnRun(sandbox, dir, 'b');
    procs.push(a, b);
    await Promise.all([started(a), started(b)]);
    const [la, lb] = await waitFor('one leader and one standby', async () => {
      const v = [await leader(a), await leader(b)];
      return v[0] !== undefined && v[1] !== undefined && v[0] + v[1] === 1 ? v : undefined;
    });
    [first, second] = la === 1 ? [a, b] : [b, a];
    assert.deepEqual([la, lb].sort(), [0, 1]);
    await waitFor('the service converged', async () => (await serviceTtl()) === 60);
    // Several resyncs later: still one leader, and every write came from it.
    await sleep(3_000);
    assert.equal(await leader(first), 1);
    assert.equal(await leader(second), 0);
    const w = writes(sandbox);
    assert.ok(w.length >= 2, `writes: ${JSON.stringify(w)}`);
    assert.deepEqual([...new Set(w.map((c) => c.accessKeyId))], [first.key]);
    assert.ok(sandbox.services.dynamodb.tables.names().includes(TABLE), 'the lease table was created');
    const status = (await (await fetch(`${second.url}/status`)).json()) as { lease: { leader: boolean; holder: string; token: number; since: string } };
    assert.equal(status.lease.leader, false);
    assert.equal(status.lease.holder, `run:${hostname()}:${first.child.pid}`);
    assert.ok(status.lease.token >= 1);
    assert.ok(!Number.isNaN(Date.parse(status.lease.since)));
  });

  it('apply while a controller holds the lease exits 1 naming the holder, and writes nothing', async () => {
    const before = writes(sandbox).length;
    const apply = spawnCli(sandbox, 'apply', 'key-apply', ['apply', '--source', dir, '--controller-id', ID, '--lease-table', TABLE]);
    procs.push(apply);
    const exit = await apply.exited;
    assert.equal(exit.code, 1, apply.stderr.join('\n'));
    const text = apply.stderr.join('\n');
    assert.match(text, new RegExp(`held by run:${hostname()}:${first.child.pid} since \\d{4}-\\d\\d-\\d\\dT`));
    assert.equal(writes(sandbox).filter((c) => c.accessKeyId === 'key-apply').length, 0);
    assert.ok(writes(sandbox).length >= before);
  });

  it('kill -9 of the leader: the standby reports 1 within the lease time and reverts a TTL changed by hand', async () => {
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await first.exited;
    await setTtlByHand(300);
    await waitFor('the standby to take over', async () => ((await leader(second)) === 1 ? true : undefined), LEASE_MS + 10_000);
    const takeoverMs = Date.now() - killedAt;
    // The lease lapses at most LEASE_MS after the kill; the standby tries again just after expiry.
    // 2 s of slack for metric polling and a loaded test machine.
    assert.ok(takeoverMs <= LEASE_MS + 2_000, `took over ${takeoverMs}ms after kill -9 (lease ${LEASE_MS}ms)`);
    await waitFor('the TTL reverted to 60', async () => ((await serviceTtl()) === 60 ? true : undefined));
    const reverts = writes(sandbox, killedAt).filter((c) => c.operation === 'UpdateService' && c.accessKeyId !== undefined && c.accessKeyId !== 'sandbox');
    assert.ok(reverts.length >= 1);
    assert.deepEqual([...new Set(reverts.map((c) => c.accessKeyId))], [second.key]);
  });

  it('SIGSTOP of the leader: the standby takes over; after SIGCONT the paused one makes no write', async () => {
    third = spawnRun(sandbox, dir, 'c');
    procs.push(third);
    await started(third);
    await waitFor('c standing by', async () => ((await leader(third)) === 0 ? true : undefined));
    const stoppedAt = Date.now();
    second.child.kill('SIGSTOP');
    await waitFor('c to take over', async () => ((await leader(third)) === 1 ? true : undefined), LEASE_MS + 10_000);
    // Drift while the paused one sleeps: it will see it too once it wakes.
    await setTtlByHand(120);
    await waitFor('c reverted the TTL', async () => ((await serviceTtl()) === 60 ? true : undefined));
    await setTtlByHand(240);
    second.child.kill('SIGCONT');
    await waitFor('b reports standby after SIGCONT', async () => ((await leader(second)) === 0 ? true : undefined));
    await waitFor('the TTL reverted again', async () => ((await serviceTtl()) === 60 ? true : undefined));
    await sleep(3_000);
    const late = writes(sandbox, stoppedAt).filter((c) => c.accessKeyId === second.key);
    assert.deepEqual(late, [], 'the paused leader wrote after its lease lapsed');
    assert.ok(second.lines.some((l) => l['msg'] === 'lease not held: standby, nothing is written'));
    assert.equal(await leader(third), 1);
  });

  it('SIGTERM releases the lease: the standby takes over without waiting for the expiry', async () => {
    // The one paused and resumed above stands by; the one started there holds the lease.
    const stillStandby = second;
    const leaderProc = third;
    const termAt = Date.now();
    leaderProc.child.kill('SIGTERM');
    const exit = await leaderProc.exited;
    assert.equal(exit.code, 0, leaderProc.stderr.join('\n'));
    await waitFor('the standby to take over', async () => ((await leader(stillStandby)) === 1 ? true : undefined), LEASE_MS + 10_000);
    const item = (await (await fetch(`${sandbox.endpoint}/_sandbox/dynamodb/tables/${TABLE}`)).json()) as { holder?: { S: string }; token: { N: string } }[];
    assert.equal(item.length, 1);
    assert.equal(item[0]?.holder?.S, `run:${hostname()}:${stillStandby.child.pid}`);
    // Released at once: b polls at most every third of the lease while standing by.
    assert.ok(Date.now() - termAt < LEASE_MS + 3_000);
    stillStandby.child.kill('SIGTERM');
    assert.equal((await stillStandby.exited).code, 0);
  });
});
