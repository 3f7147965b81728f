import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, settle } from '../helpers/fake-clock.js';
import { Controller, type ReconcileOutcome, type ReconcileResult } from '../../src/controller/controller.js';
import { StalledError, WaitingError } from '../../src/controller/errors.js';

type Behaviour = (key: string, signal: AbortSignal, attempt: number) => Promise<ReconcileResult | void>;

function harness(opts: { keys: string[]; behaviour?: Behaviour; workers?: number; resyncMs?: number; random?: () => number; reconcileTimeoutMs?: number }) {
  const clock = new FakeClock();
  const calls: string[] = [];
  const outcomes: ReconcileOutcome[] = [];
  const attempts = new Map<string, number>();
  let active = 0;
  let maxActive = 0;
  const activeKeys = new Set<string>();
  let overlap = false;
  const controller = new Controller({
    reconciler: {
      async reconcile(key, signal) {
        const n = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, n);
        calls.push(key);
        if (activeKeys.has(key)) overlap = true;
        activeKeys.add(key);
        active++;
        maxActive = Math.max(maxActive, active);
        try {
          return await (opts.behaviour ?? (async () => {}))(key, signal, n);
        } finally {
          active--;
          activeKeys.delete(key);
        }
      },
    },
    listKeys: () => opts.keys,
    workers: opts.workers ?? 2,
    resyncMs: opts.resyncMs ?? 60_000,
    random: opts.random ?? (() => 0.5),
    backoff: { baseMs: 100, maxMs: 10_000, jitter: 0 },
    clock,
    hooks: { onReconcileEnd: (o) => outcomes.push(o) },
    ...(opts.reconcileTimeoutMs !== undefined ? { reconcileTimeoutMs: opts.reconcileTimeoutMs } : {}),
  });
  return { clock, controller, calls, outcomes, attempts, maxActive: () => maxActive, overlap: () => overlap };
}

