import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests } from '../../src/reconcile/load.js';
import type { EcsServiceManifest } from '../../src/manifests/types.js';
import type { SourceFile } from '../../src/sources/artifact.js';
import { applyJsonPatch } from '../../src/manifests/overlay/json-patch.js';
import { applyMergePatch } from '../../src/manifests/overlay/merge-patch.js';
import { changeImage } from '../../src/manifests/overlay/images.js';
import { loadDesiredState } from '../../src/run/desired-state.js';

const SERVICE = `apiVersion: ecs-gitops.io/v1alpha1
kind: EcsService
metadata:
  name: web
spec:
  cluster: \${cluster}
  taskDefinition:
    family: web
    cpu: "256"
    memory: "512"
    containers:
      - name: web
        image: registry.example.com:5000/team/web:1.0.0
        command: ["sh", "-c", "echo $\${HOME}"]
  desiredCount: 1
  networkConfiguration:
    subnets: ["\${subnets}"]
  tags:
    app: web
`;

function overlay(spec: string): string {
  return `apiVersion: ecs-gitops.io/v1alpha1
kind: Overlay
metadata:
  name: prod
spec:
${spec}`;
}

function files(overlaySpec: string, base = SERVICE): SourceFile[] {
  return [
    { path: 'base/web.yaml', content: base },
    { path: 'prod/overlay.yaml', content: overlay(overlaySpec) },
  ];
}

const VALUES = `  values:
    cluster: { value: prod }
    subnets: { ssm: /prod/subnets }
`;

function web(result: ReturnType<typeof loadManifests>): EcsServiceManifest {
  const r = result.resources.find((x) => x.kind === 'EcsService');
  assert.ok(r, JSON.stringify(result.diagnostics));
  return r.manifest as EcsServiceManifest;
}

