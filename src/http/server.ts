import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export interface ControllerHttpServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Serves `GET /metrics`. */
  readonly metrics: { render(): Promise<string>; readonly contentType: string };
  /** Serves `GET /status` (JSON). */
  readonly status: () => unknown;
  /** `GET /healthz`: alive and the loop not stuck. */
  readonly liveness: () => Probe;
  /** `GET /readyz`: first source read and first observe done. */
  readonly readiness: () => Probe;
  /** Default body limit of registered routes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Called when a handler throws (the client gets a 500 without details). */
  readonly onError?: (err: unknown, req: { method: string; path: string }) => void;
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

  const builtIn = async (method: string, path: string): Promise<HttpResponse | undefined> => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    switch (path) {
      case '/metrics':
        return { status: 200, headers: { 'content-type': options.metrics.contentType }, body: await options.metrics.render() };
      case '/status':
        return json(200, options.status());
      case '/healthz':
        return probe(options.liveness());
      case '/readyz':
        return probe(options.readiness());
      default:
        return undefined;
    }
  };

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = requestUrl(req);
    // Anyone who reaches the port (webhooks face the internet) can send any request target.
    if (!url) return send(res, { status: 400, headers: { 'content-type': 'text/plain' }, body: 'bad request target\n' });
    handle(req, res, method, url).catch((err: unknown) => {
      try {
        options.onError?.(err, { method, path: url.pathname });
      } catch {
        // The error reporter must not take the server down.
      }
      send(res, { status: 500, headers: { 'content-type': 'text/plain' }, body: 'internal error\n' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
    const path = url.pathname;
    const fixed = await builtIn(method, path);
    if (fixed) return send(res, method === 'HEAD' ? { ...fixed, body: '' } : fixed);
    const route = routes.get(`${method} ${path}`);
    if (!route) {
      const allowed = [...routes.keys(), ...BUILT_IN].filter((k) => k.endsWith(` ${path}`)).map((k) => k.split(' ')[0]!);
      if (allowed.length > 0) return send(res, { status: 405, headers: { allow: allowed.join(', '), 'content-type': 'text/plain' }, body: 'method not allowed\n' });
      return send(res, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found\n' });
    }
    let body: Buffer;
    try {
      body = await readBody(req, route.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        const refused = route.onTooLarge?.({ method, path, query: url.searchParams, headers: req.headers });
        return send(res, {
          status: 413,
          headers: refused?.headers ?? { 'content-type': 'text/plain' },
          body: refused?.body ?? `body larger than ${route.maxBodyBytes} bytes\n`,
        });
      }
      throw err;
    }
    send(res, await route.handler({ method, path, query: url.searchParams, headers: req.headers, body }));
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

function send(res: ServerResponse, r: HttpResponse): void {
  if (res.headersSent) return;
  const body = r.body ?? '';
  res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
