import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeArtifact, type Artifact } from '../../src/sources/artifact.js';
import { SourceError } from '../../src/sources/errors.js';
import { SourcePoller, type FetchFailed, type FetchSucceeded, type PollerClock } from '../../src/sources/poller.js';
import type { Source } from '../../src/sources/source.js';

/** Manual clock: time moves only through advance(). */
class ManualClock implements PollerClock {
  time = 1_000_000;
  private timers: { at: number; fn: () => void }[] = [];
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): object {
    const t = { at: this.time + ms, fn };
    this.timers.push(t);
    return t;
  }
  clearTimeout(handle: object): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }
  delays(): number[] {
    return this.timers.map((t) => t.at - this.time).sort((a, b) => a - b);
  }
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
    await flush();
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

type Step = { revision: string; files?: number } | { fail: SourceError['reason'] } | { wait: Promise<void> };

/** A source that answers a script of steps (the last step repeats). */
class ScriptedSource implements Source {
  readonly url = 'git+file:///srv/repo.git#main';
  readonly kind = 'git' as const;
  calls = 0;
  aborted = 0;
  constructor(private readonly steps: Step[]) {}
  async fetch(signal?: AbortSignal): Promise<Artifact> {
    const step = this.steps[Math.min(this.calls, this.steps.length - 1)]!;
    this.calls++;
    if ('wait' in step) {
      await Promise.race([
        step.wait,
        new Promise<void>((_, reject) => signal?.addEventListener('abort', () => (this.aborted++, reject(new Error('aborted'))))),
      ]);
      return makeArtifact(this.url, `after-wait-${this.calls}`, [{ path: 'a.yaml', content: 'x' }], 0);
    }
    if ('fail' in step) throw new SourceError(step.fail, `scripted ${step.fail}`, this.url);
    const files = Array.from({ length: step.files ?? 1 }, (_, i) => ({ path: `f${i}.yaml`, content: step.revision }));
    return makeArtifact(this.url, step.revision, files, 0);
  }
}

function setup(steps: Step[], extra: { jitter?: number; random?: () => number } = {}) {
  const clock = new ManualClock();
  const source = new ScriptedSource(steps);
  const delivered: string[] = [];
  const fetched: FetchSucceeded[] = [];
  const failed: FetchFailed[] = [];
  const poller = new SourcePoller({
    source,
    intervalMs: 10_000,
    jitter: extra.jitter ?? 0,
    random: extra.random ?? (() => 0.5),
    clock,
    onArtifact: (a) => {
      delivered.push(a.revision);
    },
    listener: { fetched: (e) => fetched.push(e), failed: (e) => failed.push(e) },
  });
  return { clock, source, poller, delivered, fetched, failed };
}

