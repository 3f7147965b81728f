// Runs the README's "Sandbox and controller in two terminals" commands as written: the real
// bin, the real AWS CLI (/usr/bin/aws), in child processes. Only the ports change (free ones,
// so the suite can run beside a demo) and `npx ecs-gitops` becomes `node <this build's bin>`.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { runCli } from '../helpers/examples.js';
import { waitFor } from '../run/helpers.js';

const BIN = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'bin.js');
const SECTION = '## Sandbox and controller in two terminals';

/** One command of the README block: its text and the exit code its comment promises (default 0). */
interface Step {
  readonly command: string;
  readonly exitCode: number;
}

/** The first ```sh block under SECTION, as commands (continuations joined, comments dropped). */
function readmeSteps(readme: string): Step[] {
  const at = readme.indexOf(SECTION);
  assert.ok(at >= 0, `README has no "${SECTION}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block, 'no sh block in the section');
  const steps: Step[] = [];
  for (const raw of block[1]!.replace(/\\\n\s*/g, '').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const comment = /\s{2,}#(.*)$/.exec(line);
    const exit = comment ? /exit (\d+)/.exec(comment[1]!) : null;
    steps.push({ command: comment ? line.slice(0, comment.index) : line, exitCode: exit ? Number(exit[1]) : 0 });
  }
  return steps;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

/** `export A=1 B=2` as variables. */
function exports(command: string): Record<string, string> {
  return Object.fromEntries([...command.slice('export '.length).matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
}

/** Runs one shell command to its end. */
function sh(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** Starts a long-running command (`exec`, so the child is the process itself); collects its output. */
function start(command: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn('bash', ['-c', `exec ${command}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe('README: sandbox and controller in two terminals, run as written', () => {
  const started: ChildProcess[] = [];
  after(() => {
    for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('the sandbox starts, the exports and AWS CLI commands create the cluster and family, plan exits 2, run converges and stops cleanly', async () => {
    const [awsPort, listenPort] = [await freePort(), await freePort()];
    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8')
      .replaceAll('4566', String(awsPort))
      .replaceAll('127.0.0.1:9464', `127.0.0.1:${listenPort}`)
      .replaceAll('npx ecs-gitops', `node ${BIN}`);
    const steps = readmeSteps(readme);
    assert.match(steps[0]!.command, / sandbox --port \d+$/, 'terminal 1 starts the sandbox');
    assert.match(steps.at(-1)!.command, / run --source examples --listen 127\.0\.0\.1:\d+ /, 'terminal 2 ends with run');

    // A clean environment: nothing from this process's AWS settings leaks in.
    const base: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/tmp',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    };
    const sandbox = start(steps[0]!.command, base);
    started.push(sandbox.child);
    await waitFor(() => sandbox.output().includes('listening on'), 15_000, `the sandbox banner: ${sandbox.output()}`);
    assert.match(sandbox.output(), /export AWS_ENDPOINT_URL=\S+ AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 /, 'the banner names both region variables');

    let env = { ...base };
    for (const step of steps.slice(1, -1)) {
      if (step.command.startsWith('export ')) {
        env = { ...env, ...exports(step.command) };
        continue;
      }
      const r = await sh(step.command, env);
      assert.equal(r.code, step.exitCode, `${step.command}\n${r.out}`);
      if (/ plan --source examples/.test(step.command)) assert.match(r.out, /Plan: 25 to create, 0 to update, 0 to replace, 0 to delete, 0 blocked\./);
    }
    assert.equal(env['AWS_ENDPOINT_URL'], `http://127.0.0.1:${awsPort}`);

    const run = start(steps.at(-1)!.command, env);
    started.push(run.child);
    const url = `http://127.0.0.1:${listenPort}`;
    // `status` exits 0 when every tracked resource is Ready; the 25 rows say all are tracked.
    const synced = (out: string) => out.split('\n').filter((l) => /\bSynced\b/.test(l)).length;
    const status = await waitFor(
      async () => {
        const r = await runCli(['status', '--url', url], {});
        return r.code === 0 && synced(r.out) === 25 ? r : undefined;
      },
      60_000,
      `every resource Synced (run output: ${run.output().slice(-2_000)})`,
    );
    assert.doesNotMatch(status.out, /Stalled|OutOfSync/, status.out);
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0, run.output().slice(-2_000));
    sandbox.child.kill('SIGTERM');
    assert.equal(await sandbox.exited, 0);
  });
});
