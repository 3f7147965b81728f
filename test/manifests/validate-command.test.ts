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
    assert.match(out, /^25 resources valid, 0 errors, 0 warnings\n$/);
  });

  it('exits 1 when a memory does not suit the cpu, naming file, line, resource and field', async () => {
    fresh();
    edit('name.yaml', 'memory: "512"', 'memory: "4096"');
    const { code, out } = await run(['validate', hello()]);
    assert.equal(code, 1);
    const line = out.split('\n')[0] ?? '';
    assert.equal(
      line.startsWith(`${join(hello(), 'name.yaml')}:27:13 EcsService/name spec.taskDefinition.memory: memory 4096 MiB is not valid with cpu 256`),
      true,
      line,
    );
    assert.match(out, /\n3 resources valid, 1 error, 0 warnings\n$/);
  });

  it('exits 1 on an unknown field, at the key itself', async () => {
    fresh();
    edit('hello.yaml', '  desiredCount: 2\n', '  desiredCount: 2\n  replicas: 3\n');
    const { code, out } = await run(['validate', hello()]);
    assert.equal(code, 1);
    assert.match(
      out,
      /hello\.yaml:29:3 EcsService\/hello spec\.replicas: unknown field "replicas" \(allowed: cluster, .*\); did you mean "desiredCount"\? \[EGO_UNKNOWN_FIELD\]/,
    );
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

  it('ignores every kind of unrelated YAML in a team repository, quietly, and still checks the manifests beside it', async () => {
    fresh();
    const other = join(hello(), 'other');
    mkdirSync(join(other, '.github', 'workflows'), { recursive: true });
    const files: Record<string, string> = {
      '.github/workflows/ci.yml': 'on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n',
      'workflow.yml': 'on:\n  pull_request:\njobs:\n  validate:\n    steps:\n      - run: npx ecs-gitops validate .\n',
      'values.yaml': 'replicaCount: 2\nimage:\n  tag: {{ .Chart.AppVersion }}\n',
      'deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
      'docker-compose.yml': 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n',
      // An empty file is refused (EGO_FILE_EMPTY, test/sources/file-variants); one with only comments is meant to be empty.
      'comments.yaml': '# nothing here\n# yet\n',
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(other, name), content);
    writeFileSync(join(other, 'bom.yml'), '\uFEFFapiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: bom\nspec:\n  type: HTTP\n');
    writeFileSync(
      join(other, 'crlf.yaml'),
      'apiVersion: ecs-gitops.io/v1alpha1\r\nkind: CloudMapNamespace\r\nmetadata:\r\n  name: crlf\r\nspec:\r\n  type: HTTP\r\n  colour: blue\r\n',
    );
    const { code, out, err } = await run(['validate', hello()]);
    assert.equal(code, 1);
    assert.equal(err, '');
    assert.deepEqual(out.split('\n'), [
      `${join(other, 'crlf.yaml')}:7:3 CloudMapNamespace/crlf spec.colour: unknown field "colour" (allowed: type, vpc, description, soaTtl, tags, syncPolicy) [EGO_UNKNOWN_FIELD]`,
      '5 resources valid, 1 error, 0 warnings',
      '',
    ]);
    const json = JSON.parse((await run(['validate', hello(), '-o', 'json'])).out) as { ignoredDocuments: number };
    assert.equal(json.ignoredDocuments, 4);
  });

  it('names other files inside messages the way it names them at the start of the line', async () => {
    fresh();
    cpSync(join(hello(), 'namespace.yaml'), join(hello(), 'copy.yaml'));
    const { code, out } = await run(['validate', hello()]);
    assert.equal(code, 1);
    assert.ok(
      out.includes(
        `${join(hello(), 'copy.yaml')}:5:9 CloudMapNamespace/internal metadata.name: CloudMapNamespace/internal is also defined at ${join(hello(), 'namespace.yaml')}:5;`,
      ),
      out,
    );
  });

  it('says when there is nothing to check, without failing', async () => {
    const empty = join(dir, 'no-manifests');
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, 'compose.yml'), 'services: {}\n');
    const { code, out } = await run(['validate', empty]);
    assert.equal(code, 0);
    assert.equal(out, `no ecs-gitops manifests found in ${empty} (1 YAML file read, 1 other document ignored)\n0 resources valid, 0 errors, 0 warnings\n`);
  });

  it('keeps the --output json shape documented in docs/manifests.md', async () => {
    fresh();
    edit('name.yaml', 'failureThreshold: 1', 'failureThreshold: 3');
    edit('hello.yaml', '  desiredCount: 2\n', '  desiredCount: 2\n  replicas: 3\n');
    const { code, out } = await run(['validate', hello(), '--output', 'json']);
    assert.equal(code, 1);
    const report = JSON.parse(out) as { resources: Record<string, unknown>[]; diagnostics: Record<string, unknown>[] } & Record<string, unknown>;
    assert.deepEqual(Object.keys(report), ['valid', 'resources', 'ignoredDocuments', 'diagnostics']);
    assert.deepEqual(
      report.resources.map((r) => Object.keys(r)),
      [
        ['key', 'kind', 'name', 'file', 'line'],
        ['key', 'kind', 'name', 'file', 'line'],
        ['key', 'kind', 'name', 'file', 'line'],
      ],
    );
    assert.deepEqual(report.diagnostics, [
      {
        severity: 'error',
        code: 'EGO_UNKNOWN_FIELD',
        file: join(hello(), 'hello.yaml'),
        line: 29,
        col: 3,
        resource: 'EcsService/hello',
        field: 'spec.replicas',
        message: report.diagnostics[0]?.['message'],
      },
      {
        severity: 'warning',
        code: 'EGO_CUSTOM_FAILURE_THRESHOLD',
        file: join(hello(), 'name.yaml'),
        line: 16,
        col: 25,
        resource: 'CloudMapService/name',
        field: 'spec.healthCheck.custom.failureThreshold',
        message: report.diagnostics[1]?.['message'],
      },
    ]);
    const docs = readFileSync(join(EXAMPLES_DIR, '..', 'docs', 'manifests.md'), 'utf8');
    assert.ok(docs.includes('"diagnostics": ['), 'docs/manifests.md shows an example of the JSON output');
  });

  it('fails with a usage error on a missing path or a bad option', async () => {
    const missing = await run(['validate', join(dir, 'nope')]);
    assert.deepEqual([missing.code, missing.err.includes('no such file or directory')], [1, true]);
    const format = await run(['validate', EXAMPLES_DIR, '--output', 'xml']);
    assert.deepEqual([format.code, format.err.includes('--output must be text or json')], [1, true]);
  });
});
