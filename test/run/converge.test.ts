import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningController } from '../../src/run/app.js';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import {
  EXAMPLE_RESOURCES,
  changeTtlOutOfBand,
  countResources,
  get,
  liveTtl,
  metricValue,
  promtoolCheck,
  startExampleSandbox,
  startTestController,
  waitConverged,
  waitFor,
  type LogLines,
} from './helpers.js';
import { EXAMPLE_CLOUD_MAP_SERVICES, EXAMPLE_ECS_SERVICES, EXAMPLE_NAMESPACES } from '../helpers/examples.js';

const RESYNC_MS = 2_000;

describe('ecs-gitops run converges the examples and reverts drift (sandbox)', () => {
  let sandbox: SandboxHandle;
  let running: RunningController;
  let logs: LogLines;

  before(async () => {
    sandbox = await startExampleSandbox();
    ({ running, logs } = await startTestController(sandbox, ['--resync', `${RESYNC_MS / 1000}s`]));
  });
  after(async () => {
    await running.stop(2_000);
    await sandbox.stop();
  });

  it('converges every example resource, once, and becomes ready', async () => {
    await waitConverged(running);
    const ready = await get(running, '/readyz');
    assert.equal(ready.status, 200, ready.body);
    assert.equal((await get(running, '/healthz')).status, 200);
    const counts = await countResources(sandbox);
    assert.deepEqual(Object.values(counts.namespaces), Array<number>(EXAMPLE_NAMESPACES).fill(1));
    // The declared ones and those ECS Service Connect creates (service-connect, blue-green).
    assert.equal(counts.cloudMapServices, EXAMPLE_CLOUD_MAP_SERVICES);
    assert.deepEqual(Object.keys(counts.ecsServices).sort(), [
      'backend',
      'checkout',
      'hello',
      'hostname-app',
      'mysql',
      'name',
      'orders',
      'random-quote',
      'sc-hello',
      'sc-name',
      'spring-app',
      'static-app',
      'www',
    ]);
    assert.ok(
      Object.values(counts.ecsServices).every((n) => n === 1),
      JSON.stringify(counts.ecsServices),
    );
    const status = JSON.parse((await get(running, '/status')).body) as {
      controller: { ready: boolean; source: { revision?: string } };
      resources: { lastAppliedRevision?: string }[];
    };
    assert.equal(status.controller.ready, true);
    assert.match(status.controller.source.revision ?? '', /^sha256:/);
    assert.equal(status.resources.length, EXAMPLE_RESOURCES);
    assert.ok(status.resources.every((r) => r.lastAppliedRevision === status.controller.source.revision));
  });

  it('serves ecs_gitops_ metrics that promtool accepts, counting applies and AWS calls', async () => {
    const { status, body } = await get(running, '/metrics');
    assert.equal(status, 200);
    assert.match(body, /^ecs_gitops_resource_info\{/m);
    assert.equal(metricValue(body, 'ecs_gitops_ready'), 1);
    assert.equal(metricValue(body, 'ecs_gitops_apply_total', { kind: 'CloudMapNamespace', operation: 'create', result: 'success' }), EXAMPLE_NAMESPACES);
    assert.equal(metricValue(body, 'ecs_gitops_apply_total', { kind: 'EcsService', operation: 'create', result: 'success' }), EXAMPLE_ECS_SERVICES);
    assert.ok((metricValue(body, 'ecs_gitops_aws_api_calls_total', { service: 'ecs', operation: 'DescribeServices', outcome: 'success' }) ?? 0) > 0);
    assert.ok((metricValue(body, 'ecs_gitops_source_last_fetch_timestamp_seconds') ?? 0) > 0);
    const checked = await promtoolCheck(body);
    assert.equal(checked.code, 0, checked.output);
    assert.equal(checked.output.trim(), '');
  });

  it('logs one JSON line per reconcile with key, revision, outcome and duration', () => {
    const line = logs.find((l) => l['msg'] === 'reconciled' && l['key'] === 'CloudMapNamespace/internal' && (l['actions'] as unknown[]).length > 0);
    assert.ok(line, 'a reconcile line for the internal namespace with its actions');
    assert.match(String(line['revision']), /^sha256:/);
    assert.equal(line['outcome'], 'success');
    assert.equal(typeof line['durationMs'], 'number');
  });

  it('detects an out-of-band TTL change within one resync and reverts it: drifted 1, then 0', async () => {
    await waitConverged(running);
    const seen: number[] = [];
    // The scan that reports the drift: status is updated before that scan's snapshot is published.
    let detectedByScan: number | undefined;
    const stop = running.status.onChange((key, r) => {
      if (key !== 'CloudMapService/internal/name' || !r) return;
      seen.push(r.driftedFields.length);
      if (r.driftedFields.length > 0) detectedByScan ??= (running.latest()?.seq ?? 0) + 1;
    });
    // Slow the controller's revert down so the drifted series is visible to a scrape. Installed
    // before the change (the first slowed call is the change itself), so the controller cannot
    // revert before the fault is in place.
    const slow = sandbox.fault({ service: 'servicediscovery', operation: 'UpdateService', kind: 'latency', latencyMs: 1_500, count: 2 });
    try {
      await changeTtlOutOfBand(sandbox, 'internal', 'name', 299);
    } catch (err) {
      stop();
      sandbox.world.faults.remove(slow);
      throw err;
    }
    const scansAtChange = running.latest()?.seq ?? 0;
    const drifted = await waitFor(
      async () => metricValue((await get(running, '/metrics')).body, 'ecs_gitops_drifted', { kind: 'CloudMapService', name: 'internal/name' }) === 1,
      RESYNC_MS * 5,
      'ecs_gitops_drifted 1 for CloudMapService/name',
    );
    assert.equal(drifted, true);
    // Within one resync, counted in scans rather than wall time (a loaded machine stretches
    // both alike): a scan in flight at the change may miss it, the next one must report it.
    assert.ok(
      detectedByScan !== undefined && detectedByScan <= scansAtChange + 2,
      `scans at the change: ${scansAtChange}, drift reported by scan ${String(detectedByScan)}`,
    );
    const status = JSON.parse((await get(running, '/status')).body) as {
      resources: { key: string; driftedFields: { path: string; from: unknown; to: unknown }[] }[];
    };
    const entry = status.resources.find((r) => r.key === 'CloudMapService/internal/name');
    assert.deepEqual(entry?.driftedFields, [{ path: 'spec.dns.records[0].ttl', from: 299, to: 60 }]);

    await waitFor(
      async () => metricValue((await get(running, '/metrics')).body, 'ecs_gitops_drifted', { kind: 'CloudMapService', name: 'internal/name' }) === 0,
      10_000,
      'ecs_gitops_drifted back to 0',
    );
    stop();
    assert.equal(await liveTtl(sandbox, 'internal', 'name'), 60);
    assert.ok(seen.includes(1) && seen[seen.length - 1] === 0, `drifted field counts seen: ${seen.join(',')}`);
    const body = (await get(running, '/metrics')).body;
    assert.equal(metricValue(body, 'ecs_gitops_apply_total', { kind: 'CloudMapService', operation: 'update', result: 'success' }), 1);
  });
});
