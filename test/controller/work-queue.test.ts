import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, settle } from '../helpers/fake-clock.js';
import { WorkQueue } from '../../src/controller/work-queue.js';

function queue(clock = new FakeClock(), random = () => 0) {
  return new WorkQueue({ clock, random, backoff: { baseMs: 100, maxMs: 1_000, jitter: 0.5 } });
}

describe('work queue', () => {
  it('deduplicates a key added twice before it is taken', async () => {
    const q = queue();
    q.add('a');
    q.add('b');
    q.add('a');
    assert.equal(q.length, 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(q.length, 0);
  });

  it('re-queues a key added while it is processing only when done is called', async () => {
    const q = queue();
    q.add('a');
    const key = await q.get();
    q.add('a');
    assert.equal(q.length, 0, 'not handed out while processing');
    q.done(key!);
    assert.equal(q.length, 1);
    assert.equal(await q.get(), 'a');
  });

  it('never hands the same key to two concurrent getters', async () => {
    const q = queue();
    const first = q.get();
    const second = q.get();
    q.add('a');
    assert.equal(await first, 'a');
    q.add('a');
    let secondValue: string | undefined = 'pending';
    void second.then((v) => (secondValue = v));
    await settle();
    assert.equal(secondValue, 'pending', 'second getter must wait while a is processing');
    q.done('a');
    await settle();
    assert.equal(secondValue, 'a');
  });

  it('addAfter delays the key and keeps the earliest pending time', async () => {
    const clock = new FakeClock();
    const q = queue(clock);
    q.addAfter('a', 500);
    q.addAfter('a', 200);
    q.addAfter('a', 900);
    assert.deepEqual(clock.pendingDelays(), [200]);
    await clock.advance(199);
    assert.equal(q.length, 0);
    await clock.advance(1);
    assert.equal(q.length, 1);
  });

  it('backs off exponentially per key with jitter and a cap, until forget', () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, random: () => 0, backoff: { baseMs: 100, maxMs: 1_000, jitter: 0.5 } });
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map(() => q.addRateLimited('a')),
      [100, 200, 400, 800, 1_000, 1_000],
    );
    assert.equal(q.addRateLimited('b'), 100, 'keys back off independently');
    q.forget('a');
    assert.equal(q.retries('a'), 0);
    assert.equal(q.addRateLimited('a'), 100);
  });

  it('takes up to the jitter fraction off the delay', () => {
    const q = new WorkQueue({ clock: new FakeClock(), random: () => 0.999999, backoff: { baseMs: 1_000, maxMs: 10_000, jitter: 0.5 } });
    assert.equal(q.addRateLimited('a'), 500);
    assert.equal(q.addRateLimited('a'), 1_000);
  });

  it('shutdown releases waiting getters, refuses new keys and cancels delayed adds', async () => {
    const clock = new FakeClock();
    const q = queue(clock);
    const waiting = q.get();
    q.addAfter('later', 100);
    q.shutdown();
    assert.equal(await waiting, undefined);
    q.add('x');
    assert.equal(await q.get(), undefined);
    await clock.advance(1_000);
    assert.equal(q.length, 0);
    assert.deepEqual(clock.pendingDelays(), []);
  });

  it('shutdown lets keys in flight finish and reports idle when they are done', async () => {
    const q = queue();
    q.add('a');
    const key = await q.get();
    q.shutdown();
    assert.deepEqual(q.inFlight(), ['a']);
    let idle = false;
    void q.idle().then(() => (idle = true));
    await settle();
    assert.equal(idle, false);
    q.done(key!);
    await settle();
    assert.equal(idle, true);
  });
});
