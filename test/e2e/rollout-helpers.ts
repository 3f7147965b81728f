// A sandbox whose clock a test moves forward (the sandbox's `now` option), the controller on
// a directory source, and the CLI, for the rollout and rollback checks.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { FAST_SANDBOX } from '../helpers/sandbox.js';
import { preparePlatform, runCli, type CliResult } from '../helpers/examples.js';
import type { RunningController } from '../../src/run/app.js';
import type { ResourceStatus } from '../../src/controller/status.js';

/** The example sandbox on a clock that runs with real time plus what the test added. */
export interface ShiftedSandbox {
  readonly sandbox: SandboxHandle;
  readonly ecs: ECSClient;
  /** Moves the sandbox clock forward; the next request applies what fell due. */
  advance(ms: number): Promise<void>;
  cli(...argv: string[]): Promise<CliResult>;
  admin(method: string, path: string, body?: unknown): Promise<unknown>;
  /** ok count of one operation, e.g. `ecs:UpdateService`. */
  calls(operation: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startShiftedSandbox(): Promise<ShiftedSandbox> {
  let offset = 0;
  const sandbox = await startSandbox({ ...FAST_SANDBOX, now: () => Date.now() + offset });
  await preparePlatform(sandbox);
  process.env['AWS_ACCESS_KEY_ID'] = 'sandbox';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'sandbox';
  const env = { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: 'us-east-1' };
  const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${sandbox.endpoint}/_sandbox/${path}`, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    return res.json();
  };
  const ecs = new ECSClient(sandbox.clientConfig());
  return {
    sandbox,
    ecs,
    advance: async (ms) => {
      offset += ms;
      await ecs.send(new DescribeClustersCommand({ clusters: ['demo'] }));
    },
    cli: (...argv) => runCli([...argv, '--region', 'us-east-1'], env),
    admin,
    calls: async (operation) => ((await admin('GET', 'counters')) as Record<string, { ok: number }>)[operation]?.ok ?? 0,
    stop: async () => {
      ecs.destroy();
      await sandbox.stop();
    },
  };
}

/** A private copy of one examples/ folder. */
export async function copyExample(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `ecs-gitops-${name}-`));
  await cp(join('examples', name), dir, { recursive: true });
  return dir;
}

/** Replaces `from` by `to` in a file (throws when `from` is not there). */
export async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  await writeFile(file, text.replace(from, to));
}

/** The status of one resource. */
export function resource(running: RunningController, key: string): ResourceStatus | undefined {
  return running.status.snapshot().resources.find((r) => r.key === key);
}

/** Status of a condition of one resource. */
export function condition(running: RunningController, key: string, type: string): string | undefined {
  return resource(running, key)?.conditions.find((c) => c.type === type)?.status;
}

/** Resolves once `n` more reconciles of `key` have ended (counted from the controller's log lines). */
export async function reconciles(logs: readonly Record<string, unknown>[], key: string, n: number, timeoutMs = 30_000): Promise<void> {
  const count = () => logs.filter((l) => l['key'] === key && (l['msg'] === 'reconciled' || l['msg'] === 'reconcile failed')).length;
  const target = count() + n;
  const end = Date.now() + timeoutMs;
  while (count() < target) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${n} reconciles of ${key}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
