import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { acceptsGzip } from './accept-encoding.js';
import { SharedRender } from './shared-render.js';

/** A request as route handlers see it: the body is read in full (within the size limit). */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Raw bytes, e.g. for HMAC signature checks. */
  readonly body: Buffer;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** A body of unknown length, sent as it is read (chunked); instead of `body`. */
  readonly stream?: () => Readable;
}

export type RouteHandler = (req: HttpRequest) => Promise<HttpResponse> | HttpResponse;

export interface RouteOptions {
  /** Larger bodies get 413 without reaching the handler (default: the server's limit). */
  readonly maxBodyBytes?: number;
  /**
   * Called instead of the handler when the body is over the limit (the body is never read
   * whole), so the route can count and log the refusal and shape the 413 answer.
   */
  readonly onTooLarge?: (req: Omit<HttpRequest, 'body'>) => HttpResponse;
}

/** A probe result: `ok` false answers 503 with the reason. */
export interface Probe {
  readonly ok: boolean;
  readonly reason?: string;
}

/** Time limits of the server, in ms (see docs/security.md). */
export interface HttpTimeouts {
  /** Whole request headers must arrive within this (slow-header clients get 408). */
  readonly headersMs: number;
  /** Whole request, headers and body, must arrive within this. */
  readonly requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveMs: number;
  /** A socket without any traffic for this long is destroyed. */
  readonly idleMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, idleMs: 60_000 };

/** Open connections beyond this are closed at once (default of `--http-max-connections`). */
export const DEFAULT_MAX_CONNECTIONS = 256;

/** A request the server refused before any route saw it (bad target, unknown path, wrong method). */
export interface RefusedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly reason: string;
}

export interface ControllerHttpServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Serves `GET /metrics`; absent: 404 (e.g. on the public webhook listener). */
  readonly metrics?: { chunks(): AsyncIterable<string> | Iterable<string>; readonly contentType: string };
  /** Serves `GET /status` (JSON); absent: 404. */
  readonly status?: () => unknown;
  /** `GET /healthz`: alive and the loop not stuck. */
  readonly liveness: () => Probe;
  /** `GET /readyz`: first source read and first observe done; absent: 404. */
  readonly readiness?: () => Probe;
  /** Default body limit of registered routes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Open connections at most; more are closed on accept (default 256). */
  readonly maxConnections?: number;
  readonly timeouts?: Partial<HttpTimeouts>;
  /** How long one metrics serialization is reused by later scrapes (default 1000 ms). */
  readonly metricsCacheMs?: number;
  /** Called when a handler throws (the client gets a 500 without details). */
  readonly onError?: (err: unknown, req: { method: string; path: string }) => void;
  /** Called for requests answered 400, 404 or 405 by the server itself. */
  readonly onRefused?: (req: RefusedRequest) => void;
  /** Called when a connection is closed on accept because `maxConnections` are open. */
  readonly onConnectionDropped?: () => void;
}

/** Counters of the server, for tests and the flood bench. */
export interface HttpServerStats {
  /** Metrics serializations performed (one per scrape burst). */
  readonly metricsRenders: number;
  /** Scrapes whose client was gone before the answer, so nothing was serialized or written for it. */
  readonly scrapesOfGoneClients: number;
  /** Connections closed on accept because the cap was reached. */
  readonly droppedConnections: number;
}

export interface ControllerHttpServer {
  /** e.g. `http://127.0.0.1:8080` */
  readonly url: string;
  readonly port: number;
  /**
   * Mounts a handler, e.g. `registerRoute('POST', '/hooks/github', handler)`. The built-in
   * routes cannot be replaced.
   */
  registerRoute(method: string, path: string, handler: RouteHandler, options?: RouteOptions): void;
  /** The time limits in force. */
  readonly timeouts: HttpTimeouts;
  readonly maxConnections: number;
  stats(): HttpServerStats;
  /** Connections open right now. */
  connections(): Promise<number>;
  /** Stops accepting connections; open ones get `graceMs` to finish, then are closed. */
  close(graceMs?: number): Promise<void>;
}

class BodyTooLarge extends Error {}

interface Route {
  readonly handler: RouteHandler;
  readonly maxBodyBytes: number;
  readonly onTooLarge: RouteOptions['onTooLarge'];
}

const BUILT_IN = new Set(['GET /metrics', 'GET /status', 'GET /healthz', 'GET /readyz']);

