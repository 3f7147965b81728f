/** A sandbox with linked Cloud Map and ECS services, as ecs-gitops would have created them. */
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAwsClients, destroyAwsClients, type AwsClients, type AwsClientHooks } from '../../src/aws/clients.js';
import { createObserveCaches, observe } from '../../src/observe/index.js';
import type { LiveEcsService, LiveSet } from '../../src/kit/types.js';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import {
  createCluster,
  createDnsService,
  createEcsService,
  createPrivateNamespace,
  ownerTags,
  registerTaskDefinition,
  times,
} from '../aws/sandbox-fixtures.js';

export const CONTROLLER_ID = 'ecs-gitops';
export const CLUSTER = 'demo';
export const NAMESPACE = 'internal';
export const VPC = 'vpc-0123456789abcdef0';

export interface DiscoveryEnv {
  sandbox: SandboxHandle;
  clients: AwsClients;
  /** A hand-moved clock shared by the sandbox and the checker, when asked for. */
  clock: { now(): number; advance(ms: number): void };
  namespaceId: string;
  /** Cloud Map service ARNs by service name. */
  registries: Map<string, string>;
  live(): Promise<LiveSet>;
  /** Task ids (32 hex) of an ECS service's RUNNING/PENDING tasks. */
  taskIds(service: string): Promise<string[]>;
  zoneId(): string;
  /** New clients against the same sandbox (e.g. with a rate limiter). */
  newClients(hooks?: AwsClientHooks): AwsClients;
  stop(): Promise<void>;
}

export interface EnvOptions {
  /** Service names; each gets a Cloud Map service (A, MULTIVALUE, custom health) and an ECS service. */
  services: readonly string[];
  tasksPerService?: number;
  ttl?: number;
  /** Move time by hand (sandbox and checker share the clock). Default: the real clock. */
  manualClock?: boolean;
}

export async function startDiscoveryEnv(options: EnvOptions): Promise<DiscoveryEnv> {
  let now = Date.parse('2026-03-01T10:00:00Z');
  const manual = options.manualClock === true;
  const clock = {
    now: () => (manual ? now : Date.now()),
    advance: (ms: number) => {
      now += ms;
    },
  };
  const sandbox = await startSandbox({ operationDelayMs: 20, taskStartDelayMs: 20, drainDelayMs: 20, ...(manual ? { now: () => now } : {}) });
  const newClients = (hooks: AwsClientHooks = {}): AwsClients => {
    const cfg = sandbox.clientConfig();
    return createAwsClients({ region: cfg.region, credentials: cfg.credentials, endpoints: { default: cfg.endpoint }, maxAttempts: 3 }, hooks);
  };
  const clients = newClients();
  // Cloud Map operations finish on the sandbox clock: with a manual clock, move it while waiting.
  const ticker = manual ? setInterval(() => clock.advance(5), 1) : undefined;
  const namespaceId = await createPrivateNamespace(clients.serviceDiscovery, NAMESPACE, VPC, ownerTags(`CloudMapNamespace/${NAMESPACE}`, CONTROLLER_ID));
  if (ticker) clearInterval(ticker);
  await createCluster(clients.ecs, CLUSTER);
  const td = await registerTaskDefinition(clients.ecs, 'app');
  const registries = new Map<string, string>();
  await times(options.services.length, 8, async (i) => {
    const name = options.services[i]!;
    const arn = await createDnsService(clients.serviceDiscovery, namespaceId, name, {
      ttl: options.ttl ?? 60,
      tags: ownerTags(`CloudMapService/${NAMESPACE}/${name}`, CONTROLLER_ID),
    });
    registries.set(name, arn);
    await createEcsService(clients.ecs, {
      cluster: CLUSTER,
      name,
      taskDefinition: td,
      desiredCount: options.tasksPerService ?? 2,
      registryArn: arn,
      tags: ownerTags(`EcsService/${CLUSTER}/${name}`, CONTROLLER_ID),
    });
  });
  const env: DiscoveryEnv = {
    sandbox,
    clients,
    clock,
    namespaceId,
    registries,
    live: () => observe(clients, { clusters: [CLUSTER] }, createObserveCaches()),
    async taskIds(service) {
      const out = await clients.ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: service, maxResults: 100 }));
      return (out.taskArns ?? []).map((a) => a.slice(a.lastIndexOf('/') + 1));
    },
    zoneId() {
      const ns = sandbox.services.cloudmap.state.namespaces.get(namespaceId);
      if (!ns?.hostedZoneId) throw new Error('namespace has no hosted zone');
      return ns.hostedZoneId;
    },
    newClients,
    async stop() {
      destroyAwsClients(clients);
      await sandbox.stop();
    },
  };
  await waitRunning(env, options.services.length * (options.tasksPerService ?? 2));
  return env;
}

/** Waits until the live set shows `tasks` RUNNING tasks in total (moving a manual clock past the start delay). */
export async function waitRunning(env: DiscoveryEnv, tasks: number): Promise<LiveSet> {
  for (let i = 0; i < 500; i++) {
    env.clock.advance(25);
    const live = await env.live();
    const running = [...live.resources.values()].filter((r): r is LiveEcsService => r.kind === 'EcsService').reduce((n, r) => n + r.runningCount, 0);
    if (running >= tasks) return live;
    await sleep(10);
  }
  throw new Error(`tasks did not reach ${tasks} RUNNING`);
}

/** A logger that records what it is given (pino's call shape: fields, message). */
export function recordingLogger(): {
  lines: { level: string; fields: Record<string, unknown>; msg: string }[];
  warn: (f: object, m: string) => void;
  info: (f: object, m: string) => void;
  debug: (f: object, m: string) => void;
} {
  const lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (fields: object, msg: string) => {
    lines.push({ level, fields: fields as Record<string, unknown>, msg });
  };
  return { lines, warn: at('warn'), info: at('info'), debug: at('debug') };
}
