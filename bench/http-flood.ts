// A flood of GET /metrics connections that all disconnect at once, against `ecs-gitops run`
// in-process on the sandbox (examples/ as source, --resync 2s). Prints how long /healthz takes
// to answer afterwards, how late the resyncs around the flood were, peak RSS and how many
// metric serializations the requests cost. Asserts nothing.
//   npm run bench:http                                  # 2,000 connections
//   npm run bench:http -- --connections 10000 [--max-connections 256] [--resync 2s]
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningController } from '../src/run/app.js';
import { startExampleSandbox, startTestController, waitConverged, waitFor, type LogLines } from '../test/run/helpers.js';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '2000' },
    'max-connections': { type: 'string', default: '256' },
    resync: { type: 'string', default: '2s' },
    'settle-ms': { type: 'string', default: '6000' },
  },
});
const connections = Number(values.connections);
const resyncMs = Number.parseFloat(values.resync) * (values.resync.endsWith('ms') ? 1 : 1_000);
const settleMs = Number(values['settle-ms']);
if (!(connections > 0) || !(resyncMs > 0)) throw new Error('--connections and --resync must be positive');

let peakRss = process.memoryUsage().rss;
const rssTimer = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

const mib = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Opens one connection and sends a scrape; resolves once the request is written (or the connection failed). */
function scrape(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.on('error', () => resolve(sock));
    sock.on('connect', () => sock.write('GET /metrics HTTP/1.1\r\nHost: bench\r\n\r\n', () => resolve(sock)));
  });
}

/** Times of the resyncs (the debug line the loop writes after each resync enqueued every key). */
function resyncTimes(logs: LogLines): number[] {
  return logs.filter((l) => l.msg === 'enqueued all keys' && l.cause === 'resync').map((l) => Date.parse(String(l.time)));
}

async function healthzLatency(url: string, from: number): Promise<number> {
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
      await res.text();
      if (res.status === 200) return Date.now() - from;
    } catch {
      // refused or timed out while the flood drains: ask again
    }
    await sleep(10);
  }
}

const sandbox = await startExampleSandbox();
let running: RunningController | undefined;
try {
  const started = await startTestController(
    sandbox,
    ['--resync', values.resync, '--http-max-connections', values['max-connections'], '--log-level', 'debug'],
    // The production cache (1 s): a scrape burst shares one serialization.
    { metricsCacheMs: 1_000 },
  );
  running = started.running;
  const logs = started.logs;
  await waitConverged(running, 60_000);
  const port = running.http.port;
  // Let the loop settle into its resync rhythm before the flood.
  await waitFor(() => resyncTimes(logs).length >= 2, 30_000, 'two resyncs before the flood');
  const rendersBefore = running.http.stats().metricsRenders;
  const goneBefore = running.http.stats().scrapesOfGoneClients;
  const droppedBefore = running.http.stats().droppedConnections;

  const t0 = Date.now();
  const socks: Socket[] = [];
  // Open in slices so the client side does not run out of ephemeral ports or buffers at once.
  for (let i = 0; i < connections; i += 500) {
    socks.push(...(await Promise.all(Array.from({ length: Math.min(500, connections - i) }, () => scrape(port)))));
  }
  const opened = Date.now();
  const failed = socks.filter((x) => x.destroyed).length;
  for (const x of socks) x.destroy();
  const destroyedAt = Date.now();
  const healthzMs = await healthzLatency(running.url, destroyedAt);
  await waitFor(async () => (await running!.http.connections()) <= 1, 60_000, 'the flood connections to close');
  const drainedMs = Date.now() - destroyedAt;
  // Watch the resyncs for a while after the flood.
  await sleep(settleMs);
  const stats = running.http.stats();
  const renders = stats.metricsRenders - rendersBefore;
  const times = resyncTimes(logs);
  const maxScheduled = resyncMs * 1.1;
  const around = times.filter((t) => t >= t0 - maxScheduled * 2);
  const gaps = around.slice(1).map((t, i) => t - around[i]!);
  const worstGap = gaps.length ? Math.max(...gaps) : Number.NaN;
  const firstAfter = times.find((t) => t > destroyedAt);
  const probe = await fetch(`${running.url}/healthz`);

  console.log(
    `HTTP flood: ${connections} connections, each GET /metrics then destroyed at once (--http-max-connections ${values['max-connections']}, --resync ${values.resync})`,
  );
  console.log(`opened and sent:           ${s(opened - t0)} (${failed} failed on the client side)`);
  console.log(`/healthz 200 after:        ${s(healthzMs)} from the disconnect`);
  console.log(`open connections drained:  ${s(drainedMs)}`);
  console.log(`resyncs around the flood:  ${around.length}, gaps ${gaps.map((g) => (g / 1000).toFixed(2)).join(', ')} s`);
  console.log(`worst resync gap:          ${s(worstGap)} (scheduled at most ${s(maxScheduled)}; lag ${s(Math.max(0, worstGap - maxScheduled))})`);
  console.log(`first resync after flood:  ${firstAfter === undefined ? 'none' : `${s(firstAfter - destroyedAt)} after the disconnect`}`);
  console.log(
    `metric serializations:     ${renders} for ${connections} requests (${stats.scrapesOfGoneClients - goneBefore} scrapes seen as gone, ${stats.droppedConnections - droppedBefore} connections closed on accept)`,
  );
  console.log(`peak RSS:                  ${mib(peakRss)} (controller, sandbox and clients in one process)`);
  console.log(`/healthz at the end:       ${probe.status}`);
} finally {
  clearInterval(rssTimer);
  await running?.stop(2_000);
  await sandbox.stop();
}