describe('source poller', () => {
  it('fetches at start, hands out a new revision once, and polls every interval', async () => {
    const t = setup([{ revision: 'r1' }, { revision: 'r1' }, { revision: 'r2' }]);
    const first = await t.poller.start();
    assert.equal(first.ok, true);
    assert.deepEqual(t.delivered, ['r1']);
    await t.clock.advance(10_000);
    assert.equal(t.source.calls, 2);
    assert.deepEqual(t.delivered, ['r1']);
    assert.equal(t.fetched[1]?.changed, false);
    await t.clock.advance(10_000);
    assert.deepEqual(t.delivered, ['r1', 'r2']);
    assert.equal(t.poller.lastGood()?.revision, 'r2');
    await t.poller.stop();
  });

  it('keeps the revision in force without its files (the consumer holds them), and when it was last read', async () => {
    const t = setup([{ revision: 'r1' }, { revision: 'r1' }]);
    await t.poller.start();
    const first = t.poller.lastGood();
    await t.clock.advance(10_000);
    const again = t.poller.lastGood();
    assert.equal(t.source.calls, 2);
    assert.deepEqual(Object.keys(again ?? {}).sort(), ['digest', 'fetchedAt', 'files', 'revision']);
    assert.equal(typeof again?.files, 'number', 'a count, not the files');
    assert.equal(again?.revision, first?.revision);
    assert.ok((again?.fetchedAt ?? 0) >= (first?.fetchedAt ?? 0));
    assert.deepEqual(t.delivered, ['r1'], 'the same revision is not handed out again');
    await t.poller.stop();
  });

  it('spreads polls by the jitter fraction around the interval', async () => {
    const low = setup([{ revision: 'r1' }], { jitter: 0.2, random: () => 0 });
    await low.poller.start();
    assert.deepEqual(low.clock.delays(), [8_000]);
    await low.poller.stop();
    const high = setup([{ revision: 'r1' }], { jitter: 0.2, random: () => 0.999999 });
    await high.poller.start();
    assert.deepEqual(high.clock.delays(), [12_000]);
    await high.poller.stop();
  });

  it('keeps the last good artifact through failures, reports each, and recovers', async () => {
    const t = setup([{ revision: 'r1' }, { fail: 'unreachable' }, { fail: 'unreachable' }, { revision: 'r2' }]);
    await t.poller.start();
    const good = t.poller.lastGood();
    await t.clock.advance(10_000);
    await t.clock.advance(10_000);
    assert.equal(t.poller.lastGood(), good);
    assert.deepEqual(t.delivered, ['r1']);
    assert.deepEqual(
      t.failed.map((f) => [f.error.reason, f.consecutiveFailures, f.lastGoodRevision]),
      [
        ['unreachable', 1, 'r1'],
        ['unreachable', 2, 'r1'],
      ],
    );
    const status = t.poller.status();
    assert.equal(status.ready, true);
    assert.equal(status.lastGood?.revision, 'r1');
    assert.equal(status.lastError?.code, 'ECSGITOPS_SOURCE_UNREACHABLE');
    assert.equal(status.consecutiveFailures, 2);
    await t.clock.advance(10_000);
    assert.deepEqual(t.delivered, ['r1', 'r2']);
    assert.equal(t.poller.status().lastError, undefined);
    assert.equal(t.poller.status().consecutiveFailures, 0);
    await t.poller.stop();
  });

  it('never hands out an empty fetch: it is a distinct failure and the last good stays', async () => {
    const t = setup([{ revision: 'r1' }, { revision: 'r-empty', files: 0 }]);
    await t.poller.start();
    const result = await t.poller.requestFetch();
    assert.equal(result.ok, false);
    assert.equal(result.ok ? undefined : result.error.reason, 'empty');
    assert.deepEqual(t.delivered, ['r1']);
    assert.equal(t.poller.lastGood()?.revision, 'r1');
    assert.equal(t.failed[0]?.error.code, 'ECSGITOPS_SOURCE_EMPTY');
    await t.poller.stop();
  });

  it('has no artifact at all when the very first fetch fails', async () => {
    const t = setup([{ fail: 'auth' }]);
    const result = await t.poller.start();
    assert.equal(result.ok, false);
    assert.equal(t.poller.lastGood(), undefined);
    assert.equal(t.poller.status().ready, false);
    assert.deepEqual(t.delivered, []);
    await t.poller.stop();
  });

  it('coalesces a burst of requests during a fetch into one follow-up fetch', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const t = setup([{ revision: 'r1' }, { wait: gate }, { revision: 'r3' }]);
    await t.poller.start();
    const inFlight = t.poller.requestFetch();
    await flush();
    const burst = Array.from({ length: 10 }, () => t.poller.requestFetch());
    assert.equal(t.source.calls, 2);
    release();
    await inFlight;
    const results = await Promise.all(burst);
    assert.equal(t.source.calls, 3);
    assert.ok(results.every((r) => r.ok && r.artifact.revision === 'r3'));
    assert.deepEqual(t.delivered, ['r1', 'after-wait-2', 'r3']);
    await t.poller.stop();
  });

  it('fetches on request without waiting for the timer and restarts the interval', async () => {
    const t = setup([{ revision: 'r1' }, { revision: 'r2' }]);
    await t.poller.start();
    await t.clock.advance(4_000);
    await t.poller.requestFetch();
    assert.deepEqual(t.delivered, ['r1', 'r2']);
    assert.deepEqual(t.clock.delays(), [10_000]);
    await t.poller.stop();
  });

  it('stops: cancels the timer, aborts a running fetch and reports no failure for it', async () => {
    const t = setup([{ revision: 'r1' }, { wait: new Promise<void>(() => {}) }]);
    await t.poller.start();
    const pending = t.poller.requestFetch();
    await flush();
    await t.poller.stop();
    const result = await pending;
    assert.equal(result.ok, false);
    assert.equal(t.source.aborted, 1);
    assert.deepEqual(t.failed, []);
    assert.deepEqual(t.clock.delays(), []);
    await t.clock.advance(60_000);
    assert.equal(t.source.calls, 2);
  });

  it('stops without starting the follow-up fetch a request asked for during the running one', async () => {
    const t = setup([{ revision: 'r1' }, { wait: new Promise<void>(() => {}) }, { revision: 'r3' }]);
    await t.poller.start();
    const running = t.poller.requestFetch();
    await flush();
    const followUp = t.poller.requestFetch();
    await t.poller.stop();
    assert.equal((await running).ok, false);
    const result = await followUp;
    assert.equal(result.ok ? undefined : result.error.reason, 'aborted');
    assert.equal(t.source.calls, 2);
    assert.deepEqual(t.delivered, ['r1']);
    assert.deepEqual(t.clock.delays(), []);
  });

  it('survives a throwing consumer and throwing hooks', async () => {
    const clock = new ManualClock();
    const source = new ScriptedSource([{ revision: 'r1' }, { fail: 'failed' }, { revision: 'r2' }]);
    const deliveryErrors: unknown[] = [];
    const poller = new SourcePoller({
      source,
      intervalMs: 1_000,
      jitter: 0,
      clock,
      onArtifact: () => {
        throw new Error('consumer broke');
      },
      listener: {
        fetched: () => {
          throw new Error('metrics broke');
        },
        failed: () => {
          throw new Error('metrics broke');
        },
        deliveryFailed: (e) => deliveryErrors.push(e.error),
      },
    });
    assert.equal((await poller.start()).ok, true);
    await clock.advance(1_000);
    await clock.advance(1_000);
    assert.equal(poller.lastGood()?.revision, 'r2');
    assert.equal(deliveryErrors.length, 2);
    await poller.stop();
  });
});
