import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import type { RunningController } from '../../src/run/app.js';
import type { DeliveryEvent } from '../../src/controller/delivery-events.js';
import type { StatusSnapshot } from '../../src/controller/status.js';
import { changeTtlOutOfBand, get, liveTtl, metricValue, startExampleSandbox, startTestController, waitConverged, waitFor, type LogLines } from './helpers.js';

const KEY = 'CloudMapService/internal/name';
const LABELS = { kind: 'CloudMapService', name: 'internal/name' };

async function counters(running: RunningController): Promise<{ detected?: number; reverted?: number; last?: number }> {
  const text = (await get(running, '/metrics')).body;
  const out: { detected?: number; reverted?: number; last?: number } = {};
  const d = metricValue(text, 'ecs_gitops_drift_detected_total', LABELS);
  const r = metricValue(text, 'ecs_gitops_drift_reverted_total', LABELS);
  const l = metricValue(text, 'ecs_gitops_last_drift_timestamp_seconds', LABELS);
  if (d !== undefined) out.detected = d;
  if (r !== undefined) out.reverted = r;
  if (l !== undefined) out.last = l;
  return out;
}

describe('a hand change is counted, recorded and reverted once (run --resync 5s, sandbox)', () => {
  let sandbox: SandboxHandle;
  let running: RunningController;
  let logs: LogLines;
  const events: DeliveryEvent[] = [];

  before(async () => {
    sandbox = await startExampleSandbox();
    ({ running, logs } = await startTestController(sandbox, ['--resync', '5s']));
    running.deliveryEvents.subscribe((e) => events.push(e));
  });
  after(async () => {
    await running.stop(2_000);
    await sandbox.stop();
  });

  it('a TTL changed by hand increments drift_detected_total and drift_reverted_total by 1 each, and /status lists the event', async () => {
    await waitConverged(running, 60_000);
    const before = await counters(running);
    assert.equal(before.detected, 0, 'the counters start at 0, so the first drift is an increase');
    assert.equal(before.reverted, 0);
    assert.equal(before.last, undefined, 'no last-drift time before a drift');
    const desired = await liveTtl(sandbox, 'internal', 'name');

    const t0 = Date.now();
    await changeTtlOutOfBand(sandbox, 'internal', 'name', 300);
    await waitFor(async () => (await counters(running)).reverted === 1, 30_000, 'drift reverted');
    assert.equal(await liveTtl(sandbox, 'internal', 'name'), desired);
    // Several more resyncs: the same episode is not counted again.
    await waitFor(() => logs.filter((l) => l['key'] === KEY && l['msg'] === 'reconciled').length >= 3, 30_000, 'more reconciles');
    const after = await counters(running);
    assert.equal(after.detected, 1);
    assert.equal(after.reverted, 1);
    assert.ok(after.last !== undefined && after.last * 1000 >= t0 - 1000, `last drift time ${after.last}`);

    const status = JSON.parse((await get(running, '/status')).body) as StatusSnapshot;
    const history = status.resources.find((r) => r.key === KEY)?.driftHistory;
    assert.equal(history?.length, 1);
    const [event] = history!;
    assert.equal(event!.mode, 'enforce');
    assert.equal(event!.reverted, true);
    assert.ok(Date.parse(event!.revertedAt!) >= Date.parse(event!.detectedAt));
    assert.deepEqual(
      event!.fields.map((f) => [f.path, f.from, f.to]),
      [['spec.dns.records[0].ttl', 300, desired]],
    );

    const types = events.filter((e) => 'resource' in e && e.resource.key === KEY).map((e) => e.type);
    assert.deepEqual(types, ['drift-detected', 'drift-reverted']);
    const detected = logs.filter((l) => l['key'] === KEY && typeof l['msg'] === 'string' && (l['msg'] as string).startsWith('drift detected'));
    assert.equal(detected.length, 1, 'one log line per event');
    assert.equal(logs.filter((l) => l['key'] === KEY && l['msg'] === `drift reverted on ${KEY}`).length, 1);
    // Another resource's counters did not move.
    const other = metricValue((await get(running, '/metrics')).body, 'ecs_gitops_drift_detected_total', { kind: 'EcsService', name: 'demo/name' });
    assert.equal(other, 0);
  });

  it('a second hand change is a second episode', async () => {
    await changeTtlOutOfBand(sandbox, 'internal', 'name', 120);
    await waitFor(async () => (await counters(running)).reverted === 2, 30_000, 'second drift reverted');
    assert.equal((await counters(running)).detected, 2);
    const status = JSON.parse((await get(running, '/status')).body) as StatusSnapshot;
    const history = status.resources.find((r) => r.key === KEY)?.driftHistory ?? [];
    assert.deepEqual(
      history.map((h) => h.fields[0]?.from),
      [120, 300],
      'newest first',
    );
  });
});
