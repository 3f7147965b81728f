// Scan benchmark: AWS calls and wall time of one observe scan, cold and warm, next to the
// physical floor from docs/aws-behaviour.md. Runs against the in-process sandbox (a development tool,
// not AWS: wall times here say nothing about AWS latency, call counts do).
//
//   npm run bench                        200 ECS services + 200 Cloud Map services
//   npm run bench -- --services 1000     or SCAN_BENCH_SERVICES=1000 npm run bench
//   npm run bench -- --rate-limits       sandbox enforces AWS's token buckets (ECS reads 100 burst, 20/s)
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createAwsClients, destroyAwsClients } from '../src/aws/clients.js';
import { createObserveCaches, observe } from '../src/observe/index.js';
import { cloudMapServiceKey, ecsServiceKey, namespaceKey } from '../src/manifests/keys.js';
import type { LiveSet } from '../src/kit/types.js';
import { scanFloor, sumCalls } from './floor.js';
import { startSandbox } from '@ecs-gitops/sandbox';
import {
  createCluster,
  createDnsService,
  createEcsService,
  createPrivateNamespace,
  ownerTags,
  registerTaskDefinition,
  times,
} from '../test/aws/sandbox-fixtures.js';

const CLUSTER = 'bench';
const NAMESPACE = 'bench.internal';
const CONTROLLER_ID = 'ecs-gitops';

function options(): { services: number; rateLimits: boolean } {
  const { values } = parseArgs({
    options: { services: { type: 'string', short: 'n' }, 'rate-limits': { type: 'boolean', default: false } },
  });
  const raw = values.services ?? process.env['SCAN_BENCH_SERVICES'] ?? '200';
  const services = Number(raw);
  if (!Number.isInteger(services) || services < 1) throw new Error(`--services must be a positive integer, got ${raw}`);
  return { services, rateLimits: values['rate-limits'] === true };
}

function table(n: number, scans: { label: string; live: LiveSet; ms: number; floor: Record<string, number> }[]): string {
  const ops = [...new Set(scans.flatMap((s) => [...Object.keys(s.live.calls), ...Object.keys(s.floor)]))].sort();
  const head = ['operation', ...scans.flatMap((s) => [`${s.label}`, `${s.label} floor`])];
  const rows = ops.map((op) => [op, ...scans.flatMap((s) => [String(s.live.calls[op] ?? 0), String(s.floor[op] ?? 0)])]);
  rows.push(['total', ...scans.flatMap((s) => [String(sumCalls(s.live.calls)), String(sumCalls(s.floor))])]);
  rows.push(['wall time (ms)', ...scans.flatMap((s) => [s.ms.toFixed(0), ''])]);
  rows.push(['resources', ...scans.flatMap((s) => [String(s.live.resources.size), String(2 * n + 1)])]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { services: n, rateLimits } = options();
  const sandbox = await startSandbox({ operationDelayMs: 20, taskStartDelayMs: 20, drainDelayMs: 20 });
  const cfg = sandbox.clientConfig();
  const setup = createAwsClients({ region: cfg.region, credentials: cfg.credentials, endpoints: { default: cfg.endpoint }, maxAttempts: 10 });
  const clients = createAwsClients({ region: cfg.region, credentials: cfg.credentials, endpoints: { default: cfg.endpoint }, maxAttempts: 10 });
  try {
    const t0 = performance.now();
    await createCluster(setup.ecs, CLUSTER);
    const td = await registerTaskDefinition(setup.ecs, 'bench');
    // Everything is owned and declared, as in a controller's steady state.
    const nsId = await createPrivateNamespace(setup.serviceDiscovery, NAMESPACE, 'vpc-bench', ownerTags(namespaceKey(NAMESPACE)));
    await times(n, 16, (i) =>
      createEcsService(setup.ecs, { cluster: CLUSTER, name: `svc-${i}`, taskDefinition: td, tags: ownerTags(ecsServiceKey(CLUSTER, `svc-${i}`)) }),
    );
    await times(n, 16, (i) => createDnsService(setup.serviceDiscovery, nsId, `svc-${i}`, { tags: ownerTags(cloudMapServiceKey(NAMESPACE, `svc-${i}`)) }));
    const desiredKeys = new Set([
      namespaceKey(NAMESPACE),
      ...Array.from({ length: n }, (_, i) => [ecsServiceKey(CLUSTER, `svc-${i}`), cloudMapServiceKey(NAMESPACE, `svc-${i}`)]).flat(),
    ]);
    console.log(
      `setup: ${n} ECS services in cluster ${CLUSTER}, ${n} Cloud Map services in ${NAMESPACE}, all owned (${(performance.now() - t0).toFixed(0)} ms)`,
    );
    if (rateLimits) {
      sandbox.world.faults.enforceRateLimits(true);
      console.log('sandbox enforces AWS token buckets (throttled attempts are counted as calls)');
    }

    const caches = createObserveCaches();
    const scans = [];
    for (const label of ['cold', 'warm'] as const) {
      const start = performance.now();
      const live = await observe(clients, { clusters: [CLUSTER] }, caches, { owners: { controllerId: CONTROLLER_ID, desiredKeys } });
      scans.push({ label, live, ms: performance.now() - start, floor: scanFloor(n, n, label === 'cold') });
    }
    console.log('');
    console.log(table(n, scans));
    console.log('');
    console.log(
      'floor: ceil(N/100) ListServices + ceil(N/10) DescribeServices per cluster; 1 ListNamespaces + ceil(S/100) ListServices per namespace; ceil(owned/100) GetResources cold (docs/aws-behaviour.md)',
    );
  } finally {
    destroyAwsClients(setup);
    destroyAwsClients(clients);
    await sandbox.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
