/**
 * The converse of the Cloud Map round trip: one real change shows up as exactly that change
 * with the right effect and converges once applied; UpdateService always carries the whole
 * record list (a record left out of the request would be deleted by Cloud Map).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { UpdateServiceRequest } from '@aws-sdk/client-servicediscovery';
import type { CloudMapNamespaceManifest, CloudMapServiceManifest, Manifest } from '../../src/manifests/types.js';
import { assertChangeApplies, type ChangeCase, type ChangeSubject, type ManifestEdit } from './change-cases.js';
import { assertNoop, captureInputs, changesOf, clone, converge, describePlan, planOf, useEnv } from './helpers.js';
import { CLUSTER, HTTP_NAMESPACE, NAMESPACE, PUBLIC_NAMESPACE, cloudMapService, namespaces } from './manifests.js';

type Edit = ManifestEdit<CloudMapServiceManifest>;

const A_AAAA: Edit = (m) =>
  void (m.spec.dns = {
    records: [
      { type: 'A', ttl: 60 },
      { type: 'AAAA', ttl: 60 },
    ],
  });
const ROUTE53: Edit = (m) => {
  m.spec.namespace = PUBLIC_NAMESPACE;
  m.spec.healthCheck = { route53: { type: 'HTTP', resourcePath: '/health', failureThreshold: 3 } };
};

const API_ONLY: Edit = (m) => {
  m.spec.namespace = HTTP_NAMESPACE;
  delete m.spec.dns;
  delete m.spec.healthCheck;
};

const CHANGES: ChangeCase<CloudMapServiceManifest>[] = [
  { name: 'ttl', change: (m) => void (m.spec.dns!.records[0]!.ttl = 300), expect: ['spec.dns.records[0].ttl in-place'], action: 'update' },
  {
    name: 'aaaa-ttl',
    base: A_AAAA,
    change: (m) =>
      void (m.spec.dns = {
        records: [
          { type: 'AAAA', ttl: 15 },
          { type: 'A', ttl: 60 },
        ],
      }),
    expect: ['spec.dns.records[0].ttl in-place'],
    action: 'update',
  },
  { name: 'description', change: (m) => void (m.spec.description = 'renamed'), expect: ['spec.description in-place'], action: 'update' },
  { name: 'tags', change: (m) => void (m.spec.tags = { team: 'names' }), expect: ['spec.tags in-place'], action: 'update' },
  {
    name: 'routing',
    change: (m) => void (m.spec.dns!.routingPolicy = 'WEIGHTED'),
    expect: ['spec.dns.routingPolicy replace'],
    action: 'replace',
    replace: true,
  },
  {
    name: 'record-types',
    change: A_AAAA,
    expect: ['spec.dns.records replace'],
    action: 'replace',
    replace: true,
  },
  {
    name: 'routing-blocked',
    change: (m) => void (m.spec.dns!.routingPolicy = 'WEIGHTED'),
    expect: ['spec.dns.routingPolicy replace'],
    action: 'blocked',
  },
  {
    name: 'api-description',
    base: API_ONLY,
    change: (m) => void (m.spec.description = 'renamed'),
    expect: ['spec.description replace'],
    action: 'blocked',
  },
  {
    name: 'api-description-replaced',
    base: API_ONLY,
    change: (m) => void (m.spec.description = 'renamed'),
    expect: ['spec.description replace'],
    action: 'replace',
    replace: true,
  },
  { name: 'api-tags', base: API_ONLY, change: (m) => void (m.spec.tags = { team: 'api' }), expect: ['spec.tags in-place'], action: 'update' },
  {
    name: 'r53-path',
    base: ROUTE53,
    change: (m) => void (m.spec.healthCheck!.route53!.resourcePath = '/ready'),
    expect: ['spec.healthCheck.route53.resourcePath in-place'],
    action: 'update',
  },
  {
    name: 'r53-threshold',
    base: ROUTE53,
    change: (m) => void (m.spec.healthCheck!.route53!.failureThreshold = 5),
    expect: ['spec.healthCheck.route53.failureThreshold in-place'],
    action: 'update',
  },
  {
    // A declared healthCheck manages the Route 53 branch: leaving `route53` out removes the check.
    name: 'r53-removed',
    base: ROUTE53,
    change: (m) => void (m.spec.healthCheck = {}),
    expect: ['spec.healthCheck.route53 in-place'],
    action: 'update',
  },
  {
    name: 'r53-type',
    base: ROUTE53,
    change: (m) => void (m.spec.healthCheck = { route53: { type: 'TCP', failureThreshold: 3 } }),
    expect: ['spec.healthCheck.route53.type replace'],
    action: 'replace',
    replace: true,
  },
];

function withNamespaces(...manifests: Manifest[]): Manifest[] {
  return [...namespaces(), ...manifests];
}

const SERVICE: ChangeSubject<CloudMapServiceManifest> = {
  manifest: cloudMapService,
  key: (m) => `CloudMapService/${m.spec.namespace}/${m.metadata.name}`,
  documents: (m) => withNamespaces(m),
};

describe('Cloud Map changes: one real change shows up as exactly that change, and applies', () => {
  const env = useEnv([CLUSTER]);

  before(async () => {
    await converge(env, namespaces());
  });

  for (const c of CHANGES) {
    it(`${c.name}: ${c.expect.join(', ')} (${c.action})`, () => assertChangeApplies(env, SERVICE, c));
  }

  it('namespace description, SOA TTL and tags change in place and converge', async () => {
    const changed = namespaces().map((n): CloudMapNamespaceManifest => {
      if (n.metadata.name !== NAMESPACE) return n;
      const m = clone(n);
      m.spec.description = 'changed';
      m.spec.soaTtl = 120;
      m.spec.tags = { team: 'platform', cost: 'shared' };
      return m;
    });
    const plan = await planOf(env, changed);
    assert.deepEqual(
      changesOf(plan, `CloudMapNamespace/${NAMESPACE}`),
      ['spec.description in-place', 'spec.soaTtl in-place', 'spec.tags in-place'],
      describePlan(plan),
    );
    await converge(env, changed);
    assertNoop(await planOf(env, changed), 'namespace after apply');
    await converge(env, namespaces());
  });

  it('UpdateService sends the full record list and the description even when only one TTL or the description changes', async () => {
    const base = clone(cloudMapService('full-list'));
    base.spec.dns = {
      records: [
        { type: 'A', ttl: 60 },
        { type: 'AAAA', ttl: 60 },
      ],
    };
    await converge(env, withNamespaces(base));

    const capture = captureInputs(env.clients.serviceDiscovery);
    try {
      const ttl = clone(base);
      ttl.spec.dns = {
        records: [
          { type: 'AAAA', ttl: 30 },
          { type: 'A', ttl: 60 },
        ],
      };
      await converge(env, withNamespaces(ttl));
      const described = clone(ttl);
      described.spec.description = 'only the description changed';
      await converge(env, withNamespaces(described));
    } finally {
      capture.stop();
    }
    const updates = capture.inputs.filter((i) => i.command === 'UpdateServiceCommand').map((i) => i.input as UpdateServiceRequest);
    assert.equal(updates.length, 2, JSON.stringify(capture.inputs.map((i) => i.command)));
    const records = (u: UpdateServiceRequest | undefined) =>
      [...(u?.Service?.DnsConfig?.DnsRecords ?? [])].sort((a, b) => String(a.Type).localeCompare(String(b.Type)));
    assert.deepEqual(records(updates[0]), [
      { Type: 'A', TTL: 60 },
      { Type: 'AAAA', TTL: 30 },
    ]);
    assert.equal(updates[0]?.Service?.Description, 'the full-list service');
    assert.deepEqual(records(updates[1]), [
      { Type: 'A', TTL: 60 },
      { Type: 'AAAA', TTL: 30 },
    ]);
    assert.equal(updates[1]?.Service?.Description, 'only the description changed');
  });
});
