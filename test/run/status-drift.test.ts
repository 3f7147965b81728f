import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusStore } from '../../src/controller/status.js';
import { ControllerMetrics } from '../../src/observability/metrics.js';
import { bindStatusMetrics } from '../../src/run/instrumentation.js';

describe('StatusStore.driftDetected (drift found by a scan, before the reconcile)', () => {
  const key = 'CloudMapService/internal/name';
  const fields = [{ path: 'spec.dns.records[0].ttl', from: 300, to: 60 }];

  it('marks an in-sync resource OutOfSync with its fields, and the reconcile clears it', async () => {
    const status = new StatusStore();
    const metrics = new ControllerMetrics({ processMetrics: false });
    bindStatusMetrics(status, metrics);
    status.track({ key, kind: 'CloudMapService', name: 'name', mode: 'enforce' });
    status.reconciled(key, { revision: 'r1', driftedFields: [] });
    status.driftDetected(key, { driftedFields: fields });
    const drifted = status.get(key);
    assert.equal(drifted?.syncStatus, 'OutOfSync');
    assert.deepEqual(drifted?.driftedFields, fields);
    assert.match(drifted?.conditions.find((c) => c.type === 'Drifted')?.message ?? '', /to be reverted/);
    assert.match(await metrics.render(), /ecs_gitops_drifted\{kind="CloudMapService",name="internal\/name"\} 1/);
    status.reconciled(key, { revision: 'r1', driftedFields: [], actions: ['update'] });
    assert.equal(status.get(key)?.syncStatus, 'Synced');
    assert.match(await metrics.render(), /ecs_gitops_drifted\{kind="CloudMapService",name="internal\/name"\} 0/);
  });

  it('says observe mode does not revert, and keeps a Stalled resource Stalled', () => {
    const status = new StatusStore();
    status.track({ key, kind: 'CloudMapService', name: 'name', mode: 'observe' });
    status.driftDetected(key, { driftedFields: fields });
    assert.match(status.get(key)?.conditions.find((c) => c.type === 'Drifted')?.message ?? '', /observe mode: not reverted/);
    status.stalled(key, { reason: 'ReplaceNotAllowed', message: 'needs allowReplace' });
    status.driftDetected(key, { driftedFields: fields });
    assert.equal(status.get(key)?.syncStatus, 'Stalled');
    assert.equal(status.get(key)?.conditions.find((c) => c.type === 'Ready')?.reason, 'ReplaceNotAllowed');
  });

  it('ignores an empty field list', () => {
    const status = new StatusStore();
    status.track({ key, kind: 'CloudMapService', name: 'name', mode: 'enforce' });
    status.reconciled(key, { driftedFields: [] });
    status.driftDetected(key, { driftedFields: [] });
    assert.equal(status.get(key)?.syncStatus, 'Synced');
  });
});
