// Memory benchmark: peak resident memory of the controller (`ecs-gitops run` as a child process,
// so its RSS is its own) managing N pairs (an ECS service with an inline task definition of its
// own family + its Cloud Map service, one private DNS namespace) on the sandbox, which runs in
// this process. Asserts nothing; prints figures.
//
//   npm run build && node dist/bench/memory.js                 N = 1,000 and 5,000
//   node dist/bench/memory.js --pairs 1000 [--pairs 5000] [--resyncs 3] [--json]
//   node dist/bench/memory.js --pairs 1000 --heap-snapshot     also writes a heap snapshot of
//                                                               the steady controller (SIGUSR2)
//   node dist/bench/memory.js --bin ../main/dist/src/cli/bin.js the steady controller of another build
//   --fresh-services (services without event history), --default-limits (production client
//   limits, sandbox enforcing AWS's buckets), --node-option <flag> (passed to node instead of
//   the image's flags; --node-option= passes none)
//
// Per N: (1) a first controller creates everything (roomy client-side rate limits, so setup is
// quick; its peak is printed as "create"); then every service gets the 100 events of a
// long-lived one; (2) a fresh controller starts on the same manifests,
// becomes ready, reconciles every resource as in sync and runs `--resyncs` resyncs while
// /metrics is scraped every 5 s; its peak (VmHWM of /proc/<pid>/status) and the last
// `process_resident_memory_bytes` it reported are the "steady" figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { API_FAMILIES } from '../src/controller/rate-limiter.js';
import { imageNodeOptions } from './image-node-options.js';

const OWN_BIN = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));
const CLUSTER = 'bench';
const NAMESPACE = 'bench.internal';
/** The V8 flags of the container image's entrypoint (Dockerfile); --node-option replaces them. */
const IMAGE_NODE_OPTIONS = imageNodeOptions();
// Every family's bucket lifted: the benchmark measures memory, not AWS's throttling.
const ROOMY = API_FAMILIES.flatMap((f) => ['--rate-limit', `${f}=2000:2000`]);

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', multiple: true },
    resyncs: { type: 'string', default: '3' },
    resync: { type: 'string', default: '10s' },
    'default-limits': { type: 'boolean', default: false },
    'heap-snapshot': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'node-option': { type: 'string', multiple: true },
    bin: { type: 'string' },
    'fresh-services': { type: 'boolean', default: false },
  },
});
const sizes = (values.pairs ?? ['1000', '5000']).flatMap((p) => p.split(',')).map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--pairs must be positive integers');
const resyncs = Number(values.resyncs);
// Another build's CLI for the steady controller (e.g. the main branch's, for before/after figures).
const BIN = values.bin ?? OWN_BIN;

function manifests(n: number): string {
  const docs = [
    `apiVersion: ecs-gitops.io/v1alpha1
kind: CloudMapNamespace
metadata: { name: ${NAMESPACE} }
spec: { type: DNS_PRIVATE, vpc: vpc-0123456789abcdef0 }`,
  ];
  for (let i = 0; i < n; i++) {
    const name = `svc-${i}`;
    docs.push(`apiVersion: ecs-gitops.io/v1alpha1
kind: CloudMapService
metadata: { name: ${name} }
spec:
  namespace: ${NAMESPACE}
  dns: { routingPolicy: MULTIVALUE, records: [{ type: A, ttl: 60 }] }
  healthCheck: { custom: { failureThreshold: 1 } }`);
    docs.push(`apiVersion: ecs-gitops.io/v1alpha1
kind: EcsService
metadata: { name: ${name} }
spec:
  cluster: ${CLUSTER}
  taskDefinition:
    family: ${name}
    cpu: "256"
    memory: "512"
    networkMode: awsvpc
    requiresCompatibilities: [FARGATE]
    executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole
    containers:
      - name: app
        image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}:1.0.0
        portMappings: [{ containerPort: 3000 }]
        environment: { PORT: "3000" }
        logConfiguration:
          logDriver: awslogs
          options: { awslogs-group: /ecs/bench/${name}, awslogs-region: us-east-1, awslogs-stream-prefix: app }
  desiredCount: 1
  launchType: FARGATE
  networkConfiguration: { subnets: [subnet-0a1b2c3d4e5f60718], securityGroups: [sg-0c3d4e5f607182930], assignPublicIp: DISABLED }
  discovery: { service: ${name}, namespace: ${NAMESPACE} }
  tags: { app: ${name} }`);
  }
  return `${docs.join('\n---\n')}\n`;
}

