import { checkSignature } from './signature.js';
import {
  DEFAULT_WEBHOOK_MAX_BODY_BYTES,
  type WebhookHandler,
  type WebhookHeaders,
  type WebhookKind,
  type WebhookOptions,
  type WebhookResponse,
  type WebhookResult,
} from './types.js';

const STATUS: Record<WebhookResult, number> = { triggered: 202, ignored: 200, unauthorized: 401, too_large: 413, malformed: 400 };

/** First value of a header. */
export function header(headers: WebhookHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Checks the options every endpoint shares; throws on a configuration mistake. */
export function checkOptions(options: WebhookOptions): number {
  if (options.secrets.length === 0 || options.secrets.some((s) => s.length === 0)) {
    throw new RangeError('webhook secrets must be non-empty (an endpoint without a secret would accept anyone)');
  }
  return options.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES;
}

/** Per-request answer helper: builds the response and reports it. */
export function responder(kind: WebhookKind, options: WebhookOptions, delivery: string | undefined) {
  return (result: WebhookResult, message: string): WebhookResponse => {
    const status = STATUS[result];
    try {
      options.onRequest?.({ kind, result, status, message, delivery });
    } catch {
      // Metrics must never change the answer.
    }
    return { status, body: { result, message } };
  };
}

/**
 * The checks in front of every endpoint, in order: size (declared or actual), then the
 * signature over the raw bytes. Returns a response to send, or undefined to go on.
 */
export function guard(
  headers: WebhookHeaders,
  body: Buffer,
  maxBodyBytes: number,
  signatureHeader: string,
  options: WebhookOptions,
  answer: ReturnType<typeof responder>,
): WebhookResponse | undefined {
  const declared = Number(header(headers, 'content-length') ?? body.length);
  if (body.length > maxBodyBytes || declared > maxBodyBytes) return answer('too_large', `body larger than ${maxBodyBytes} bytes`);
  const check = checkSignature(header(headers, signatureHeader), body, options.secrets);
  if (check === 'missing') return answer('unauthorized', `missing ${signatureHeader} header`);
  if (check !== 'valid') return answer('unauthorized', `invalid ${signatureHeader} signature`);
  return undefined;
}

/** Parses a JSON body; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function withLimit(fn: (headers: WebhookHeaders, rawBody: Buffer) => WebhookResponse, maxBodyBytes: number): WebhookHandler {
  return Object.assign(fn, { maxBodyBytes });
}
