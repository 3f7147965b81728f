import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ListServicesCommand as ListCloudMapServicesCommand, TagResourceCommand } from '@aws-sdk/client-servicediscovery';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../../src/aws/clients.js';
import { AwsError } from '../../src/aws/errors.js';
import { createObserveCaches, observe, scopeFromDesired } from '../../src/observe/index.js';
import type { DesiredResource } from '../../src/manifests/types.js';
import { OWNER_TAGS, type LiveCloudMapService, type LiveEcsService, type LiveNamespace } from '../../src/kit/types.js';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { startClientsFixture } from '../helpers/sandbox.js';
import {
  createApiService,
  createCluster,
  createDnsService,
  createEcsService,
  createHttpNamespace,
  createPrivateNamespace,
  ownerTags,
  registerTaskDefinition,
  times,
} from './sandbox-fixtures.js';

/** Calls of one service in a scan's counts. */
function callsOf(calls: Record<string, number>, service: string): Record<string, number> {
  return Object.fromEntries(Object.entries(calls).filter(([k]) => k.startsWith(`${service}:`)));
}

describe('observe against the sandbox', () => {
  let sandbox: SandboxHandle;
  let clients: AwsClients;
  let stop: () => Promise<void>;

  before(async () => {
    ({ sandbox, clients, stop } = await startClientsFixture());
  });
  after(() => stop());
  beforeEach(() => sandbox.reset());

  it('observes namespaces, Cloud Map services and ECS services created through the SDK, in manifest shape with ownership', async () => {
    const { ecs, serviceDiscovery: sd } = clients;
    const nsId = await createPrivateNamespace(sd, 'internal', 'vpc-0abc', ownerTags('CloudMapNamespace/internal'));
    const registryArn = await createDnsService(sd, nsId, 'name', {
      ttl: 60,
      description: 'the name service',
      tags: ownerTags('CloudMapService/internal/name'),
    });
    await createDnsService(sd, nsId, 'legacy', { ttl: 300, tags: { team: 'old' } });
    await createCluster(ecs, 'demo');
    const tdArn = await registerTaskDefinition(ecs, 'name', { [OWNER_TAGS.contentHash]: 'h1' });
    await createEcsService(ecs, {
      cluster: 'demo',
      name: 'name',
      taskDefinition: tdArn,
      registryArn,
      tags: { ...ownerTags('EcsService/demo/name'), team: 'names' },
    });

    const live = await observe(clients, { clusters: ['demo'] }, createObserveCaches());

    assert.deepEqual([...live.resources.keys()].sort(), [
      'CloudMapNamespace/internal',
      'CloudMapService/internal/legacy',
      'CloudMapService/internal/name',
      'EcsService/demo/name',
    ]);
    assert.deepEqual(live.unreadable, []);

    const ns = live.resources.get('CloudMapNamespace/internal') as LiveNamespace;
    assert.equal(ns.id, nsId);
    assert.deepEqual(ns.owner, { controllerId: 'ecs-gitops', resourceKey: 'CloudMapNamespace/internal' });
    assert.equal(ns.spec.type, 'DNS_PRIVATE');
    assert.equal(ns.spec.vpc, 'vpc-0abc', 'VPC read from the hosted zone');
    assert.equal(ns.spec.soaTtl, 60);
    assert.ok(ns.hostedZoneId);

    const name = live.resources.get('CloudMapService/internal/name') as LiveCloudMapService;
    assert.equal(name.arn, registryArn);
    assert.equal(name.namespaceId, nsId);
    assert.equal(name.owner?.resourceKey, 'CloudMapService/internal/name');
    assert.deepEqual(name.spec.dns, { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl: 60 }] });
    assert.deepEqual(name.spec.healthCheck, { custom: { failureThreshold: 1 } });
    assert.equal(name.spec.description, 'the name service');

    const legacy = live.resources.get('CloudMapService/internal/legacy') as LiveCloudMapService;
    assert.equal(legacy.owner, undefined, 'a resource without our tags has no owner');
    assert.deepEqual(legacy.tags, { team: 'old' });

    const svc = live.resources.get('EcsService/demo/name') as LiveEcsService;
    assert.equal(svc.cluster, 'demo');
    assert.equal(svc.status, 'ACTIVE');
    assert.deepEqual(svc.owner, { controllerId: 'ecs-gitops', resourceKey: 'EcsService/demo/name' });
    assert.equal(svc.spec.tags?.['team'], 'names');
    assert.equal(svc.taskDefinitionArn, tdArn);
    assert.deepEqual(svc.serviceRegistryArns, [registryArn]);
    assert.deepEqual(svc.spec.discovery, { service: 'name', namespace: 'internal' });
    assert.equal(svc.spec.desiredCount, 0);
    assert.equal(svc.spec.launchType, 'FARGATE');
    assert.deepEqual(svc.spec.networkConfiguration, { subnets: ['subnet-b', 'subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' });
    assert.equal(svc.taskDefinition?.arn, tdArn);
    assert.equal(svc.taskDefinition?.tags[OWNER_TAGS.contentHash], 'h1');
    assert.equal(svc.spec.taskDefinition?.family, 'name');
    assert.equal(svc.spec.taskDefinition?.cpu, '256');
    assert.deepEqual(svc.spec.taskDefinition?.containers[0]?.environment, { PORT: '3000' });
  });

  it('reads 25 ECS services with 1 ListServices and 3 DescribeServices, and describes a task definition only once across scans', async () => {
    const { ecs, serviceDiscovery: sd } = clients;
    await createCluster(ecs, 'many');
    const tdArn = await registerTaskDefinition(ecs, 'shared');
    for (let i = 0; i < 25; i++) await createEcsService(ecs, { cluster: 'many', name: `svc-${i}`, taskDefinition: tdArn });
    const nsId = await createHttpNamespace(sd, 'api');
    for (let i = 0; i < 3; i++) await createApiService(sd, nsId, `api-${i}`);
    const caches = createObserveCaches();

    const before = sandbox.world.calls.counts();
    const cold = await observe(clients, { clusters: ['many'] }, caches);
    assert.equal([...cold.resources.values()].filter((r) => r.kind === 'EcsService').length, 25);
    assert.deepEqual(callsOf(cold.calls, 'ecs'), { 'ecs:DescribeServices': 3, 'ecs:DescribeTaskDefinition': 1, 'ecs:ListServices': 1 });
    // 1 namespace + 3 services: tags read once per ARN on a cold cache.
    assert.deepEqual(callsOf(cold.calls, 'servicediscovery'), {
      'servicediscovery:ListNamespaces': 1,
      'servicediscovery:ListServices': 1,
      'servicediscovery:ListTagsForResource': 4,
    });
    assert.equal(sandbox.world.calls.total('ecs', 'DescribeServices') - (before['ecs:DescribeServices']?.ok ?? 0), 3, 'the sandbox saw the same');

    const warm = await observe(clients, { clusters: ['many'] }, caches);
    assert.equal(warm.resources.size, cold.resources.size);
    assert.deepEqual(warm.calls, {
      'ecs:DescribeServices': 3,
      'ecs:ListServices': 1,
      'servicediscovery:ListNamespaces': 1,
      'servicediscovery:ListServices': 1,
    });
  });

  it('pages through more than 100 ECS services and more than 100 Cloud Map services', async () => {
    const { ecs, serviceDiscovery: sd } = clients;
    await createCluster(ecs, 'big');
    const tdArn = await registerTaskDefinition(ecs, 'big');
    await times(105, 8, (i) => createEcsService(ecs, { cluster: 'big', name: `svc-${String(i).padStart(3, '0')}`, taskDefinition: tdArn }));
    const nsId = await createPrivateNamespace(sd, 'big.internal', 'vpc-1');
    await times(103, 8, (i) => createDnsService(sd, nsId, `cm-${String(i).padStart(3, '0')}`));

    const live = await observe(clients, { clusters: ['big'] }, createObserveCaches());
    const kinds = [...live.resources.values()].reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.kind]: (acc[r.kind] ?? 0) + 1 }), {});
    assert.deepEqual(kinds, { CloudMapNamespace: 1, CloudMapService: 103, EcsService: 105 });
    assert.equal(live.calls['ecs:ListServices'], 2);
    assert.equal(live.calls['ecs:DescribeServices'], 11);
    assert.equal(live.calls['servicediscovery:ListServices'], 2);
  });

  it('follows a Cloud Map NextToken across empty pages to the end', async () => {
    const { serviceDiscovery: sd } = clients;
    const nsId = await createPrivateNamespace(sd, 'sparse', 'vpc-2');
    await createDnsService(sd, nsId, 'only');
    // AWS may answer a filtered ListServices with an empty page and a NextToken: serve two such
    // pages before the real listing, through the SDK's own middleware stack.
    const cfg = sandbox.clientConfig();
    const odd = createAwsClients({ region: cfg.region, credentials: cfg.credentials, endpoints: { default: cfg.endpoint } });
    let emptyPagesServed = 0;
    odd.serviceDiscovery.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { NextToken?: string };
        if (context.commandName === ListCloudMapServicesCommand.name || context.commandName === 'ListServicesCommand') {
          if (input.NextToken === undefined || input.NextToken === 'empty-1') {
            emptyPagesServed++;
            const token = input.NextToken === undefined ? 'empty-1' : 'empty-2';
            return { output: { $metadata: {}, Services: [], NextToken: token } as never, response: {} };
          }
          if (input.NextToken === 'empty-2') delete input.NextToken;
        }
        return next(args);
      },
      { step: 'initialize', name: 'emptyPages' },
    );
    try {
      const live = await observe({ ...clients, serviceDiscovery: odd.serviceDiscovery }, { clusters: [] }, createObserveCaches());
      assert.equal(emptyPagesServed, 2);
      assert.ok(live.resources.has('CloudMapService/sparse/only'), 'the service after the empty pages is found');
    } finally {
      destroyAwsClients(odd);
    }
  });

  it('reports a cluster that does not exist as unreadable and still observes the rest', async () => {
    const { ecs } = clients;
    await createCluster(ecs, 'real');
    const tdArn = await registerTaskDefinition(ecs, 'real');
    await createEcsService(ecs, { cluster: 'real', name: 'web', taskDefinition: tdArn });

    const live = await observe(clients, { clusters: ['real', 'ghost'] }, createObserveCaches());
    assert.ok(live.resources.has('EcsService/real/web'));
    assert.equal(live.unreadable.length, 1);
    assert.equal(live.unreadable[0]?.scope, 'EcsCluster/ghost');
    assert.match(live.unreadable[0]?.reason ?? '', /ClusterNotFoundException/);
  });

  it('reports Cloud Map as unreadable when listing namespaces is denied, and still observes ECS', async () => {
    const { ecs } = clients;
    await createCluster(ecs, 'solo');
    const tdArn = await registerTaskDefinition(ecs, 'solo');
    await createEcsService(ecs, { cluster: 'solo', name: 'web', taskDefinition: tdArn });
    sandbox.fault({ service: 'servicediscovery', operation: 'ListNamespaces', kind: 'error', status: 400, code: 'AccessDeniedException', count: 1 });

    const live = await observe(clients, { clusters: ['solo'] }, createObserveCaches());
    assert.deepEqual([...live.resources.keys()], ['EcsService/solo/web']);
    assert.deepEqual(
      live.unreadable.map((u) => u.scope),
      ['CloudMap'],
    );
    assert.match(live.unreadable[0]?.reason ?? '', /AccessDeniedException/);
  });

  it('rejects with a classified AwsError when ECS keeps failing past the SDK retries', async () => {
    const { ecs } = clients;
    await createCluster(ecs, 'busy');
    sandbox.fault({ service: 'ecs', operation: 'ListServices', kind: 'error', status: 503, code: 'ServiceUnavailable', count: 3 });
    await assert.rejects(
      observe(clients, { clusters: ['busy'] }, createObserveCaches()),
      (err: unknown) => err instanceof AwsError && err.category === 'transient' && err.retryable && err.operation === 'ListServices',
    );
  });

  it('keeps Cloud Map tags cached until forgetTags, then sees the new owner', async () => {
    const { serviceDiscovery: sd } = clients;
    const nsId = await createPrivateNamespace(sd, 'adopt', 'vpc-3');
    const arn = await createDnsService(sd, nsId, 'orphan');
    const caches = createObserveCaches();
    const first = await observe(clients, { clusters: [] }, caches);
    assert.equal(first.resources.get('CloudMapService/adopt/orphan')?.owner, undefined);

    await sd.send(
      new TagResourceCommand({ ResourceARN: arn, Tags: Object.entries(ownerTags('CloudMapService/adopt/orphan')).map(([Key, Value]) => ({ Key, Value })) }),
    );
    const cached = await observe(clients, { clusters: [] }, caches);
    assert.equal(cached.resources.get('CloudMapService/adopt/orphan')?.owner, undefined, 'served from the cache');
    assert.equal(cached.calls['servicediscovery:ListTagsForResource'], undefined);

    caches.forgetTags(arn);
    const fresh = await observe(clients, { clusters: [] }, caches);
    assert.equal(fresh.resources.get('CloudMapService/adopt/orphan')?.owner?.resourceKey, 'CloudMapService/adopt/orphan');
    assert.equal(fresh.calls['servicediscovery:ListTagsForResource'], 1);
  });

  it('with the previous scan given, a resource read again unchanged is the previous object and a changed one is new', async () => {
    const { ecs, serviceDiscovery: sd } = clients;
    await createCluster(ecs, 'again');
    const tdArn = await registerTaskDefinition(ecs, 'again');
    await createEcsService(ecs, { cluster: 'again', name: 'web', taskDefinition: tdArn });
    const nsId = await createPrivateNamespace(sd, 'again.internal', 'vpc-4');
    const arn = await createDnsService(sd, nsId, 'same');
    const changing = await createDnsService(sd, nsId, 'tagged');
    const caches = createObserveCaches();
    const first = await observe(clients, { clusters: ['again'] }, caches);
    await sd.send(new TagResourceCommand({ ResourceARN: changing, Tags: [{ Key: 'team', Value: 'b' }] }));
    caches.forgetTags(changing);
    const second = await observe(clients, { clusters: ['again'] }, caches, { previous: first.resources });
    for (const key of ['EcsService/again/web', 'CloudMapNamespace/again.internal', 'CloudMapService/again.internal/same']) {
      assert.ok(second.resources.get(key), key);
      assert.equal(second.resources.get(key), first.resources.get(key), `${key}: unchanged, the previous object`);
    }
    const tagged = second.resources.get('CloudMapService/again.internal/tagged');
    assert.notEqual(tagged, first.resources.get('CloudMapService/again.internal/tagged'));
    assert.equal(tagged?.tags['team'], 'b');
    assert.ok(arn);
  });
});

describe('observe scope', () => {
  it('scans the clusters of desired ECS services plus the configured ones, once each', () => {
    const ecsDesired = (cluster: string | undefined, name: string) =>
      ({ kind: 'EcsService', key: `EcsService/${cluster ?? 'default'}/${name}`, name, manifest: { spec: { cluster } } }) as unknown as DesiredResource;
    const scope = scopeFromDesired(
      [ecsDesired('demo', 'a'), ecsDesired(undefined, 'b'), ecsDesired('demo', 'c')],
      ['arn:aws:ecs:us-east-1:123456789012:cluster/old', 'demo'],
    );
    assert.deepEqual(scope, { clusters: ['default', 'demo', 'old'] });
  });
});
