import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudMapNamespaceSpec } from '../../src/manifests/types.js';
import { diffNamespace } from '../../src/kinds/cloudmap-namespace/diff.js';
import { normalizeNamespaceSpec } from '../../src/kinds/cloudmap-namespace/normalize.js';
import { desiredNamespace, liveNamespace } from './fixtures.js';

describe('CloudMapNamespace diff', () => {
  const equalCases: { name: string; desired: CloudMapNamespaceSpec; live: CloudMapNamespaceSpec }[] = [
    {
      name: 'same fields, tags in another order',
      desired: { type: 'DNS_PRIVATE', vpc: 'vpc-1', description: 'internal', soaTtl: 60, tags: { team: 'a', env: 'prod' } },
      live: { type: 'DNS_PRIVATE', vpc: 'vpc-1', description: 'internal', soaTtl: 60, tags: { env: 'prod', team: 'a' } },
    },
    {
      name: 'soaTtl and description left out of the manifest are not managed',
      desired: { type: 'DNS_PRIVATE', vpc: 'vpc-1' },
      live: { type: 'DNS_PRIVATE', vpc: 'vpc-1', description: 'changed by hand', soaTtl: 15 },
    },
    {
      name: 'aws:* and ownership tags on the live side are not drift',
      desired: { type: 'HTTP', tags: { team: 'a' } },
      live: { type: 'HTTP', tags: { team: 'a', 'aws:cloudformation:stack-name': 'x' } },
    },
    {
      name: 'empty description equals none',
      desired: { type: 'HTTP', description: '' },
      live: { type: 'HTTP' },
    },
  ];
  for (const c of equalCases) {
    it(`reports no change when ${c.name}`, () => {
      assert.deepEqual(diffNamespace(desiredNamespace('internal', c.desired), liveNamespace('internal', c.live)), []);
    });
  }

  it('classifies description, SOA TTL and tag changes as in place', () => {
    const changes = diffNamespace(
      desiredNamespace('internal', { type: 'DNS_PRIVATE', vpc: 'vpc-1', description: 'new', soaTtl: 30, tags: { team: 'b' } }),
      liveNamespace('internal', { type: 'DNS_PRIVATE', vpc: 'vpc-1', description: 'old', soaTtl: 60, tags: { team: 'a' } }),
    );
    assert.deepEqual(
      changes.map((c) => [c.path, c.from, c.to, c.effect]),
      [
        ['spec.description', 'old', 'new', 'in-place'],
        ['spec.soaTtl', 60, 30, 'in-place'],
        ['spec.tags', { team: 'a' }, { team: 'b' }, 'in-place'],
      ],
    );
  });

  it('classifies a type or VPC change as a replacement with a reason', () => {
    const changes = diffNamespace(desiredNamespace('internal', { type: 'DNS_PRIVATE', vpc: 'vpc-2' }), liveNamespace('internal', { type: 'DNS_PUBLIC' }));
    assert.deepEqual(
      changes.map((c) => [c.pointer, c.effect]),
      [
        ['/spec/type', 'replace'],
        ['/spec/vpc', 'replace'],
      ],
    );
    assert.match(changes[0]?.reason ?? '', /type cannot change in place/);
  });

  it('does not report a replacement when the live VPC of a private namespace is unknown', () => {
    const changes = diffNamespace(desiredNamespace('internal', { type: 'DNS_PRIVATE', vpc: 'vpc-1' }), liveNamespace('internal', { type: 'DNS_PRIVATE' }));
    assert.deepEqual(changes, []);
  });

  it('normalizes into a new object without touching the input', () => {
    const spec: CloudMapNamespaceSpec = { type: 'HTTP', tags: { b: '2', a: '1' }, syncPolicy: { mode: 'observe' } };
    const copy = structuredClone(spec);
    const out = normalizeNamespaceSpec(spec);
    assert.deepEqual(spec, copy);
    assert.deepEqual(Object.keys(out.tags ?? {}), ['a', 'b']);
    assert.equal('syncPolicy' in out, false);
  });
});
