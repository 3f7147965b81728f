import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serialize } from '../../src/sources/serialize.js';

/** A promise the test settles by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('serialize (one source fetch at a time)', () => {
  it('starts a call only after the previous one settled, and hands each caller its own result', async () => {
    const events: string[] = [];
    const gates = [deferred<string>(), deferred<string>()];
    let calls = 0;
    const fetch = serialize(async (name: string) => {
      const gate = gates[calls++]!;
      events.push(`start ${name}`);
      const value = await gate.promise;
      events.push(`end ${name}`);
      return value;
    });
    const first = fetch('a');
    const second = fetch('b');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(events, ['start a']);
    gates[0]!.resolve('A');
    assert.equal(await first, 'A');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(events, ['start a', 'end a', 'start b']);
    gates[1]!.resolve('B');
    assert.equal(await second, 'B');
  });

  it('runs the next call after a failed one; only the failed caller sees the error', async () => {
    let calls = 0;
    const fetch = serialize(async () => {
      calls++;
      if (calls === 1) throw new Error('network down');
      return calls;
    });
    const failed = fetch();
    const next = fetch();
    await assert.rejects(failed, /network down/);
    assert.equal(await next, 2);
  });
});
