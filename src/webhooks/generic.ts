import { checkOptions, guard, header, parseJson, responder, withLimit } from './common.js';
import type { WebhookHandler, WebhookHeaders, WebhookOptions } from './types.js';

/** The header the generic endpoint reads: `X-Signature-256: sha256=<hex>` (HMAC-SHA256 of the raw body). */
export const GENERIC_SIGNATURE_HEADER = 'x-signature-256';

/**
 * Generic signed trigger for any CI system: a POST whose raw body (empty, or a JSON
 * object, optionally `{"ref": "...", "revision": "..."}` for the logs) is signed with
 * `X-Signature-256: sha256=<hex>`. A valid request asks for one fetch and answers 202.
 */
export function createGenericWebhook(options: WebhookOptions): WebhookHandler {
  const maxBodyBytes = checkOptions(options);
  return withLimit((headers: WebhookHeaders, rawBody: Buffer) => {
    const delivery = header(headers, 'x-request-id');
    const answer = responder('generic', options, delivery);
    const denied = guard(headers, rawBody, maxBodyBytes, GENERIC_SIGNATURE_HEADER, options, answer);
    if (denied) return denied;

    let ref: string | undefined;
    let revision: string | undefined;
    const text = rawBody.toString('utf8').trim();
    if (text !== '') {
      const body = parseJson(text);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return answer('malformed', 'body must be empty or a JSON object');
      const b = body as Record<string, unknown>;
      ref = typeof b['ref'] === 'string' ? b['ref'] : undefined;
      revision = typeof b['revision'] === 'string' ? b['revision'] : undefined;
    }
    options.onTrigger({ kind: 'generic', ref, revision, delivery });
    return answer('triggered', 'fetch requested');
  }, maxBodyBytes);
}