/** Starts the controller's HTTP server. */
export async function startHttpServer(options: ControllerHttpServerOptions): Promise<ControllerHttpServer> {
  const defaultLimit = options.maxBodyBytes ?? 1024 * 1024;
  const routes = new Map<string, Route>();
  const timeouts: HttpTimeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.timeouts };
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!(Number.isInteger(maxConnections) && maxConnections >= 1)) throw new RangeError(`maxConnections must be a positive integer (got ${maxConnections})`);
  const metricsSource = options.metrics;
  const shared = metricsSource && new SharedRender(() => metricsSource.chunks(), { cacheMs: options.metricsCacheMs ?? 1_000 });
  let goneScrapes = 0;
  let dropped = 0;
  const builtIns = new Set<string>();
  if (options.metrics) builtIns.add('/metrics');
  if (options.status) builtIns.add('/status');
  builtIns.add('/healthz');
  if (options.readiness) builtIns.add('/readyz');

  const refused = (req: RefusedRequest): void => {
    try {
      options.onRefused?.(req);
    } catch {
      // The reporter must not change the answer.
    }
  };

  const builtIn = async (req: IncomingMessage, method: string, path: string): Promise<HttpResponse | 'gone' | undefined> => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    switch (path) {
      case '/metrics': {
        if (!shared || !metricsSource) return undefined;
        // A client that is gone costs nothing: no serialization, no write. The request is
        // read to its end first, so a client that hangs up mid-request is seen as gone.
        await requestDone(req);
        if (clientGone(req)) {
          goneScrapes++;
          return 'gone';
        }
        const compressed = await shared.get();
        const { gzip, headers } = negotiated(req, metricsSource.contentType);
        if (gzip) return { status: 200, headers, body: compressed };
        return { status: 200, headers, stream: () => Readable.from([compressed]).pipe(createGunzip()) };
      }
      case '/status': {
        if (!options.status) return undefined;
        const payload = options.status();
        return payload instanceof JsonPieces ? jsonPieces(req, payload) : json(200, payload);
      }
      case '/healthz':
        return probe(options.liveness());
      case '/readyz':
        return options.readiness ? probe(options.readiness()) : undefined;
      default:
        return undefined;
    }
  };

  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // How often the headers and request timeouts are checked (Node's default is 30 s).
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(timeouts.headersMs / 2))),
    },
    (req, res) => {
      const method = req.method ?? 'GET';
      const url = requestUrl(req);
      // Anyone who reaches the port (webhooks face the internet) can send any request target.
      if (!url) {
        refused({ method, path: '?', status: 400, reason: 'bad request target' });
        return send(req, res, { status: 400, headers: { 'content-type': 'text/plain' }, body: 'bad request target\n' });
      }
      handle(req, res, method, url).catch((err: unknown) => {
        try {
          options.onError?.(err, { method, path: url.pathname });
        } catch {
          // The error reporter must not take the server down.
        }
        send(req, res, { status: 500, headers: { 'content-type': 'text/plain' }, body: 'internal error\n' });
      });
    },
  );
  server.maxConnections = maxConnections;
  server.setTimeout(timeouts.idleMs);
  server.on('drop', () => {
    dropped++;
    try {
      options.onConnectionDropped?.();
    } catch {
      // The reporter must not take the server down.
    }
  });

  async function handle(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
    const path = url.pathname;
    const fixed = await builtIn(req, method, path);
    if (fixed === 'gone') return;
    if (fixed) return send(req, res, method === 'HEAD' ? { ...fixed, body: '' } : fixed);
    const route = routes.get(`${method} ${path}`);
    if (!route) {
      const served = [...routes.keys(), ...[...builtIns].map((p) => `GET ${p}`)];
      const allowed = served.filter((k) => k.endsWith(` ${path}`)).map((k) => k.split(' ')[0]!);
      if (allowed.length > 0) {
        refused({ method, path, status: 405, reason: 'method not allowed' });
        return send(req, res, { status: 405, headers: { allow: allowed.join(', '), 'content-type': 'text/plain' }, body: 'method not allowed\n' });
      }
      refused({ method, path, status: 404, reason: 'not found' });
      return send(req, res, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found\n' });
    }
    let body: Buffer;
    try {
      body = await readBody(req, route.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        const tooLarge = route.onTooLarge?.({ method, path, query: url.searchParams, headers: req.headers });
        return send(req, res, {
          status: 413,
          headers: tooLarge?.headers ?? { 'content-type': 'text/plain' },
          body: tooLarge?.body ?? `body larger than ${route.maxBodyBytes} bytes\n`,
        });
      }
      throw err;
    }
    send(req, res, await route.handler({ method, path, query: url.searchParams, headers: req.headers, body }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `http://${hostForUrl.includes(':') ? `[${hostForUrl}]` : hostForUrl}:${port}`;

  return {
    url,
    port,
    timeouts,
    maxConnections,
    stats: () => ({ metricsRenders: shared?.renders ?? 0, scrapesOfGoneClients: goneScrapes, droppedConnections: dropped }),
    connections: () => new Promise<number>((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n)))),
    registerRoute(method, path, handler, routeOptions = {}) {
      const id = `${method.toUpperCase()} ${path}`;
      if (BUILT_IN.has(id)) throw new Error(`${id} is a built-in route`);
      if (routes.has(id)) throw new Error(`${id} is already registered`);
      routes.set(id, { handler, maxBodyBytes: routeOptions.maxBodyBytes ?? defaultLimit, onTooLarge: routeOptions.onTooLarge });
    },
    close(graceMs = 5_000) {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}

/** The request target as a URL, or undefined when it is not one (`GET //[ HTTP/1.1`). */
function requestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://controller');
  } catch {
    return undefined;
  }
}

/**
 * A JSON answer given as the pieces of its text (`JSON.stringify(value, null, 2)` cut up), sent
 * as they are made instead of as one string: /status of thousands of resources is tens of MB.
 */
export class JsonPieces {
  constructor(readonly pieces: () => Iterable<string>) {}
}

/** A body read from `pieces` as the socket takes it (one piece ahead), gzip-compressed if asked. */
function streamed(pieces: () => Iterable<string> | AsyncIterable<string>, gzip: boolean): () => Readable {
  return () => {
    const source = Readable.from(pieces(), { highWaterMark: 1 });
    if (!gzip) return source;
    const compressed = createGzip();
    // A failed source destroys `compressed`, which ends the response.
    pipeline(source, compressed).catch(() => undefined);
    return compressed;
  };
}

/** Whether the answer to `req` is gzip-compressed (the client asks for it), and its headers. */
function negotiated(req: IncomingMessage, contentType: string): { gzip: boolean; headers: Record<string, string> } {
  const gzip = acceptsGzip(req.headers['accept-encoding']);
  return { gzip, headers: { 'content-type': contentType, vary: 'Accept-Encoding', ...(gzip ? { 'content-encoding': 'gzip' } : {}) } };
}

function jsonPieces(req: IncomingMessage, payload: JsonPieces): HttpResponse {
  const { gzip, headers } = negotiated(req, 'application/json; charset=utf-8');
  return {
    status: 200,
    headers,
    stream: streamed(function* () {
      yield* payload.pieces();
      yield '\n';
    }, gzip),
  };
}

function json(status: number, payload: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: `${JSON.stringify(payload, null, 2)}\n` };
}

