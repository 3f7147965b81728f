import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LiveCloudMapService, LiveResource } from '../../src/kit/types.js';
import { keepEqual, reuseUnchanged } from '../../src/run/reuse-live.js';

function service(name: string, ttl: number): LiveCloudMapService {
  return {
    kind: 'CloudMapService',
    key: `CloudMapService/internal/${name}`,
    name,
    arn: `arn:aws:servicediscovery:us-east-1:123456789012:service/srv-${name}`,
    id: `srv-${name}`,
    namespaceId: 'ns-1',
    tags: { team: 'a' },
    spec: { namespace: 'internal', dns: { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl }] } },
  };
}

function liveMap(...resources: LiveResource[]): Map<string, LiveResource> {
  return new Map(resources.map((r) => [r.key, r]));
}

describe('live resources shared between scans', () => {
  it('keeps the previous object of an unchanged resource and the new one of a changed or new resource', () => {
    const previous = liveMap(service('a', 60), service('b', 60), service('gone', 60));
    const next = liveMap(service('a', 60), service('b', 30), service('new', 60));
    const fresh = { b: next.get('CloudMapService/internal/b'), new: next.get('CloudMapService/internal/new') };
    assert.equal(reuseUnchanged(previous, next), 1);
    assert.equal(next.get('CloudMapService/internal/a'), previous.get('CloudMapService/internal/a'), 'unchanged: one object for both scans');
    assert.deepEqual(next.get('CloudMapService/internal/b'), fresh.b, 'changed: the new observation (a compact copy)');
    assert.notEqual(next.get('CloudMapService/internal/b'), previous.get('CloudMapService/internal/b'));
    assert.deepEqual(next.get('CloudMapService/internal/new'), fresh.new);
    assert.equal(next.has('CloudMapService/internal/gone'), false, 'nothing is added from the previous scan');
    assert.equal(next.size, 3);
  });

  it('shares nothing with a previous scan on the first one, but equal parts of its resources are one frozen object', () => {
    const next = liveMap(service('a', 60), service('b', 60), service('c', 30));
    const a = next.get('CloudMapService/internal/a');
    assert.equal(reuseUnchanged(undefined, next), 0);
    const [ka, kb, kc] = ['a', 'b', 'c'].map((n) => next.get(`CloudMapService/internal/${n}`) as LiveCloudMapService);
    assert.deepEqual(ka, a, 'the same data');
    assert.equal(ka?.spec, kb?.spec, 'equal specs: one object');
    assert.equal(ka?.tags, kc?.tags, 'equal tags: one object');
    assert.notEqual(ka?.spec, kc?.spec, 'different TTLs: two specs');
    assert.equal(ka?.spec.dns?.records, ka?.spec.dns?.records);
    assert.ok(Object.isFrozen(ka?.spec) && Object.isFrozen(ka?.spec.dns?.records), 'shared parts are frozen');
    assert.ok(!Object.isFrozen(ka), 'the resource itself is its own object');
    assert.throws(() => {
      (ka?.tags as Record<string, string>)['team'] = 'b';
    }, TypeError);
  });

  it('keepEqual keeps the previous value of an unchanged key and the new one of a changed key', () => {
    const before = new Map([
      ['a', { state: 'Healthy', message: 'deployment 1 completed' }],
      ['b', { state: 'Healthy', message: 'deployment 1 completed' }],
    ]);
    const next = new Map([
      ['a', { state: 'Healthy', message: 'deployment 1 completed' }],
      ['b', { state: 'Progressing', message: 'deployment 2 in progress' }],
      ['c', { state: 'Healthy', message: 'new' }],
    ]);
    const changed = next.get('b');
    keepEqual(before, next);
    assert.equal(next.get('a'), before.get('a'));
    assert.equal(next.get('b'), changed);
    assert.equal(next.size, 3);
    keepEqual(undefined, next);
    assert.equal(next.get('a'), before.get('a'));
  });
});
