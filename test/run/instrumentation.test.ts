import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { FakeClock } from '../helpers/fake-clock.js';
import { Controller } from '../../src/controller/controller.js';
import { StalledError } from '../../src/controller/errors.js';
import { bindStatusMetrics, instrumentController } from '../../src/run/instrumentation.js';
import { StatusStore } from '../../src/controller/status.js';
import { createLogger } from '../../src/observability/logger.js';
import { ControllerMetrics } from '../../src/observability/metrics.js';

describe('controller instrumentation', () => {
  it('logs one line per reconcile, records metrics and keeps status and metrics in step', async () => {
    const clock = new FakeClock();
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _e, cb) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
        cb();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    const metrics = new ControllerMetrics({ processMetrics: false });
    const status = new StatusStore({ now: () => clock.now() });
    bindStatusMetrics(status, metrics);
    const controller = new Controller({
      workers: 1,
      resyncMs: 60_000,
      clock,
      listKeys: () => ['CloudMapService/internal/name', 'EcsService/demo/bad'],
      reconciler: {
        async reconcile(key) {
          if (key.endsWith('/bad')) throw new StalledError('InvalidManifest', 'cpu 300 is not a Fargate size');
          status.reconciled(key, { revision: 'abc', actions: ['update'] });
        },
      },
      hooks: instrumentController({ metrics, status, logger, revision: () => 'abc', now: () => clock.now() }),
    });
    controller.start();
    await clock.advance(10);
    const stopping = controller.stop(1_000);
    await clock.advance(0);
    await stopping;

    const ok = lines.find((l) => l.key === 'CloudMapService/internal/name')!;
    assert.deepEqual([ok.msg, ok.outcome, ok.revision, ok.actions], ['reconciled', 'success', 'abc', ['update']]);
    assert.equal(typeof ok.durationMs, 'number');
    const bad = lines.find((l) => l.key === 'EcsService/demo/bad')!;
    assert.deepEqual([bad.level, bad.outcome, bad.reason], ['warn', 'stalled', 'InvalidManifest']);

    assert.equal(status.get('EcsService/demo/bad')!.syncStatus, 'Stalled');
    assert.equal(status.get('CloudMapService/internal/name')!.syncStatus, 'Synced');
    const text = await metrics.render();
    assert.ok(text.includes('ecs_gitops_reconcile_total{kind="EcsService",result="stalled"} 1'));
    assert.ok(text.includes('ecs_gitops_reconcile_total{kind="CloudMapService",result="success"} 1'));
    assert.ok(text.includes('ecs_gitops_resource_info{kind="EcsService",name="demo/bad",sync_status="Stalled",health_status="Unknown",mode="enforce"} 1'));
    status.remove('EcsService/demo/bad');
    assert.ok(!(await metrics.render()).includes('name="demo/bad"'));
  });

  it('reports the drift of one service while a same-named one in another cluster is in sync or removed', async () => {
    const status = new StatusStore();
    const metrics = new ControllerMetrics({ processMetrics: false });
    bindStatusMetrics(status, metrics);
    for (const cluster of ['staging', 'prod']) status.track({ key: `EcsService/${cluster}/api`, kind: 'EcsService', name: 'api', mode: 'enforce' });
    status.reconciled('EcsService/prod/api', { driftedFields: [{ path: 'spec.desiredCount', from: 3, to: 2 }] });
    status.reconciled('EcsService/staging/api', { driftedFields: [] });
    const drifted = async (): Promise<string[]> => (await metrics.render()).split('\n').filter((l) => l.startsWith('ecs_gitops_drifted{'));
    assert.deepEqual(await drifted(), [
      'ecs_gitops_drifted{kind="EcsService",name="staging/api"} 0',
      'ecs_gitops_drifted{kind="EcsService",name="prod/api"} 1',
    ]);
    status.remove('EcsService/staging/api');
    assert.deepEqual(await drifted(), ['ecs_gitops_drifted{kind="EcsService",name="prod/api"} 1']);
  });
});