interface Controller {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

async function startController(sandbox: SandboxHandle, dir: string, args: readonly string[], bin = BIN): Promise<Controller> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    process.execPath,
    [
      ...(values['heap-snapshot'] ? ['--heapsnapshot-signal=SIGUSR2'] : []),
      ...(values['node-option'] ?? IMAGE_NODE_OPTIONS).filter((o) => o !== ''),
      bin,
      'run',
      '--source',
      dir,
      '--listen',
      `127.0.0.1:${port}`,
      '--log-level',
      'warn',
      '--health-interval',
      '30s',
      ...args,
    ],
    {
      cwd: dir,
      env: {
        ...process.env,
        AWS_ENDPOINT_URL: sandbox.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'sandbox',
        AWS_SECRET_ACCESS_KEY: 'sandbox',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** VmHWM (peak) and VmRSS of a process, in bytes. */
async function procMemory(pid: number): Promise<{ hwm: number; rss: number }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 'NaN') * 1024;
  return { hwm: kib('VmHWM'), rss: kib('VmRSS') };
}

async function scrape(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(30_000) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

function metric(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

function syncedCount(text: string): number {
  return text.split('\n').filter((l) => l.startsWith('ecs_gitops_resource_info{') && l.includes('sync_status="Synced"') && l.endsWith(' 1')).length;
}

/** Scrapes every 5 s until `done` says so; returns the last scrape. */
async function watch(c: Controller, total: number, until: (synced: number, elapsedMs: number) => boolean, timeoutMs: number): Promise<string> {
  const start = Date.now();
  let last = '';
  for (;;) {
    if (c.child.exitCode !== null) throw new Error(`controller exited with ${c.child.exitCode}`);
    const text = await scrape(c.url);
    if (text !== undefined) last = text;
    const synced = text === undefined ? 0 : syncedCount(text);
    if (text !== undefined && until(synced, Date.now() - start)) return last;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out: ${synced}/${total} synced`);
    await sleep(5_000);
  }
}

const mib = (b: number): number => Math.round((b / 1024 / 1024) * 10) / 10;

interface Figures {
  pairs: number;
  createPeakMiB: number;
  createSeconds: number;
  steadyPeakMiB: number;
  steadyRssMiB: number;
  processResidentMiB: number;
  heapUsedMiB: number | undefined;
  heapTotalMiB: number | undefined;
  externalMiB: number | undefined;
  readySeconds: number;
}

async function measure(n: number): Promise<Figures> {
  const sandbox = await startSandbox({ operationDelayMs: 20, taskStartDelayMs: 20, drainDelayMs: 20 });
  const dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-memory-'));
  try {
    const ecs = new ECSClient(sandbox.clientConfig());
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    ecs.destroy();
    await writeFile(join(dir, 'manifests.yaml'), manifests(n));
    const total = 2 * n + 1;

    const t0 = Date.now();
    const creator = await startController(sandbox, dir, [...ROOMY, '--workers', '16', '--resync', '1h'], OWN_BIN);
    let createPeak = 0;
    try {
      await watch(creator, total, (synced) => synced === total, 30 * 60_000);
      createPeak = (await procMemory(creator.child.pid ?? 0)).hwm;
    } finally {
      await creator.stop();
    }
    const createSeconds = (Date.now() - t0) / 1000;
    console.error(`N=${n}: created ${total} resources in ${createSeconds.toFixed(0)} s (controller peak ${mib(createPeak)} MiB)`);

    // Long-lived services: 100 events each in every DescribeServices answer, as on AWS.
    if (!values['fresh-services']) sandbox.services.ecs.ageServices();
    sandbox.world.faults.enforceRateLimits(values['default-limits'] === true);
    const t1 = Date.now();
    const steady = await startController(sandbox, dir, [...(values['default-limits'] ? [] : ROOMY), '--resync', values.resync]);
    try {
      await watch(steady, total, (synced) => synced === total, 30 * 60_000);
      const readySeconds = (Date.now() - t1) / 1000;
      const resyncMs = Number.parseFloat(values.resync) * 1000;
      const text = await watch(steady, total, (_s, elapsed) => elapsed >= resyncs * resyncMs * 1.1, 30 * 60_000);
      const pid = steady.child.pid ?? 0;
      if (values['heap-snapshot']) {
        steady.child.kill('SIGUSR2');
        await sleep(20_000);
        console.error(`heap snapshot written to ${dir} (kept)`);
      }
      const mem = await procMemory(pid);
      const heapUsed = metric(text, 'nodejs_heap_size_used_bytes');
      const heapTotal = metric(text, 'nodejs_heap_size_total_bytes');
      const external = metric(text, 'nodejs_external_memory_bytes');
      return {
        pairs: n,
        createPeakMiB: mib(createPeak),
        createSeconds,
        steadyPeakMiB: mib(mem.hwm),
        steadyRssMiB: mib(mem.rss),
        processResidentMiB: mib(metric(text, 'process_resident_memory_bytes') ?? Number.NaN),
        heapUsedMiB: heapUsed === undefined ? undefined : mib(heapUsed),
        heapTotalMiB: heapTotal === undefined ? undefined : mib(heapTotal),
        externalMiB: external === undefined ? undefined : mib(external),
        readySeconds,
      };
    } finally {
      await steady.stop();
    }
  } finally {
    if (!values['heap-snapshot']) await rm(dir, { recursive: true, force: true });
    await sandbox.stop();
  }
}

const results: Figures[] = [];
for (const n of sizes) {
  const f = await measure(n);
  results.push(f);
  console.log(
    `pairs ${f.pairs}: steady peak ${f.steadyPeakMiB} MiB (VmHWM), rss ${f.steadyRssMiB} MiB, process_resident_memory_bytes ${f.processResidentMiB} MiB, heap used ${f.heapUsedMiB ?? '?'} of ${f.heapTotalMiB ?? '?'} MiB, external ${f.externalMiB ?? '?'} MiB; all synced ${f.readySeconds.toFixed(0)} s after start; create peak ${f.createPeakMiB} MiB`,
  );
}
if (values.json) console.log(JSON.stringify({ results }));
