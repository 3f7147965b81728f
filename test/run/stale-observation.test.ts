import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { OBSERVATION_STALE, type StatusSnapshot } from '../../src/controller/status.js';
import { EXAMPLE_RESOURCES, get, metricValue, startExampleSandbox, startTestController, waitConverged, waitFor } from './helpers.js';

/** The controller's /status document. */
async function statusDoc(running: { url: string }): Promise<StatusSnapshot> {
  return JSON.parse((await get(running, '/status')).body) as StatusSnapshot;
}

/** Every AWS call answers 500 InternalFailure until the returned id is removed. */
function failEveryRead(sandbox: SandboxHandle): number {
  return sandbox.fault({ kind: 'error', code: 'InternalFailure', status: 500, message: 'outage injected by the test' });
}

describe('an AWS outage longer than --stale-after is visible: Unknown, /readyz, metrics (sandbox, real controller)', () => {
  let sandbox: SandboxHandle;

  before(async () => {
    sandbox = await startExampleSandbox();
  });
  after(async () => {
    await sandbox.stop();
  });

  it('reports every resource Ready Unknown (ObservationStale), fails /readyz, sets observation_stale and drops the drift series; recovers when AWS answers again', async () => {
    const { running } = await startTestController(sandbox, ['--stale-after', '1s', '--resync', '1s']);
    let fault: number | undefined;
    try {
      await waitConverged(running);
      assert.equal((await get(running, '/readyz')).status, 200);
      const before = (await get(running, '/metrics')).body;
      assert.equal(metricValue(before, 'ecs_gitops_observation_stale'), 0);
      assert.match(before, /^ecs_gitops_drifted\{/m, 'drift series while fresh');

      fault = failEveryRead(sandbox);
      const stale = await waitFor(
        async () => {
          const doc = await statusDoc(running);
          return doc.controller.observationStale && doc.resources.every((r) => r.syncStatus === 'Unknown') ? doc : undefined;
        },
        20_000,
        'every resource Unknown',
      );
      assert.equal(stale.resources.length, EXAMPLE_RESOURCES);
      for (const r of stale.resources) {
        const ready = r.conditions.find((c) => c.type === 'Ready');
        assert.equal(ready?.status, 'Unknown', r.key);
        assert.equal(ready?.reason, OBSERVATION_STALE, r.key);
        assert.match(ready?.message ?? '', /InternalFailure/, `${r.key}: the Ready message names AWS's error`);
        assert.notEqual(r.syncStatus, 'Synced');
      }
      assert.match(stale.controller.lastObserveError?.message ?? '', /InternalFailure/);
      assert.equal(stale.controller.ready, false);

      const readyz = await get(running, '/readyz');
      assert.equal(readyz.status, 503);
      assert.match(readyz.body, /observation stale/);
      const metrics = (await get(running, '/metrics')).body;
      assert.equal(metricValue(metrics, 'ecs_gitops_observation_stale'), 1);
      assert.equal(metricValue(metrics, 'ecs_gitops_ready'), 0);
      assert.doesNotMatch(metrics, /^ecs_gitops_drifted\{/m, 'no "not drifted" series on data nobody could read');
      assert.doesNotMatch(metrics, /^ecs_gitops_resource_info\{[^}]*sync_status="Synced"/m, 'no resource is published Synced');
      const lastScan = metricValue(metrics, 'ecs_gitops_last_successful_scan_timestamp_seconds');
      assert.ok(lastScan !== undefined && lastScan > 0, 'the last successful scan time stays published');

      sandbox.world.faults.remove(fault);
      fault = undefined;
      await waitConverged(running, 30_000);
      await waitFor(async () => (await get(running, '/readyz')).status === 200, 10_000, '/readyz 200 again');
      const fresh = await statusDoc(running);
      assert.equal(fresh.controller.observationStale, false);
      assert.equal(fresh.controller.lastObserveError, undefined);
      const after = (await get(running, '/metrics')).body;
      assert.equal(metricValue(after, 'ecs_gitops_observation_stale'), 0);
      assert.match(after, /^ecs_gitops_drifted\{/m, 'drift series are back');
      assert.ok((metricValue(after, 'ecs_gitops_last_successful_scan_timestamp_seconds') ?? 0) > lastScan, 'a newer successful scan');
    } finally {
      if (fault !== undefined) sandbox.world.faults.remove(fault);
      await running.stop(2_000);
    }
  });

  it('keeps /readyz 200 while stale with --readyz-fail-when-stale false, and still reports Unknown', async () => {
    const { running } = await startTestController(sandbox, ['--stale-after', '1s', '--resync', '1s', '--readyz-fail-when-stale', 'false']);
    let fault: number | undefined;
    try {
      await waitConverged(running);
      fault = failEveryRead(sandbox);
      await waitFor(async () => (await statusDoc(running)).controller.observationStale, 20_000, 'the observation to turn stale');
      assert.equal((await get(running, '/readyz')).status, 200);
      const doc = await statusDoc(running);
      assert.ok(
        doc.resources.every((r) => r.syncStatus === 'Unknown'),
        'resources are Unknown all the same',
      );
      assert.equal(metricValue((await get(running, '/metrics')).body, 'ecs_gitops_observation_stale'), 1);
      sandbox.world.faults.remove(fault);
      fault = undefined;
      await waitConverged(running, 30_000);
      assert.equal(metricValue((await get(running, '/metrics')).body, 'ecs_gitops_observation_stale'), 0);
    } finally {
      if (fault !== undefined) sandbox.world.faults.remove(fault);
      await running.stop(2_000);
    }
  });
});
