// `ecs-gitops run --targets <file>` as a process on the sandbox: two accounts reached through
// STS AssumeRole converge; /metrics labels their resources with account and region; SIGTERM
// stops it with exit 0; a bad targets file stops the start naming file and line.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { FAST_SANDBOX } from '@ecs-gitops/sandbox/testing';

const A = '111111111111';
const B = '222222222222';

function env(sandbox: SandboxHandle): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    AWS_ENDPOINT_URL: sandbox.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'controller',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function labelled(body: string, name: string, labels: Record<string, string>): boolean {
  return body.split('\n').some((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)));
}

describe('ecs-gitops run --targets (process, sandbox)', () => {
  let sandbox: SandboxHandle;
  let root: string;
  let child: ChildProcess | undefined;

  before(async () => {
    sandbox = await startSandbox({ ...FAST_SANDBOX });
    root = await mkdtemp(join(tmpdir(), 'ecs-gitops-targets-e2e-'));
    for (const name of ['a', 'b']) {
      await mkdir(join(root, 'src', name), { recursive: true });
      await writeFile(
        join(root, 'src', name, 'ns.yaml'),
        `apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: team-${name}\nspec:\n  type: HTTP\n`,
      );
    }
    await writeFile(
      join(root, 'targets.yaml'),
      `targets:\n  - account: "${A}"\n    region: us-east-1\n    roleArn: arn:aws:iam::${A}:role/member\n    paths: [a]\n  - account: "${B}"\n    region: eu-west-1\n    roleArn: arn:aws:iam::${B}:role/member\n    paths: [b]\n`,
    );
    await writeFile(
      join(root, 'bad.yaml'),
      `targets:\n  - account: "${A}"\n    region: us-east-1\n    roleArn: arn:aws:iam::${B}:role/member\n    paths: [a]\n`,
    );
  });
  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await sandbox.stop();
  });

  it('converges both accounts, labels /metrics with account and region, stops on SIGTERM with exit 0', async () => {
    const proc = spawn(
      process.execPath,
      [
        'dist/src/cli/bin.js',
        'run',
        '--source',
        join(root, 'src'),
        '--targets',
        join(root, 'targets.yaml'),
        '--listen',
        '127.0.0.1:0',
        '--resync',
        '2s',
        '--shutdown-grace',
        '3s',
      ],
      { env: env(sandbox), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    const lines: Record<string, unknown>[] = [];
    const stderr: string[] = [];
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      try {
        lines.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        stderr.push(l);
      }
    });
    createInterface({ input: proc.stderr! }).on('line', (l) => stderr.push(l));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const url = await waitFor('the running line', () => lines.find((l) => l['msg'] === 'controller running with targets')?.['url'] as string | undefined);
    await waitFor(
      'both namespaces in their accounts',
      () => sandbox.account(A).cloudmap.findNamespace('team-a') !== undefined && sandbox.account(B).cloudmap.findNamespace('team-b') !== undefined,
    );
    assert.equal(sandbox.account(A).cloudmap.findNamespace('team-b'), undefined);
    assert.equal(sandbox.account(B).cloudmap.findNamespace('team-a'), undefined);
    const body = await waitFor('labelled metrics', async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return labelled(text, 'ecs_gitops_resource_info', { name: 'team-a', account: A, region: 'us-east-1' }) &&
        labelled(text, 'ecs_gitops_resource_info', { name: 'team-b', account: B, region: 'eu-west-1' })
        ? text
        : undefined;
    });
    assert.equal(body.split('\n').filter((l) => l.startsWith('process_cpu_seconds_total ')).length, 1, 'process metrics once, unlabelled');
    // Roles were assumed, and no credential field reached the logs.
    assert.ok(sandbox.world.principals.list().some((c) => c.accountId === A));
    const logText = JSON.stringify(lines);
    assert.doesNotMatch(logText, /secretAccessKey|sessionToken|SecretAccessKey|SessionToken/);
    proc.kill('SIGTERM');
    assert.equal(await exited, 0, stderr.join('\n'));
  });

  it('a bad targets file: exit 1 naming file, line and field', async () => {
    const proc = spawn(process.execPath, ['dist/src/cli/bin.js', 'run', '--source', join(root, 'src'), '--targets', join(root, 'bad.yaml')], {
      env: env(sandbox),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
    assert.notEqual(code, 0);
    assert.match(err, new RegExp(`bad\\.yaml:4: targets\\[0\\]\\.roleArn is a role of account ${B}`));
  });
});
