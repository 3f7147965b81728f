import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { startTestController, waitFor, get, metricValue, type LogLines } from '../run/helpers.js';
import type { RunningController } from '../../src/run/app.js';
import { condition, copyExample, edit, reconciles, resource, startShiftedSandbox, type ShiftedSandbox } from './rollout-helpers.js';

const KEY = 'EcsService/demo/sc-name';
const GOOD = 'name-server:1.0.0';
const BROKEN = 'name-server:broken';

/** Every resource of the source tracked and Synced. */
function allSynced(running: RunningController): boolean {
  const resources = running.status.snapshot().resources;
  return resources.length > 0 && resources.every((r) => r.syncStatus === 'Synced');
}

describe('a rollback is not a loop (examples/service-connect, controller, circuit breaker with rollback, sandbox)', () => {
  let s: ShiftedSandbox;
  let dir: string;
  let running: RunningController | undefined;
  let logs: LogLines;
  before(async () => {
    s = await startShiftedSandbox();
    dir = await copyExample('service-connect');
  });
  after(async () => {
    await running?.stop(2_000);
    await s.stop();
  });

  const start = async () => {
    ({ running, logs } = await startTestController(s.sandbox, ['--source', dir, '--resync', '1s', '--interval', '1s']));
    return running;
  };
  const rollbacks = async (r: RunningController) =>
    metricValue((await get(r, '/metrics')).body, 'ecs_gitops_rollbacks_total', { kind: 'EcsService', name: 'demo/sc-name' });

  it('holds a rolled-back image (RolledBack with ECS reason), writes at most once more, counts it, and keeps the hold across a restart', async () => {
    const r = await start();
    await waitFor(() => allSynced(r), 30_000, 'convergence of service-connect');
    assert.equal(await rollbacks(r), 0, 'the counter starts at 0, so the first rollback is an increase');
    const svc = (await s.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['sc-name'] }))).services?.[0];
    assert.deepEqual(svc?.deploymentConfiguration?.deploymentCircuitBreaker, { enable: true, rollback: true });
    assert.equal(svc?.deployments?.[0]?.serviceConnectConfiguration?.enabled, true);

    await s.admin('POST', 'ecs/task-failures', { image: '*:broken', mode: 'exit' });
    const before = await s.calls('ecs:UpdateService');
    await edit(join(dir, 'name.yaml'), GOOD, BROKEN);
    await waitFor(() => condition(r, KEY, 'RolledBack') === 'True', 240_000, 'RolledBack');
    const held = resource(r, KEY)!;
    assert.equal(held.syncStatus, 'Failed');
    assert.equal(held.rollout?.status, 'ROLLBACK_SUCCESSFUL');
    assert.match(held.conditions.find((c) => c.type === 'RolledBack')!.message, /circuit breaker: tasks failed to start/);
    assert.equal(await s.calls('ecs:UpdateService'), before + 1, 'one deployment of the broken image');

    // The next reconciles (60 s worth at the contract's --resync 5s; here 1s) write nothing.
    const atHold = await s.calls('ecs:UpdateService');
    await reconciles(logs, KEY, 5);
    assert.ok((await s.calls('ecs:UpdateService')) <= atHold + 1);
    assert.equal(await s.calls('ecs:UpdateService'), atHold, 'held: the failed revision is not applied again');
    assert.ok(((await rollbacks(r)) ?? 0) >= 1);
    const status = JSON.parse((await get(r, '/status')).body) as { resources: { key: string; conditions: { type: string; status: string }[] }[] };
    assert.equal(status.resources.find((x) => x.key === KEY)?.conditions.find((c) => c.type === 'RolledBack')?.status, 'True');

    const cli = await s.cli('rollout', 'status', '--cluster', 'demo', '--service', 'sc-name');
    assert.equal(cli.code, 2, `${cli.out}\n${cli.err}`);
    assert.match(cli.out, /ROLLBACK_SUCCESSFUL\s+ROLLING/);
    assert.match(cli.out, /holds this revision/);

    // A restart derives the hold from ECS's deployment history.
    await r.stop(2_000);
    const again = await start();
    await waitFor(() => condition(again, KEY, 'RolledBack') === 'True', 30_000, 'RolledBack after a restart');
    await reconciles(logs, KEY, 3);
    assert.equal(await s.calls('ecs:UpdateService'), atHold, 'a restart does not redeploy the failed revision');
  });

  it('rollout retry lifts the hold once (refused for another controller id); a new image in the source lifts it too', async () => {
    const r = running!;
    const other = await s.cli('rollout', 'retry', '--cluster', 'demo', '--service', 'sc-name', '--controller-id', 'someone-else');
    assert.equal(other.code, 3, `${other.out}\n${other.err}`);
    assert.match(other.err, /refused/);
    const nothing = await s.cli('rollout', 'abort', '--cluster', 'demo', '--service', 'sc-name');
    assert.equal(nothing.code, 2, `${nothing.out}\n${nothing.err}`);

    const firstHold = resource(r, KEY)!.rollout!.deployment;
    const atRetry = await s.calls('ecs:UpdateService');
    const retry = await s.cli('rollout', 'retry', '--cluster', 'demo', '--service', 'sc-name');
    assert.equal(retry.code, 0, `${retry.out}\n${retry.err}`);
    await waitFor(
      () => condition(r, KEY, 'RolledBack') === 'True' && resource(r, KEY)!.rollout!.deployment !== firstHold,
      60_000,
      'the retried deployment rolled back',
    );
    assert.equal(await s.calls('ecs:UpdateService'), atRetry + 1, 'retry deploys once');
    assert.ok(((await rollbacks(r)) ?? 0) >= 1);

    await s.admin('DELETE', 'ecs/task-failures');
    await edit(join(dir, 'name.yaml'), BROKEN, 'name-server:1.0.1');
    await waitFor(() => resource(r, KEY)?.syncStatus === 'Synced', 60_000, 'Synced on a new image');
    assert.equal(condition(r, KEY, 'RolledBack'), 'False');
  });
});
