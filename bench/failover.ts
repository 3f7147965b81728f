// Failover benchmark: two `ecs-gitops run` processes (the real CLI) with the same controller
// id and a lease table on the in-process sandbox. Rounds alternate kill -9 and SIGTERM of
// the holder (a new standby is started after each); each prints the takeover time (from the
// signal until the standby's ecs_gitops_leader is 1), the time until a TTL changed by hand
// right after the signal is reverted, and the writes sent during the handover by the old
// holder after the signal and by the standby before it held the lease (both must be 0).
//
//   npm run build && node dist/bench/failover.js                      3 rounds, 3 s lease
//   node dist/bench/failover.js --rounds 5 --lease 10s --json
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { GetServiceCommand, ListServicesCommand, ServiceDiscoveryClient, UpdateServiceCommand } from '@aws-sdk/client-servicediscovery';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { FAST_SANDBOX } from '@ecs-gitops/sandbox/testing';
import { parseDuration } from '../src/util/duration.js';

const READ = /^(Describe|List|Get|Discover)/;
const MANIFESTS = `apiVersion: ecs-gitops.io/v1alpha1
kind: CloudMapNamespace
metadata:
  name: failover
spec:
  type: DNS_PRIVATE
  vpc: vpc-0123456789abcdef0
---
apiVersion: ecs-gitops.io/v1alpha1
kind: CloudMapService
metadata:
  name: api
spec:
  namespace: failover
  dns:
    routingPolicy: MULTIVALUE
    records:
      - type: A
        ttl: 60
  healthCheck:
    custom: {}
`;

interface Proc {
  readonly key: string;
  readonly child: ChildProcess;
  url: string | undefined;
}

function spawnRun(sandbox: SandboxHandle, dir: string, key: string, leaseMs: number): Proc {
  const child = spawn(
    process.execPath,
    [
      'dist/src/cli/bin.js',
      'run',
      '--source',
      dir,
      '--controller-id',
      'failover',
      '--listen',
      '127.0.0.1:0',
      '--resync',
      '1s',
      '--lease-table',
      'leases',
      '--lease-duration',
      `${leaseMs}ms`,
      '--shutdown-grace',
      '2s',
    ],
    {
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        AWS_ENDPOINT_URL: sandbox.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: key,
        AWS_SECRET_ACCESS_KEY: 'sandbox',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const p: Proc = { key, child, url: undefined };
  createInterface({ input: child.stdout! }).on('line', (l) => {
    try {
      const line = JSON.parse(l) as Record<string, unknown>;
      if (line['msg'] === 'controller running') p.url = line['url'] as string;
    } catch {
      // not a log line
    }
  });
  return p;
}

async function leader(p: Proc): Promise<number | undefined> {
  if (!p.url) return undefined;
  try {
    const text = await (await fetch(`${p.url}/metrics`, { signal: AbortSignal.timeout(1_000) })).text();
    const m = /^ecs_gitops_leader\{[^}]*\} (\d)/m.exec(text);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '4' }, lease: { type: 'string', default: '3s' }, json: { type: 'boolean', default: false } },
  });
  const rounds = Number(values.rounds);
  const leaseMs = parseDuration(values.lease!);
  const sandbox = await startSandbox({ ...FAST_SANDBOX });
  const dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-failover-'));
  await writeFile(join(dir, 'manifests.yaml'), MANIFESTS);
  const writes = (since: number) =>
    sandbox.world.calls.calls(since).filter((c) => (c.service === 'servicediscovery' || c.service === 'ecs') && !READ.test(c.operation));
  let n = 0;
  const procs: Proc[] = [spawnRun(sandbox, dir, `k${n++}`, leaseMs), spawnRun(sandbox, dir, `k${n++}`, leaseMs)];
  const sd = new ServiceDiscoveryClient({ ...sandbox.clientConfig(), disableHostPrefix: true });
  const serviceId = async (): Promise<string | undefined> => (await sd.send(new ListServicesCommand({}))).Services?.find((x) => x.Name === 'api')?.Id;
  const ttl = async (): Promise<number | undefined> => {
    const id = await serviceId();
    return id ? (await sd.send(new GetServiceCommand({ Id: id }))).Service?.DnsConfig?.DnsRecords?.[0]?.TTL : undefined;
  };
  const results: {
    round: number;
    signal: string;
    takeoverMs: number;
    revertMs: number;
    oldHolderWritesAfterSignal: number;
    writesWithoutHolder: number;
  }[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const states = await until(async () => {
        const v = await Promise.all(procs.map(leader));
        return v.every((x) => x !== undefined) && v.filter((x) => x === 1).length === 1 ? v : undefined;
      }, 60_000);
      const holder = procs[states.indexOf(1)]!;
      const standby = procs[states.indexOf(0)]!;
      await until(async () => ((await ttl()) === 60 ? true : undefined), 60_000);
      await sleep(1_500);
      const signal = round % 2 === 1 ? 'SIGKILL' : 'SIGTERM';
      const at = Date.now();
      holder.child.kill(signal);
      // Drift during the handover: only the new holder may revert it.
      await sd.send(new UpdateServiceCommand({ Id: (await serviceId())!, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 300 }] } } }));
      await until(async () => ((await leader(standby)) === 1 ? true : undefined), leaseMs * 4 + 10_000);
      // The takeover is the standby's successful conditional write of the lease (the sandbox's
      // call log time): /metrics answers from a cache up to 1 s old.
      const acquired = sandbox.world.calls
        .calls(at)
        .find((c) => c.service === 'dynamodb' && c.operation === 'UpdateItem' && c.outcome === 'ok' && c.accessKeyId === standby.key);
      const tookOver = acquired?.time ?? Date.now();
      await until(async () => ((await ttl()) === 60 ? true : undefined), 60_000);
      const reverted = Date.now();
      await sleep(500);
      const after = writes(at);
      results.push({
        round,
        signal: signal === 'SIGKILL' ? 'kill -9' : 'SIGTERM',
        takeoverMs: tookOver - at,
        revertMs: reverted - at,
        oldHolderWritesAfterSignal: after.filter((c) => c.accessKeyId === holder.key).length,
        writesWithoutHolder: after.filter((c) => c.time < tookOver && c.accessKeyId === standby.key).length,
      });
      await new Promise<void>((r) => (holder.child.exitCode !== null || holder.child.signalCode !== null ? r() : holder.child.once('exit', () => r())));
      procs.splice(procs.indexOf(holder), 1);
      procs.push(spawnRun(sandbox, dir, `k${n++}`, leaseMs));
    }
  } finally {
    for (const p of procs) p.child.kill('SIGKILL');
    sd.destroy();
    await sandbox.stop();
  }
  if (values.json) {
    console.log(JSON.stringify({ leaseMs, results }, null, 2));
    return;
  }
  console.log(`lease ${leaseMs} ms (renew every ${Math.floor(leaseMs / 3)} ms, fence ${Math.max(500, Math.floor(leaseMs / 5))} ms before expiry)`);
  console.log('round  signal   takeover  hand change reverted  old holder writes after signal  standby writes before takeover');
  const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  for (const r of results) {
    console.log(
      `${String(r.round).padStart(5)}  ${r.signal.padEnd(7)}  ${secs(r.takeoverMs).padStart(8)}  ${secs(r.revertMs).padStart(20)}  ${String(r.oldHolderWritesAfterSignal).padStart(30)}  ${String(r.writesWithoutHolder).padStart(31)}`,
    );
  }
}

await main();
