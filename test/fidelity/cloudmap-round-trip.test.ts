/**
 * Cloud Map namespaces and services survive a round trip through the real SDK and the
 * sandbox without false drift: after one apply, the same manifests and every equivalent
 * spelling (routing policy default, record order, the deprecated custom failure threshold,
 * Route 53 check defaults, tag order) plan as noop.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudMapServiceManifest, EcsServiceManifest, Manifest } from '../../src/manifests/types.js';
import { assertNoop, changesOf, clone, converge, describePlan, planOf, useEnv } from './helpers.js';
import { CLUSTER, HTTP_NAMESPACE, NAMESPACE, PUBLIC_NAMESPACE, cloudMapService, ecsService, namespaces } from './manifests.js';

type Edit = (m: CloudMapServiceManifest) => void;

interface Variant {
  name: string;
  written: Edit;
  equivalents: Edit[];
}

const VARIANTS: Variant[] = [
  {
    name: 'routing-default',
    written: (m) => void (m.spec.dns = { records: [{ type: 'A', ttl: 60 }] }),
    equivalents: [(m) => void (m.spec.dns = { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl: 60 }] })],
  },
  {
    name: 'routing-spelled-out',
    written: (m) => void (m.spec.dns = { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl: 60 }] }),
    equivalents: [(m) => void (m.spec.dns = { records: [{ ttl: 60, type: 'A' }] })],
  },
  {
    name: 'a-aaaa',
    written: (m) =>
      void (m.spec.dns = {
        records: [
          { type: 'A', ttl: 60 },
          { type: 'AAAA', ttl: 120 },
        ],
      }),
    equivalents: [
      (m) =>
        void (m.spec.dns = {
          records: [
            { type: 'AAAA', ttl: 120 },
            { type: 'A', ttl: 60 },
          ],
        }),
    ],
  },
  {
    name: 'aaaa-a',
    written: (m) =>
      void (m.spec.dns = {
        routingPolicy: 'MULTIVALUE',
        records: [
          { type: 'AAAA', ttl: 30 },
          { type: 'A', ttl: 30 },
        ],
      }),
    equivalents: [
      (m) =>
        void (m.spec.dns = {
          records: [
            { type: 'A', ttl: 30 },
            { type: 'AAAA', ttl: 30 },
          ],
        }),
    ],
  },
  {
    name: 'custom-threshold-1',
    written: (m) => void (m.spec.healthCheck = { custom: { failureThreshold: 1 } }),
    equivalents: [(m) => void (m.spec.healthCheck = { custom: { failureThreshold: 5 } }), (m) => void (m.spec.healthCheck = { custom: {} })],
  },
  {
    name: 'custom-threshold-5',
    written: (m) => void (m.spec.healthCheck = { custom: { failureThreshold: 5 } }),
    equivalents: [(m) => void (m.spec.healthCheck = { custom: { failureThreshold: 1 } })],
  },
  {
    name: 'weighted-a-300',
    written: (m) => void (m.spec.dns = { routingPolicy: 'WEIGHTED', records: [{ type: 'A', ttl: 300 }] }),
    equivalents: [],
  },
  {
    name: 'srv',
    written: (m) => void (m.spec.dns = { records: [{ type: 'SRV', ttl: 10 }] }),
    equivalents: [(m) => void (m.spec.dns = { routingPolicy: 'MULTIVALUE', records: [{ type: 'SRV', ttl: 10 }] })],
  },
  {
    name: 'cname',
    written: (m) => {
      m.spec.dns = { routingPolicy: 'WEIGHTED', records: [{ type: 'CNAME', ttl: 600 }] };
      delete m.spec.healthCheck;
    },
    equivalents: [],
  },
  {
    name: 'tags-order',
    written: (m) => void (m.spec.tags = { team: 'names', tier: 'backend', cost: 'shared' }),
    equivalents: [(m) => void (m.spec.tags = { cost: 'shared', team: 'names', tier: 'backend' })],
  },
  {
    name: 'no-description',
    written: (m) => void delete m.spec.description,
    equivalents: [],
  },
  {
    name: 'route53-http-default-path',
    written: (m) => {
      m.spec.namespace = PUBLIC_NAMESPACE;
      m.spec.healthCheck = { route53: { type: 'HTTP' } };
    },
    equivalents: [(m) => void (m.spec.healthCheck = { route53: { type: 'HTTP', resourcePath: '/' } })],
  },
  {
    name: 'route53-https-path-threshold',
    written: (m) => {
      m.spec.namespace = PUBLIC_NAMESPACE;
      m.spec.healthCheck = { route53: { type: 'HTTPS', resourcePath: '/health', failureThreshold: 3 } };
    },
    equivalents: [(m) => void (m.spec.healthCheck = { route53: { failureThreshold: 3, resourcePath: '/health', type: 'HTTPS' } })],
  },
  {
    name: 'route53-tcp',
    written: (m) => {
      m.spec.namespace = PUBLIC_NAMESPACE;
      m.spec.healthCheck = { route53: { type: 'TCP', failureThreshold: 2 } };
    },
    equivalents: [],
  },
  {
    name: 'api-only',
    written: (m) => {
      m.spec.namespace = HTTP_NAMESPACE;
      delete m.spec.dns;
      delete m.spec.healthCheck;
    },
    equivalents: [],
  },
  {
    name: 'api-only-typed',
    written: (m) => {
      m.spec.namespace = HTTP_NAMESPACE;
      m.spec.type = 'HTTP';
      delete m.spec.dns;
      delete m.spec.healthCheck;
    },
    equivalents: [],
  },
];

function variantManifest(v: Variant, edit: Edit): CloudMapServiceManifest {
  const m = clone(cloudMapService(v.name));
  v.written(m);
  edit(m);
  return m;
}

describe('Cloud Map round trip: equivalent manifests plan as noop after one apply', () => {
  const env = useEnv([CLUSTER]);

  before(async () => {
    await converge(env, namespaces());
  });

  it('namespaces of every type: no drift, also with tags in another order and the VPC read from the hosted zone', async () => {
    assertNoop(await planOf(env, namespaces()), 'namespaces as written');
    const reordered = namespaces().map((n) => {
      const m = clone(n);
      if (m.spec.tags) m.spec.tags = Object.fromEntries(Object.entries(m.spec.tags).reverse());
      return m;
    });
    assertNoop(await planOf(env, reordered), 'namespaces with tags reordered');
  });

  for (const v of VARIANTS) {
    it(`${v.name}: no drift after apply, nor for ${v.equivalents.length} equivalent spelling(s)`, async () => {
      await converge(env, [...namespaces(), variantManifest(v, () => {})]);
      assertNoop(await planOf(env, [...namespaces(), variantManifest(v, () => {})]), `${v.name} as written`);
      for (const [i, edit] of v.equivalents.entries()) {
        assertNoop(await planOf(env, [...namespaces(), variantManifest(v, edit)]), `${v.name} equivalent #${i + 1}`);
      }
    });
  }
});

describe('ECS discovery round trip: serviceRegistries resolve back to the manifest reference', () => {
  const env = useEnv([CLUSTER]);

  before(async () => {
    await converge(env, namespaces());
  });

  it('A and SRV registrations plan as noop after apply, and a port change is exactly one redeploy that converges', async () => {
    const aService = cloudMapService('disc-a');
    const srvService = clone(cloudMapService('disc-srv'));
    srvService.spec.dns = { records: [{ type: 'SRV', ttl: 10 }] };
    const a = clone(ecsService('disc-a'));
    a.spec.discovery = { service: 'disc-a', namespace: NAMESPACE };
    const srv = clone(ecsService('disc-srv'));
    srv.spec.discovery = { namespace: NAMESPACE, service: 'disc-srv', containerName: 'app', containerPort: 3000 };
    const all = (srvEcs: EcsServiceManifest): Manifest[] => [...namespaces(), aService, srvService, a, srvEcs];

    await converge(env, all(srv));
    assertNoop(await planOf(env, all(srv)), 'discovery as written');

    const moved = clone(srv);
    moved.spec.discovery!.containerPort = 3001;
    const plan = await planOf(env, all(moved));
    assert.deepEqual(changesOf(plan, `EcsService/${CLUSTER}/disc-srv`), ['spec.discovery.containerPort redeploy'], describePlan(plan));
    await converge(env, all(moved));
    assertNoop(await planOf(env, all(moved)), 'discovery after the port change');
  });
});
