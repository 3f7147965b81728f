import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningController } from '../../src/run/app.js';
import type { PeriodicTaskContext } from '../../src/controller/periodic-task.js';
import type { ControllerMetrics } from '../../src/observability/metrics.js';
import type { PeriodicTask } from '../../src/run/periodic.js';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { EXAMPLE_RESOURCES, get, startExampleSandbox, startTestController, waitConverged, waitFor, type LogLines } from './helpers.js';

describe('periodic tasks on the newest observation (discovery health hook)', () => {
  let sandbox: SandboxHandle;

  before(async () => {
    sandbox = await startExampleSandbox();
  });
  after(async () => {
    await sandbox.stop();
  });

  it('runs a given task every interval with the newest live set, never overlapping, and stops it at shutdown', async () => {
    const seen: { resources: number; revision: string }[] = [];
    let active = 0;
    let overlapped = false;
    const task: PeriodicTask = {
      name: 'probe',
      intervalMs: 100,
      async run(ctx: PeriodicTaskContext<ControllerMetrics>) {
        overlapped ||= active > 0;
        active++;
        seen.push({ resources: ctx.live.resources.size, revision: ctx.revision });
        await new Promise((r) => setTimeout(r, 150));
        active--;
      },
    };
    const { running } = await startTestController(sandbox, [], { periodicTasks: [task] });
    await waitConverged(running);
    // Resources turn Synced as their writes finish; the scan that observes all of them comes
    // after (debounced rescan or the next resync), so wait for a run that got that live set.
    await waitFor(() => seen.some((s) => s.resources >= EXAMPLE_RESOURCES), 15_000, 'a run on the converged live set');
    await waitFor(() => seen.length >= 3, 5_000, 'three runs');
    await running.stop(2_000);
    const runs = seen.length;
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(seen.length, runs, 'no run after stop');
    assert.equal(overlapped, false);
    assert.ok(
      seen.some((s) => s.resources >= EXAMPLE_RESOURCES),
      JSON.stringify(seen),
    );
    assert.match(seen[seen.length - 1]!.revision, /^sha256:/);
  });

  it('runs the discovery health checks by default every --health-interval', async () => {
    let running: RunningController | undefined;
    let logs: LogLines = [];
    try {
      ({ running, logs } = await startTestController(sandbox, ['--health-interval', '1s']));
      await waitConverged(running);
      await waitFor(() => logs.find((l) => l['msg'] === 'discovery health checked'), 10_000, 'a discovery health check');
      assert.equal((await get(running, '/healthz')).status, 200);
    } finally {
      await running?.stop(2_000);
    }
  });
});