describe('Overlay rendering', () => {
  it('applies merge and JSON patches, images, common tags and values, in that order', () => {
    const spec = `  bases: [../base]
  patches:
    - target: { kind: EcsService, name: web }
      merge: { spec: { desiredCount: 4, tags: { tier: front } } }
    - target: { kind: EcsService, name: web }
      json:
        - { op: test, path: /spec/desiredCount, value: 4 }
        - { op: add, path: /spec/taskDefinition/containers/0/environment, value: { MODE: "\${cluster}" } }
  images:
    - { name: "registry.example.com:5000/team/web", newTag: "2.0.1" }
  commonTags: { environment: prod, app: overridden }
${VALUES}`;
    const values = new Map([['ssm:/prod/subnets', { value: ['subnet-0a1b2c3d', 'subnet-0b1c2d3e'] }]]);
    const result = loadManifests(files(spec), { entry: 'prod', values });
    assert.deepEqual(
      result.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    const m = web(result);
    assert.equal(m.spec.cluster, 'prod');
    assert.equal(m.spec.desiredCount, 4);
    assert.deepEqual(m.spec.networkConfiguration?.subnets, ['subnet-0a1b2c3d', 'subnet-0b1c2d3e']);
    const container = m.spec.taskDefinition?.containers[0];
    assert.equal(container?.image, 'registry.example.com:5000/team/web:2.0.1');
    assert.deepEqual(container?.environment, { MODE: 'prod' });
    assert.deepEqual(container?.command, ['sh', '-c', 'echo ${HOME}']);
    assert.deepEqual(m.spec.tags, { app: 'overridden', tier: 'front', environment: 'prod' });
    assert.deepEqual(
      result.overlays?.externalRefs.map((r) => r.key),
      ['ssm:/prod/subnets'],
    );
    // The resource is located in its base file.
    assert.equal(result.resources[0]?.source.file, 'base/web.yaml');
  });

  it('a patch that selects no resource fails with the overlay file and line', () => {
    const result = loadManifests(
      files(`  bases: [../base]\n  patches:\n    - target: { kind: EcsService, name: nope }\n      merge: { spec: { desiredCount: 2 } }\n${VALUES}`),
      {
        entry: 'prod',
      },
    );
    const d = result.diagnostics.find((x) => x.code === 'EGO_PATCH_NO_TARGET');
    assert.ok(d);
    assert.equal(d.file, 'prod/overlay.yaml');
    assert.equal(d.line, 8);
    assert.equal(d.resource, 'Overlay/prod');
  });

  it('a JSON patch that does not apply names the overlay line and the base resource line, and holds the resource back', () => {
    const result = loadManifests(
      files(
        `  bases: [../base]\n  patches:\n    - target: { kind: EcsService, name: web }\n      json:\n        - { op: replace, path: /spec/missing, value: 1 }\n${VALUES}`,
      ),
      {
        entry: 'prod',
      },
    );
    const d = result.diagnostics.find((x) => x.code === 'EGO_PATCH_FAILED');
    assert.ok(d);
    assert.equal(`${d.file}:${d.line}`, 'prod/overlay.yaml:10');
    assert.match(d.message, /base\/web\.yaml:1/);
    assert.equal(d.resource, 'EcsService/web');
    assert.equal(result.resources.length, 0);
  });

  it('a problem in a field a patch wrote is reported in the overlay', () => {
    const result = loadManifests(
      files(`  bases: [../base]\n  patches:\n    - target: { kind: EcsService, name: web }\n      merge: { spec: { desiredCount: -3 } }\n${VALUES}`),
      {
        entry: 'prod',
        values: new Map([['ssm:/prod/subnets', { value: 'subnet-0a1b2c3d' }]]),
      },
    );
    const d = result.diagnostics.find((x) => x.field === 'spec.desiredCount');
    assert.ok(d, JSON.stringify(result.diagnostics));
    assert.equal(`${d.file}:${d.line}`, 'prod/overlay.yaml:9');
  });

  it('a placeholder without a value is an error at the field, never an empty string', () => {
    const result = loadManifests(files(`  bases: [../base]\n  values:\n    subnets: { value: subnet-0a1b2c3d }\n`), { entry: 'prod' });
    const d = result.diagnostics.find((x) => x.code === 'EGO_VALUE_MISSING');
    assert.ok(d);
    assert.equal(`${d.file}:${d.line}`, 'base/web.yaml:6');
    assert.equal(result.resources.length, 0);
  });

  it('an external value that could not be read holds the resource back and names the declaration', () => {
    const values = new Map([['ssm:/prod/subnets', { error: 'ParameterNotFound' }]]);
    const result = loadManifests(files(`  bases: [../base]\n${VALUES}`), { entry: 'prod', values });
    const d = result.diagnostics.find((x) => x.code === 'EGO_VALUE_UNRESOLVED');
    assert.ok(d);
    assert.match(d.message, /SSM parameter \/prod\/subnets: ParameterNotFound \(declared at prod\/overlay.yaml:9\)/);
    assert.equal(result.resources.length, 0);
  });

  it('without external values (validate) the fields using them are not checked', () => {
    const result = loadManifests(files(`  bases: [../base]\n${VALUES}`), { entry: 'prod' });
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.resources.length, 1);
  });

  it('reports cycles and bases with no manifests at the base line', () => {
    const cyc: SourceFile[] = [
      { path: 'a/overlay.yaml', content: overlay('  bases: [../b]\n') },
      { path: 'b/overlay.yaml', content: overlay('  bases: [../a]\n') },
    ];
    const result = loadManifests(cyc, { entry: 'a' });
    assert.ok(result.diagnostics.some((d) => d.code === 'EGO_OVERLAY_BASE' && /cycle/.test(d.message)));
    const dangling = loadManifests([{ path: 'prod/overlay.yaml', content: overlay('  bases: [../nowhere]\n') }], { entry: 'prod' });
    const d = dangling.diagnostics.find((x) => x.code === 'EGO_OVERLAY_BASE');
    assert.equal(`${d?.file}:${d?.line}`, 'prod/overlay.yaml:6');
  });

  it('a tree with overlays below its root renders none of them and keeps their bases out', () => {
    const result = loadManifests(files(`  bases: [../base]\n${VALUES}`));
    assert.equal(result.resources.length, 0);
    assert.deepEqual(result.overlays?.skipped, ['prod/overlay.yaml']);
  });

  it('without an Overlay the loader is unchanged (no overlays field, ${} left as written)', () => {
    const result = loadManifests([{ path: 'web.yaml', content: SERVICE.replace('${cluster}', 'demo').replace('"${subnets}"', 'subnet-0a1b2c3d') }]);
    assert.equal(result.overlays, undefined);
    assert.deepEqual(web(result).spec.taskDefinition?.containers[0]?.command, ['sh', '-c', 'echo $${HOME}']);
  });
});

