import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { startExampleSandbox } from '../helpers/examples.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

const TOKEN = 'ghs_StepsTok3n';
const EVENT = join(PACKAGE_ROOT, 'test', 'fixtures', 'github', 'pull_request.synchronize.json');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  if?: string;
  run?: string;
  env?: Record<string, string>;
}
interface ActionYaml {
  runs: { using: string; steps: Step[] };
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
}

function bash(script: string, env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-e', '-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/**
 * Runs the composite steps of action.yml as the runner would, for a pull_request event: setup
 * and build are skipped (the test runs on the built checkout), `${{ inputs.* }}`,
 * `${{ steps.*.outputs.* }}` and `${{ github.token }}` are substituted, the two `if:`
 * conditions are evaluated as written below (the test fails if action.yml changes them).
 */
async function runAction(action: ActionYaml, inputs: Record<string, string>, baseEnv: Record<string, string>, work: string) {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(action.inputs)) if (v.default !== undefined) values[k] = v.default;
  Object.assign(values, inputs);
  const outputs: Record<string, Record<string, string>> = {};
  const expr = (text: string): string =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, e: string) => {
      if (e === 'github.token') return TOKEN;
      const input = /^inputs\.([\w-]+)$/.exec(e);
      if (input) return values[input[1]!] ?? '';
      const out = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e);
      if (out) return outputs[out[1]!]?.[out[2]!] ?? '';
      throw new Error(`expression not modelled by the test: ${e}`);
    });
  const ran: { name: string; code: number | null; out: string; err: string }[] = [];
  for (const step of action.runs.steps) {
    if (step.uses || step.name === 'Build ecs-gitops') continue;
    if (step.if === "steps.validate.outputs.exit-code == '0'") {
      if (outputs['validate']?.['exit-code'] !== '0') continue;
    } else if (step.if === "inputs.comment == 'true' && (github.event.pull_request || github.event.issue.pull_request)") {
      if (values['comment'] !== 'true') continue;
    } else assert.equal(step.if, undefined, `condition not modelled: ${step.if}`);
    const outputFile = join(work, `output-${ran.length}`);
    await writeFile(outputFile, '');
    const env = { ...baseEnv, GITHUB_OUTPUT: outputFile, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expr(String(v))])) };
    const r = await bash(step.run!, env);
    ran.push({ name: step.name ?? '', ...r });
    if (step.id) {
      outputs[step.id] = Object.fromEntries(
        (await readFile(outputFile, 'utf8'))
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('=', 2) as [string, string]),
      );
    }
    if (r.code !== 0) break;
  }
  return { ran, outputs };
}

describe('action.yml on a pull request: validate, plan --output markdown against the sandbox, one comment', () => {
  let sandbox: SandboxHandle;
  let api: RecordingServer;
  let work: string;
  let action: ActionYaml;
  const comments: { id: number; body: string }[] = [];

  before(async () => {
    sandbox = await startExampleSandbox();
    api = await startRecordingServer((req) => {
      if (req.method === 'GET') return { status: 200, body: comments };
      const body = (JSON.parse(req.body) as { body: string }).body;
      if (req.method === 'POST') {
        comments.push({ id: 7, body });
        return { status: 201, body: { id: 7 } };
      }
      comments[0]!.body = body;
      return { status: 200, body: comments[0] };
    });
    work = await mkdtemp(join(tmpdir(), 'ecs-gitops-action-steps-'));
    action = parse(await readFile(join(PACKAGE_ROOT, 'action.yml'), 'utf8')) as ActionYaml;
  });
  after(async () => {
    await api.close();
    await sandbox.stop();
    await rm(work, { recursive: true, force: true });
  });

  function env(): Record<string, string> {
    const cfg = sandbox.clientConfig();
    return {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? work,
      GITHUB_ACTION_PATH: PACKAGE_ROOT,
      GITHUB_EVENT_PATH: EVENT,
      GITHUB_API_URL: api.url,
      RUNNER_TEMP: work,
      AWS_ENDPOINT_URL: cfg.endpoint,
      AWS_REGION: cfg.region,
      AWS_ACCESS_KEY_ID: cfg.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: cfg.credentials.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  }

  it('is a composite action whose outputs are the exit codes of validate and plan', () => {
    assert.equal(action.runs.using, 'composite');
    assert.equal(action.inputs['source']?.required, true);
    assert.equal(action.outputs['plan-exit-code']?.value, '${{ steps.plan.outputs.exit-code }}');
  });

  it('posts the plan of valid manifests (exit 2: changes) and passes; a second run updates the same comment', async () => {
    const { ran, outputs } = await runAction(action, { source: join(PACKAGE_ROOT, 'examples') }, env(), work);
    assert.deepEqual(
      ran.map((r) => [r.name, r.code]),
      [
        ['Validate', 0],
        ['Plan', 0],
        ['Comment on the pull request', 0],
        ['Result', 0],
      ],
      JSON.stringify(ran.map((r) => r.err)),
    );
    assert.equal(outputs['validate']?.['exit-code'], '0');
    assert.equal(outputs['plan']?.['exit-code'], '2');
    assert.equal(comments.length, 1);
    const body = comments[0]!.body;
    assert.ok(body.startsWith('<!-- ecs-gitops-plan -->\n'));
    assert.match(body, /\*\*Plan: \d+ to create/);
    assert.match(body, /<details><summary><code>\+ create<\/code> <b>CloudMapNamespace\/internal<\/b>/);

    const again = await runAction(action, { source: join(PACKAGE_ROOT, 'examples') }, env(), work);
    assert.equal(again.ran.at(-1)?.code, 0);
    assert.equal(comments.length, 1);
    assert.equal(api.received.filter((r) => r.method === 'PATCH').length, 1);
  });

  it('shows validate errors, skips plan and fails the check on invalid manifests', async () => {
    const { ran } = await runAction(action, { source: join(PACKAGE_ROOT, 'test', 'fixtures', 'invalid', 'ecs-fargate-cpu.yaml') }, env(), work);
    assert.deepEqual(
      ran.map((r) => [r.name, r.code]),
      [
        ['Validate', 0],
        ['Comment on the pull request', 0],
        ['Result', 1],
      ],
    );
    assert.match(comments[0]!.body, /\*\*validate\*\* failed \(exit 1\)/);
    assert.match(comments[0]!.body, /ecs-fargate-cpu\.yaml/);
    assert.match(ran.at(-1)!.out, /::error::ecs-gitops validate found errors/);
  });
});
