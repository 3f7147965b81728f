import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CallCounter, countCalls, recordInScope } from '../../src/aws/call-counter.js';
import { ObserveCaches } from '../../src/observe/caches.js';
import { chunk, createLimit, mapLimit } from '../../src/util/map-limit.js';

describe('per-scan call counting', () => {
  it('counts attempts by service:Operation and by outcome', async () => {
    const c = new CallCounter();
    await countCalls(c, async () => {
      recordInScope('ecs', 'ListServices', 'ok');
      recordInScope('ecs', 'ListServices', 'throttled');
      recordInScope('servicediscovery', 'ListNamespaces', 'ok');
    });
    assert.deepEqual(c.snapshot(), { 'ecs:ListServices': 2, 'servicediscovery:ListNamespaces': 1 });
    assert.deepEqual(c.byOutcome(), { ok: 2, throttled: 1, error: 0, 'not-found': 0 });
    assert.equal(c.total('ecs'), 2);
    assert.equal(c.total(), 3);
  });

  it('keeps two concurrent scopes apart across awaits', async () => {
    const a = new CallCounter();
    const b = new CallCounter();
    await Promise.all([
      countCalls(a, async () => {
        await sleep(5);
        recordInScope('ecs', 'DescribeServices', 'ok');
      }),
      countCalls(b, async () => {
        recordInScope('route53', 'GetHostedZone', 'ok');
        await sleep(10);
        recordInScope('route53', 'GetHostedZone', 'ok');
      }),
    ]);
    assert.deepEqual(a.snapshot(), { 'ecs:DescribeServices': 1 });
    assert.deepEqual(b.snapshot(), { 'route53:GetHostedZone': 2 });
  });

  it('records a nested scope in the outer counter too, and nothing outside any scope', async () => {
    const outer = new CallCounter();
    const inner = new CallCounter();
    recordInScope('ecs', 'ListServices', 'ok');
    await countCalls(outer, async () => {
      recordInScope('ecs', 'ListServices', 'ok');
      await countCalls(inner, async () => recordInScope('ecs', 'UpdateService', 'error'));
    });
    assert.deepEqual(outer.snapshot(), { 'ecs:ListServices': 1, 'ecs:UpdateService': 1 });
    assert.deepEqual(inner.snapshot(), { 'ecs:UpdateService': 1 });
  });
});

describe('observe helpers', () => {
  it('mapLimit keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(n);
      running--;
      return n * 10;
    });
    assert.deepEqual(out, [50, 10, 40, 20, 30, 0]);
    assert.equal(peak, 2);
  });

  it('createLimit bounds calls from any number of callers, starts waiting ones in order, and frees the slot of a failed call', async () => {
    const limit = createLimit(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const job =
      (n: number, fail = false) =>
      async () => {
        started.push(n);
        running++;
        peak = Math.max(peak, running);
        await sleep(5);
        running--;
        if (fail) throw new Error(`job ${n} failed`);
        return n;
      };
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => limit(job(n, n === 1))));
    assert.equal(peak, 2);
    assert.deepEqual(started, [1, 2, 3, 4, 5]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    assert.equal(await limit(async () => 'free again'), 'free again');
  });

  it('chunk splits into batches of the given size', () => {
    assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunk([], 10), []);
  });

  it('caches forget tags on request, drop tags of vanished ARNs and bound task definitions', () => {
    const caches = new ObserveCaches(2);
    caches.rememberTags('a', { x: '1' });
    caches.rememberTags('b', { y: '2' });
    caches.forgetTags('a');
    assert.equal(caches.tagsOf('a'), undefined);
    assert.deepEqual(caches.tagsOf('b'), { y: '2' });
    caches.retainTags(new Set(['c']));
    assert.equal(caches.tagsOf('b'), undefined);
    for (const r of [1, 2, 3]) {
      caches.rememberTaskDefinition({ arn: `td:${r}`, family: 'f', revision: r, tags: {}, spec: { family: 'f', cpu: '256', memory: '512', containers: [] } });
    }
    assert.equal(caches.taskDefinition('td:1'), undefined, 'oldest evicted');
    assert.equal(caches.taskDefinition('td:3')?.revision, 3);
    assert.equal(caches.sizes().taskDefinitions, 2);
  });
});
