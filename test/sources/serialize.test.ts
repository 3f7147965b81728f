import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serialize } from '../../src/sources/serialize.js';

describe('serialize (one source fetch at a time)', () => {
  it('starts a call only after the previous one settled, and hands each caller its own result', async () => {
    const events: string[] = [];
    // Each call waits until the test releases it with its result.
    const release: ((value: string) => void)[] = [];
    const fetch = serialize(async (name: string) => {
      events.push(`start ${name}`);
      const value = await new Promise<string>((resolve) => release.push(resolve));
      events.push(`end ${name}`);
      return value;
    });
    const first = fetch('a');
    const second = fetch('b');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(events, ['start a']);
    release[0]!('A');
    assert.equal(await first, 'A');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(events, ['start a', 'end a', 'start b']);
    release[1]!('B');
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
