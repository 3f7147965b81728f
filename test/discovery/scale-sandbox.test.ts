import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { destroyAwsClients } from '../../src/aws/clients.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FamilyRateLimiter, apiFamilyOf, type ApiFamily, type BucketLimit } from '../../src/controller/rate-limiter.js';
import { createDiscoveryChecker } from '../../src/discovery/checker.js';
import type { LiveSet } from '../../src/kit/types.js';
import { CONTROLLER_ID, startDiscoveryEnv, waitRunning, type DiscoveryEnv } from './helpers.js';

const SERVICES = Array.from({ length: 100 }, (_, i) => `svc-${String(i).padStart(3, '0')}`);

describe('discovery health at 100 services (sandbox)', () => {
  let env: DiscoveryEnv;
  let live: LiveSet;

  before(async () => {
    env = await startDiscoveryEnv({ services: SERVICES, tasksPerService: 1 });
    live = await env.live();
  });
  after(async () => env.stop());

  it('reports no findings for 100 healthy services, and a second check skips what did not change', async () => {
    const checker = createDiscoveryChecker({ clients: env.clients, controllerId: CONTROLLER_ID });
    const first = await checker.check(live);
    assert.deepEqual(first.findings, []);
    assert.deepEqual(first.unreadable, []);
    assert.equal(first.services.length, 100);
    assert.ok(first.services.every((s) => s.runningTasks === 1 && s.instances.healthy === 1 && s.instances.stale === 0));
    // One sweep of the cluster's 100 tasks beats 100 per-service sweeps.
    assert.equal(first.calls['ecs:ListTasks'], 1);
    assert.equal(first.calls['ecs:DescribeTasks'], 1);
    assert.equal(first.calls['route53:GetHostedZone'], 1);
    assert.equal(first.calls['route53:ListResourceRecordSets'], 1);
    assert.equal(first.calls['servicediscovery:DiscoverInstances'], 100);

    const second = await checker.check(live);
    assert.deepEqual(second.findings, []);
    assert.equal(second.calls['ecs:ListTasks'], undefined, 'ECS tasks are not read again while nothing moved');
    assert.equal(second.calls['route53:ListResourceRecordSets'], undefined, 'the zone is not listed again while its record count is unchanged');
    assert.equal(second.calls['route53:GetHostedZone'], 1);
    assert.ok(second.services.every((s) => !s.refreshed));
    // Instance counts of the whole namespace in one ListServices page instead of 100 reads.
    assert.equal(second.calls['servicediscovery:ListServices'], 1);
    assert.equal(second.calls['servicediscovery:DiscoverInstances'], undefined);
    assert.equal(second.calls['servicediscovery:DiscoverInstancesRevision'], undefined);
    assert.equal(
      Object.values(second.calls).reduce((a, b) => a + b, 0),
      2,
    );
  });

  it('goes through the rate limiter for every read and stays within each family rate', async () => {
    const clock = new FakeClock();
    const limits: Partial<Record<ApiFamily, BucketLimit>> = {
      'servicediscovery-discover': { burst: 10, perSecond: 20 },
      'ecs-read': { burst: 1, perSecond: 1 },
      route53: { burst: 1, perSecond: 1 },
    };
    const acquired: { family: ApiFamily; at: number }[] = [];
    const limiter = new FamilyRateLimiter({ clock, limits, onAcquired: (family) => acquired.push({ family, at: clock.now() }) });
    const clients = env.newClients({ rateLimiter: limiter });
    const start = clock.now();
    const since = Date.now();
    try {
      let done = false;
      const checking = createDiscoveryChecker({ clients, controllerId: CONTROLLER_ID })
        .check(live)
        .finally(() => {
          done = true;
        });
      while (!done) {
        await clock.advance(50);
        await sleep(1);
      }
      const report = await checking;
      assert.deepEqual(report.findings, []);

      // Every call the sandbox answered took a token of its family first.
      const answered = new Map<ApiFamily, number>();
      for (const c of env.sandbox.world.calls.calls(since)) {
        const family = apiFamilyOf(c.service, c.operation);
        answered.set(family, (answered.get(family) ?? 0) + 1);
      }
      const took = new Map<ApiFamily, number>();
      for (const a of acquired) took.set(a.family, (took.get(a.family) ?? 0) + 1);
      assert.deepEqual(Object.fromEntries([...answered].sort()), Object.fromEntries([...took].sort()));
      assert.equal(took.get('servicediscovery-discover'), 100);

      // The k-th token of a family was taken no earlier than burst + rate x elapsed allows.
      for (const [family, limit] of Object.entries(limits) as [ApiFamily, BucketLimit][]) {
        acquired
          .filter((a) => a.family === family)
          .forEach((a, k) => {
            const allowed = limit.burst + (limit.perSecond * (a.at - start)) / 1000;
            assert.ok(k + 1 <= allowed + 1e-9, `${family}: token ${k + 1} at +${a.at - start} ms exceeds ${allowed.toFixed(2)}`);
          });
      }
      // 100 discover calls at burst 10 and 20/s need at least 4.5 s of (fake) time: the limiter paced them.
      const lastDiscover = acquired.filter((a) => a.family === 'servicediscovery-discover').at(-1)!;
      assert.ok(lastDiscover.at - start >= 4_500);
    } finally {
      destroyAwsClients(clients);
    }
  });

  it('reads again only the service whose instance count moved, and health changes at the latest after the full-read interval', async () => {
    let offset = 0;
    const clock = { now: () => Date.now() + offset };
    const checker = createDiscoveryChecker({ clients: env.clients, controllerId: CONTROLLER_ID, clock, fullReadIntervalMs: 300_000 });
    await checker.check(await env.live());
    assert.equal((await checker.check(await env.live())).calls['servicediscovery:DiscoverInstances'], undefined);

    // A task stops and leaves its instance behind; ECS starts and registers a replacement. The
    // ECS counts end where they were: only the Cloud Map instance count (1 -> 2) moved.
    const [victim] = await env.taskIds('svc-007');
    env.sandbox.services.ecs.stopTask('demo', victim!, { leaveInstanceRegistered: true });
    const after = await waitRunning(env, SERVICES.length);
    const moved = await checker.check(after);
    assert.equal(moved.calls['servicediscovery:DiscoverInstances'], 1);
    assert.deepEqual(
      moved.findings.map((f) => [f.reason, f.key, f.instanceId]),
      [['StaleInstance', 'CloudMapService/internal/svc-007', victim]],
    );
    assert.deepEqual(
      moved.services.filter((s) => s.refreshed).map((s) => s.key),
      ['CloudMapService/internal/svc-007'],
    );

    // Health alone moves neither count: ECS-reported health is trusted until the counts move or
    // the full-read interval ends.
    const [sick] = await env.taskIds('svc-042');
    env.sandbox.services.cloudmap.setInstanceHealth(env.registries.get('svc-042')!, sick!, 'UNHEALTHY');
    const unchanged = await checker.check(after);
    assert.equal(unchanged.calls['servicediscovery:DiscoverInstances'], undefined);
    assert.ok(!unchanged.findings.some((f) => f.key === 'CloudMapService/internal/svc-042'));
    offset += 300_000;
    const full = await checker.check(after);
    assert.equal(full.calls['servicediscovery:DiscoverInstances'], SERVICES.length);
    assert.ok(full.findings.some((f) => f.key === 'CloudMapService/internal/svc-042'));
  });
});
