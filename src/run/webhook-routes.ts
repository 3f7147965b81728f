import type { Logger } from 'pino';
import type { ControllerHttpServer, HttpResponse } from '../http/server.js';
import { LogSampler } from '../observability/log-sampler.js';
import type { ControllerMetrics, WebhookResult as MetricResult } from '../observability/metrics.js';
import type { ThrottleOutcome } from '../webhooks/fetch-throttle.js';
import { createGenericWebhook } from '../webhooks/generic.js';
import { createGitHubWebhook } from '../webhooks/github.js';
import type { WebhookHandler, WebhookResult, WebhookTrigger } from '../webhooks/types.js';

/** Paths of the webhook endpoints on the controller's HTTP server. */
export const WEBHOOK_PATHS = { github: '/hooks/github', generic: '/hooks/generic' } as const;

/** The `result` label of webhook_requests_total for each endpoint answer. */
const METRIC_RESULT: Readonly<Record<WebhookResult, MetricResult>> = {
  triggered: 'accepted',
  ignored: 'ignored',
  unauthorized: 'invalid-signature',
  too_large: 'too-large',
  malformed: 'bad-request',
};

export interface WebhookRouteOptions {
  /** HMAC secret; without one both routes answer 404 (disabled). */
  readonly secret: string | undefined;
  /** The Git ref the source follows (GitHub pushes to other refs are ignored). */
  readonly ref: string | undefined;
  /** Asks for a source fetch through the throttle (a flood of valid pushes costs at most two fetches per interval). */
  readonly requestFetch: () => ThrottleOutcome;
  readonly metrics: Pick<ControllerMetrics, 'recordWebhook'>;
  readonly logger: Logger;
  /** Rate of the log lines about refused requests (default: first one, then one per 10 s). */
  readonly refusalLog?: LogSampler;
}

/** Webhook answers that refuse the request; their log lines are sampled. */
const REFUSED: ReadonlySet<WebhookResult> = new Set(['unauthorized', 'too_large', 'malformed']);

function asHttp(handler: WebhookHandler): (req: { headers: Record<string, string | string[] | undefined>; body: Buffer }) => HttpResponse {
  return (req) => {
    const out = handler(req.headers, req.body);
    return { status: out.status, headers: { 'content-type': 'application/json' }, body: `${JSON.stringify(out.body)}\n` };
  };
}

/**
 * Mounts `POST /hooks/github` and `POST /hooks/generic`. Every answer is counted and logged
 * (never the body or the signature); a valid push asks the poller for a fetch.
 */
export function registerWebhookRoutes(server: ControllerHttpServer, options: WebhookRouteOptions): void {
  if (options.secret === undefined) {
    const disabled = (): HttpResponse => ({
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: `${JSON.stringify({ result: 'disabled', message: 'webhooks are disabled: no webhook secret is configured' })}\n`,
    });
    server.registerRoute('POST', WEBHOOK_PATHS.github, disabled);
    server.registerRoute('POST', WEBHOOK_PATHS.generic, disabled);
    return;
  }
  const sampler = options.refusalLog ?? new LogSampler();
  const common = {
    secrets: [options.secret],
    onTrigger: (t: WebhookTrigger) => {
      const outcome = options.requestFetch();
      const line = { webhook: t.kind, ref: t.ref, revision: t.revision, delivery: t.delivery, fetch: outcome };
      // Only the triggers that start or queue a fetch are worth a line; the rest join the queued one.
      if (outcome === 'started' || outcome === 'queued') options.logger.info(line, `webhook: source fetch ${outcome}`);
      else options.logger.debug(line, `webhook: source fetch ${outcome}`);
    },
    onRequest: (e: { kind: string; result: WebhookResult; status: number; message: string; delivery: string | undefined }) => {
      options.metrics.recordWebhook(METRIC_RESULT[e.result]);
      const line = { webhook: e.kind, result: e.result, status: e.status, delivery: e.delivery };
      if (!REFUSED.has(e.result)) {
        options.logger.debug(line, `webhook: ${e.message}`);
        return;
      }
      const decision = sampler.sample();
      if (decision.log) options.logger.warn({ ...line, suppressed: decision.suppressed }, `webhook refused: ${e.message}`);
    },
  };
  const github = createGitHubWebhook({ ...common, ...(options.ref !== undefined ? { ref: options.ref } : {}) });
  const generic = createGenericWebhook(common);
  // Over-limit bodies never reach the handlers: count and log them here, in the same shape.
  const tooLarge = (kind: string, maxBodyBytes: number) => (): HttpResponse => {
    const message = `body larger than ${maxBodyBytes} bytes`;
    common.onRequest({ kind, result: 'too_large', status: 413, message, delivery: undefined });
    return { status: 413, headers: { 'content-type': 'application/json' }, body: `${JSON.stringify({ result: 'too_large', message })}\n` };
  };
  server.registerRoute('POST', WEBHOOK_PATHS.github, asHttp(github), {
    maxBodyBytes: github.maxBodyBytes,
    onTooLarge: tooLarge('github', github.maxBodyBytes),
  });
  server.registerRoute('POST', WEBHOOK_PATHS.generic, asHttp(generic), {
    maxBodyBytes: generic.maxBodyBytes,
    onTooLarge: tooLarge('generic', generic.maxBodyBytes),
  });
}
