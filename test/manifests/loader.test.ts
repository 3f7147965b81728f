import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests, type DebugLogger } from '../../src/reconcile/load.js';
import type { SourceFile } from '../../src/sources/artifact.js';

const NAMESPACE = `apiVersion: ecs-gitops.io/v1alpha1
kind: CloudMapNamespace
metadata:
  name: internal
spec:
  type: DNS_PRIVATE
  vpc: vpc-0123456789abcdef0
`;

const SERVICE = `apiVersion: ecs-gitops.io/v1alpha1
kind: CloudMapService
metadata:
  name: api
spec:
  namespace: internal
  dns:
    records: [{ type: A, ttl: 60 }]
  syncPolicy:
    mode: observe
`;

const ECS = `apiVersion: ecs-gitops.io/v1alpha1
kind: EcsService
metadata:
  name: api
spec:
  taskDefinitionRef: api:3
  launchType: FARGATE
  networkConfiguration: { subnets: [subnet-0a1b2c3d4e5f60718] }
  discovery: { service: api, namespace: internal }
`;

function recordingLogger(): DebugLogger & { lines: { fields: Record<string, unknown>; message: string }[] } {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  return { lines, debug: (fields, message) => lines.push({ fields, message }) };
}

describe('loadManifests', () => {
  it('reads many documents per file and resolves references across files', () => {
    const files: SourceFile[] = [
      { path: 'b/ecs.yaml', content: ECS },
      { path: 'a/discovery.yaml', content: `${NAMESPACE}---\n${SERVICE}` },
    ];
    const result = loadManifests(files);
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(
      result.resources.map((r) => [r.key, r.source.file, r.source.line]),
      [
        ['CloudMapNamespace/internal', 'a/discovery.yaml', 1],
        ['CloudMapService/internal/api', 'a/discovery.yaml', 9],
        ['EcsService/default/api', 'b/ecs.yaml', 1],
      ],
    );
  });

  it('resolves the sync policy with its defaults and keeps the manifest as written', () => {
    const result = loadManifests([{ path: 'm.yaml', content: `${NAMESPACE}---\n${SERVICE}` }]);
    const svc = result.resources.find((r) => r.kind === 'CloudMapService');
    assert.deepEqual(svc?.policy, { mode: 'observe', ignore: [], prune: true, allowReplace: false, adopt: false });
    assert.equal(svc?.kind === 'CloudMapService' ? svc.manifest.spec.dns?.routingPolicy : 'wrong kind', undefined);
  });

  it('ignores YAML that is not an ecs-gitops manifest, and logs why at debug level', () => {
    const files: SourceFile[] = [
      { path: 'k8s/deploy.yaml', content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n' },
      { path: '.ci/workflow.yml', content: 'on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n' },
      { path: 'cfn/template.yaml', content: 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Name\n' },
      { path: 'helm/values.yaml', content: 'image: {{ .Values.image }\n  bad: [\n' },
      { path: 'list.yaml', content: '- a\n- b\n' },
      { path: 'ns.yaml', content: `${NAMESPACE}---\n` },
    ];
    const logger = recordingLogger();
    const result = loadManifests(files, { logger });
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(
      result.resources.map((r) => r.key),
      ['CloudMapNamespace/internal'],
    );
    assert.equal(result.ignoredDocuments, 5);
    assert.equal(logger.lines.length, 5);
    assert.ok(logger.lines.some((l) => l.fields['file'] === 'k8s/deploy.yaml' && l.message.includes('apiVersion')));
  });

  it('keeps valid resources next to invalid ones, in the same file and in others', () => {
    const broken = ECS.replace('launchType: FARGATE', 'launchType: FARGATE\n  desiredCount: many');
    const result = loadManifests([
      { path: 'a.yaml', content: `${NAMESPACE}---\n${broken}` },
      { path: 'b.yaml', content: SERVICE },
    ]);
    assert.deepEqual(
      result.resources.map((r) => r.key),
      ['CloudMapNamespace/internal', 'CloudMapService/internal/api'],
    );
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.file, d.line, d.resource, d.field]),
      [['EGO_TYPE', 'a.yaml', 16, 'EcsService/api', 'spec.desiredCount']],
    );
  });

  it('reports every error of a manifest, not just the first, ordered by position', () => {
    const bad = NAMESPACE.replace('type: DNS_PRIVATE', 'type: PRIVATE\n  colour: blue').replace('vpc-0123456789abcdef0', 'my-vpc');
    const result = loadManifests([{ path: 'ns.yaml', content: bad }]);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.line, d.col]),
      [
        ['EGO_ENUM', 6, 9],
        ['EGO_UNKNOWN_FIELD', 7, 3],
        ['EGO_PATTERN', 8, 8],
      ],
    );
  });

  it('reports a YAML syntax error in an ecs-gitops file with its position and still reads the other documents', () => {
    const result = loadManifests([{ path: 'x.yaml', content: `${NAMESPACE}---\n${SERVICE.replace('  dns:', '  dns: : :')}` }]);
    const syntax = result.diagnostics.filter((d) => d.code === 'EGO_YAML_SYNTAX');
    assert.equal(syntax.length > 0, true);
    assert.equal(syntax[0]?.file, 'x.yaml');
    assert.equal(syntax[0]?.line, 15);
    assert.deepEqual(
      result.resources.map((r) => r.key),
      ['CloudMapNamespace/internal'],
    );
  });

  it('locates fields inside flow collections and through anchors', () => {
    const content = `${NAMESPACE}---\n${SERVICE.replace('ttl: 60', 'ttl: "60"')}`;
    const [d] = loadManifests([{ path: 'f.yaml', content }]).diagnostics;
    assert.deepEqual([d?.code, d?.line, d?.col, d?.field], ['EGO_TYPE', 16, 31, 'spec.dns.records[0].ttl']);
    const anchored = `${NAMESPACE}---\n${SERVICE.replace('  dns:\n    records: [{ type: A, ttl: 60 }]', '  dns: &dns\n    records: [{ type: A, ttl: 60 }]\n  description: *dns')}`;
    const [e] = loadManifests([{ path: 'g.yaml', content: anchored }]).diagnostics;
    assert.deepEqual([e?.code, e?.field], ['EGO_TYPE', 'spec.description']);
  });
});

