import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ALARM_STATES, type AlarmState } from './alarms.js';
import { SandboxError, notImplemented } from './errors.js';
import type { FaultRule } from './faults.js';
import type { AdminRoutes, JsonService, RestRequest, RestResponse, RestService } from './protocol/types.js';
import { resolveOptions, type JsonObject, type SandboxOptions, type SandboxServiceName } from './types.js';
import { SandboxWorld } from './world.js';
import { createServices, type SandboxServices } from './services.js';
import { accessKeyOf, type Caller } from './principals.js';
import type { CallerTag } from './call-log.js';

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** A running sandbox: its endpoint and the handle tests use to inspect and steer it. */
export interface SandboxHandle {
  /** e.g. `http://127.0.0.1:43123` */
  readonly endpoint: string;
  readonly port: number;
  readonly world: SandboxWorld;
  /** The default account's services. */
  readonly services: SandboxServices;
  /**
   * The services (state) of one account: the default account's are `services`; another
   * account's are created on first use (a call signed with credentials STS issued for a role
   * in it, or this method).
   */
  account(accountId: string): SandboxServices;
  /** Settings for an AWS SDK client: endpoint, region, dummy credentials. */
  clientConfig(): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /** Adds a fault rule; returns its id. */
  fault(rule: FaultRule): number;
  /** Empties all state, faults and the call log. */
  reset(): void;
  stop(): Promise<void>;
}

