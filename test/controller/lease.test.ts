import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LeaseKeeper, NotLeaderError, type LeaseRecordView, type LeaseState, type LeaseStore } from '../../src/controller/lease.js';
import { FakeClock } from '../helpers/fake-clock.js';

class HeldError extends Error {
  override readonly name = 'LeaseHeldError';
  constructor(readonly current: LeaseRecordView | undefined) {
    super('held');
  }
}

/** The conditional semantics of the lease table, in memory; `failing` makes calls throw a network error. */
class MemoryStore implements LeaseStore {
  item: { holder?: string; expiresAt: number; token: number; acquiredAt?: number } | undefined;
  failing = false;
  calls: string[] = [];

  private view(): LeaseRecordView | undefined {
    return this.item && { holder: this.item.holder, expiresAt: this.item.expiresAt, token: this.item.token, acquiredAt: this.item.acquiredAt };
  }

  async acquire(_pk: string, _sk: string, holder: string, now: number, durationMs: number): Promise<LeaseRecordView> {
    this.calls.push(`acquire ${holder}`);
    if (this.failing) throw new Error('socket hang up');
    if (this.item?.holder !== undefined && !(this.item.expiresAt < now)) throw new HeldError(this.view());
    this.item = { holder, expiresAt: now + durationMs, token: (this.item?.token ?? 0) + 1, acquiredAt: now };
    return this.view()!;
  }

  async renew(_pk: string, _sk: string, holder: string, token: number, now: number, durationMs: number): Promise<LeaseRecordView> {
    this.calls.push(`renew ${holder}`);
    if (this.failing) throw new Error('socket hang up');
    if (this.item?.holder !== holder || this.item.token !== token) throw new HeldError(this.view());
    this.item.expiresAt = now + durationMs;
    return this.view()!;
  }

  async release(_pk: string, _sk: string, holder: string, token: number): Promise<boolean> {
    this.calls.push(`release ${holder}`);
    if (this.item?.holder !== holder || this.item.token !== token) return false;
    delete this.item.holder;
    this.item.expiresAt = 0;
    return true;
  }
}

async function advance(clock: FakeClock, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) await clock.advance(Math.min(step, ms - t));
}

function keeper(store: LeaseStore, clock: FakeClock, holder: string, changes: LeaseState[] = []): LeaseKeeper {
  // 3 s lease: renew every 1 s, fence 600 ms before expiry.
  return new LeaseKeeper({ store, pk: 'ecs-gitops', sk: 'lease#123456789012#us-east-1', holder, durationMs: 3_000, clock, onChange: (s) => changes.push(s) });
}

describe('LeaseKeeper: conditional acquire and renew, a fence by time', () => {
  it('the first keeper leads; the second stands by and sees the holder, since and token', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const a = keeper(store, clock, 'a');
    const b = keeper(store, clock, 'b');
    assert.equal((await a.step()).leader, true);
    const sb = await b.step();
    assert.equal(sb.leader, false);
    assert.equal(sb.holder, 'a');
    assert.equal(sb.token, 1);
    assert.equal(sb.since, clock.now());
    assert.throws(
      () => b.assertMayWrite('ecs UpdateService'),
      (e: Error) => e instanceof NotLeaderError && /a does/.test(e.message),
    );
    assert.doesNotThrow(() => a.assertMayWrite('ecs UpdateService'));
  });

  it('a holder that cannot renew stops writing safetyMargin before its lease expires, and the standby takes over only after expiry with token + 1', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const aChanges: LeaseState[] = [];
    const a = keeper(store, clock, 'a', aChanges);
    const b = keeper(store, clock, 'b');
    a.start();
    b.start();
    await advance(clock, 200);
    assert.equal(a.mayWrite(), true);
    assert.equal(b.mayWrite(), false);
    // Keep renewing for a while: the lease stays with a.
    await advance(clock, 5_000);
    assert.equal(a.mayWrite(), true);
    assert.equal(b.mayWrite(), false);
    // a's renewals stop reaching the table (a partition of a alone).
    const aRenew = a as unknown as { options: { store: LeaseStore } };
    const cut = new MemoryStore();
    cut.failing = true;
    const real = store;
    aRenew.options = { ...aRenew.options, store: cut };
    const lastRenew = store.item!.expiresAt - 3_000;
    const fence = lastRenew + 3_000 - 600;
    const expiry = lastRenew + 3_000;
    let aStoppedAt: number | undefined;
    let bStartedAt: number | undefined;
    for (let t = 0; t < 6_000; t += 50) {
      await advance(clock, 50, 50);
      if (aStoppedAt === undefined && !a.mayWrite()) aStoppedAt = clock.now();
      if (bStartedAt === undefined && b.mayWrite()) bStartedAt = clock.now();
      // Never two writers.
      assert.ok(!(a.mayWrite() && b.mayWrite()), `both may write at ${clock.now()}`);
    }
    assert.ok(aStoppedAt !== undefined && aStoppedAt <= fence, `a stopped at ${aStoppedAt}, fence ${fence}`);
    assert.ok(bStartedAt !== undefined && bStartedAt > expiry, `b started at ${bStartedAt}, expiry ${expiry}`);
    // b polls just after the expiry, not a whole renew period later.
    assert.ok(bStartedAt - expiry <= 200, `takeover ${bStartedAt - expiry}ms after expiry`);
    assert.equal(real.item?.holder, 'b');
    assert.equal(real.item?.token, 2);
    assert.ok(
      aChanges.some((s) => !s.leader),
      'a was told it lost the lease',
    );
    // a reaches the table again: its renew is refused (taken over), it stays standby and sees b.
    aRenew.options = { ...aRenew.options, store: real };
    await advance(clock, 2_000);
    assert.equal(a.mayWrite(), false);
    assert.equal(a.state().holder, 'b');
    await a.stop();
    await b.stop();
  });

  it('stop releases the lease (holder removed, token kept) so another takes it at once with the next token', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const a = keeper(store, clock, 'a');
    const b = keeper(store, clock, 'b');
    await a.step();
    await a.stop(true);
    assert.equal(store.item?.holder, undefined);
    assert.equal(store.item?.token, 1);
    assert.equal(a.mayWrite(), false);
    const s = await b.step();
    assert.equal(s.leader, true);
    assert.equal(s.token, 2);
  });

  it('refuses settings where renewals cannot keep the fence open', () => {
    const clock = new FakeClock();
    assert.throws(
      () => new LeaseKeeper({ store: new MemoryStore(), pk: 'p', sk: 's', holder: 'h', durationMs: 3_000, renewEveryMs: 2_500, clock }),
      RangeError,
    );
    assert.throws(
      () => new LeaseKeeper({ store: new MemoryStore(), pk: 'p', sk: 's', holder: 'h', durationMs: 3_000, safetyMarginMs: 3_000, clock }),
      RangeError,
    );
  });
});
