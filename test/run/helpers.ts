import { execFile } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeServicesCommand, ECSClient, ListServicesCommand as ListEcsServicesCommand } from '@aws-sdk/client-ecs';
import { ListNamespacesCommand, ListServicesCommand, ServiceDiscoveryClient, UpdateServiceCommand } from '@aws-sdk/client-servicediscovery';
import { parseControllerConfig } from '../../src/config/controller-config.js';
import { startController, type ControllerDeps, type RunningController } from '../../src/run/app.js';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { realWaitSeams } from '../../src/kit/apply-wait.js';
import { waitForOperation } from '../../src/kit/operations.js';

export { preparePlatform, startExampleSandbox } from '../helpers/examples.js';

/** Resources the examples declare (namespaces, Cloud Map services, ECS services). */
export const EXAMPLE_RESOURCES = 25;

/** Structured log lines a test controller wrote. */
export type LogLines = Record<string, unknown>[];

/**
 * Starts a controller in-process against the sandbox. `argv` are `run` flags; defaults:
 * examples as source, a free port, resync 2s, silent quick waits for tests.
 */
export async function startTestController(
  sandbox: SandboxHandle,
  argv: readonly string[] = [],
  deps: ControllerDeps = {},
): Promise<{ running: RunningController; logs: LogLines }> {
  // Cloud Map and Route 53 get roomier buckets than the production defaults, so the suite stays fast.
  const defaults = [
    '--source',
    'examples',
    '--listen',
    '127.0.0.1:0',
    '--resync',
    '2s',
    '--log-level',
    'debug',
    '--shutdown-grace',
    '5s',
    '--rate-limit',
    'servicediscovery=50:100',
    '--rate-limit',
    'route53=50:100',
  ];
  const config = parseControllerConfig([...defaults, ...argv], {});
  const logs: LogLines = [];
  const cfg = sandbox.clientConfig();
  const running = await startController(config, {
    aws: { region: cfg.region, credentials: cfg.credentials, endpoints: { default: cfg.endpoint } },
    logDestination: {
      write(line: string) {
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not JSON: ignore
        }
      },
    },
    rescanDebounceMs: 200,
    metricsCacheMs: 0,
    backoff: { baseMs: 200, maxMs: 2_000, jitter: 0.2 },
    delays: { pendingMs: 300, dependencyMs: 300 },
    ...deps,
  });
  return { running, logs };
}

/** Polls `check` every 50 ms until it returns a value other than undefined/false. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(50);
  }
}

/** True when the controller tracks `count` resources and every one is Synced. */
export function allSynced(running: RunningController, count = EXAMPLE_RESOURCES): boolean {
  const resources = running.status.snapshot().resources;
  return resources.length === count && resources.every((r) => r.syncStatus === 'Synced');
}

/** Waits until every example resource is Synced; the message lists the ones that are not. */
export async function waitConverged(running: RunningController, timeoutMs = 30_000, count = EXAMPLE_RESOURCES): Promise<void> {
  try {
    await waitFor(() => allSynced(running, count), timeoutMs, 'convergence');
  } catch (err) {
    const left = running.status
      .snapshot()
      .resources.filter((r) => r.syncStatus !== 'Synced')
      .map((r) => `${r.key}: ${r.syncStatus} ${r.lastError?.message ?? ''}`);
    throw new Error(`${(err as Error).message}; not synced: ${left.join('; ') || '(none)'}; tracked ${running.status.snapshot().resources.length}`);
  }
}

