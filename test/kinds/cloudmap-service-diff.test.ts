import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudMapServiceSpec } from '../../src/manifests/types.js';
import { diffCloudMapService } from '../../src/kinds/cloudmap-service/diff.js';
import { normalizeCloudMapServiceSpec } from '../../src/kinds/cloudmap-service/normalize.js';
import { desiredCloudMapService, liveCloudMapService } from './fixtures.js';

function diff(desired: CloudMapServiceSpec, live: CloudMapServiceSpec) {
  return diffCloudMapService(desiredCloudMapService('name', desired), liveCloudMapService('name', live));
}

describe('CloudMapService diff', () => {
  const equalCases: { name: string; desired: CloudMapServiceSpec; live: CloudMapServiceSpec }[] = [
    {
      name: 'records are listed in another order',
      desired: {
        namespace: 'internal',
        dns: {
          routingPolicy: 'MULTIVALUE',
          records: [
            { type: 'AAAA', ttl: 60 },
            { type: 'A', ttl: 60 },
          ],
        },
      },
      live: {
        namespace: 'internal',
        dns: {
          routingPolicy: 'MULTIVALUE',
          records: [
            { type: 'A', ttl: 60 },
            { type: 'AAAA', ttl: 60 },
          ],
        },
      },
    },
    {
      name: 'the routing policy is left out (MULTIVALUE by default)',
      desired: { namespace: 'internal', dns: { records: [{ type: 'A', ttl: 60 }] } },
      live: { namespace: 'internal', dns: { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl: 60 }] } },
    },
    {
      name: 'a custom health failureThreshold of 5 is declared and AWS reports 1',
      desired: { namespace: 'internal', healthCheck: { custom: { failureThreshold: 5 } } },
      live: { namespace: 'internal', healthCheck: { custom: { failureThreshold: 1 } } },
    },
    {
      name: 'a custom health check is declared without a threshold',
      desired: { namespace: 'internal', healthCheck: { custom: {} } },
      live: { namespace: 'internal', healthCheck: { custom: { failureThreshold: 1 } } },
    },
    {
      name: 'the Route 53 resource path "/" is spelled out on one side only',
      desired: { namespace: 'public', healthCheck: { route53: { type: 'HTTP', resourcePath: '/' } } },
      live: { namespace: 'public', healthCheck: { route53: { type: 'HTTP', failureThreshold: 3 } } },
    },
    {
      name: 'description, dns and health check are not declared',
      desired: { namespace: 'internal' },
      live: { namespace: 'internal', description: 'x', dns: { routingPolicy: 'WEIGHTED', records: [{ type: 'A', ttl: 300 }] }, healthCheck: { custom: {} } },
    },
  ];
  for (const c of equalCases) {
    it(`reports no change when ${c.name}`, () => {
      assert.deepEqual(diff(c.desired, c.live), []);
    });
  }

  it('reports a TTL change in place at the record index the manifest uses', () => {
    const changes = diff(
      {
        namespace: 'internal',
        dns: {
          records: [
            { type: 'AAAA', ttl: 60 },
            { type: 'A', ttl: 300 },
          ],
        },
      },
      {
        namespace: 'internal',
        dns: {
          routingPolicy: 'MULTIVALUE',
          records: [
            { type: 'A', ttl: 60 },
            { type: 'AAAA', ttl: 60 },
          ],
        },
      },
    );
    assert.deepEqual(
      changes.map((c) => [c.path, c.pointer, c.from, c.to, c.effect]),
      [['spec.dns.records[1].ttl', '/spec/dns/records/1/ttl', 60, 300, 'in-place']],
    );
  });

  it('classifies a routing policy change as a replacement', () => {
    const changes = diff(
      { namespace: 'internal', dns: { routingPolicy: 'WEIGHTED', records: [{ type: 'A', ttl: 60 }] } },
      { namespace: 'internal', dns: { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl: 60 }] } },
    );
    assert.equal(changes.length, 1);
    assert.equal(changes[0]?.path, 'spec.dns.routingPolicy');
    assert.equal(changes[0]?.effect, 'replace');
    assert.equal(changes[0]?.reason, 'routing policy cannot change in place');
  });

  it('classifies a change of the record type set as a replacement', () => {
    const changes = diff(
      {
        namespace: 'internal',
        dns: {
          records: [
            { type: 'A', ttl: 60 },
            { type: 'AAAA', ttl: 60 },
          ],
        },
      },
      { namespace: 'internal', dns: { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl: 60 }] } },
    );
    assert.deepEqual(
      changes.map((c) => [c.path, c.effect]),
      [['spec.dns.records', 'replace']],
    );
  });

  it('classifies adding a custom health check as a replacement and a Route 53 change in place', () => {
    const added = diff({ namespace: 'internal', healthCheck: { custom: {} } }, { namespace: 'internal' });
    assert.deepEqual(
      added.map((c) => [c.path, c.effect]),
      [['spec.healthCheck.custom', 'replace']],
    );
    const threshold = diff(
      { namespace: 'public', healthCheck: { route53: { type: 'HTTP', resourcePath: '/health', failureThreshold: 3 } } },
      { namespace: 'public', healthCheck: { route53: { type: 'HTTP', resourcePath: '/', failureThreshold: 1 } } },
    );
    assert.deepEqual(
      threshold.map((c) => [c.path, c.from, c.to, c.effect]),
      [
        ['spec.healthCheck.route53.resourcePath', '/', '/health', 'in-place'],
        ['spec.healthCheck.route53.failureThreshold', 1, 3, 'in-place'],
      ],
    );
    const type = diff(
      { namespace: 'public', healthCheck: { route53: { type: 'TCP' } } },
      { namespace: 'public', healthCheck: { route53: { type: 'HTTP', resourcePath: '/' } } },
    );
    assert.deepEqual(
      type.map((c) => [c.path, c.effect]),
      [['spec.healthCheck.route53.type', 'replace']],
    );
  });

  it('classifies the service type (API-only) as a replacement and the description in place', () => {
    const changes = diff({ namespace: 'internal', type: 'HTTP', description: 'new' }, { namespace: 'internal', description: 'old' });
    assert.deepEqual(
      changes.map((c) => [c.path, c.effect]),
      [
        ['spec.type', 'replace'],
        ['spec.description', 'in-place'],
      ],
    );
  });

  it('normalizes without modifying the input', () => {
    const spec: CloudMapServiceSpec = {
      namespace: 'n',
      dns: {
        records: [
          { type: 'SRV', ttl: 10 },
          { type: 'A', ttl: 10 },
        ],
      },
      healthCheck: { custom: { failureThreshold: 7 } },
    };
    const copy = structuredClone(spec);
    const out = normalizeCloudMapServiceSpec(spec);
    assert.deepEqual(spec, copy);
    assert.deepEqual(
      out.dns?.records.map((r) => r.type),
      ['A', 'SRV'],
    );
    assert.equal(out.healthCheck?.custom?.failureThreshold, 1);
  });
});
