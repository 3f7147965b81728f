import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusStore, type ResourceStatus } from '../../src/controller/status.js';

function store() {
  let t = Date.parse('2026-01-01T00:00:00Z');
  const s = new StatusStore({ now: () => t, controllerId: 'test' });
  return { s, tick: (ms: number) => (t += ms) };
}

const cond = (r: ResourceStatus | undefined, type: string) => r?.conditions.find((c) => c.type === type);

describe('status store', () => {
  it('marks a resource Synced and records the applied revision after a clean reconcile', () => {
    const { s } = store();
    s.track({ key: 'CloudMapService/internal/name', kind: 'CloudMapService', name: 'name', mode: 'enforce' });
    s.reconciling('CloudMapService/internal/name', 'abc123');
    assert.equal(s.get('CloudMapService/internal/name')!.syncStatus, 'Progressing');
    s.reconciled('CloudMapService/internal/name', { revision: 'abc123', actions: [] });
    const r = s.get('CloudMapService/internal/name')!;
    assert.equal(r.syncStatus, 'Synced');
    assert.equal(r.lastAppliedRevision, 'abc123');
    assert.equal(r.lastAttemptedRevision, 'abc123');
    assert.deepEqual(
      r.conditions.map((c) => [c.type, c.status, c.reason]),
      [
        ['Ready', 'True', 'ReconciliationSucceeded'],
        ['Reconciling', 'False', 'ReconciliationSucceeded'],
        ['Stalled', 'False', 'ReconciliationSucceeded'],
        ['Drifted', 'False', 'NoDrift'],
      ],
    );
  });

  it('reports remaining drift in observe mode as OutOfSync with the drifted fields', () => {
    const { s } = store();
    s.track({ key: 'CloudMapService/internal/name', kind: 'CloudMapService', name: 'name', mode: 'observe' });
    s.reconciled('CloudMapService/internal/name', { revision: 'r2', driftedFields: [{ path: 'spec.dns.records[0].ttl', from: 300, to: 60 }] });
    const r = s.get('CloudMapService/internal/name')!;
    assert.equal(r.syncStatus, 'OutOfSync');
    assert.equal(cond(r, 'Drifted')!.status, 'True');
    assert.match(cond(r, 'Drifted')!.message, /observe mode.*spec\.dns\.records\[0\]\.ttl/);
    assert.equal(r.lastAppliedRevision, undefined, 'a drifted resource has not applied the revision');
    assert.deepEqual(r.driftedFields, [{ path: 'spec.dns.records[0].ttl', from: 300, to: 60 }]);
  });

  it('says DriftCorrected when an enforce reconcile wrote changes', () => {
    const { s } = store();
    s.reconciled('EcsService/demo/hello', { revision: 'r1', actions: ['update'] });
    const r = s.get('EcsService/demo/hello')!;
    assert.equal(r.kind, 'EcsService');
    assert.equal(r.name, 'hello');
    assert.equal(cond(r, 'Drifted')!.reason, 'DriftCorrected');
  });

  it('keeps lastTransitionTime when only the reason or message changes', () => {
    const { s, tick } = store();
    s.failed('EcsService/demo/a', { reason: 'ReconcileFailed', message: 'first' });
    const t1 = cond(s.get('EcsService/demo/a'), 'Ready')!.lastTransitionTime;
    tick(60_000);
    s.failed('EcsService/demo/a', { reason: 'Throttled', message: 'second' });
    const ready = cond(s.get('EcsService/demo/a'), 'Ready')!;
    assert.equal(ready.lastTransitionTime, t1);
    assert.equal(ready.message, 'second');
    tick(60_000);
    s.reconciled('EcsService/demo/a', {});
    assert.notEqual(cond(s.get('EcsService/demo/a'), 'Ready')!.lastTransitionTime, t1);
  });

  it('distinguishes failed, stalled and waiting', () => {
    const { s } = store();
    s.failed('K/f', { reason: 'ReconcileFailed', message: 'boom' });
    s.stalled('K/s', { reason: 'InvalidManifest', message: 'bad cpu' });
    s.waiting('K/w', { reason: 'OperationPending', message: 'creating namespace' });
    assert.equal(s.get('K/f')!.syncStatus, 'Failed');
    assert.equal(s.get('K/f')!.lastError!.message, 'boom');
    assert.equal(s.get('K/s')!.syncStatus, 'Stalled');
    assert.equal(s.get('K/w')!.syncStatus, 'Progressing');
    s.reconciled('K/s', {});
    assert.equal(s.get('K/s')!.syncStatus, 'Synced');
    assert.equal(s.get('K/s')!.lastError, undefined);
  });

  it('derives health status from the Healthy condition', () => {
    const { s } = store();
    s.setHealth('EcsService/demo/a', 'False', 'InstancesMissing', '1 of 2 tasks not registered');
    assert.equal(s.get('EcsService/demo/a')!.healthStatus, 'Degraded');
    s.setHealth('EcsService/demo/a', 'True', 'AllRegistered', '');
    assert.equal(s.get('EcsService/demo/a')!.healthStatus, 'Healthy');
  });

  it('is ready only after the first source read and the first observe', () => {
    const { s } = store();
    assert.deepEqual(s.readiness(), { ok: false, reason: 'source not read yet' });
    s.recordFetchError('git clone failed');
    assert.equal(s.readiness().ok, false);
    s.recordFetch('abc');
    assert.deepEqual(s.readiness(), { ok: false, reason: 'AWS not observed yet' });
    s.recordObserve();
    assert.deepEqual(s.readiness(), { ok: true });
    const snap = s.snapshot();
    assert.equal(snap.controller.ready, true);
    assert.equal(snap.controller.source.revision, 'abc');
    assert.equal(snap.controller.source.lastFetchError, undefined, 'a successful fetch clears the error');
  });

  it('notifies listeners on change and removal, and retain drops unknown keys', () => {
    const { s } = store();
    const seen: [string, string | undefined][] = [];
    s.onChange((key, st) => seen.push([key, st?.syncStatus]));
    s.reconciled('K/a', {});
    s.reconciled('K/b', {});
    s.retain(['K/a']);
    assert.deepEqual(seen, [
      ['K/a', 'Synced'],
      ['K/b', 'Synced'],
      ['K/b', undefined],
    ]);
    assert.deepEqual(
      s.snapshot().resources.map((r) => r.key),
      ['K/a'],
    );
  });

  it('serves a JSON snapshot sorted by key', () => {
    const { s } = store();
    s.reconciled('K/z', {});
    s.reconciled('K/a', {});
    const parsed = JSON.parse(JSON.stringify(s.snapshot())) as { resources: { key: string }[]; controller: { controllerId: string } };
    assert.deepEqual(
      parsed.resources.map((r) => r.key),
      ['K/a', 'K/z'],
    );
    assert.equal(parsed.controller.controllerId, 'test');
  });
});
