// What the controller keeps between scans stays bounded, and converted live resources hold
// none of the SDK's answer objects (so a scan's raw answers can be collected as soon as they
// are converted).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { createObserveCaches } from '../../src/observe/caches.js';
import { withoutEvents } from '../../src/observe/ecs-scan.js';
import { convertEcsService } from '../../src/kinds/ecs-service/convert.js';
import { convertTaskDefinition } from '../../src/kinds/ecs-service/task-definition/convert.js';
import type { LiveTaskDefinition } from '../../src/kit/types.js';

function revision(family: string, n: number): LiveTaskDefinition {
  return {
    arn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${n}`,
    family,
    revision: n,
    tags: {},
    spec: { family, cpu: '256', memory: '512', containers: [{ name: 'app', image: `img:${n}` }] },
  };
}

/** Every object and array reachable from `root`. */
function objectsOf(root: unknown): Set<object> {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    for (const child of Object.values(v)) stack.push(child);
  }
  return seen;
}

const SERVICE: Service = {
  serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/demo/web',
  serviceName: 'web',
  clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/demo',
  status: 'ACTIVE',
  desiredCount: 2,
  runningCount: 2,
  pendingCount: 0,
  launchType: 'FARGATE',
  taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
  networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
  deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
  placementConstraints: [{ type: 'distinctInstance' }],
  placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }],
  loadBalancers: [{ containerName: 'web', containerPort: 80, targetGroupArn: 'arn:tg' }],
  serviceRegistries: [{ registryArn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1', containerName: 'web' }],
  capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
  tags: [{ key: 'team', value: 'a' }],
  deployments: [
    {
      id: 'ecs-svc/1',
      status: 'PRIMARY',
      rolloutState: 'COMPLETED',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
      volumeConfigurations: [{ name: 'data', managedEBSVolume: { roleArn: 'arn:role', sizeInGiB: 10 } }],
    },
  ],
  events: Array.from({ length: 100 }, (_, i) => ({ id: `e${i}`, createdAt: new Date(0), message: '(service web) has reached a steady state.' })),
};

describe('observe caches are bounded', () => {
  it('keeps at most the configured number of task definitions, evicting the least recently used', () => {
    const caches = createObserveCaches(3);
    for (let i = 1; i <= 3; i++) caches.rememberTaskDefinition(revision('web', i));
    // A scan reads revision 1 (in use): it becomes the most recent, so 2 goes first.
    assert.ok(caches.taskDefinition(revision('web', 1).arn));
    for (let i = 4; i <= 50; i++) caches.rememberTaskDefinition(revision('web', i));
    assert.equal(caches.sizes().taskDefinitions, 3);
    assert.equal(caches.taskDefinition(revision('web', 2).arn), undefined);

    const lru = createObserveCaches(3);
    for (let i = 1; i <= 3; i++) lru.rememberTaskDefinition(revision('web', i));
    lru.taskDefinition(revision('web', 1).arn);
    lru.rememberTaskDefinition(revision('web', 4));
    assert.ok(lru.taskDefinition(revision('web', 1).arn), 'the revision read last stays');
    assert.equal(lru.taskDefinition(revision('web', 2).arn), undefined, 'the least recently used one goes');
  });

  it('remembering the same revision again does not grow the cache', () => {
    const caches = createObserveCaches(10);
    for (let i = 0; i < 100; i++) caches.rememberTaskDefinition(revision('web', 1));
    assert.equal(caches.sizes().taskDefinitions, 1);
  });

  it('drops tags, unowned marks and zone VPCs of resources a full scan no longer sees', () => {
    const caches = createObserveCaches();
    for (let i = 0; i < 1000; i++) {
      caches.rememberTags(`arn:svc-${i}`, { a: '1' });
      caches.rememberUnowned(`arn:other-${i}`);
      caches.rememberZoneVpc(`Z${i}`, 'vpc-1');
    }
    caches.retainTags(new Set(['arn:svc-1', 'arn:other-2']));
    caches.retainZones(new Set(['Z3']));
    assert.deepEqual(caches.sizes(), { taskDefinitions: 0, tags: 1, zoneVpcs: 1, unowned: 1 });
    assert.equal(caches.zoneVpc('Z3'), 'vpc-1');
    assert.equal(caches.zoneVpc('Z4'), undefined);
  });
});

describe('converted live resources keep no SDK objects', () => {
  it('a scanned service drops its event stream, but a copy of the newest event when it is the steady state, and keeps everything else', () => {
    const scanned = withoutEvents(SERVICE);
    assert.deepEqual(scanned.events, [{ message: '(service web) has reached a steady state.', createdAt: new Date(0) }]);
    assert.notEqual(scanned.events?.[0], SERVICE.events?.[0]);
    assert.notEqual(scanned.events?.[0]?.createdAt, SERVICE.events?.[0]?.createdAt);
    const { events: _events, ...rest } = SERVICE;
    const { events: _kept, ...scannedRest } = scanned;
    assert.deepEqual(scannedRest, rest);
    const busy = withoutEvents({
      ...SERVICE,
      events: [{ id: 'x', message: '(service web) has started 2 tasks: (task a) (task b).' }, ...(SERVICE.events ?? [])],
    });
    assert.equal('events' in busy, false, 'any other newest event: nothing kept');
  });

  it('an ECS service converts into objects of its own', () => {
    const td = convertTaskDefinition(
      {
        taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
        family: 'web',
        revision: 3,
        containerDefinitions: [{ name: 'web', image: 'img', portMappings: [{ containerPort: 80 }], environment: [{ name: 'A', value: '1' }] }],
      },
      [],
    );
    assert.ok(td);
    const live = convertEcsService(withoutEvents(SERVICE), () => undefined, td);
    assert.ok(live);
    const raw = objectsOf(SERVICE);
    const shared = [...objectsOf(live)].filter((o) => raw.has(o));
    assert.deepEqual(shared, [], 'no object of the DescribeServices answer is reachable from the live resource');
    assert.equal(live.spec.taskDefinition, td.spec, 'the task definition content is the cached one, shared, not copied');
  });

  it('a task definition converts into objects of its own', () => {
    const raw: TaskDefinition = {
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
      family: 'web',
      revision: 3,
      cpu: '256',
      memory: '512',
      requiresCompatibilities: ['FARGATE'],
      containerDefinitions: [
        {
          name: 'web',
          image: 'img',
          portMappings: [{ containerPort: 80 }],
          environment: [{ name: 'A', value: '1' }],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g' } },
        },
      ],
    };
    const td = convertTaskDefinition(raw, [{ key: 'team', value: 'a' }]);
    assert.ok(td);
    const rawObjects = objectsOf(raw);
    assert.deepEqual(
      [...objectsOf(td)].filter((o) => rawObjects.has(o)),
      [],
    );
  });
});
