import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests } from '../../src/reconcile/load.js';

const BODY = 'metadata:\n  name: internal\nspec:\n  type: HTTP\n';

function load(content: string): ReturnType<typeof loadManifests> {
  return loadManifests([{ path: 'm.yaml', content }]);
}

function brief(content: string): (string | number | undefined)[][] {
  return load(content).diagnostics.map((d) => [d.code, d.line, d.col, d.resource, d.field]);
}

describe('which documents count as ecs-gitops manifests', () => {
  it('reports one of our kinds without an apiVersion instead of dropping it (it would be pruned)', () => {
    const result = load(`kind: CloudMapNamespace\n${BODY}`);
    assert.deepEqual(result.resources, []);
    assert.deepEqual(result.ignoredDocuments, 0);
    assert.deepEqual(brief(`kind: CloudMapNamespace\n${BODY}`), [['EGO_API_VERSION', 1, 1, 'CloudMapNamespace/internal', 'apiVersion']]);
    assert.match(result.diagnostics[0]?.message ?? '', /missing "apiVersion: ecs-gitops\.io\/v1alpha1"/);
  });

  it('reports one of our kinds with a version but no API group', () => {
    const result = load(`apiVersion: v1alpha1\nkind: CloudMapNamespace\n${BODY}`);
    assert.deepEqual(brief(`apiVersion: v1alpha1\nkind: CloudMapNamespace\n${BODY}`), [['EGO_API_VERSION', 1, 13, 'CloudMapNamespace/internal', 'apiVersion']]);
    assert.match(result.diagnostics[0]?.message ?? '', /apiVersion "v1alpha1" is not ecs-gitops\.io\/v1alpha1/);
  });

  it("still ignores a kind of ours under another API group (someone else's resource type)", () => {
    const result = load(`apiVersion: example.com/v1\nkind: EcsService\n${BODY}`);
    assert.deepEqual([result.diagnostics, result.ignoredDocuments], [[], 1]);
  });

  it('reports manifests written as a list in one document, at the first of them', () => {
    const list = `- apiVersion: ecs-gitops.io/v1alpha1\n  kind: CloudMapNamespace\n  metadata: { name: a }\n  spec: { type: HTTP }\n- apiVersion: ecs-gitops.io/v1alpha1\n  kind: CloudMapNamespace\n  metadata: { name: b }\n  spec: { type: HTTP }\n`;
    const result = load(list);
    assert.deepEqual(result.resources, []);
    assert.deepEqual(brief(list), [['EGO_NESTED_MANIFEST', 1, 3, undefined, '[0]']]);
    assert.match(result.diagnostics[0]?.message ?? '', /2 ecs-gitops manifests in a list are not read: give each its own document, separated by ---/);
  });

  it('reports manifests inside the items of a Kubernetes List', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: ecs-gitops.io/v1alpha1\n    kind: CloudMapNamespace\n    ${BODY.replace(/\n(?!$)/g, '\n    ')}`;
    assert.deepEqual(brief(list), [['EGO_NESTED_MANIFEST', 4, 5, undefined, 'items[0]']]);
  });

  it('says what is wrong with a kind that is missing, unknown, or not a word', () => {
    const message = (kind: string): (string | number | undefined)[] => {
      const [d] = load(`apiVersion: ecs-gitops.io/v1alpha1\n${kind}${BODY}`).diagnostics;
      return [d?.code, d?.line, d?.col, d?.message];
    };
    const kinds = 'CloudMapNamespace, CloudMapService, EcsService';
    assert.deepEqual(message(''), ['EGO_UNKNOWN_KIND', 1, 1, `missing "kind" (one of ${kinds})`]);
    assert.deepEqual(message('kind: cloudmapnamespace\n'), [
      'EGO_UNKNOWN_KIND',
      2,
      7,
      `unknown kind "cloudmapnamespace" (one of ${kinds}); did you mean "CloudMapNamespace"?`,
    ]);
    assert.deepEqual(message('kind: [EcsService]\n'), ['EGO_UNKNOWN_KIND', 2, 7, `"kind" must be one of ${kinds} (got a list)`]);
  });

  it('ignores lists and scalars that hold no manifests of ours', () => {
    const result = loadManifests([
      { path: 'a.yaml', content: '- apiVersion: apps/v1\n  kind: Deployment\n' },
      { path: 'b.yaml', content: 'just a string\n' },
      { path: 'c.yaml', content: 'apiVersion: v1\nkind: List\nitems: []\n' },
    ]);
    assert.deepEqual([result.diagnostics, result.ignoredDocuments], [[], 3]);
  });
});
