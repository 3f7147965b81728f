import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { createDiscoveryChecker } from '../../src/discovery/checker.js';
import type { DiscoveryReport } from '../../src/discovery/types.js';
import type { LiveSet } from '../../src/kit/types.js';
import { CLUSTER, CONTROLLER_ID, startDiscoveryEnv, waitRunning, type DiscoveryEnv } from './helpers.js';

const FULL_READ_MS = 300_000;

/** The report without what differs from check to check by design (time, calls, whether reads were reused). */
function outcome(r: DiscoveryReport): unknown {
  return {
    services: r.services.map(({ refreshed: _, ...s }) => s),
    findings: r.findings,
    unreadable: r.unreadable,
    remediations: r.remediations,
  };
}

describe('what the discovery checker keeps between checks (sandbox)', () => {
  let env: DiscoveryEnv;
  let live: LiveSet;
  let stoppedArn: string;
  let unregisteredArn: string;

  before(async () => {
    env = await startDiscoveryEnv({ services: ['api', 'web', 'worker'], tasksPerService: 2, manualClock: true });
    // api: a stopped task left its instance behind. web: a running task's instance was removed by hand.
    // worker: a record set's TTL was edited by hand.
    const [victim] = await env.taskIds('api');
    stoppedArn = env.sandbox.services.ecs.stopTask(CLUSTER, victim!, { leaveInstanceRegistered: true }).taskArn;
    const [lost] = await env.taskIds('web');
    env.sandbox.services.cloudmap.adminDeregisterInstance(env.registries.get('web')!, lost!);
    const arns = await env.clients.ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'web' }));
    unregisteredArn = arns.taskArns!.find((a) => a.endsWith(`/${lost}`))!;
    const [edited] = await env.taskIds('worker');
    env.sandbox.services.route53.setRecordTtl(env.zoneId(), 'worker.internal.', 'A', edited!, 300);
    live = await waitRunning(env, 6);
  });
  after(async () => env.stop());

  const newChecker = () =>
    createDiscoveryChecker({ clients: env.clients, controllerId: CONTROLLER_ID, clock: env.clock, missingGraceMs: 0, fullReadIntervalMs: FULL_READ_MS });

  it('a second check with nothing changed reads nothing new and gives the same findings, with the same task ARNs', async () => {
    const checker = newChecker();
    env.clock.advance(1_000);
    const first = await checker.check(live);
    assert.deepEqual(
      first.findings.map((f) => [f.reason, f.key]),
      [
        ['StaleInstance', 'CloudMapService/internal/api'],
        ['MissingInstance', 'CloudMapService/internal/web'],
        ['RecordTtlMismatch', 'CloudMapService/internal/worker'],
      ],
    );
    const byReason = new Map(first.findings.map((f) => [f.reason, f]));
    assert.equal(byReason.get('StaleInstance')!.taskArn, stoppedArn);
    assert.match(byReason.get('StaleInstance')!.message, new RegExp(`its task ${stoppedArn} is STOPPED`));
    assert.equal(byReason.get('MissingInstance')!.taskArn, unregisteredArn);
    assert.match(byReason.get('MissingInstance')!.message, new RegExp(`task ${unregisteredArn} \\(\\S+\\) of EcsService demo/web is RUNNING`));

    env.clock.advance(30_000);
    const second = await checker.check(live);
    assert.deepEqual(second.calls, { 'servicediscovery:ListServices': 1, 'route53:GetHostedZone': 1 }, 'only the change signals are read');
    assert.ok(second.services.every((s) => !s.refreshed));
    assert.deepEqual(
      second.zones.map((z) => z.refreshed),
      [false],
    );
    assert.deepEqual(outcome(second), outcome(first));

    // Past the full-read interval everything is read again, and says the same.
    env.clock.advance(FULL_READ_MS);
    const full = await checker.check(live);
    assert.equal(full.calls['servicediscovery:DiscoverInstances'], 3);
    assert.equal(full.calls['route53:ListResourceRecordSets'], 1);
    assert.ok(full.calls['ecs:DescribeTasks']! >= 1);
    assert.ok(full.services.every((s) => s.refreshed));
    assert.deepEqual(outcome(full), outcome(first));
  });

  it('forgets a service that is no longer checked: linked again, it is read in full', async () => {
    const checker = newChecker();
    await checker.check(live);
    const without: LiveSet = { ...live, resources: new Map([...live.resources].filter(([key]) => key !== 'EcsService/demo/worker')) };
    const less = await checker.check(without);
    assert.deepEqual(
      less.services.map((s) => s.key),
      ['CloudMapService/internal/api', 'CloudMapService/internal/web'],
    );
    const again = await checker.check(live);
    assert.deepEqual(
      again.services.filter((s) => s.refreshed).map((s) => s.key),
      ['CloudMapService/internal/worker'],
    );
    assert.equal(again.calls['servicediscovery:DiscoverInstances'], 1);
    assert.equal(again.calls['ecs:ListTasks'], 1);
  });
});
