import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, settle } from '../helpers/fake-clock.js';
import { apiFamilyOf, DEFAULT_RATE_LIMITS, FamilyRateLimiter, API_FAMILIES } from '../../src/controller/rate-limiter.js';

describe('AWS API family rate limiter', () => {
  const cases: [string, string, string][] = [
    ['ECS', 'DescribeServices', 'ecs-read'],
    ['ECSClient', 'ListServicesCommand', 'ecs-read'],
    ['ECS', 'UpdateService', 'ecs-write'],
    ['ECS', 'CreateService', 'ecs-write'],
    ['ECS', 'RegisterTaskDefinition', 'ecs-taskdef-register'],
    ['ECS', 'DescribeTaskDefinition', 'ecs-taskdef-read'],
    ['ECS', 'ListTagsForResource', 'ecs-tags-read'],
    ['ECS', 'TagResource', 'ecs-tags-write'],
    ['ServiceDiscovery', 'ListNamespaces', 'servicediscovery'],
    ['ServiceDiscovery', 'DiscoverInstances', 'servicediscovery-discover'],
    ['Route 53', 'ListResourceRecordSets', 'route53'],
    ['S3', 'GetObject', 's3'],
    ['STS', 'AssumeRole', 'sts'],
    ['DynamoDB', 'UpdateItem', 'dynamodb'],
    ['CloudWatch', 'PutMetricData', 'other'],
  ];
  for (const [service, operation, family] of cases) {
    it(`maps ${service} ${operation} to ${family}`, () => {
      assert.equal(apiFamilyOf(service, operation), family);
    });
  }

  it('sets every ECS default below the documented AWS bucket', () => {
    const aws: Record<string, [number, number]> = {
      'ecs-read': [100, 20],
      'ecs-write': [50, 5],
      'ecs-taskdef-read': [50, 20],
      'ecs-taskdef-register': [20, 1],
      'ecs-tags-read': [50, 20],
      'ecs-tags-write': [20, 10],
    };
    for (const [family, [burst, rate]] of Object.entries(aws)) {
      const mine = DEFAULT_RATE_LIMITS[family as keyof typeof DEFAULT_RATE_LIMITS];
      assert.ok(mine.burst < burst && mine.perSecond < rate, `${family} ${JSON.stringify(mine)}`);
    }
    assert.equal(Object.keys(DEFAULT_RATE_LIMITS).length, API_FAMILIES.length);
  });

  it('grants the burst at once, then one token per refill interval, in FIFO order', async () => {
    const clock = new FakeClock();
    const waits: number[] = [];
    const limiter = new FamilyRateLimiter({
      clock,
      limits: { 'ecs-write': { burst: 2, perSecond: 2 } },
      onAcquired: (family, s) => family === 'ecs-write' && waits.push(s),
    });
    const order: number[] = [];
    const all = [0, 1, 2, 3, 4].map((i) => limiter.acquire('ECS', 'UpdateService').then(() => order.push(i)));
    await settle();
    assert.deepEqual(order, [0, 1]);
    await clock.advance(499);
    assert.deepEqual(order, [0, 1]);
    await clock.advance(1);
    assert.deepEqual(order, [0, 1, 2]);
    await clock.advance(1_000);
    await Promise.all(all);
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.deepEqual(waits, [0, 0, 0.5, 1, 1.5]);
  });

  it('keeps families independent', async () => {
    const clock = new FakeClock();
    const limiter = new FamilyRateLimiter({ clock, limits: { 'ecs-write': { burst: 1, perSecond: 0.1 } } });
    await limiter.acquire('ECS', 'UpdateService');
    let writeDone = false;
    void limiter.acquire('ECS', 'UpdateService').then(() => (writeDone = true));
    await limiter.acquire('ECS', 'DescribeServices');
    await settle();
    assert.equal(writeDone, false);
    assert.equal(limiter.queued('ecs-write'), 1);
  });

  it('rejects an aborted waiter with the signal reason and lets the next one through', async () => {
    const clock = new FakeClock();
    const limiter = new FamilyRateLimiter({ clock, limits: { route53: { burst: 1, perSecond: 1 } } });
    await limiter.acquire('Route 53', 'GetHostedZone');
    const ac = new AbortController();
    const first = limiter.acquire('Route 53', 'GetHostedZone', ac.signal);
    let secondDone = false;
    const second = limiter.acquire('Route 53', 'GetHostedZone').then(() => (secondDone = true));
    ac.abort(new Error('stop'));
    await assert.rejects(first, /stop/);
    assert.equal(limiter.queued('route53'), 1);
    await clock.advance(1_000);
    await second;
    assert.equal(secondDone, true);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const limiter = new FamilyRateLimiter({ clock: new FakeClock() });
    await assert.rejects(limiter.acquire('ECS', 'ListServices', AbortSignal.abort(new Error('gone'))), /gone/);
  });
});
