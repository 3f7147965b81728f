/** Request headers as node's `IncomingHttpHeaders` gives them (lower-case names). */
export type WebhookHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * How a webhook request ended; the `result` label of `webhook_requests_total`.
 * `triggered` 202 · `ignored` 200 (ping, other event, other branch) · `unauthorized` 401
 * (missing or wrong signature) · `too_large` 413 · `malformed` 400 (bad JSON or headers).
 */
export type WebhookResult = 'triggered' | 'ignored' | 'unauthorized' | 'too_large' | 'malformed';

/** What the HTTP server sends back: `body` is serialized as JSON. */
export interface WebhookResponse {
  readonly status: number;
  readonly body: { readonly result: WebhookResult; readonly message: string };
}

/** Which endpoint answered. */
export type WebhookKind = 'github' | 'generic';

/** Passed to `onTrigger`: why a fetch is wanted. */
export interface WebhookTrigger {
  readonly kind: WebhookKind;
  /** The pushed ref (GitHub) or the `ref` field of a generic body, when known. */
  readonly ref: string | undefined;
  /** The pushed commit (GitHub `after`), when known. */
  readonly revision: string | undefined;
  /** GitHub `X-GitHub-Delivery`, for correlating logs. */
  readonly delivery: string | undefined;
}

/** One answered request, for metrics and logs (never carries secrets or the body). */
export interface WebhookRequestEvent {
  readonly kind: WebhookKind;
  readonly result: WebhookResult;
  readonly status: number;
  readonly message: string;
  readonly delivery: string | undefined;
}

export interface WebhookOptions {
  /**
   * Shared secrets; a request signed with any of them is accepted (so a secret can be
   * rotated without downtime). At least one non-empty secret is required.
   */
  readonly secrets: readonly string[];
  /** Largest accepted body (default 1 MiB); larger gets 413 before any other check. */
  readonly maxBodyBytes?: number;
  /** Asks for a fetch (e.g. `() => poller.requestFetch()`); must not throw. */
  readonly onTrigger: (trigger: WebhookTrigger) => void;
  /** Every answered request (metrics, logs). */
  readonly onRequest?: (event: WebhookRequestEvent) => void;
}

/**
 * A webhook endpoint as a plain function over the raw body, so any HTTP server can mount
 * it. `maxBodyBytes` lets the server stop reading a body early (answer 413 itself, or
 * pass what it read and let the handler answer).
 */
export type WebhookHandler = ((headers: WebhookHeaders, rawBody: Buffer) => WebhookResponse) & {
  readonly maxBodyBytes: number;
};

export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;