describe('loadManifests at scale', () => {
  it('names at most five other places of a duplicated manifest, so copies do not make the output quadratic', () => {
    const files: SourceFile[] = Array.from({ length: 40 }, (_, i) => ({ path: `copy-${String(i).padStart(2, '0')}.yaml`, content: NAMESPACE }));
    const result = loadManifests(files);
    assert.equal(result.diagnostics.length, 40);
    assert.deepEqual(result.resources, []);
    assert.equal(
      result.diagnostics[0]?.message,
      'CloudMapNamespace/internal is also defined at copy-01.yaml:4, copy-02.yaml:4, copy-03.yaml:4, copy-04.yaml:4, copy-05.yaml:4 and 34 more; identities must be unique',
    );
  });

  it('suggests the nearest namespace and lists same-named services elsewhere for every broken reference', () => {
    const services = Array.from({ length: 30 }, (_, i) => SERVICE.replace('name: api', `name: api${i}`).replace('namespace: internal', 'namespace: internl'));
    const ecs = ECS.replace('service: api, namespace: internal', 'service: api3, namespace: internal');
    const result = loadManifests([{ path: 'a.yaml', content: [NAMESPACE, ...services, ecs].join('---\n') }]);
    const missing = result.diagnostics.filter((d) => d.code === 'EGO_NAMESPACE_NOT_FOUND');
    assert.equal(missing.length, 30);
    assert.ok(missing.every((d) => d.message.endsWith('; did you mean "internal"?')));
    const discovery = result.diagnostics.find((d) => d.code === 'EGO_DISCOVERY_SERVICE_NOT_FOUND');
    assert.equal(discovery?.message, 'Cloud Map service not found: no CloudMapService/internal/api3 in the source (found CloudMapService/internl/api3)');
  });
});

describe('loadManifests on large files', () => {
  const filler = (lines: number): string => Array.from({ length: lines }, (_, i) => `key${i}: "${'x'.repeat(40)}"`).join('\n');

  it('does not parse a large file that names none of our kinds, counting it as one ignored document', () => {
    const big = `${filler(20_000)}\n---\na: 1\n---\nb: 2\n`;
    assert.ok(big.length > 1024 * 1024);
    const logger = recordingLogger();
    const result = loadManifests([{ path: 'data.yaml', content: big }], { logger });
    assert.deepEqual([result.diagnostics, result.ignoredDocuments], [[], 1]);
    assert.match(logger.lines[0]?.message ?? '', /not parsed/);
  });

  it('parses a large file that names one of our kinds, and reports a duplicate key in a huge map', () => {
    const big = `${NAMESPACE}---\n${filler(20_000)}\n---\napiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: other\n  name: again\nspec:\n  type: HTTP\n`;
    const result = loadManifests([{ path: 'big.yaml', content: big }]);
    assert.deepEqual(
      result.resources.map((r) => r.key),
      ['CloudMapNamespace/internal'],
    );
    assert.deepEqual(result.ignoredDocuments, 1);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.line, d.message]),
      [['EGO_YAML_SYNTAX', 20_014, 'duplicate key "name": a key may appear only once in a map (first at line 20013); remove one of them']],
    );
  });
});