function deferred<T = void>() {
  let resolve!: (v: T | PromiseLike<T>) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('controller loop', () => {
  it('reconciles every known key once at start', async () => {
    const h = harness({ keys: ['a', 'b', 'c'] });
    h.controller.start();
    await h.clock.advance(0);
    assert.deepEqual([...h.calls].sort(), ['a', 'b', 'c']);
    assert.ok(h.outcomes.every((o) => o.result === 'success'));
    await h.controller.stop(1_000);
  });

  it('lets I/O and timers in while it works through keys whose reconciles never wait', async () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}`);
    // Each reconcile costs ~0.05 ms of CPU and awaits nothing: 20,000 of them are ~1 s of work.
    const h = harness({
      keys,
      workers: 4,
      behaviour: async () => {
        const end = performance.now() + 0.05;
        while (performance.now() < end);
      },
    });
    let doneWhenTimerRan: number | undefined;
    h.controller.start();
    setImmediate(() => setTimeout(() => (doneWhenTimerRan = h.outcomes.length), 0));
    for (let i = 0; i < 1_000 && h.outcomes.length < keys.length; i++) await h.clock.advance(0);
    while (h.outcomes.length < keys.length) await new Promise((r) => setTimeout(r, 5));
    assert.ok(doneWhenTimerRan !== undefined && doneWhenTimerRan < keys.length / 2, `a timer ran after ${doneWhenTimerRan} of ${keys.length} reconciles`);
    await h.controller.stop(1_000);
  });

  it('runs at most `workers` reconciles at once and never one key twice at once', async () => {
    const gates = new Map<string, { resolve: () => void }>();
    const h = harness({
      keys: ['a', 'b', 'c', 'd'],
      workers: 2,
      behaviour: async (key) => {
        const d = deferred();
        gates.set(key, { resolve: () => d.resolve() });
        await d.promise;
      },
    });
    h.controller.start();
    await settle();
    assert.equal(h.controller.inFlight().length, 2);
    h.controller.enqueue('a');
    h.controller.enqueue('b');
    for (let i = 0; i < 6; i++) {
      for (const g of gates.values()) g.resolve();
      await settle();
    }
    assert.equal(h.maxActive(), 2);
    assert.equal(h.overlap(), false);
    assert.equal(h.calls.filter((k) => k === 'a').length, 2, 'a added while running is reconciled again afterwards');
    await h.controller.stop(1_000);
  });

  it('retries a failing key with exponential backoff while other keys keep converging', async () => {
    const h = harness({
      keys: ['bad', 'good'],
      workers: 1,
      behaviour: async (key) => {
        if (key === 'bad') throw new Error('boom');
      },
    });
    h.controller.start();
    await h.clock.advance(0);
    h.controller.enqueue('good');
    await h.clock.advance(0);
    assert.equal(h.calls.filter((k) => k === 'good').length, 2, 'good is not blocked by bad');
    const bad = h.outcomes.filter((o) => o.key === 'bad');
    assert.deepEqual(
      bad.map((o) => [o.result, o.reason, o.requeueAfterMs]),
      [['error', 'ReconcileFailed', 100]],
    );
    await h.clock.advance(99);
    assert.equal(h.calls.filter((k) => k === 'bad').length, 1);
    await h.clock.advance(1);
    await h.clock.advance(200);
    await h.clock.advance(400);
    const delays = h.outcomes.filter((o) => o.key === 'bad').map((o) => o.requeueAfterMs);
    assert.deepEqual(delays, [100, 200, 400, 800]);
    assert.deepEqual(
      h.outcomes.filter((o) => o.key === 'bad').map((o) => o.failures),
      [1, 2, 3, 4],
    );
    await h.controller.stop(1_000);
  });

  it('resets the backoff after a success', async () => {
    const h = harness({
      keys: ['k'],
      behaviour: async (_key, _signal, attempt) => {
        if (attempt === 1 || attempt === 3) throw new Error('flaky');
      },
    });
    h.controller.start();
    await h.clock.advance(100); // attempt 1 fails, attempt 2 succeeds
    h.controller.enqueue('k');
    await h.clock.advance(0); // attempt 3 fails
    const last = h.outcomes.at(-1)!;
    assert.equal(last.result, 'error');
    assert.equal(last.requeueAfterMs, 100);
    await h.controller.stop(1_000);
  });

  it('does not retry a stalled key until the next resync', async () => {
    const h = harness({
      keys: ['s'],
      resyncMs: 10_000,
      random: () => 0.5,
      behaviour: async () => {
        throw new StalledError('InvalidManifest', 'spec.cpu is not a Fargate size');
      },
    });
    h.controller.start();
    await h.clock.advance(9_999);
    assert.equal(h.calls.length, 1);
    assert.equal(h.outcomes[0]!.result, 'stalled');
    assert.equal(h.outcomes[0]!.reason, 'InvalidManifest');
    await h.clock.advance(1);
    assert.equal(h.calls.length, 2);
    await h.controller.stop(1_000);
  });

  it('requeues a waiting key after its own delay without backoff', async () => {
    const h = harness({
      keys: ['w'],
      behaviour: async (_k, _s, attempt) => {
        if (attempt < 4) throw new WaitingError('OperationPending', 'namespace creation in progress', 2_000);
        return {};
      },
    });
    h.controller.start();
    await h.clock.advance(6_000);
    assert.deepEqual(
      h.outcomes.map((o) => o.result),
      ['waiting', 'waiting', 'waiting', 'success'],
    );
    assert.deepEqual(
      h.outcomes.slice(0, 3).map((o) => o.requeueAfterMs),
      [2_000, 2_000, 2_000],
    );
    await h.controller.stop(1_000);
  });

  it('honours requeueAfter from a successful reconcile', async () => {
    const h = harness({ keys: ['r'], behaviour: async (_k, _s, attempt) => (attempt === 1 ? { requeueAfter: 5_000 } : {}) });
    h.controller.start();
    await h.clock.advance(4_999);
    assert.equal(h.calls.length, 1);
    await h.clock.advance(1);
    assert.equal(h.calls.length, 2);
    assert.deepEqual(
      h.outcomes.map((o) => o.result),
      ['requeue', 'success'],
    );
    await h.controller.stop(1_000);
  });

  it('resyncs all keys on a jittered period', async () => {
    const h = harness({ keys: ['a', 'b'], resyncMs: 10_000, random: () => 0 });
    h.controller.start();
    await h.clock.advance(8_999);
    assert.equal(h.calls.length, 2);
    await h.clock.advance(1); // 10s * (1 - 0.1)
    assert.equal(h.calls.length, 4);
    await h.controller.stop(1_000);
  });

  it('trigger enqueues every key at once', async () => {
    const h = harness({ keys: ['a', 'b'] });
    h.controller.start();
    await h.clock.advance(0);
    await h.controller.trigger();
    await h.clock.advance(0);
    assert.equal(h.calls.length, 4);
    await h.controller.stop(1_000);
  });

  it('stop waits for in-flight work within the grace and hands out nothing new', async () => {
    const gate = deferred();
    const h = harness({ keys: ['a', 'b'], workers: 1, behaviour: async () => gate.promise });
    h.controller.start();
    await settle();
    let report: unknown;
    const stopping = h.controller.stop(5_000).then((r) => (report = r));
    await h.clock.advance(1_000);
    assert.equal(report, undefined);
    gate.resolve();
    await stopping;
    assert.deepEqual(report, { graceful: true, abandoned: [] });
    assert.deepEqual(h.calls, ['a'], 'b is never started after stop');
  });

  it('stop aborts the signal after the grace and reports the outcome as aborted', async () => {
    const h = harness({
      keys: ['a'],
      behaviour: (_k, signal) => new Promise((_res, rej) => signal.addEventListener('abort', () => rej(signal.reason))),
    });
    h.controller.start();
    await settle();
    const stopping = h.controller.stop(3_000);
    await h.clock.advance(3_000);
    assert.deepEqual(await stopping, { graceful: false, abandoned: [] });
    assert.equal(h.outcomes[0]!.result, 'aborted');
  });

  it('stop abandons a reconcile that ignores the abort', async () => {
    const h = harness({ keys: ['hung'], behaviour: () => new Promise(() => {}) });
    h.controller.start();
    await settle();
    const stopping = h.controller.stop(1_000, 500);
    await h.clock.advance(1_500);
    assert.deepEqual(await stopping, { graceful: false, abandoned: ['hung'] });
  });

  it('aborts a reconcile that exceeds its timeout and retries it with backoff', async () => {
    const h = harness({
      keys: ['slow'],
      reconcileTimeoutMs: 1_000,
      behaviour: (_k, signal, attempt) =>
        attempt === 1 ? new Promise((_res, rej) => signal.addEventListener('abort', () => rej(signal.reason))) : Promise.resolve(),
    });
    h.controller.start();
    await h.clock.advance(1_000);
    assert.equal(h.outcomes[0]!.result, 'error');
    assert.equal(h.outcomes[0]!.reason, 'ReconcileTimeout');
    await h.clock.advance(100);
    assert.equal(h.outcomes[1]!.result, 'success');
    await h.controller.stop(1_000);
  });

  it('reports not live when a reconcile outlives its timeout', async () => {
    const h = harness({ keys: ['hung'], reconcileTimeoutMs: 1_000, resyncMs: 3_600_000, behaviour: () => new Promise(() => {}) });
    h.controller.start();
    await h.clock.advance(1_000);
    assert.equal(h.controller.liveness().ok, true);
    await h.clock.advance(60_001);
    const live = h.controller.liveness();
    assert.equal(live.ok, false);
    assert.match(live.reason!, /hung/);
    const stopping = h.controller.stop(0, 0);
    await h.clock.advance(0);
    assert.deepEqual(await stopping, { graceful: false, abandoned: ['hung'] });
  });

  it('keeps running when listKeys fails, reporting the error', async () => {
    const clock = new FakeClock();
    const errors: string[] = [];
    let fail = true;
    const seen: string[] = [];
    const c = new Controller({
      reconciler: { reconcile: async (k) => void seen.push(k) },
      listKeys: () => {
        if (fail) throw new Error('no artifact yet');
        return ['x'];
      },
      workers: 1,
      resyncMs: 1_000,
      resyncJitter: 0,
      clock,
      hooks: { onError: (ctx, err) => errors.push(`${ctx}: ${(err as Error).message}`) },
    });
    c.start();
    await clock.advance(0);
    assert.deepEqual(errors, ['listKeys: no artifact yet']);
    fail = false;
    await clock.advance(1_000);
    assert.deepEqual(seen, ['x']);
    await c.stop(0);
  });
});
