import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { countResources, get, startExampleSandbox, startTestController, waitConverged, waitFor } from './helpers.js';
import { EXAMPLE_CLOUD_MAP_SERVICES, EXAMPLE_ECS_SERVICES, EXAMPLE_NAMESPACES } from '../helpers/examples.js';

const GRACE_MS = 4_000;

interface Spawned {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly stderr: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function spawnController(sandbox: SandboxHandle, argv: readonly string[]): Spawned {
  const child = spawn(process.execPath, ['dist/src/cli/bin.js', 'run', ...argv], {
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      AWS_ENDPOINT_URL: sandbox.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'sandbox',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, lines, stderr, exited };
}

describe('SIGTERM during an apply: the real CLI exits 0 within the grace; a restarted controller converges without duplicates (sandbox)', () => {
  let sandbox: SandboxHandle;

  before(async () => {
    sandbox = await startExampleSandbox();
  });
  after(async () => {
    await sandbox.stop();
  });

  it('node dist/src/cli/bin.js run exits 0 within --shutdown-grace while ECS creates hang', async () => {
    // ECS carries out CreateService only after 6 s: the SIGTERM finds applies in flight.
    const slow = sandbox.fault({ service: 'ecs', operation: 'CreateService', kind: 'latency', latencyMs: 6_000 });
    const run = spawnController(sandbox, [
      '--source',
      'examples',
      '--listen',
      '127.0.0.1:0',
      '--resync',
      '2s',
      '--shutdown-grace',
      `${GRACE_MS / 1000}s`,
      '--rate-limit',
      'servicediscovery=50:100',
      '--rate-limit',
      'route53=50:100',
    ]);
    try {
      const url = await waitFor(
        () => run.lines.find((l) => l['msg'] === 'controller running')?.['url'] as string | undefined,
        15_000,
        'the controller to start',
      );
      await waitFor(
        async () => {
          const status = JSON.parse((await get({ url }, '/status')).body) as { resources: { key: string; conditions: { type: string; status: string }[] }[] };
          return status.resources.some((r) => r.key.startsWith('EcsService/') && r.conditions.some((c) => c.type === 'Reconciling' && c.status === 'True'));
        },
        15_000,
        'an ECS service apply in flight',
      );
      await waitFor(() => sandbox.world.calls.calls().some((c) => c.operation === 'RegisterTaskDefinition'), 5_000, 'a task definition registered');
      const sentAt = Date.now();
      run.child.kill('SIGTERM');
      const exit = await run.exited;
      assert.equal(exit.signal, null, run.stderr.join('\n'));
      assert.equal(exit.code, 0, run.stderr.join('\n'));
      const took = exit.at - sentAt;
      // The grace bounds the shutdown; 1 s of slack covers process exit on a loaded machine.
      assert.ok(took < GRACE_MS + 1_000, `exited ${took}ms after SIGTERM (grace ${GRACE_MS}ms)`);
      const stopped = run.lines.find((l) => l['msg'] === 'stopped');
      assert.ok(stopped, 'logs the stop');
      assert.ok((stopped['durationMs'] as number) <= GRACE_MS, `stop took ${String(stopped['durationMs'])}ms`);
      assert.ok(run.lines.some((l) => l['msg'] === 'signal received' && l['signal'] === 'SIGTERM'));
    } finally {
      sandbox.world.faults.remove(slow);
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  });

  it('a restarted controller converges with exactly one of every resource', async () => {
    // The creates the stopped controller abandoned still land in the sandbox.
    await waitFor(() => sandbox.world.calls.calls().some((c) => c.service === 'ecs' && c.operation === 'CreateService'), 10_000, 'the abandoned creates');
    const { running } = await startTestController(sandbox);
    try {
      await waitConverged(running, 40_000);
      const counts = await countResources(sandbox);
      assert.deepEqual(Object.values(counts.namespaces), Array<number>(EXAMPLE_NAMESPACES).fill(1));
      // The declared ones and those ECS Service Connect creates (service-connect, blue-green).
      assert.equal(counts.cloudMapServices, EXAMPLE_CLOUD_MAP_SERVICES);
      assert.equal(Object.keys(counts.ecsServices).length, EXAMPLE_ECS_SERVICES);
      assert.ok(
        Object.values(counts.ecsServices).every((n) => n === 1),
        JSON.stringify(counts.ecsServices),
      );
    } finally {
      await running.stop(2_000);
    }
  });
});
