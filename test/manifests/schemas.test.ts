import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateManifestTypes, GENERATED_TYPES } from '../../src/manifests/codegen.js';
import { DIAGNOSTIC_CODES } from '../../src/manifests/codes.js';
import { SCHEMA_FILES, validateAnyKind, type SchemaNode } from '../../src/manifests/schemas.js';
import { KIND_ORDER, resolvePolicy, type EcsServiceManifest } from '../../src/manifests/types.js';
import { KINDS } from '../../src/kinds/registry.js';
import { CRDS_DIR, PACKAGE_ROOT } from '../../src/paths.js';

function readSchema(file: string): SchemaNode & { $id?: string; definitions: Record<string, SchemaNode> } {
  return JSON.parse(readFileSync(join(CRDS_DIR, file), 'utf8')) as SchemaNode & { $id?: string; definitions: Record<string, SchemaNode> };
}

/** Every schema node reachable from the root, with its path, skipping `$ref` nodes. */
function walk(node: SchemaNode, path: string, visit: (n: SchemaNode, path: string) => void): void {
  visit(node, path);
  for (const [k, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${k}`, visit);
  if (node.items) walk(node.items, `${path}[]`, visit);
  if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}.*`, visit);
  for (const [k, child] of Object.entries(node.definitions ?? {})) walk(child, `#${k}`, visit);
}

describe('the JSON Schemas in crds/', () => {
  for (const kind of KIND_ORDER) {
    const file = SCHEMA_FILES[kind];
    const schema = readSchema(file);

    it(`${file}: every object forbids unknown fields and every field has a description`, () => {
      const problems: string[] = [];
      walk(schema, kind, (n, path) => {
        if (n.$ref !== undefined) return;
        if (n.type === 'object' && n.properties && n.additionalProperties !== false) problems.push(`${path}: additionalProperties is not false`);
        if (n.description === undefined || n.description.length < 8) problems.push(`${path}: no description`);
      });
      assert.deepEqual(problems, []);
    });

    it(`${file}: has an $id named after its file and pins apiVersion and kind`, () => {
      assert.equal(schema.$id, `https://ecs-gitops.io/schemas/v1alpha1/${file}`);
      assert.equal(schema.properties?.['apiVersion']?.const, 'ecs-gitops.io/v1alpha1');
      assert.equal(schema.properties?.['kind']?.const, kind);
    });
  }

  it('manifest.schema.json checks each document against the schema of its kind', () => {
    const ns = { apiVersion: 'ecs-gitops.io/v1alpha1', kind: 'CloudMapNamespace', metadata: { name: 'a' }, spec: { type: 'HTTP' } };
    assert.equal(validateAnyKind(ns), true);
    assert.equal(validateAnyKind({ ...ns, spec: { type: 'HTTP', colour: 'blue' } }), false);
    assert.equal(validateAnyKind({ ...ns, kind: 'EcsService' }), false);
    assert.equal(validateAnyKind({ ...ns, kind: 'Deployment' }), false);
  });

  it('shares one definition of syncPolicy and tags across kinds', () => {
    const [first, ...rest] = KIND_ORDER.map((k) => readSchema(SCHEMA_FILES[k]).definitions);
    for (const defs of rest) {
      assert.deepEqual(defs['syncPolicy'], first?.['syncPolicy']);
      assert.deepEqual(defs['tags'], first?.['tags']);
    }
  });

  it('declares the same defaults that resolvePolicy and KindModule.keyOf apply', () => {
    const defs = readSchema(SCHEMA_FILES.EcsService).definitions;
    const props = defs['syncPolicy']?.properties ?? {};
    const schemaDefaults = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.default]));
    assert.deepEqual(schemaDefaults, resolvePolicy(undefined));
    const clusterDefault = defs['spec']?.properties?.['cluster']?.default;
    const m: EcsServiceManifest = { apiVersion: 'ecs-gitops.io/v1alpha1', kind: 'EcsService', metadata: { name: 'x' }, spec: { taskDefinitionRef: 'x' } };
    assert.equal(KINDS.get(m.kind).keyOf(m), `EcsService/${String(clusterDefault)}/x`);
  });

  it('regenerates exactly the committed TypeScript types (schema and types cannot drift)', async () => {
    const generated = await generateManifestTypes(CRDS_DIR);
    assert.equal(generated.length, GENERATED_TYPES.length);
    for (const { module, content } of generated) {
      const committed = readFileSync(join(PACKAGE_ROOT, 'src/manifests/generated', module), 'utf8');
      assert.equal(content, committed, `src/manifests/generated/${module} is stale: run npm run generate:types`);
    }
  });
});

describe('the diagnostic code catalogue', () => {
  it('is listed completely in docs/manifests.md', () => {
    const docs = readFileSync(join(PACKAGE_ROOT, 'docs/manifests.md'), 'utf8');
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((code) => !docs.includes(`\`${code}\``));
    assert.deepEqual(missing, []);
  });

  it('lists no code in the docs that does not exist', () => {
    const docs = readFileSync(join(PACKAGE_ROOT, 'docs/manifests.md'), 'utf8');
    const documented = [...docs.matchAll(/`(EGO_[A-Z0-9_]+)`/g)].map((m) => m[1] ?? '');
    assert.deepEqual(
      documented.filter((c) => !(c in DIAGNOSTIC_CODES)),
      [],
    );
  });
});
