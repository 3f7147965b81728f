import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { JsonPieces, startHttpServer, type ControllerHttpServer, type Probe } from '../../src/http/server.js';
import { ControllerMetrics } from '../../src/observability/metrics.js';

describe('controller HTTP server', () => {
  let server: ControllerHttpServer;
  let live: Probe = { ok: true };
  let ready: Probe = { ok: false, reason: 'source not read yet' };
  const errors: unknown[] = [];
  const metrics = new ControllerMetrics({ processMetrics: false });

  before(async () => {
    // Before the first scrape: a finished render is reused for a second.
    metrics.setResource('EcsService/prod/api', { syncStatus: 'Synced', healthStatus: 'Healthy', mode: 'enforce', driftedFieldCount: 0 });
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      metrics,
      status: () => ({ controller: { ready: false }, resources: [{ key: 'K/a' }] }),
      liveness: () => live,
      readiness: () => ready,
      maxBodyBytes: 64,
      onError: (err) => errors.push(err),
    });
  });
  after(() => server.close(100));

  it('serves Prometheus metrics on GET /metrics', async () => {
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /text\/plain; version=0\.0\.4/);
    assert.match(await res.text(), /^ecs_gitops_reconcile_total\{kind="EcsService",result="success"\} 0$/m);
  });

  it('sends /metrics gzip-compressed to a client that asks for it, plain and whole to one that does not', async () => {
    const expected = await metrics.render();
    const raw = (headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> =>
      new Promise((resolve, reject) => {
        const req = request(`${server.url}/metrics`, { method, headers }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (b: Buffer) => parts.push(b));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
        });
        req.on('error', reject);
        req.end();
      });
    const gz = await raw({ 'accept-encoding': 'gzip' });
    assert.equal(gz.status, 200);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers['vary'], 'Accept-Encoding');
    assert.equal(gunzipSync(gz.body).toString('utf8'), expected);
    assert.ok(gz.body.length < Buffer.byteLength(expected) / 3, `${gz.body.length} compressed of ${Buffer.byteLength(expected)}`);
    const plain = await raw({});
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString('utf8'), expected);
    const head = await raw({}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
  });

  it('streams a JsonPieces status, gzip-compressed when asked, as the same JSON text', async () => {
    const pieces = ['{\n  "a": [', '\n    1,', '\n    2', '\n  ]\n}'];
    const streaming = await startHttpServer({ host: '127.0.0.1', port: 0, status: () => new JsonPieces(() => pieces), liveness: () => ({ ok: true }) });
    try {
      const plain = await fetch(`${streaming.url}/status`, { headers: { 'accept-encoding': 'identity' } });
      assert.equal(plain.headers.get('content-encoding'), null);
      assert.equal(await plain.text(), `${pieces.join('')}\n`);
      // fetch asks for gzip and decompresses: the same text.
      const gz = await fetch(`${streaming.url}/status`);
      assert.equal(gz.headers.get('content-encoding'), 'gzip');
      assert.deepEqual(await gz.json(), { a: [1, 2] });
    } finally {
      await streaming.close(100);
    }
  });

  it('serves the status snapshot as JSON on GET /status', async () => {
    const res = await fetch(`${server.url}/status`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /application\/json/);
    assert.deepEqual(await res.json(), { controller: { ready: false }, resources: [{ key: 'K/a' }] });
  });

  it('answers /healthz and /readyz with 200 or 503 and the reason', async () => {
    let res = await fetch(`${server.url}/readyz`);
    assert.equal(res.status, 503);
    assert.equal(await res.text(), 'source not read yet\n');
    ready = { ok: true };
    res = await fetch(`${server.url}/readyz`);
    assert.equal(res.status, 200);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    live = { ok: false, reason: 'reconcile of K/a running for 400s' };
    res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 503);
    assert.match(await res.text(), /K\/a/);
    live = { ok: true };
  });

  it('passes the raw body, headers and query to a registered route', async () => {
    server.registerRoute('POST', '/hooks/generic', (req) => ({
      status: 202,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: req.body.toString('hex'), sig: req.headers['x-signature'], q: req.query.get('x') }),
    }));
    const res = await fetch(`${server.url}/hooks/generic?x=1`, { method: 'POST', body: Buffer.from([0, 1, 255]), headers: { 'x-signature': 'abc' } });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { body: '0001ff', sig: 'abc', q: '1' });
  });

  it('refuses bodies over the limit with 413 without calling the handler', async () => {
    let called = false;
    server.registerRoute('POST', '/hooks/small', () => {
      called = true;
      return { status: 200 };
    });
    const res = await fetch(`${server.url}/hooks/small`, { method: 'POST', body: 'x'.repeat(65) });
    assert.equal(res.status, 413);
    assert.equal(called, false);
  });

  it('lets a route shape and count its own 413 answer, still without calling the handler', async () => {
    let called = false;
    const refused: string[] = [];
    server.registerRoute(
      'POST',
      '/hooks/counted',
      () => {
        called = true;
        return { status: 200 };
      },
      {
        maxBodyBytes: 8,
        onTooLarge: (req) => {
          refused.push(`${req.method} ${req.path}`);
          return { status: 413, headers: { 'content-type': 'application/json' }, body: '{"result":"too_large"}' };
        },
      },
    );
    const res = await fetch(`${server.url}/hooks/counted`, { method: 'POST', body: 'x'.repeat(9) });
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), { result: 'too_large' });
    assert.deepEqual(refused, ['POST /hooks/counted']);
    assert.equal(called, false);
  });

  it('refuses a chunked body that grows over the limit', async () => {
    server.registerRoute('POST', '/hooks/chunked', () => ({ status: 200 }), { maxBodyBytes: 10 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/hooks/chunked`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.write('0123456789');
      req.end('abc');
    });
    assert.equal(status, 413);
  });

  it('answers 404 for unknown paths, 405 for a wrong method and rejects duplicate routes', async () => {
    assert.equal((await fetch(`${server.url}/nope`)).status, 404);
    const res = await fetch(`${server.url}/metrics`, { method: 'POST' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET');
    assert.throws(() => server.registerRoute('GET', '/metrics', () => ({ status: 200 })), /built-in/);
    assert.throws(() => server.registerRoute('POST', '/hooks/generic', () => ({ status: 200 })), /already registered/);
  });

  it('answers 500 without details when a handler throws, and reports the error', async () => {
    server.registerRoute('POST', '/hooks/broken', () => {
      throw new Error('secret detail');
    });
    const res = await fetch(`${server.url}/hooks/broken`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 500);
    assert.ok(!(await res.text()).includes('secret detail'));
    assert.equal((errors.at(-1) as Error).message, 'secret detail');
  });

  it('answers 400 to a request target that is not a URL and keeps serving', async () => {
    for (const target of ['//[', 'http://[', 'http://%zz/']) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, '127.0.0.1', () => socket.end(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
        let data = '';
        socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      assert.match(answer, /^HTTP\/1\.1 400 /, target);
    }
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });

  it('closes gracefully, refusing new connections afterwards', async () => {
    const other = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      metrics,
      status: () => ({}),
      liveness: () => ({ ok: true }),
      readiness: () => ({ ok: true }),
    });
    assert.equal((await fetch(`${other.url}/healthz`)).status, 200);
    await other.close(100);
    await assert.rejects(fetch(`${other.url}/healthz`));
  });
});
