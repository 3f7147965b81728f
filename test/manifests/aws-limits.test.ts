import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AWS_LIMITS, taskDefinitionRequestBytes, WORST_CASE_CONTROLLER_ID } from '../../src/reconcile/aws-limits.js';
import { loadManifests } from '../../src/reconcile/load.js';
import { shortName } from '../../src/manifests/short-name.js';
import type { EcsServiceManifest } from '../../src/manifests/types.js';
import { registerRequest, registerTags } from '../../src/kinds/ecs-service/task-definition/request.js';

type Doc = Record<string, unknown>;

/** Codes of the errors loading these documents (written as JSON, which is YAML) reports. */
function codes(...docs: Doc[]): string[] {
  const files = docs.map((d, i) => ({ path: `m${i}.yaml`, content: JSON.stringify(d) }));
  return loadManifests(files).diagnostics.map((d) => d.code);
}

function tags(n: number, prefix = 'team'): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}-${i}`, 'x']));
}

function ecs(spec: Doc = {}, name = 'web', container: Doc = {}): EcsServiceManifest {
  return {
    apiVersion: 'ecs-gitops.io/v1alpha1',
    kind: 'EcsService',
    metadata: { name },
    spec: {
      cluster: 'demo',
      taskDefinition: { family: 'web', cpu: '256', memory: '512', containers: [{ name: 'web', image: 'example/web:1', ...container }] },
      launchType: 'FARGATE',
      networkConfiguration: { subnets: ['subnet-0a1b2c3d4e5f60718'] },
      ...spec,
    },
  } as EcsServiceManifest;
}

function namespace(name: string, spec: Doc = {}): Doc {
  return { apiVersion: 'ecs-gitops.io/v1alpha1', kind: 'CloudMapNamespace', metadata: { name }, spec: { type: 'HTTP', ...spec } };
}

function cloudMapService(name: string, ns: string, spec: Doc = {}): Doc {
  return { apiVersion: 'ecs-gitops.io/v1alpha1', kind: 'CloudMapService', metadata: { name }, spec: { namespace: ns, ...spec } };
}

/** An EcsService whose one environment value is padded so the request is exactly `bytes` long. */
function ecsOfRequestSize(bytes: number): EcsServiceManifest {
  const base = taskDefinitionRequestBytes(ecs({}, 'web', { environment: { PAD: '' } })) ?? 0;
  // The content hash tag keeps its length whatever the content, so padding adds byte for byte.
  return ecs({}, 'web', { environment: { PAD: 'p'.repeat(bytes - base) } });
}

describe('limits AWS enforces, checked by validate', () => {
  it('measures the request apply sends, with the longest controller id', () => {
    const m = ecs();
    const td = m.spec.taskDefinition!;
    const sent = registerRequest(td, registerTags(td, WORST_CASE_CONTROLLER_ID, 'EcsService/demo/web'));
    assert.equal(taskDefinitionRequestBytes(m), Buffer.byteLength(JSON.stringify(sent)));
    assert.equal(WORST_CASE_CONTROLLER_ID.length, 63);
  });

  it('task definition: a request of 65,536 bytes passes, 65,537 fails', () => {
    const max = AWS_LIMITS.taskDefinitionBytes.max;
    assert.equal(max, 65_536);
    const atLimit = ecsOfRequestSize(max);
    assert.equal(taskDefinitionRequestBytes(atLimit), max);
    assert.deepEqual(codes(atLimit as unknown as Doc), []);
    const over = ecsOfRequestSize(max + 1);
    assert.equal(taskDefinitionRequestBytes(over), max + 1);
    assert.deepEqual(codes(over as unknown as Doc), ['EGO_TASK_DEFINITION_SIZE']);
  });

  it('task definition: counts bytes, not characters (UTF-8)', () => {
    const base = taskDefinitionRequestBytes(ecs({}, 'web', { environment: { PAD: '' } })) ?? 0;
    // 'é' is 2 bytes: half as many characters reach the same size.
    const chars = Math.ceil((AWS_LIMITS.taskDefinitionBytes.max + 1 - base) / 2);
    assert.deepEqual(codes(ecs({}, 'web', { environment: { PAD: 'é'.repeat(chars) } }) as unknown as Doc), ['EGO_TASK_DEFINITION_SIZE']);
  });

  it('tags: 48 on a service pass with the 2 owner tags, 49 fail', () => {
    assert.deepEqual(codes(namespace('ns', { tags: tags(48) })), []);
    assert.deepEqual(codes(namespace('ns', { tags: tags(49) })), ['EGO_TAG_COUNT']);
    assert.deepEqual(codes(ecs({ tags: tags(48) }) as unknown as Doc), []);
    assert.deepEqual(codes(ecs({ tags: tags(49) }) as unknown as Doc), ['EGO_TAG_COUNT']);
  });

  it('tags: prune: false adds the ecs-gitops.io/prune tag, so 47 pass and 48 fail', () => {
    const noPrune = { syncPolicy: { prune: false } };
    assert.deepEqual(codes(namespace('ns', { ...noPrune, tags: tags(47) })), []);
    assert.deepEqual(codes(namespace('ns', { ...noPrune, tags: tags(48) })), ['EGO_TAG_COUNT']);
  });

  it('tags: a task definition carries 3 owner tags (with the content hash), so 47 pass and 48 fail', () => {
    const withTdTags = (n: number): Doc => {
      const m = ecs();
      m.spec.taskDefinition!.tags = tags(n);
      return m as unknown as Doc;
    };
    assert.deepEqual(codes(withTdTags(47)), []);
    assert.deepEqual(codes(withTdTags(48)), ['EGO_TAG_COUNT']);
  });

  it('tags: a manifest tag with an owner tag key is one tag, not two', () => {
    assert.deepEqual(codes(namespace('ns', { tags: { ...tags(48), 'ecs-gitops.io/controller': 'x' } })), []);
  });

  it('tags: keys starting with aws: in any case are refused, others with aws in them are not', () => {
    assert.deepEqual(codes(namespace('ns', { tags: { 'aws:team': 'x' } })), ['EGO_TAG_RESERVED']);
    assert.deepEqual(codes(namespace('ns', { tags: { 'Aws:team': 'x' } })), ['EGO_TAG_RESERVED']);
    assert.deepEqual(codes(namespace('ns', { tags: { 'awsteam:x': 'x', 'team:aws:': 'x', aws: 'x' } })), []);
  });

  it('an over-limit manifest holds back only itself (and what depends on it)', () => {
    const files = [
      { path: 'a.yaml', content: JSON.stringify(namespace('big', { tags: tags(49) })) },
      { path: 'b.yaml', content: JSON.stringify(namespace('ok')) },
      { path: 'c.yaml', content: JSON.stringify(cloudMapService('api', 'big')) },
    ];
    const loaded = loadManifests(files);
    assert.deepEqual(
      loaded.resources.map((r) => r.key),
      ['CloudMapNamespace/ok'],
    );
    assert.deepEqual(
      loaded.diagnostics.map((d) => `${d.file} ${d.code}`),
      ['a.yaml EGO_TAG_COUNT', 'c.yaml EGO_DEPENDENCY_INVALID'],
    );
  });

  it('identity: 256 characters pass, 257 fail (EcsService/<cluster>/<name>)', () => {
    const name = (n: number): string => 'w'.repeat(n);
    const cluster = 'c'.repeat(200);
    const fixed = 'EcsService/'.length + cluster.length + 1;
    const at = ecs({ cluster, taskDefinition: undefined, taskDefinitionRef: 'web:1' }, name(256 - fixed));
    assert.deepEqual(codes(at as unknown as Doc), []);
    const over = ecs({ cluster, taskDefinition: undefined, taskDefinitionRef: 'web:1' }, name(257 - fixed));
    assert.deepEqual(codes(over as unknown as Doc), ['EGO_IDENTITY_TOO_LONG']);
  });

  it('identity: a Cloud Map service in a long HTTP namespace, 256 passes and 257 fails', () => {
    const ns = 'n'.repeat(200);
    const fixed = 'CloudMapService/'.length + ns.length + 1;
    assert.deepEqual(codes(namespace(ns), cloudMapService('s'.repeat(256 - fixed), ns)), []);
    assert.deepEqual(codes(namespace(ns), cloudMapService('s'.repeat(257 - fixed), ns)), ['EGO_IDENTITY_TOO_LONG']);
  });

  it('identity: a CloudMapNamespace of 238 characters passes, 239 fails', () => {
    const fixed = 'CloudMapNamespace/'.length;
    assert.deepEqual(codes(namespace('n'.repeat(256 - fixed))), []);
    assert.deepEqual(codes(namespace('n'.repeat(257 - fixed))), ['EGO_IDENTITY_TOO_LONG']);
  });
});

describe('limits the schema already enforces (crds/), at the boundary', () => {
  const containers = (n: number): Doc[] => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'example/web:1' }));
  const withTd = (td: Doc): Doc => {
    const m = ecs();
    Object.assign(m.spec.taskDefinition!, td);
    return m as unknown as Doc;
  };
  // A name AWS accepts can still make the identity too long for the ecs-gitops.io/resource tag.
  const identity = ['EGO_IDENTITY_TOO_LONG'];
  const cases: { what: string; at: () => Doc[]; over: () => Doc[]; code: string; atLimit?: string[] }[] = [
    {
      what: 'containers per task definition (10)',
      at: () => [withTd({ containers: containers(10) })],
      over: () => [withTd({ containers: containers(11) })],
      code: 'EGO_LENGTH',
    },
    { what: 'family name (255)', at: () => [withTd({ family: 'f'.repeat(255) })], over: () => [withTd({ family: 'f'.repeat(256) })], code: 'EGO_LENGTH' },
    {
      what: 'container name (255)',
      at: () => [withTd({ containers: [{ name: 'c'.repeat(255), image: 'i' }] })],
      over: () => [withTd({ containers: [{ name: 'c'.repeat(256), image: 'i' }] })],
      code: 'EGO_LENGTH',
    },
    {
      what: 'ECS service name (255)',
      at: () => [ecs({ cluster: 'c' }, 's'.repeat(255)) as unknown as Doc],
      over: () => [ecs({ cluster: 'c' }, 's'.repeat(256)) as unknown as Doc],
      code: 'EGO_LENGTH',
      atLimit: identity,
    },
    {
      what: 'cluster name (255)',
      at: () => [ecs({ cluster: 'c'.repeat(255) }, 's') as unknown as Doc],
      over: () => [ecs({ cluster: 'c'.repeat(256) }, 's') as unknown as Doc],
      code: 'EGO_LENGTH',
      atLimit: identity,
    },
    {
      what: 'Cloud Map service name (127)',
      at: () => [namespace('ns'), cloudMapService(`${'a'.repeat(63)}.${'b'.repeat(63)}`, 'ns')],
      over: () => [namespace('ns'), cloudMapService(`${'a'.repeat(63)}.${'b'.repeat(63)}c`, 'ns')],
      code: 'EGO_LENGTH',
    },
    {
      what: 'tag key (128)',
      at: () => [namespace('ns', { tags: { ['k'.repeat(128)]: 'v' } })],
      over: () => [namespace('ns', { tags: { ['k'.repeat(129)]: 'v' } })],
      code: 'EGO_LENGTH',
    },
    {
      what: 'tag value (256)',
      at: () => [namespace('ns', { tags: { k: 'v'.repeat(256) } })],
      over: () => [namespace('ns', { tags: { k: 'v'.repeat(257) } })],
      code: 'EGO_LENGTH',
    },
  ];
  for (const c of cases) {
    it(`${c.what}: at the limit passes, one over fails with ${c.code}`, () => {
      assert.deepEqual(codes(...c.at()), c.atLimit ?? []);
      assert.ok(codes(...c.over()).includes(c.code), `got ${codes(...c.over()).join(', ')}`);
    });
  }
});

describe('long names in messages', () => {
  it('prints names up to 64 characters whole and longer ones as 40 characters, … and the length', () => {
    assert.equal(shortName('a'.repeat(64)), 'a'.repeat(64));
    assert.equal(shortName('a'.repeat(65)), `${'a'.repeat(40)}…(65 characters)`);
  });

  it('shortens the resource of every diagnostic about a long-named manifest', () => {
    const long = 'w'.repeat(300);
    const files = [{ path: 'm.yaml', content: JSON.stringify(ecs({ cluster: 'c' }, long)) }];
    const d = loadManifests(files).diagnostics;
    assert.ok(d.length > 0);
    for (const x of d) assert.equal(x.resource, `EcsService/${'w'.repeat(40)}…(300 characters)`);
  });
});