/** GETs a path of the controller; resolves to status and body. */
export async function get(running: { url: string }, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${running.url}${path}`);
  return { status: res.status, body: await res.text() };
}

/** The value of one series in a Prometheus text exposition (labels in the given order), or undefined. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const inner = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const series = inner ? `${name}{${inner}}` : name;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

/** Runs `promtool check metrics` on an exposition; resolves to its combined output and exit code. */
export function promtoolCheck(text: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('/usr/bin/promtool', ['check', 'metrics'], (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
    child.stdin?.end(text);
  });
}

/** Counts what the sandbox holds, by name, so a test can see duplicates. */
export async function countResources(
  sandbox: SandboxHandle,
): Promise<{ namespaces: Record<string, number>; cloudMapServices: number; ecsServices: Record<string, number> }> {
  const cfg = sandbox.clientConfig();
  const sd = new ServiceDiscoveryClient({ ...cfg, disableHostPrefix: true });
  const ecs = new ECSClient(cfg);
  try {
    const namespaces: Record<string, number> = {};
    const list = await sd.send(new ListNamespacesCommand({}));
    for (const n of list.Namespaces ?? []) namespaces[n.Name ?? '?'] = (namespaces[n.Name ?? '?'] ?? 0) + 1;
    let cloudMapServices = 0;
    for (const n of list.Namespaces ?? []) {
      let token: string | undefined;
      do {
        const page = await sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [n.Id!], Condition: 'EQ' }], NextToken: token }));
        cloudMapServices += page.Services?.length ?? 0;
        token = page.NextToken;
      } while (token);
    }
    const ecsServices: Record<string, number> = {};
    const arns = (await ecs.send(new ListEcsServicesCommand({ cluster: 'demo', maxResults: 100 }))).serviceArns ?? [];
    for (let i = 0; i < arns.length; i += 10) {
      const described = await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: arns.slice(i, i + 10) }));
      for (const s of described.services ?? []) if (s.status === 'ACTIVE') ecsServices[s.serviceName ?? '?'] = (ecsServices[s.serviceName ?? '?'] ?? 0) + 1;
    }
    return { namespaces, cloudMapServices, ecsServices };
  } finally {
    sd.destroy();
    ecs.destroy();
  }
}

/** Changes the TTL of Cloud Map service `namespace/name` behind the controller's back (waits for the operation). */
export async function changeTtlOutOfBand(sandbox: SandboxHandle, namespace: string, name: string, ttl: number): Promise<void> {
  const sd = new ServiceDiscoveryClient({ ...sandbox.clientConfig(), disableHostPrefix: true });
  try {
    const ns = (await sd.send(new ListNamespacesCommand({}))).Namespaces?.find((n) => n.Name === namespace);
    if (!ns?.Id) throw new Error(`no namespace ${namespace}`);
    const svc = (await sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [ns.Id], Condition: 'EQ' }] }))).Services?.find(
      (s) => s.Name === name,
    );
    if (!svc?.Id || !svc.DnsConfig?.DnsRecords) throw new Error(`no DNS service ${namespace}/${name}`);
    const records = svc.DnsConfig.DnsRecords.map((r) => ({ Type: r.Type, TTL: ttl }));
    const op = await sd.send(new UpdateServiceCommand({ Id: svc.Id, Service: { DnsConfig: { DnsRecords: records } } }));
    await waitForOperation(sd, op.OperationId!, { initialDelayMs: 10, maxDelayMs: 50, factor: 2, timeoutMs: 5_000 }, realWaitSeams);
  } finally {
    sd.destroy();
  }
}

/** The live TTL of Cloud Map service `namespace/name` (first record). */
export async function liveTtl(sandbox: SandboxHandle, namespace: string, name: string): Promise<number | undefined> {
  const sd = new ServiceDiscoveryClient({ ...sandbox.clientConfig(), disableHostPrefix: true });
  try {
    const ns = (await sd.send(new ListNamespacesCommand({}))).Namespaces?.find((n) => n.Name === namespace);
    if (!ns?.Id) return undefined;
    const svc = (await sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [ns.Id], Condition: 'EQ' }] }))).Services?.find(
      (s) => s.Name === name,
    );
    return svc?.DnsConfig?.DnsRecords?.[0]?.TTL;
  } finally {
    sd.destroy();
  }
}

/** A private copy of examples/ (a directory source a test may edit). */
export async function copyExamples(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-examples-'));
  await cp('examples', dir, { recursive: true });
  return dir;
}

/** Write operations in the sandbox call log (anything that is not a read). */
export function isWrite(operation: string): boolean {
  return !/^(List|Describe|Get|Discover)/.test(operation);
}

/** Every file under examples/ as repository files (path -> content), for a Git source. */
export async function exampleRepoFiles(prefix = ''): Promise<Record<string, string>> {
  const { readManifestTree } = await import('../../src/manifests/read-tree.js');
  const tree = await readManifestTree('examples');
  return Object.fromEntries(tree.files.map((f) => [`${prefix}${f.path}`, f.content]));
}

/** The TTL line of examples/hello-name/name.yaml set to `ttl`. */
export function nameYamlWithTtl(content: string, ttl: number): string {
  const out = content.replace(/(- type: A\n\s+ttl: )\d+/, `$1${ttl}`);
  if (out === content && !content.includes(`ttl: ${ttl}`)) throw new Error('no A record TTL in name.yaml');
  return out;
}
