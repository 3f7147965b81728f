import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LiveCloudMapService, LiveResource } from '../../src/kit/types.js';
import { reuseUnchanged } from '../../src/run/reuse-live.js';

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
    assert.equal(next.get('CloudMapService/internal/b'), fresh.b, 'changed: the new observation');
    assert.equal(next.get('CloudMapService/internal/new'), fresh.new);
    assert.equal(next.has('CloudMapService/internal/gone'), false, 'nothing is added from the previous scan');
    assert.equal(next.size, 3);
  });

  it('shares nothing on the first scan', () => {
    const next = liveMap(service('a', 60));
    assert.equal(reuseUnchanged(undefined, next), 0);
  });
});
