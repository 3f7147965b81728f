import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeliveryEvents, type DeliveryEvent } from '../../src/controller/delivery-events.js';
import { StatusStore } from '../../src/controller/status.js';
import { RevisionEvents } from '../../src/run/revision-events.js';

const REV = 'a'.repeat(40);
const NEXT = 'b'.repeat(40);
const NS = 'CloudMapNamespace/internal';
const SVC = 'CloudMapService/internal/name';

function setup() {
  const status = new StatusStore();
  const bus = new DeliveryEvents();
  const events: DeliveryEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const revisions = new RevisionEvents({ events: bus, status, now: () => 0 });
  status.track({ key: NS, kind: 'CloudMapNamespace', name: 'internal', mode: 'enforce' });
  status.track({ key: SVC, kind: 'CloudMapService', name: 'internal/name', mode: 'enforce' });
  // Status changes only: the test judges (evaluate) where the controller's deferred judging could run.
  const reconcile = (key: string, revision: string, actions: string[]) => {
    status.reconciling(key, revision);
    status.reconciled(key, { revision, actions });
  };
  return { status, events, revisions, reconcile };
}

describe('revision events (status store, no AWS)', () => {
  it('revision-applied lists the resources the revision wrote to, even when a later reconcile of the same revision wrote nothing', () => {
    const { events, revisions, reconcile } = setup();
    revisions.onSnapshot(REV, [NS, SVC]);
    reconcile(NS, REV, ['create']);
    // The namespace is reconciled again on the live state already read, before the judging
    // of the first change ran: no write this time.
    reconcile(NS, REV, []);
    revisions.evaluate();
    assert.deepEqual(
      events.map((e) => e.type),
      ['revision-started'],
    );
    reconcile(SVC, REV, ['create']);
    revisions.evaluate();
    assert.deepEqual(
      events.map((e) => e.type),
      ['revision-started', 'revision-applied', 'revision-succeeded'],
    );
    const applied = events[1]!;
    assert.ok(applied.type === 'revision-applied');
    assert.deepEqual(
      applied.changed.map((r) => r.key),
      [NS, SVC],
    );
    revisions.stop();
  });

  it('a write made at an earlier revision is not a change of the next one', () => {
    const { status, events, revisions, reconcile } = setup();
    revisions.onSnapshot(REV, [NS, SVC]);
    reconcile(NS, REV, ['create']);
    reconcile(SVC, REV, []);
    revisions.evaluate();
    revisions.onSnapshot(NEXT, [NS, SVC]);
    reconcile(SVC, NEXT, ['update']);
    // The namespace's reconcile starts with the last one's writes still in lastActions.
    status.reconciling(NS, NEXT);
    revisions.evaluate();
    status.reconciled(NS, { revision: NEXT, actions: [] });
    revisions.evaluate();
    const applied = events.filter((e) => e.type === 'revision-applied');
    assert.deepEqual(
      applied.map((e) => (e.type === 'revision-applied' ? [e.revision, e.changed.map((r) => r.key)] : [])),
      [
        [REV, [NS]],
        [NEXT, [SVC]],
      ],
    );
    revisions.stop();
  });
});
