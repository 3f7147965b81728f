import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests } from '../../src/manifests/loader.js';
import type { SourceFile } from '../../src/sources/artifact.js';

const NAMESPACE = 'apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: internal\nspec:\n  type: DNS_PRIVATE\n  vpc: vpc-0123456789abcdef0\n';

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
    const second = service('second', '  tags:\n    <<: *labels\n    team: override\n  dns:\n    <<: { routingPolicy: WEIGHTED, records: [{ type: A, ttl: 5 }] }\n    records: [{ type: A, ttl: 30 }]\n');
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

  it('reads yes/no/on/off as strings, as YAML 1.2 does', () => {
    const result = load(`${NAMESPACE}  description: no\n  tags: { enabled: yes, active: on }\n`);
    assert.deepEqual(result.diagnostics, []);
    const spec = result.resources[0]?.manifest.spec;
    assert.deepEqual(spec && 'description' in spec ? [spec.description, spec.tags] : undefined, ['no', { enabled: 'yes', active: 'on' }]);
  });
});
