import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { EXAMPLES_DIR } from '../../src/paths.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CommandIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} };
  const code = await main(args, io);
  return { code, out, err };
}

describe('ecs-gitops validate', () => {
  let dir = '';
  const hello = (): string => join(dir, 'hello-name');
  const edit = (file: string, from: string, to: string): void => {
    const path = join(hello(), file);
    const text = readFileSync(path, 'utf8');
    assert.ok(text.includes(from), `${file} lacks ${from}`);
    writeFileSync(path, text.replace(from, to));
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecs-gitops-validate-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const fresh = (): void => {
    rmSync(hello(), { recursive: true, force: true });
    cpSync(join(EXAMPLES_DIR, 'hello-name'), hello(), { recursive: true });
  };

  it('exits 0 on the examples and prints the summary', async () => {
    const { code, out } = await run(['validate', EXAMPLES_DIR]);
    assert.equal(code, 0);
    assert.match(out, /^22 resources valid, 0 errors, 0 warnings\n$/);
  });

  it('exits 1 when a memory does not suit the cpu, naming file, line, resource and field', async () => {
    fresh();
    edit('name.yaml', 'memory: "512"', 'memory: "4096"');
    const { code, out } = await run(['validate', hello()]);
    assert.equal(code, 1);
    const line = out.split('\n')[0] ?? '';
    assert.equal(line.startsWith(`${join(hello(), 'name.yaml')}:27:13 EcsService/name spec.taskDefinition.memory: memory 4096 MiB is not valid with cpu 256`), true, line);
    assert.match(out, /\n3 resources valid, 1 error, 0 warnings\n$/);
  });

  it('exits 1 on an unknown field, at the key itself', async () => {
    fresh();
    edit('hello.yaml', '  desiredCount: 2\n', '  desiredCount: 2\n  replicas: 3\n');
    const { code, out } = await run(['validate', hello()]);
    assert.equal(code, 1);
    assert.match(out, /hello\.yaml:29:3 EcsService\/hello spec\.replicas: unknown field "replicas" \(allowed: cluster, .*\) \[EGO_UNKNOWN_FIELD\]/);
  });

  it('exits 1 when a manifest references a missing namespace, naming the reference', async () => {
    fresh();
    edit('name.yaml', 'namespace: internal\n  description', 'namespace: internl\n  description');
    const { code, out } = await run(['validate', hello()]);
    assert.equal(code, 1);
    assert.match(out, /name\.yaml:7:14 CloudMapService\/name spec\.namespace: namespace "internl" not found: no CloudMapNamespace\/internl/);
    assert.match(out, /EcsService\/name spec\.discovery\.service: Cloud Map service not found: no CloudMapService\/internal\/name/);
  });

  it('marks warnings and does not fail on them', async () => {
    fresh();
    edit('name.yaml', 'failureThreshold: 1', 'failureThreshold: 3');
    const { code, out } = await run(['validate', hello()]);
    assert.equal(code, 0);
    assert.match(out, /custom\.failureThreshold: warning: AWS always uses 1/);
    assert.match(out, /4 resources valid, 0 errors, 1 warning\n$/);
  });

  it('ignores unrelated YAML in the tree and skips dot-directories', async () => {
    fresh();
    writeFileSync(join(hello(), 'compose.yml'), 'services:\n  web:\n    image: nginx\n');
    mkdirSync(join(hello(), '.backup'));
    cpSync(join(hello(), 'hello.yaml'), join(hello(), '.backup', 'hello.yaml'));
    const { code, out } = await run(['validate', hello(), '--output', 'json']);
    assert.equal(code, 0, out);
    const report = JSON.parse(out) as { valid: boolean; resources: unknown[]; ignoredDocuments: number };
    assert.deepEqual([report.valid, report.resources.length, report.ignoredDocuments], [true, 4, 1]);
  });

  it('validates a single file, and prints machine-readable JSON', async () => {
    fresh();
    const { code, out } = await run(['validate', join(hello(), 'namespace.yaml'), '-o', 'json']);
    assert.equal(code, 0);
    const report = JSON.parse(out) as { valid: boolean; resources: { key: string; file: string; line: number }[]; diagnostics: unknown[] };
    assert.deepEqual(report, {
      valid: true,
      resources: [{ key: 'CloudMapNamespace/internal', kind: 'CloudMapNamespace', name: 'internal', file: join(hello(), 'namespace.yaml'), line: 2 }],
      ignoredDocuments: 0,
      diagnostics: [],
    });
  });

  it('fails with a usage error on a missing path or a bad option', async () => {
    const missing = await run(['validate', join(dir, 'nope')]);
    assert.deepEqual([missing.code, missing.err.includes('no such file or directory')], [1, true]);
    const format = await run(['validate', EXAMPLES_DIR, '--output', 'xml']);
    assert.deepEqual([format.code, format.err.includes('--output must be text or json')], [1, true]);
  });
});
