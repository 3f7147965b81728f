import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ChannelQueue, type Notification } from '../../src/notify/channel-queue.js';
import { parseRetryAfter } from '../../src/notify/post.js';
import { DEFAULT_DELIVERY, type DeliveryConfig, type NotifyResult } from '../../src/notify/types.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { waitFor } from '../run/helpers.js';

interface Harness {
  readonly queue: ChannelQueue;
  readonly results: NotifyResult[];
  readonly sleeps: number[];
  readonly warnings: Record<string, unknown>[];
  clock: number;
}

/** A queue whose sleeps return at once (recorded), with a settable clock and fixed jitter. */
function harness(config: Partial<DeliveryConfig> = {}, random = 0.5): Harness {
  const h = { results: [] as NotifyResult[], sleeps: [] as number[], warnings: [] as Record<string, unknown>[], clock: 1_000_000 } as Harness;
  (h as { queue: ChannelQueue }).queue = new ChannelQueue({
    channel: 'webhook',
    config: { ...DEFAULT_DELIVERY, ratePerSecond: 1000, burst: 1000, ...config },
    record: (_c, r) => h.results.push(r),
    log: { warn: (f) => h.warnings.push(f), debug: () => {} },
    now: () => h.clock,
    sleep: async (ms) => {
      h.sleeps.push(ms);
      h.clock += ms;
      await new Promise((r) => setImmediate(r));
    },
    random: () => random,
  });
  return h;
}

function note(server: RecordingServer, key: string, body = key): Notification {
  return { event: 'drift-detected', dedupKey: key, request: { url: `${server.url}/hook`, headers: { 'content-type': 'application/json' }, body } };
}

async function settled(h: Harness, count: number): Promise<void> {
  await waitFor(() => h.results.length >= count && h.queue.idle(), 10_000, `${count} results`);
}

describe('notification delivery queue', () => {
  const servers: RecordingServer[] = [];
  const server = async (...args: Parameters<typeof startRecordingServer>) => {
    const s = await startRecordingServer(...args);
    servers.push(s);
    return s;
  };
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('retries a 500 with exponential backoff and jitter, then counts the success once', async () => {
    const s = await server((_r, i) => (i < 2 ? { status: 500, body: { message: 'boom' } } : { status: 200 }));
    const h = harness({ baseBackoffMs: 1000 }, 0.5);
    h.queue.enqueue(note(s, 'a'));
    await settled(h, 1);
    assert.equal(s.received.length, 3);
    assert.deepEqual(h.results, ['sent']);
    // Equal jitter with random 0.5: 3/4 of 1 s, then of 2 s.
    assert.deepEqual(h.sleeps, [750, 1500]);
  });

  it('waits at least the Retry-After of a 429', async () => {
    const s = await server((_r, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '7' } } : { status: 204 }));
    const h = harness({ baseBackoffMs: 100 });
    h.queue.enqueue(note(s, 'a'));
    await settled(h, 1);
    assert.equal(s.received.length, 2);
    assert.deepEqual(h.sleeps, [7000]);
    assert.deepEqual(h.results, ['sent']);
  });

  it('gives up when Retry-After is longer than the longest backoff, and counts a failure', async () => {
    const s = await server(() => ({ status: 503, headers: { 'retry-after': '3600' } }));
    const h = harness({ maxBackoffMs: 60_000 });
    h.queue.enqueue(note(s, 'a'));
    await settled(h, 1);
    assert.equal(s.received.length, 1);
    assert.deepEqual(h.results, ['failed']);
    assert.match(String(h.warnings[0]?.['error']), /Retry-After 3600s/);
  });

  it('does not retry a 4xx other than 429', async () => {
    const s = await server(() => ({ status: 422, body: { message: 'Validation Failed' } }));
    const h = harness();
    h.queue.enqueue(note(s, 'a'));
    await settled(h, 1);
    assert.equal(s.received.length, 1);
    assert.deepEqual(h.results, ['failed']);
    assert.match(String(h.warnings[0]?.['error']), /HTTP 422: .*Validation Failed/);
  });

  it('retries network errors up to the attempt limit, then fails', async () => {
    const s = await server();
    const url = s.url;
    await s.close();
    const h = harness({ maxAttempts: 3, baseBackoffMs: 10 });
    h.queue.enqueue({ event: 'x', dedupKey: 'k', request: { url: `${url}/gone`, headers: {}, body: '{}' } });
    await settled(h, 1);
    assert.deepEqual(h.results, ['failed']);
    assert.equal(h.sleeps.length, 2);
    assert.match(String(h.warnings[0]?.['error']), /network error .*after 3 attempts/);
  });

  it('sends the same notification once within the window and again after it', async () => {
    const s = await server();
    const h = harness({ dedupWindowMs: 60_000 });
    h.queue.enqueue(note(s, 'same'));
    h.queue.enqueue(note(s, 'same'));
    h.queue.enqueue(note(s, 'other'));
    await settled(h, 3);
    assert.deepEqual(h.results.toSorted(), ['deduplicated', 'sent', 'sent']);
    h.clock += 60_000;
    h.queue.enqueue(note(s, 'same'));
    await settled(h, 4);
    assert.equal(s.received.filter((r) => r.body === 'same').length, 2);
  });

  it('lets a failed notification be sent again within the window', async () => {
    const s = await server((_r, i) => (i === 0 ? { status: 400 } : { status: 200 }));
    const h = harness({ dedupWindowMs: 60_000 });
    h.queue.enqueue(note(s, 'same'));
    await settled(h, 1);
    h.queue.enqueue(note(s, 'same'));
    await settled(h, 2);
    assert.deepEqual(h.results, ['failed', 'sent']);
  });

  it('never waits for a slow receiver: a full queue drops the oldest and counts it', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const s = await server(async () => {
      await gate;
      return { status: 200 };
    });
    const h = harness({ queueSize: 2 });
    for (const k of ['1', '2', '3', '4']) h.queue.enqueue(note(s, k));
    // Synchronously, before any I/O: the first is in flight, 2 and 3 wait, 4 pushed 2 out.
    assert.deepEqual(h.results, ['dropped']);
    await waitFor(() => s.received.length === 1, 5_000, 'the first request');
    assert.deepEqual(h.results, ['dropped']);
    assert.equal(h.queue.length, 2);
    release();
    await settled(h, 4);
    assert.deepEqual(
      s.received.map((r) => r.body),
      ['1', '3', '4'],
    );
  });

  it('keeps to the rate limit by waiting for tokens', async () => {
    const s = await server();
    const h = harness({ ratePerSecond: 2, burst: 1 });
    for (const k of ['1', '2', '3']) h.queue.enqueue(note(s, k));
    await settled(h, 3);
    assert.equal(s.received.length, 3);
    // Two of the three waited for a token (half a second each at 2/s).
    assert.deepEqual(h.sleeps, [500, 500]);
  });

  it('stop drops what is left after the grace period', async () => {
    const s = await server(() => new Promise(() => {}));
    const h = harness({ timeoutMs: 60_000 });
    h.queue.enqueue(note(s, '1'));
    h.queue.enqueue(note(s, '2'));
    await waitFor(() => s.received.length === 1, 5_000, 'the first request');
    await h.queue.stop(50);
    assert.deepEqual(h.results.toSorted(), ['dropped', 'failed']);
    h.queue.enqueue(note(s, '3'));
    assert.deepEqual(h.results.toSorted(), ['dropped', 'dropped', 'failed']);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('12', now), 12_000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });
});
