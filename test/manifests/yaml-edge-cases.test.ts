import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests } from '../../src/reconcile/load.js';
import type { SourceFile } from '../../src/sources/artifact.js';
import { fileFromBytes } from '../../src/sources/manifest-files.js';

const NAMESPACE =
  'apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: internal\nspec:\n  type: DNS_PRIVATE\n  vpc: vpc-0123456789abcdef0\n';

function service(name: string, specLines: string): string {
  return `apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapService\nmetadata:\n  name: ${name}\n  labels: &labels\n    team: web\nspec:\n  namespace: internal\n${specLines}`;
}

function load(...contents: string[]): ReturnType<typeof loadManifests> {
  return loadManifests(contents.map((content, i): SourceFile => ({ path: `f${i}.yaml`, content })));
}

function brief(result: ReturnType<typeof loadManifests>): (string | number | undefined)[][] {
  return result.diagnostics.map((d) => [d.code, d.file, d.line, d.col, d.field]);
}

describe('YAML edge cases in manifests', () => {
  it('reads merge keys (<<): merged fields count, and keys written next to the merge win', () => {
    const spec = '  tags:\n    <<: *labels\n    owner: b\n  dns: &dns\n    records: [{ type: A, ttl: 60 }]\n---\n';
    const second = service(
      'second',
      '  tags:\n    <<: *labels\n    team: override\n  dns:\n    <<: { routingPolicy: WEIGHTED, records: [{ type: A, ttl: 5 }] }\n    records: [{ type: A, ttl: 30 }]\n',
    );
    const result = load(`${NAMESPACE}---\n${service('api', spec)}${second}`);
    assert.deepEqual(result.diagnostics, []);
    const tagsOf = (name: string): unknown => result.resources.find((r) => r.name === name && r.kind === 'CloudMapService')?.manifest.spec.tags;
    assert.deepEqual(tagsOf('api'), { team: 'web', owner: 'b' });
    assert.deepEqual(tagsOf('second'), { team: 'override' });
    const dns = result.resources.find((r) => r.name === 'second')?.manifest.spec;
    assert.deepEqual(dns && 'dns' in dns ? dns.dns : undefined, { routingPolicy: 'WEIGHTED', records: [{ type: 'A', ttl: 30 }] });
  });

  it('locates a problem in a merged field where its value is written', () => {
    const spec = '  dns:\n    <<: &base { routingPolicy: MULTI }\n    records: [{ type: A, ttl: 60 }]\n';
    const result = load(`${NAMESPACE}---\n${service('api', spec)}`);
    assert.deepEqual(brief(result), [['EGO_ENUM', 'f0.yaml', 18, 32, 'spec.dns.routingPolicy']]);
  });

  it('reports an alias to an anchor of another document at the alias', () => {
    const result = load(
      `${NAMESPACE}---\n${service('api', '  tags: *labels\n  dns:\n    records: [{ type: A, ttl: 60 }]\n')}---\n${service('b', '  tags:\n    <<: *elsewhere\n')}`,
    );
    assert.deepEqual(brief(result), [['EGO_YAML_SYNTAX', 'f0.yaml', 30, 9, undefined]]);
    assert.match(result.diagnostics[0]?.message ?? '', /^alias \*elsewhere refers to no anchor &elsewhere before it in this document/);
    assert.deepEqual(
      result.resources.map((r) => r.key),
      ['CloudMapNamespace/internal', 'CloudMapService/internal/api'],
    );
  });

  it('reports every duplicate key of a manifest, naming the key and its first line, instead of keeping the last', () => {
    const result = load(
      NAMESPACE.replace('  type: DNS_PRIVATE\n', '  type: DNS_PRIVATE\n  type: HTTP\n').replace('  name: internal\n', '  name: internal\n  name: other\n'),
    );
    assert.deepEqual(result.resources, []);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.line, d.col, d.message]),
      [
        [5, 3, 'duplicate key "name": a key may appear only once in a map (first at line 4); remove one of them'],
        [8, 3, 'duplicate key "type": a key may appear only once in a map (first at line 7); remove one of them'],
      ],
    );
  });

  it('loads the other documents of a file whose middle document is broken, and reports one slip once', () => {
    const broken = NAMESPACE.replace('name: internal', 'name: broken').replace('spec:\n  type: DNS_PRIVATE', 'spec:\n  type: DNS_PRIVATE\n   bad: indent');
    const result = load(`${NAMESPACE}---\n${broken}---\n${NAMESPACE.replace('name: internal', 'name: last')}`);
    assert.deepEqual(
      result.resources.map((r) => r.key),
      ['CloudMapNamespace/internal', 'CloudMapNamespace/last'],
    );
    assert.deepEqual(brief(result), [['EGO_YAML_SYNTAX', 'f0.yaml', 14, 9, undefined]]);
    assert.match(result.diagnostics[0]?.message ?? '', /is that line indented too far\?$/);
  });

  it('reports a tab used for indentation once, not the misaligned lines that follow it', () => {
    const result = load(NAMESPACE.replace('  type: DNS_PRIVATE', '\ttype: DNS_PRIVATE'));
    assert.deepEqual(
      result.diagnostics.map((d) => [d.line, d.col, d.message]),
      [[6, 1, 'a tab is used for indentation, which YAML does not allow: indent with spaces']],
    );
  });

  it('points at the opening quote of a string that is never closed', () => {
    const result = load(NAMESPACE.replace('name: internal', 'name: "internal'));
    assert.deepEqual(
      result.diagnostics.map((d) => [d.line, d.col, d.message]),
      [[4, 9, 'this quoted string is never closed: add the closing " (without it the string runs on to line 8)']],
    );
  });

  it('keeps positions exact with a byte order mark and Windows line endings', () => {
    const crlf = `\uFEFF${NAMESPACE.replace('  type: DNS_PRIVATE\n', '  type: PRIVATE\n').replace(/\n/g, '\r\n')}`;
    const result = load(crlf);
    assert.deepEqual(brief(result), [['EGO_ENUM', 'f0.yaml', 6, 9, 'spec.type']]);
    assert.equal(load(`\uFEFF${NAMESPACE.replace(/\n/g, '\r\n')}`).resources[0]?.manifest.metadata.name, 'internal');
  });

  it('refuses bytes that are not UTF-8 in a manifest instead of sending replacement characters to AWS', () => {
    const [before, after] = NAMESPACE.replace('  vpc:', '  description: caf\u0000\n  vpc:').split('\u0000') as [string, string];
    const bytes = Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from([0xe9]), Buffer.from(after, 'utf8')]);
    const result = loadManifests([fileFromBytes('f0.yaml', bytes)]);
    assert.deepEqual(result.resources, []);
    assert.deepEqual(brief(result), [['EGO_ENCODING', 'f0.yaml', 7, 19, undefined]]);
    assert.match(result.diagnostics[0]?.message ?? '', /not valid UTF-8 at line 7, column 19 \(byte 0xE9\)/);
    // A replacement character written on purpose is text like any other.
    assert.equal(load(NAMESPACE.replace('  vpc:', '  description: caf\uFFFD\n  vpc:')).resources.length, 1);
  });

  it('turns runaway nesting and alias bombs into a clear error, without crashing', () => {
    const deep = `${NAMESPACE}  tags: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const aliases = ['x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 9; i++) aliases.push(`x${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
    const bomb = `${NAMESPACE}${aliases.join('\n')}\n`;
    const result = load(deep, bomb);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.file, d.message]),
      [
        ['f0.yaml', 'nested too deeply to read (far more levels than any manifest has)'],
        ['f1.yaml', 'aliases expand to too much data (more than 1000 expansions): expand fewer aliases'],
      ],
    );
  });

  it("ignores other people's YAML quietly: templates, bad bytes, broken syntax and bombs outside our documents", () => {
    const warnings: unknown[] = [];
    const original = process.emitWarning;
    process.emitWarning = ((warning: unknown) => void warnings.push(warning)) as typeof process.emitWarning;
    try {
      const result = load(
        'replicaCount: 2\nimage:\n  tag: {{ .Chart.AppVersion }}\n',
        'name: caf\uFFFD\n',
        'a: [1, 2\nb: 3\n',
        'x: &a [1, 1]\ny: [*a, *a, *b]\n',
      );
      assert.deepEqual([result.diagnostics, result.ignoredDocuments], [[], 4]);
    } finally {
      process.emitWarning = original;
    }
    assert.deepEqual(warnings, []);
  });

  it('reads yes/no/on/off as strings, as YAML 1.2 does', () => {
    const result = load(`${NAMESPACE}  description: no\n  tags: { enabled: yes, active: on }\n`);
    assert.deepEqual(result.diagnostics, []);
    const spec = result.resources[0]?.manifest.spec;
    assert.deepEqual(spec && 'description' in spec ? [spec.description, spec.tags] : undefined, ['no', { enabled: 'yes', active: 'on' }]);
  });
});
