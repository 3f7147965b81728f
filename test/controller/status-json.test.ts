import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusStore } from '../../src/controller/status.js';

function populated(n: number): StatusStore {
  const s = new StatusStore({ now: () => Date.parse('2026-01-01T00:00:00Z'), controllerId: 'test' });
  for (let i = 0; i < n; i++) {
    // Keys out of order: the text lists them sorted, as snapshot() does.
    const key = `EcsService/prod/svc-${(i * 7919) % n}`;
    s.track({ key, kind: 'EcsService', name: `svc-${i}`, mode: 'enforce' });
    if (i % 3 === 0) s.reconciled(key, { revision: 'r1', driftedFields: [{ path: 'spec.desiredCount', from: 1, to: 2 }] });
    else if (i % 3 === 1) s.failed(key, { reason: 'ReconcileFailed', message: 'quote " backslash \\ newline \n tab \t' });
  }
  return s;
}

describe('status snapshot as JSON pieces', () => {
  it('is JSON.stringify(snapshot(), null, 2) exactly, at any number of resources', () => {
    for (const n of [0, 1, 199, 200, 201, 1_050]) {
      const s = populated(n);
      const pieces = [...s.snapshotJson()];
      assert.equal(pieces.join(''), JSON.stringify(s.snapshot(), null, 2), `${n} resources`);
      // 200 resources a piece (plus the last): never the whole text at once for a big store.
      assert.equal(pieces.length, Math.floor(n / 200) + 1, `${n} resources`);
    }
  });

  it('lists every resource by summaries() without building the snapshot', () => {
    const s = populated(300);
    const keys = [...s.summaries()].map((r) => r.key).sort();
    assert.deepEqual(
      keys,
      s.snapshot().resources.map((r) => r.key),
    );
  });
});
