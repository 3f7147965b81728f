import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deleteWhenUnused } from '../../src/kinds/cloudmap-service/delete-unused.js';
import { PendingError } from '../../src/kit/apply-errors.js';
import type { ApplyRun } from '../../src/kit/apply-run.js';

function sdkError(name: string): Error {
  const e = new Error(`${name} from Cloud Map`) as Error & Record<string, unknown>;
  e.name = name;
  e['$metadata'] = { httpStatusCode: 400 };
  return e;
}

/** The parts of a run the delete reads: the in-use wait bound and a clock that sleeps instantly. */
function fakeRun(timeoutMs: number): { run: ApplyRun; sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  const seams = { now: () => now, sleep: async (ms: number) => void (sleeps.push(ms), (now += ms)) };
  const run = { waits: { inUse: { initialDelayMs: 100, maxDelayMs: 1_000, factor: 2, timeoutMs } }, seams } as unknown as ApplyRun;
  return { run, sleeps };
}

/** A delete that answers with these outcomes, one per call. */
function answers(...outcomes: (Error | string)[]): { send: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    send: async () => {
      const o = outcomes[Math.min(calls++, outcomes.length - 1)]!;
      if (o instanceof Error) throw o;
      return o;
    },
    calls: () => calls,
  };
}

describe('Cloud Map delete while the resource is still in use', () => {
  it('retries ResourceInUse with backoff and resolves with the answer of the delete that went through', async () => {
    const { run, sleeps } = fakeRun(10_000);
    const del = answers(sdkError('ResourceInUse'), sdkError('ResourceInUse'), 'op-1');
    assert.equal(await deleteWhenUnused(run, del.send, 'namespace x still has services'), 'op-1');
    assert.equal(del.calls(), 3);
    assert.deepEqual(sleeps, [100, 200]);
  });

  it('treats a resource that is already gone as deleted', async () => {
    const { run } = fakeRun(10_000);
    const del = answers(sdkError('ServiceNotFound'));
    assert.equal(await deleteWhenUnused(run, del.send, 'x'), undefined);
    assert.equal(del.calls(), 1);
  });

  it('fails at once on any other error', async () => {
    const { run } = fakeRun(10_000);
    const del = answers(sdkError('AccessDeniedException'));
    await assert.rejects(deleteWhenUnused(run, del.send, 'x'), { name: 'AccessDeniedException' });
    assert.equal(del.calls(), 1);
  });

  it('reports pending, naming what it waited for, when still in use after the wait bound', async () => {
    const { run } = fakeRun(250);
    const del = answers(sdkError('ResourceInUse'));
    await assert.rejects(deleteWhenUnused(run, del.send, 'CloudMapService/internal/name still in use'), (err: unknown) => {
      assert.ok(err instanceof PendingError);
      assert.match(err.message, /^CloudMapService\/internal\/name still in use: not done after/);
      return true;
    });
  });
});