/** Starts the sandbox HTTP server (in-process). */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const resolved = resolveOptions(options);
  const world = new SandboxWorld(resolved);
  // State per account: the default account's, and those of accounts reached through AssumeRole.
  let accounts = new Map<string, SandboxServices>();
  const servicesOf = (accountId: string): SandboxServices => {
    let s = accounts.get(accountId);
    if (!s) {
      s = createServices(world.forAccount(accountId));
      accounts.set(accountId, s);
    }
    return s;
  };

  const server = createServer((req, res) => {
    handle(world, servicesOf, () => reset(), req, res).catch((err: unknown) => {
      // Never crash the sandbox on a bug: answer 500 and keep serving.
      const message = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`sandbox internal error: ${message}`);
      }
    });
  });
  server.keepAliveTimeout = 5_000;

  function reset(): void {
    world.scheduler.clear();
    world.faults.clear();
    world.calls.reset();
    world.alarms.clear();
    world.principals.clear();
    accounts = new Map();
    servicesOf(resolved.accountId);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host}:${port}`;
  // Queue URLs name the endpoint, so the services are built once it is known.
  world.endpoint = endpoint;
  servicesOf(resolved.accountId);

  return {
    endpoint,
    port,
    world,
    get services() {
      return servicesOf(resolved.accountId);
    },
    account: servicesOf,
    clientConfig: () => ({
      endpoint,
      region: resolved.region,
      credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    }),
    fault: (rule) => world.faults.add(rule),
    reset,
    stop: () =>
      new Promise<void>((resolve) => {
        world.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY_BYTES) throw new SandboxError('RequestEntityTooLarge', 'request body too large', 413);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

const EXPIRED_MESSAGE = 'The security token included in the request is expired';

async function handle(
  world: SandboxWorld,
  servicesOf: (accountId: string) => SandboxServices,
  reset: () => void,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBody(req);
  world.scheduler.runDue();
  const url = new URL(req.url ?? '/', 'http://sandbox');
  if (url.pathname.startsWith('/_sandbox/')) {
    const account = url.searchParams.get('account');
    return handleAdmin(world, servicesOf(account ?? world.options.accountId), reset, req.method ?? 'GET', url, body, res);
  }
  // The signature's access key says which account the call acts in.
  const caller = world.principals.resolve(accessKeyOf(req.headers, url.searchParams), world.options.accountId);
  const services = servicesOf(caller.accountId);
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const svc = services.json.find((s) => target.startsWith(`${s.targetPrefix}.`));
    return handleJson(world, svc, target, body, res, services, caller);
  }
  const restReq: RestRequest = {
    method: req.method ?? 'GET',
    path: decodeURIComponent(url.pathname),
    query: url.searchParams,
    headers: req.headers,
    body,
  };
  const svc = services.rest.find((s) => s.owns(restReq));
  if (!svc) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(`no sandbox service answers ${restReq.method} ${restReq.path}`);
    return;
  }
  return handleRest(world, svc, restReq, res, services, caller);
}

function sendJson(res: ServerResponse, status: number, payload: unknown, requestId: string, contentType = JSON_CONTENT_TYPE): void {
  const text = JSON.stringify(payload ?? {});
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

function jsonError(err: SandboxError, prefix = ''): JsonObject {
  return { __type: `${prefix}${err.code}`, message: err.message, Message: err.message, ...err.extra };
}

function tagOf(caller: Caller): CallerTag {
  return { account: caller.accountId, accessKeyId: caller.accessKeyId };
}

async function handleJson(
  world: SandboxWorld,
  svc: JsonService | undefined,
  target: string,
  body: Buffer,
  res: ServerResponse,
  services: SandboxServices,
  caller: Caller,
): Promise<void> {
  const requestId = randomUUID();
  const operation = target.slice(target.lastIndexOf('.') + 1);
  const who = tagOf(caller);
  const prefix = svc?.errorTypePrefix ?? '';
  let input: JsonObject = {};
  try {
    const parsed: unknown = body.length ? JSON.parse(body.toString('utf8')) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) input = parsed as JsonObject;
  } catch {
    sendJson(res, 400, { __type: 'SerializationException', message: 'request body is not valid JSON' }, requestId);
    return;
  }
  const serviceName: SandboxServiceName = svc?.name ?? 'ecs';
  const op = svc?.operations[operation];
  if (!svc || !op) {
    const err = notImplemented(svc?.name ?? target.slice(0, target.lastIndexOf('.')), operation);
    world.calls.record(serviceName, operation, input, err.code, err.status, world.now(), who);
    sendJson(res, err.status, jsonError(err), requestId);
    return;
  }
  if (caller.expired) {
    const err = new SandboxError('ExpiredTokenException', EXPIRED_MESSAGE, 400);
    world.calls.record(svc.name, operation, input, err.code, err.status, world.now(), who);
    sendJson(res, err.status, jsonError(err, prefix), requestId, svc.contentType);
    return;
  }
  const decision = world.faults.decide(svc.name, operation);
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  if (decision.error) {
    world.calls.record(svc.name, operation, input, decision.error.code, decision.error.status, world.now(), who);
    sendJson(res, decision.error.status, jsonError(decision.error, prefix), requestId, svc.contentType);
    return;
  }
  try {
    const out = await op(input);
    if (decision.dropResponse) {
      world.calls.record(svc.name, operation, input, 'dropped', 0, world.now(), who);
      res.socket?.destroy();
      return;
    }
    world.calls.record(svc.name, operation, input, 'ok', 200, world.now(), who);
    services.events.apiCall(svc.name, operation, input, out);
    sendJson(res, 200, out, requestId, svc.contentType);
  } catch (err) {
    const e = err instanceof SandboxError ? err : new SandboxError('InternalFailure', String(err instanceof Error ? err.message : err), 500);
    world.calls.record(svc.name, operation, input, e.code, e.status, world.now(), who);
    sendJson(res, e.status, jsonError(e, prefix), requestId, svc.contentType);
  }
}

function sendRest(res: ServerResponse, out: RestResponse, requestId: string): void {
  const body = typeof out.body === 'string' ? Buffer.from(out.body, 'utf8') : out.body;
  res.writeHead(out.status, {
    'content-type': 'text/xml',
    'x-amzn-requestid': requestId,
    'x-amz-request-id': requestId,
    ...out.headers,
    'content-length': String(body.length),
  });
  res.end(body);
}

async function handleRest(
  world: SandboxWorld,
  svc: RestService,
  req: RestRequest,
  res: ServerResponse,
  services: SandboxServices,
  caller: Caller,
): Promise<void> {
  const requestId = randomUUID();
  const who = tagOf(caller);
  const call = svc.route(req);
  if (!call) {
    const err = notImplemented(svc.name, `${req.method} ${req.path}`);
    world.calls.record(svc.name, `${req.method} ${req.path}`, {}, err.code, err.status, world.now(), who);
    sendRest(res, svc.renderError(err, requestId), requestId);
    return;
  }
  if (caller.expired) {
    // S3 and Route 53 name it ExpiredToken; STS ExpiredTokenException.
    const err = new SandboxError(svc.name === 'sts' ? 'ExpiredTokenException' : 'ExpiredToken', EXPIRED_MESSAGE, 400);
    world.calls.record(svc.name, call.operation, call.logInput, err.code, err.status, world.now(), who);
    sendRest(res, svc.renderError(err, requestId), requestId);
    return;
  }
  const decision = world.faults.decide(svc.name, call.operation);
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  if (decision.error) {
    world.calls.record(svc.name, call.operation, call.logInput, decision.error.code, decision.error.status, world.now(), who);
    sendRest(res, svc.renderError(decision.error, requestId), requestId);
    return;
  }
  try {
    const out = await call.run();
    if (decision.dropResponse) {
      world.calls.record(svc.name, call.operation, call.logInput, 'dropped', 0, world.now(), who);
      res.socket?.destroy();
      return;
    }
    world.calls.record(svc.name, call.operation, call.logInput, 'ok', out.status, world.now(), who);
    services.events.apiCall(svc.name, call.operation, call.logInput, null);
    sendRest(res, out, requestId);
  } catch (err) {
    const e = err instanceof SandboxError ? err : new SandboxError('InternalFailure', String(err instanceof Error ? err.message : err), 500);
    world.calls.record(svc.name, call.operation, call.logInput, e.code, e.status, world.now(), who);
    sendRest(res, svc.renderError(e, requestId), requestId);
  }
}

function sendAdmin(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload ?? {}, null, 2);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Admin API (JSON):
 *   POST   /_sandbox/reset                 empty all state, faults and the call log
 *   GET    /_sandbox/calls?since=<ms>      the call log
 *   GET    /_sandbox/counters              per-operation counters {ok, error, throttled}
 *   GET    /_sandbox/faults                active fault rules
 *   POST   /_sandbox/faults                add a rule (FaultRule JSON); returns {id}
 *   DELETE /_sandbox/faults                remove all rules and rate limits
 *   POST   /_sandbox/rate-limits           {"enforce": true, "overrides": {"ecs:service-read": {...}}}
 *   GET    /_sandbox/events                the queue change events go to: {"queueName", "delayMs"} or {}
 *   POST   /_sandbox/events                {"queueName": "...", "delayMs": 500}: send events there (creates the queue); returns {queueUrl}
 *   DELETE /_sandbox/events                send no more events
 *   GET    /_sandbox/cloudwatch/alarms     alarm states set so far
 *   POST   /_sandbox/cloudwatch/alarms     {"name": "...", "state": "OK" | "ALARM" | "INSUFFICIENT_DATA"}
 *   DELETE /_sandbox/cloudwatch/alarms     every alarm OK again
 *   *      /_sandbox/<service>/...         service-specific switches (see each service)
 */
function handleAdmin(world: SandboxWorld, services: SandboxServices, reset: () => void, method: string, url: URL, body: Buffer, res: ServerResponse): void {
  let input: JsonObject = {};
  try {
    if (body.length) input = JSON.parse(body.toString('utf8')) as JsonObject;
  } catch {
    sendAdmin(res, 400, { error: 'body is not valid JSON' });
    return;
  }
  const path = url.pathname.slice('/_sandbox/'.length);
  try {
    if (method === 'POST' && path === 'reset') {
      reset();
      return sendAdmin(res, 200, { ok: true });
    }
    if (method === 'GET' && path === 'calls') return sendAdmin(res, 200, world.calls.calls(Number(url.searchParams.get('since') ?? 0)));
    if (method === 'GET' && path === 'counters') return sendAdmin(res, 200, world.calls.counts());
    if (path === 'faults') {
      if (method === 'GET') return sendAdmin(res, 200, world.faults.list());
      if (method === 'POST') return sendAdmin(res, 200, { id: world.faults.add(input as unknown as FaultRule) });
      if (method === 'DELETE') {
        world.faults.clear();
        return sendAdmin(res, 200, { ok: true });
      }
    }
    if (method === 'POST' && path === 'rate-limits') {
      world.faults.enforceRateLimits(input['enforce'] !== false, (input['overrides'] ?? {}) as never);
      return sendAdmin(res, 200, { ok: true });
    }
    if (path === 'events') return sendAdmin(res, 200, eventsAdmin(world, services, method, input));
    if (path === 'cloudwatch/alarms') {
      const out = alarmsAdmin(world, method, input);
      if (out !== undefined) return sendAdmin(res, 200, out);
    }
    const slash = path.indexOf('/');
    const svcName = slash < 0 ? path : path.slice(0, slash);
    const admin = services.admin[svcName as SandboxServiceName];
    if (admin) {
      const out = admin.admin(method, slash < 0 ? '' : path.slice(slash + 1), input);
      if (out !== undefined) return sendAdmin(res, 200, out);
    }
    sendAdmin(res, 404, { error: `no admin route ${method} /_sandbox/${path}` });
  } catch (err) {
    const status = err instanceof SandboxError ? err.status : 500;
    sendAdmin(res, status, { error: err instanceof Error ? err.message : String(err) });
  }
}

/** Which SQS queue receives the change events (see ChangeEvents). */
function eventsAdmin(world: SandboxWorld, services: SandboxServices, method: string, input: JsonObject): unknown {
  if (method === 'GET') return services.events.current() ?? {};
  if (method === 'DELETE') {
    services.events.configure(undefined);
    return { ok: true };
  }
  if (method !== 'POST') throw new SandboxError('ValidationError', `${method} /_sandbox/events is not a route`, 404);
  const name = input['queueName'];
  const delay = input['delayMs'] ?? world.options.eventDelayMs;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(name))
    throw new SandboxError('ValidationError', 'queueName (an SQS queue name) is required', 400);
  if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) throw new SandboxError('ValidationError', 'delayMs must be a number >= 0', 400);
  const queue = services.sqs.queues.create(name);
  services.events.configure({ queueName: name, delayMs: delay });
  return { queueUrl: queue.url };
}

/** The CloudWatch alarm switch: the sandbox's only CloudWatch surface. */
function alarmsAdmin(world: SandboxWorld, method: string, input: JsonObject): unknown {
  if (method === 'GET') return world.alarms.list();
  if (method === 'DELETE') {
    world.alarms.clearStates();
    return { ok: true };
  }
  if (method !== 'POST') return undefined;
  const name = input['name'];
  const state = input['state'];
  if (typeof name !== 'string' || name === '') throw new SandboxError('ValidationError', 'name (the alarm name) is required', 400);
  if (!ALARM_STATES.includes(state as AlarmState)) throw new SandboxError('ValidationError', `state must be one of ${ALARM_STATES.join(', ')}`, 400);
  world.alarms.set(name, state as AlarmState);
  return { name, state };
}

export type { AdminRoutes };
