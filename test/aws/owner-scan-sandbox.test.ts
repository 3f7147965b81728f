import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UntagResourceCommand } from '@aws-sdk/client-servicediscovery';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import type { AwsClients } from '../../src/aws/clients.js';
import { UNOWNED_MEMORY_MS } from '../../src/observe/caches.js';
import { createObserveCaches, observe, ownersOf } from '../../src/observe/index.js';
import { OWNER_TAGS, type LiveSet } from '../../src/kit/types.js';
import type { DesiredResource } from '../../src/manifests/types.js';
import { loadManifests } from '../../src/reconcile/load.js';
import { computePlan } from '../../src/reconcile/plan.js';
import { startClientsFixture } from '../helpers/sandbox.js';
import { createDnsService, createPrivateNamespace, ownerTags, times } from './sandbox-fixtures.js';

const NS = 'scale.internal';
const ME = 'ecs-gitops';

function serviceManifest(name: string, adopt = false): string {
  return [
    'apiVersion: ecs-gitops.io/v1alpha1',
    'kind: CloudMapService',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  namespace: ${NS}`,
    '  dns:',
    '    routingPolicy: MULTIVALUE',
    '    records:',
    '      - type: A',
    '        ttl: 60',
    '  healthCheck:',
    '    custom: {}',
    ...(adopt ? ['  syncPolicy:', '    adopt: true'] : []),
  ].join('\n');
}

function desiredOf(services: readonly { name: string; adopt?: boolean }[]): DesiredResource[] {
  const ns = [
    'apiVersion: ecs-gitops.io/v1alpha1',
    'kind: CloudMapNamespace',
    'metadata:',
    `  name: ${NS}`,
    'spec:',
    '  type: DNS_PRIVATE',
    '  vpc: vpc-0a1b2c3d4e5f60718',
  ].join('\n');
  const content = [ns, ...services.map((s) => serviceManifest(s.name, s.adopt))].join('\n---\n');
  const { resources, diagnostics } = loadManifests([{ path: 'all.yaml', content }]);
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  return resources;
}

const key = (name: string) => `CloudMapService/${NS}/${name}`;

function actions(desired: readonly DesiredResource[], live: LiveSet): Map<string, string> {
  const plan = computePlan(desired, live, { controllerId: ME, pruneEnabled: true, maxPrunePercent: 100 });
  return new Map(plan.resources.map((r) => [r.key, r.blockedBy ? `blocked:${r.blockedBy}` : r.action]));
}

describe('finding owned Cloud Map resources in pages (tagging API) against the sandbox', () => {
  let sandbox: SandboxHandle;
  let clients: AwsClients;
  let stop: () => Promise<void>;

  before(async () => {
    ({ sandbox, clients, stop } = await startClientsFixture());
  });
  after(() => stop());
  beforeEach(() => sandbox.reset());

  it('a cold scan of 300 services reads no tags of owned resources and decides adopt, foreign-owned and prune as per-ARN tag reads do', async () => {
    const sd = clients.serviceDiscovery;
    const nsId = await createPrivateNamespace(sd, NS, 'vpc-0a1b2c3d4e5f60718', ownerTags(`CloudMapNamespace/${NS}`));
    // 250 owned and declared, 20 owned and no longer declared (prune), 10 owned by another
    // controller and declared, 10 unowned and declared with adopt, 10 unowned and undeclared.
    await times(250, 16, (i) => createDnsService(sd, nsId, `own-${i}`, { tags: ownerTags(key(`own-${i}`)) }));
    await times(20, 8, (i) => createDnsService(sd, nsId, `gone-${i}`, { tags: ownerTags(key(`gone-${i}`)) }));
    await times(10, 8, (i) => createDnsService(sd, nsId, `theirs-${i}`, { tags: ownerTags(key(`theirs-${i}`), 'other') }));
    await times(10, 8, (i) => createDnsService(sd, nsId, `adopt-${i}`, { tags: { team: 'legacy' } }));
    await times(10, 8, (i) => createDnsService(sd, nsId, `stray-${i}`));
    const desired = desiredOf([
      ...Array.from({ length: 250 }, (_, i) => ({ name: `own-${i}` })),
      ...Array.from({ length: 10 }, (_, i) => ({ name: `theirs-${i}` })),
      ...Array.from({ length: 10 }, (_, i) => ({ name: `adopt-${i}`, adopt: true })),
    ]);

    const paged = await observe(clients, { clusters: [] }, createObserveCaches(), { owners: ownersOf(ME, desired) });
    const perArn = await observe(clients, { clusters: [] }, createObserveCaches());

    // 281 owner-tagged resources (namespace included): 3 pages. Tag reads only for the 20
    // prune candidates (confirmed) and the 10 unowned resources a manifest adopts.
    assert.equal(paged.calls['tagging:GetResources'], 3);
    assert.equal(paged.calls['servicediscovery:ListTagsForResource'], 30);
    assert.equal(perArn.calls['servicediscovery:ListTagsForResource'], 301);
    assert.equal(paged.resources.size, perArn.resources.size);
    for (const [k, r] of perArn.resources) {
      assert.deepEqual(paged.resources.get(k)?.owner, r.owner, k);
      if (!k.includes('/stray-')) assert.deepEqual(paged.resources.get(k)?.tags, r.tags, k);
    }
    const want = actions(desired, perArn);
    assert.deepEqual(actions(desired, paged), want);
    assert.equal(want.get(key('gone-3')), 'delete');
    assert.equal(want.get(key('theirs-3')), 'blocked:not-owned');
    assert.equal(want.get(key('adopt-3')), 'update');
    assert.equal(want.get(key('stray-3')), undefined);
  });

  it('a lagging index never leads to a wrong prune and still finds what was just created', async () => {
    const sd = clients.serviceDiscovery;
    const nsId = await createPrivateNamespace(sd, NS, 'vpc-0a1b2c3d4e5f60718', ownerTags(`CloudMapNamespace/${NS}`));
    await times(12, 8, (i) => createDnsService(sd, nsId, `old-${i}`, { tags: ownerTags(key(`old-${i}`)) }));
    const released = await createDnsService(sd, nsId, 'released', { tags: ownerTags(key('released')) });
    // The index has seen everything so far; from now on it lags.
    const first = await observe(clients, { clusters: [] }, createObserveCaches(), { owners: ownersOf(ME, desiredOf([])) });
    assert.equal(first.resources.get(key('released'))?.owner?.controllerId, ME);
    sandbox.services.tagging.setVisibilityLag(Number.POSITIVE_INFINITY);

    // Someone takes `released` out of our hands by removing the owner tag: the index still shows it owned.
    await sd.send(new UntagResourceCommand({ ResourceARN: released, TagKeys: [OWNER_TAGS.controller, OWNER_TAGS.resource] }));
    // We create `fresh` (declared) and `orphan` (owned, its manifest already removed): the index does not show them.
    await createDnsService(sd, nsId, 'fresh', { tags: ownerTags(key('fresh')) });
    await createDnsService(sd, nsId, 'orphan', { tags: ownerTags(key('orphan')) });

    let now = 0;
    const caches = createObserveCaches(undefined, () => now);
    const desired = desiredOf([...Array.from({ length: 12 }, (_, i) => ({ name: `old-${i}` })), { name: 'fresh' }]);
    const lagging = await observe(clients, { clusters: [] }, caches, { owners: ownersOf(ME, desired) });
    const during = actions(desired, lagging);
    assert.equal(lagging.resources.get(key('released'))?.owner, undefined, 'the resource tags decide, not the stale index');
    assert.equal(during.get(key('released')), undefined, 'never pruned');
    assert.equal(during.get(key('fresh')), 'noop', 'found owned although not indexed yet');
    assert.equal(during.get(key('orphan')), undefined, 'not indexed: left alone for now, never deleted on a guess');

    // Once the index caught up and the memory of unowned ARNs expired, the orphan is pruned.
    sandbox.services.tagging.setVisibilityLag(0);
    now += UNOWNED_MEMORY_MS;
    const caughtUp = await observe(clients, { clusters: [] }, caches, { owners: ownersOf(ME, desired) });
    const later = actions(desired, caughtUp);
    assert.equal(later.get(key('orphan')), 'delete');
    assert.equal(later.get(key('released')), undefined);
  });
});
