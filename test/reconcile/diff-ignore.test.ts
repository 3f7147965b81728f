import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyIgnore, diffResource, strongestEffect } from '../../src/reconcile/diff.js';
import { isAtOrBelow, parsePointer, toDottedPath, toPointer } from '../../src/util/json-pointer.js';
import { deepEqual, stableStringify } from '../../src/util/deep-equal.js';
import { desiredCloudMapService, desiredEcsService, liveCloudMapService, liveEcsService } from '../kinds/fixtures.js';

describe('ignore pointers', () => {
  it('drops a change at an ignored pointer and keeps the others', () => {
    const desired = desiredEcsService('name', { cluster: 'demo', desiredCount: 2, enableExecuteCommand: true }, { ignore: ['/spec/desiredCount'] });
    const changes = diffResource(desired, liveEcsService('name', { cluster: 'demo', desiredCount: 5 }));
    assert.deepEqual(
      changes.map((c) => c.path),
      ['spec.enableExecuteCommand'],
    );
  });

  it('drops changes below an ignored pointer', () => {
    const desired = desiredCloudMapService(
      'name',
      { namespace: 'internal', description: 'd', dns: { records: [{ type: 'A', ttl: 300 }] } },
      { ignore: ['/spec/dns'] },
    );
    const live = liveCloudMapService('name', {
      namespace: 'internal',
      description: 'e',
      dns: { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl: 60 }] },
    });
    assert.deepEqual(
      diffResource(desired, live).map((c) => c.path),
      ['spec.description'],
    );
  });

  it('does not treat a sibling with a common prefix as below the pointer', () => {
    const changes = [
      { path: 'spec.tags', pointer: '/spec/tags', from: {}, to: { a: '1' }, effect: 'in-place' as const },
      { path: 'spec.tagsExtra', pointer: '/spec/tagsExtra', from: 1, to: 2, effect: 'in-place' as const },
    ];
    assert.deepEqual(
      applyIgnore(changes, ['/spec/tags']).map((c) => c.path),
      ['spec.tagsExtra'],
    );
    assert.deepEqual(applyIgnore(changes, ['not-a-pointer']).length, 2);
  });
});

describe('json pointers and dotted paths', () => {
  it('round-trips escaped tokens and renders dotted paths', () => {
    const segments = ['spec', 'tags', 'ecs-gitops.io/x~y', 0];
    const pointer = toPointer(segments);
    assert.equal(pointer, '/spec/tags/ecs-gitops.io~1x~0y/0');
    assert.deepEqual(parsePointer(pointer), ['spec', 'tags', 'ecs-gitops.io/x~y', '0']);
    assert.equal(toDottedPath(segments), 'spec.tags["ecs-gitops.io/x~y"][0]');
    assert.equal(toDottedPath(['spec', 'dns', 'records', 0, 'ttl']), 'spec.dns.records[0].ttl');
  });

  it('decides at-or-below by whole tokens', () => {
    assert.equal(isAtOrBelow('/spec/dns/records/0/ttl', '/spec/dns'), true);
    assert.equal(isAtOrBelow('/spec/dns', '/spec/dns'), true);
    assert.equal(isAtOrBelow('/spec/dnsX', '/spec/dns'), false);
    assert.equal(isAtOrBelow('/spec', '/spec/dns'), false);
  });
});

describe('deep equality helpers', () => {
  it('ignores key order and undefined properties but not array order', () => {
    assert.equal(deepEqual({ a: 1, b: [1, 2], c: undefined }, { b: [1, 2], a: 1 }), true);
    assert.equal(deepEqual([1, 2], [2, 1]), false);
    assert.equal(stableStringify({ b: 1, a: { d: 2, c: 1 } }), '{"a":{"c":1,"d":2},"b":1}');
  });

  it('ranks effects replace > redeploy > in-place', () => {
    const c = (effect: 'in-place' | 'redeploy' | 'replace') => ({ path: 'p', pointer: '/p', from: 1, to: 2, effect });
    assert.equal(strongestEffect([c('in-place'), c('replace'), c('redeploy')]), 'replace');
    assert.equal(strongestEffect([c('in-place'), c('redeploy')]), 'redeploy');
    assert.equal(strongestEffect([]), undefined);
  });
});