describe('Overlay controllerId (the ownership scope of an environment)', () => {
  const VALUES_LITERAL = `  values:
    cluster: { value: prod }
    subnets: { value: [subnet-0a1b2c3d] }
`;

  it("the entry Overlay's id comes back with its file, line and column", () => {
    const result = loadManifests(files(`  controllerId: prod\n  bases: [../base]\n${VALUES_LITERAL}`), { entry: 'prod' });
    assert.deepEqual(
      result.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.equal(result.resources.length, 1);
    assert.deepEqual(result.overlays?.controllerId, { id: 'prod', file: 'prod/overlay.yaml', line: 6, col: 17 });
  });

  it("only the entry Overlay's id counts: a base Overlay's is neither inherited nor a conflict", () => {
    const shared: SourceFile = { path: 'shared/overlay.yaml', content: overlay(`  controllerId: shared\n  bases: [../base]\n${VALUES_LITERAL}`) };
    const without = loadManifests(
      [{ path: 'base/web.yaml', content: SERVICE }, shared, { path: 'prod/overlay.yaml', content: overlay('  bases: [../shared]\n') }],
      {
        entry: 'prod',
      },
    );
    assert.equal(without.resources.length, 1, JSON.stringify(without.diagnostics));
    assert.equal(without.overlays?.controllerId, undefined);
    const own = loadManifests(
      [{ path: 'base/web.yaml', content: SERVICE }, shared, { path: 'prod/overlay.yaml', content: overlay('  controllerId: prod\n  bases: [../shared]\n') }],
      { entry: 'prod' },
    );
    assert.equal(own.resources.length, 1, JSON.stringify(own.diagnostics));
    assert.equal(own.overlays?.controllerId?.id, 'prod');
  });

  it('an id that breaks the --controller-id rule is an error at its line, and nothing renders', () => {
    const result = loadManifests(files(`  controllerId: "-prod"\n  bases: [../base]\n${VALUES_LITERAL}`), { entry: 'prod' });
    const d = result.diagnostics.find((x) => x.severity === 'error');
    assert.equal(`${d?.file}:${d?.line}`, 'prod/overlay.yaml:6');
    assert.match(d?.message ?? '', /the rule of --controller-id/);
    assert.equal(d?.resource, 'Overlay/prod');
    assert.equal(result.resources.length, 0);
  });

  it("run's desired state: an Overlay naming another id refuses the revision whole (nothing desired, pruning held)", () => {
    const artifact = {
      url: 'dir:///envs/prod',
      revision: 'r1',
      digest: 'sha256:0',
      fetchedAt: 0,
      files: files(`  controllerId: prod\n  bases: [../base]\n${VALUES_LITERAL}`).map((f) => ({
        ...f,
        path: f.path.replace(/^prod\//, '').replace(/^base\//, '../base/'),
      })),
    };
    const mine = loadDesiredState(artifact, 'enforce', undefined, undefined, 'prod');
    assert.equal(mine.desired.length, 1, JSON.stringify(mine.diagnostics));
    assert.deepEqual(mine.unattributedErrors, []);
    const other = loadDesiredState(artifact, 'enforce', undefined, undefined, 'staging');
    assert.equal(other.desired.length, 0);
    assert.equal(other.invalid.size, 0);
    assert.deepEqual(
      other.unattributedErrors.map((d) => [d.file, d.line, d.code, d.resource]),
      [['overlay.yaml', 6, 'EGO_OVERLAY', undefined]],
    );
    assert.match(other.unattributedErrors[0]?.message ?? '', /for controller id "prod", this controller's id is "staging".*--controller-id prod/);
  });
});

describe('patch primitives', () => {
  it('JSON merge patch follows RFC 7386 (null removes, lists replace)', () => {
    assert.deepEqual(applyMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] }), { a: { c: 2, d: 3 }, l: [3] });
  });

  it('JSON patch follows RFC 6902 and never half applies', () => {
    const doc = { a: [1, 2], b: { c: 1 } };
    assert.deepEqual(
      applyJsonPatch(doc, [
        { op: 'add', path: '/a/-', value: 3 },
        { op: 'move', from: '/b/c', path: '/d' },
        { op: 'copy', from: '/d', path: '/a/0' },
        { op: 'remove', path: '/b' },
      ]),
      { a: [1, 1, 2, 3], d: 1 },
    );
    assert.throws(
      () =>
        applyJsonPatch(doc, [
          { op: 'add', path: '/z', value: 1 },
          { op: 'test', path: '/z', value: 2 },
        ]),
      /test failed/,
    );
    assert.deepEqual(doc, { a: [1, 2], b: { c: 1 } });
  });

  it('images keep a registry port and replace tag or digest', () => {
    assert.equal(changeImage('reg:5000/app:1', { name: 'reg:5000/app', newTag: '2' }), 'reg:5000/app:2');
    assert.equal(changeImage('reg:5000/app', { name: 'reg:5000/app', digest: `sha256:${'a'.repeat(64)}` }), `reg:5000/app@sha256:${'a'.repeat(64)}`);
    assert.equal(changeImage('other/app:1', { name: 'reg:5000/app', newTag: '2' }), undefined);
  });
});