function probe(p: Probe): HttpResponse {
  return { status: p.ok ? 200 : 503, headers: { 'content-type': 'text/plain' }, body: p.ok ? 'ok\n' : `${p.reason ?? 'not ok'}\n` };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Resolves once the request was received in full, or the connection closed before that. */
function requestDone(req: IncomingMessage): Promise<void> {
  if (req.complete || req.destroyed || clientGone(req)) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      req.off('end', done);
      req.off('close', done);
      req.off('error', done);
      resolve();
    };
    req.on('end', done);
    req.on('close', done);
    req.on('error', done);
    // A GET body is never used: discard it so 'end' can come.
    req.resume();
  });
}

/** The client closed or reset the connection: nothing it asked for is worth computing or writing. */
export function clientGone(req: IncomingMessage): boolean {
  // Not `req.destroyed`: a request is destroyed once its body has been read in full (and a
  // destroyed request lets go of its socket, so `req.socket` can be null).
  if (req.destroyed && !req.complete) return true;
  const socket = req.socket as IncomingMessage['socket'] | null;
  return socket !== null && (socket.destroyed || !socket.writable);
}

function send(req: IncomingMessage, res: ServerResponse, r: HttpResponse): void {
  if (res.headersSent || res.writableEnded) return;
  const socket = res.socket ?? (req.socket as IncomingMessage['socket'] | null);
  if (socket && (socket.destroyed || !socket.writable)) return;
  if (r.stream) {
    res.writeHead(r.status, { ...r.headers });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // A failed stream or a client gone mid-body ends the response (pipeline destroys it).
    pipeline(r.stream(), res).catch(() => undefined);
    return;
  }
  const body = r.body ?? '';
  res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
