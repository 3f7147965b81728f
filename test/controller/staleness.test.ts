import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderStatus } from '../../src/cli/commands/status.js';
import { ObservationFreshness } from '../../src/controller/freshness.js';
import { bindStatusMetrics } from '../../src/run/instrumentation.js';
import { OBSERVATION_STALE, StatusStore, type ResourceStatus } from '../../src/controller/status.js';
import { ControllerMetrics } from '../../src/observability/metrics.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const KEY = 'CloudMapService/internal/name';

function store(readyFailWhenStale?: boolean) {
  let t = T0;
  const s = new StatusStore({ now: () => t, controllerId: 'test', staleAfterMs: 60_000, ...(readyFailWhenStale !== undefined ? { readyFailWhenStale } : {}) });
  s.recordFetch('r1');
  s.recordObserve();
  s.track({ key: KEY, kind: 'CloudMapService', name: 'name', mode: 'enforce' });
  s.reconciled(KEY, { revision: 'r1', actions: [] });
  return { s, tick: (ms: number) => (t += ms) };
}

const cond = (r: ResourceStatus | undefined, type: string) => r?.conditions.find((c) => c.type === type);

describe('observation freshness', () => {
  it('turns stale only when reads have failed for longer than stale-after since the last success', () => {
    const f = new ObservationFreshness(1_000, 0);
    assert.equal(f.state(5_000).stale, false, 'no failure yet: a slow resync is not an outage');
    f.recordFailure(5_000, 'boom');
    assert.equal(f.state(5_000).stale, true, 'never read, failing, past stale-after since the start');
    f.recordSuccess(6_000);
    assert.equal(f.state(6_500).stale, false);
    f.recordFailure(6_500, 'again');
    assert.equal(f.state(7_000).stale, false, 'failing, but within stale-after of the last success');
    assert.deepEqual(f.state(7_001), { stale: true, lastSuccessAt: 6_000, lastFailure: { at: 6_500, message: 'again' } });
    assert.throws(() => new ObservationFreshness(0, 0), RangeError);
  });
});

describe('status store while AWS cannot be read', () => {
  it('keeps Synced while failures are younger than stale-after, then reports Ready and Drifted Unknown with the reason', () => {
    const { s, tick } = store();
    tick(30_000);
    s.recordObserveError('servicediscovery:ListNamespaces InternalFailure: boom');
    assert.equal(s.get(KEY)!.syncStatus, 'Synced');
    assert.equal(s.isStale(), false);
    tick(30_001);
    assert.equal(s.isStale(), true);
    const r = s.get(KEY)!;
    assert.equal(r.syncStatus, 'Unknown');
    assert.deepEqual([cond(r, 'Ready')?.status, cond(r, 'Ready')?.reason], ['Unknown', OBSERVATION_STALE]);
    assert.deepEqual([cond(r, 'Drifted')?.status, cond(r, 'Drifted')?.reason], ['Unknown', OBSERVATION_STALE]);
    assert.match(cond(r, 'Ready')!.message, /since 2026-01-01T00:00:00\.000Z/);
    assert.match(cond(r, 'Ready')!.message, /InternalFailure: boom/);
    const snap = s.snapshot().controller;
    assert.equal(snap.observationStale, true);
    assert.equal(snap.lastObserveError?.message, 'servicediscovery:ListNamespaces InternalFailure: boom');
    assert.equal(snap.ready, false);
    assert.match(snap.readyReason ?? '', /^observation stale: AWS could not be read since/);
  });

  it('stays ready while stale when configured not to fail /readyz, and still reports Unknown', () => {
    const { s, tick } = store(false);
    tick(1_000);
    s.recordObserveError('boom');
    tick(60_000);
    assert.deepEqual(s.readiness(), { ok: true });
    assert.equal(s.get(KEY)!.syncStatus, 'Unknown');
    assert.equal(s.snapshot().controller.observationStale, true);
  });

  it('ends staleness at the next successful observe; the next reconcile reports Synced again', () => {
    const { s, tick } = store();
    s.recordObserveError('boom');
    tick(61_000);
    assert.equal(s.refreshStaleness(), 'stale');
    assert.equal(s.refreshStaleness(), undefined, 'one transition');
    s.recordObserve();
    assert.equal(s.isStale(), false);
    assert.equal(s.readiness().ok, true);
    assert.equal(s.snapshot().controller.lastObserveError, undefined);
    s.reconciled(KEY, { revision: 'r1', actions: [] });
    assert.equal(s.get(KEY)!.syncStatus, 'Synced');
  });

  it('never stales without a stale-after time', () => {
    let t = T0;
    const s = new StatusStore({ now: () => t });
    s.recordObserveError('boom');
    t += 86_400_000;
    assert.equal(s.isStale(), false);
  });

  it('removes the drift series and publishes sync_status Unknown while stale', async () => {
    const { s, tick } = store();
    const metrics = new ControllerMetrics({ processMetrics: false });
    const unbind = bindStatusMetrics(s, metrics);
    try {
      assert.match(await metrics.render(), /^ecs_gitops_drifted\{kind="CloudMapService",name="internal\/name"\} 0$/m);
      s.recordObserveError('boom');
      tick(61_000);
      s.refreshStaleness();
      metrics.setObservation(T0, true);
      const text = await metrics.render();
      assert.doesNotMatch(text, /^ecs_gitops_drifted\{/m, 'no "not drifted" on data nobody could read');
      assert.doesNotMatch(text, /^ecs_gitops_drift_fields\{/m);
      assert.match(text, /^ecs_gitops_resource_info\{kind="CloudMapService",name="internal\/name",sync_status="Unknown",/m);
      assert.match(text, /^ecs_gitops_observation_stale 1$/m);
      assert.match(text, /^ecs_gitops_last_successful_scan_timestamp_seconds 1767225600$/m);
    } finally {
      unbind();
    }
  });

  it('status prints the observe error and STALE', () => {
    const { s, tick } = store(false);
    s.recordObserveError('ecs:ListServices ThrottlingException: Rate exceeded');
    tick(61_000);
    const text = renderStatus(s.snapshot(), T0 + 61_000);
    assert.match(text, /^Observed: {2}1m1s ago \(STALE: resources are Unknown, nothing is written\)$/m);
    assert.match(text, /^Observe error: ecs:ListServices ThrottlingException: Rate exceeded \(1m1s ago\)$/m);
    assert.match(text, /ObservationStale/);
  });
});
