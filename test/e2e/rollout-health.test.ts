import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestController, waitFor, get, type LogLines } from '../run/helpers.js';
import type { RunningController } from '../../src/run/app.js';
import type { DeliveryEvent } from '../../src/controller/delivery-events.js';
import { copyExample, edit, resource, startShiftedSandbox, type ShiftedSandbox } from './rollout-helpers.js';

const KEY = 'EcsService/demo/name';
const GOOD = 'name-server:1.0.0';
const BROKEN = 'name-server:broken';

function allSynced(running: RunningController): boolean {
  const resources = running.status.snapshot().resources;
  return resources.length > 0 && resources.every((r) => r.syncStatus === 'Synced');
}

describe('rollout health: an image ECS cannot run makes the service Degraded with the stopped reason (examples/hello-name, sandbox)', () => {
  let s: ShiftedSandbox;
  let dir: string;
  let running: RunningController | undefined;
  let logs: LogLines;
  const events: DeliveryEvent[] = [];
  before(async () => {
    s = await startShiftedSandbox();
    dir = await copyExample('hello-name');
  });
  after(async () => {
    await running?.stop(2_000);
    await s.stop();
  });

  it('Healthy after convergence; a commit of a failing image: Degraded (RolledBack) with "Essential container in task exited", in resource_info; a fix: Healthy again', async () => {
    ({ running, logs } = await startTestController(s.sandbox, ['--source', dir, '--resync', '1s', '--interval', '1s']));
    const r = running;
    r.deliveryEvents.subscribe((e) => events.push(e));
    await waitFor(() => allSynced(r) && resource(r, KEY)?.healthStatus === 'Healthy', 60_000, 'convergence, Healthy');
    const healthy = resource(r, KEY)!.conditions.find((c) => c.type === 'Healthy')!;
    assert.equal(healthy.status, 'True');
    assert.match(healthy.message, /completed, 2\/2 tasks running/);
    const goodRevision = resource(r, KEY)!.lastAppliedRevision;
    assert.ok(goodRevision);
    await waitFor(() => events.some((e) => e.type === 'revision-succeeded' && e.revision === goodRevision), 30_000, 'revision-succeeded of the first revision');
    assert.deepEqual(
      events.filter((e) => e.revision === goodRevision && e.type.startsWith('revision-')).map((e) => e.type),
      ['revision-started', 'revision-applied', 'revision-succeeded'],
    );
    const listTasksBefore = await s.calls('ecs:ListTasks');

    await s.admin('POST', 'ecs/task-failures', { image: '*:broken', mode: 'exit' });
    await edit(join(dir, 'name.yaml'), GOOD, BROKEN);
    await waitFor(() => resource(r, KEY)?.healthStatus === 'Degraded', 120_000, 'Degraded');
    const degraded = resource(r, KEY)!;
    const cond = degraded.conditions.find((c) => c.type === 'Healthy')!;
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'RolledBack');
    await waitFor(
      () => /Essential container in task exited/.test(resource(r, KEY)!.conditions.find((c) => c.type === 'Healthy')!.message),
      30_000,
      'the stopped reason',
    );
    assert.match(resource(r, KEY)!.conditions.find((c) => c.type === 'Healthy')!.message, /circuit breaker/);
    assert.ok(degraded.lastAttemptedRevision && degraded.lastAttemptedRevision !== goodRevision);
    assert.notEqual(degraded.lastAppliedRevision, degraded.lastAttemptedRevision, 'the failed revision never counts as deployed');
    const metrics = (await get(r, '/metrics')).body;
    assert.match(metrics, /ecs_gitops_resource_info\{kind="EcsService",name="demo\/name",sync_status="Failed",health_status="Degraded",mode="enforce"\} 1/);
    const failed = events.filter((e) => e.type === 'rollout-failed');
    assert.equal(failed.length, 1, 'one rollout-failed event');
    const broken = degraded.lastAttemptedRevision!;
    await waitFor(() => events.some((e) => e.type === 'revision-failed' && e.revision === broken), 30_000, 'revision-failed');
    const revFailed = events.filter((e) => e.type === 'revision-failed' && e.revision === broken);
    assert.equal(revFailed.length, 1);
    const rf = revFailed[0]!;
    assert.ok(rf.type === 'revision-failed' && rf.failing.some((f) => f.key === KEY));
    assert.ok(rf.type === 'revision-failed' && /circuit breaker/.test(rf.reason), rf.type === 'revision-failed' ? rf.reason : '');
    assert.ok(!events.some((e) => e.type === 'revision-succeeded' && e.revision === broken));
    // The stopped reason costs a ListTasks and a DescribeTasks, not one per resync.
    const reconcilesBefore = logs.filter((l) => l['key'] === KEY).length;
    await waitFor(() => logs.filter((l) => l['key'] === KEY).length >= reconcilesBefore + 5, 30_000, 'more reconciles');
    const listTasks = (await s.calls('ecs:ListTasks')) - listTasksBefore;
    assert.ok(listTasks <= 2, `ListTasks calls for the stopped reason: ${listTasks}`);

    await s.admin('DELETE', 'ecs/task-failures');
    await edit(join(dir, 'name.yaml'), BROKEN, 'name-server:1.0.1');
    await waitFor(() => resource(r, KEY)?.healthStatus === 'Healthy' && resource(r, KEY)?.syncStatus === 'Synced', 120_000, 'Healthy on the fix');
    const fixed = resource(r, KEY)!.lastAppliedRevision!;
    assert.notEqual(fixed, goodRevision);
    await waitFor(() => events.some((e) => e.type === 'revision-succeeded' && e.revision === fixed), 30_000, 'revision-succeeded of the fix');
  });
});
