import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import {
  DEFAULT_HTTP_TIMEOUTS,
  startHttpServer,
  type ControllerHttpServer,
  type ControllerHttpServerOptions,
  type RefusedRequest,
} from '../../src/http/server.js';
import { waitFor } from '../run/helpers.js';

const servers: ControllerHttpServer[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close(50)));
});

/** A server whose metrics render counts its calls and can be held open. */
async function start(extra: Partial<ControllerHttpServerOptions> = {}): Promise<{ server: ControllerHttpServer; renders: () => number }> {
  let calls = 0;
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    metrics: {
      contentType: 'text/plain; version=0.0.4',
      chunks: async function* () {
        calls++;
        yield `renders ${calls}\n`;
      },
    },
    status: () => ({}),
    liveness: () => ({ ok: true }),
    readiness: () => ({ ok: true }),
    ...extra,
  });
  servers.push(server);
  return { server, renders: () => calls };
}

/** Opens a raw connection and waits until it is connected. */
function open(server: ControllerHttpServer): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(server.port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
    sockets.push(s);
  });
}

/** Everything the server sends until it closes the connection. */
function untilClosed(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    s.on('data', (d: Buffer) => (data += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => resolve(data));
  });
}

/** Sends one keep-alive request on a raw connection and resolves with the first answer chunk. */
function ask(s: Socket, path: string): Promise<string> {
  return new Promise((resolve) => {
    s.once('data', (d: Buffer) => resolve(d.toString('latin1')));
    s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  });
}

describe('HTTP server under a scrape flood', () => {
  it('serializes metrics once for many concurrent scrapes and hands every one the same text', async () => {
    const { server, renders } = await start({ metricsCacheMs: 60_000 });
    const bodies = await Promise.all(Array.from({ length: 50 }, async () => (await fetch(`${server.url}/metrics`)).text()));
    assert.equal(renders(), 1);
    assert.equal(server.stats().metricsRenders, 1);
    assert.deepEqual(new Set(bodies), new Set(['renders 1\n']));
  });

  it('serializes again once the cache has expired (cache 0: only in-flight renders are shared)', async () => {
    const { server, renders } = await start({ metricsCacheMs: 0 });
    await (await fetch(`${server.url}/metrics`)).text();
    await (await fetch(`${server.url}/metrics`)).text();
    assert.equal(renders(), 2);
  });

  it('does not serialize or write for a client that hung up before its request was complete', async () => {
    const { server, renders } = await start();
    const s = await open(server);
    const closed = untilClosed(s);
    // The headers announce a body that never comes; the client leaves instead.
    s.write('GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n');
    s.end();
    // Node answers the cut-short request 400 on its own; no metrics are ever written.
    assert.doesNotMatch(await closed, /renders/);
    await waitFor(() => server.stats().scrapesOfGoneClients === 1, 5_000, 'the scrape seen as gone');
    assert.equal(renders(), 0);
    assert.equal(server.stats().metricsRenders, 0);
  });

  it('closes connections beyond the cap at once, and accepts again when one closes', async () => {
    const { server } = await start({ maxConnections: 2 });
    const a = await open(server);
    const b = await open(server);
    assert.match(await ask(a, '/healthz'), /^HTTP\/1\.1 200 /);
    assert.match(await ask(b, '/healthz'), /^HTTP\/1\.1 200 /);
    const c = await open(server);
    const answer = untilClosed(c);
    c.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal(await answer, '', 'the third connection is closed without an answer');
    assert.equal(server.stats().droppedConnections, 1);
    a.destroy();
    await waitFor(async () => (await server.connections()) === 1, 5_000, 'the closed connection to be gone');
    const d = await open(server);
    assert.match(await ask(d, '/healthz'), /^HTTP\/1\.1 200 /);
    assert.equal(server.stats().droppedConnections, 1);
  });

  it('sets header, request, keep-alive and idle timeouts (defaults unless configured)', async () => {
    const { server: plain } = await start();
    assert.deepEqual(plain.timeouts, DEFAULT_HTTP_TIMEOUTS);
    assert.ok(DEFAULT_HTTP_TIMEOUTS.headersMs <= DEFAULT_HTTP_TIMEOUTS.requestMs);
    const { server } = await start({ timeouts: { headersMs: 200, requestMs: 400, keepAliveMs: 100 } });
    assert.deepEqual(server.timeouts, { headersMs: 200, requestMs: 400, keepAliveMs: 100, idleMs: DEFAULT_HTTP_TIMEOUTS.idleMs });
  });

  it('answers 408 and closes a connection whose headers never finish', async () => {
    const { server } = await start({ timeouts: { headersMs: 200, requestMs: 400 } });
    const s = await open(server);
    const answer = untilClosed(s);
    s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    assert.match(await answer, /^HTTP\/1\.1 408 /);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const { server } = await start({ timeouts: { keepAliveMs: 100 } });
    const s = await open(server);
    const answer = untilClosed(s);
    s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    // The promise resolves only when the server closes the connection.
    assert.match(await answer, /^HTTP\/1\.1 200 /);
  });

  it('serves only /healthz and routes when metrics, status and readiness are absent, reporting refusals', async () => {
    const refused: RefusedRequest[] = [];
    const server = await startHttpServer({ host: '127.0.0.1', port: 0, liveness: () => ({ ok: true }), onRefused: (r) => refused.push(r) });
    servers.push(server);
    server.registerRoute('POST', '/hooks/generic', () => ({ status: 202 }));
    for (const path of ['/metrics', '/status', '/readyz']) assert.equal((await fetch(`${server.url}${path}`)).status, 404, path);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${server.url}/hooks/generic`, { method: 'POST', body: '{}' })).status, 202);
    assert.equal((await fetch(`${server.url}/hooks/generic`)).status, 405);
    assert.deepEqual(
      refused.map((r) => `${r.status} ${r.method} ${r.path}`),
      ['404 GET /metrics', '404 GET /status', '404 GET /readyz', '405 GET /hooks/generic'],
    );
  });
});
