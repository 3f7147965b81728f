/**
 * One HTTP POST of a notification and what it means for delivery: done, retry (5xx, 429,
 * network error or timeout, with the server's Retry-After), or give up (any other answer).
 */

/** The outcome of one attempt. `detail` never holds a header or URL (they may carry secrets). */
export type PostOutcome =
  | { readonly kind: 'sent'; readonly status: number }
  | { readonly kind: 'retry'; readonly status?: number; readonly retryAfterMs?: number; readonly detail: string }
  | { readonly kind: 'rejected'; readonly status: number; readonly detail: string };

/** The fetch this module needs (the global one by default; tests may pass their own). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface PostRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const MAX_DETAIL = 200;

/** POSTs once within `timeoutMs` (or until `signal` aborts); never throws. */
export async function postOnce(
  request: PostRequest,
  timeoutMs: number,
  fetchFn: FetchLike,
  now: () => number = Date.now,
  signal?: AbortSignal,
): Promise<PostOutcome> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(timeoutError()), timeoutMs);
  const onStop = (): void => ctl.abort();
  signal?.addEventListener('abort', onStop, { once: true });
  try {
    const res = await fetchFn(request.url, { method: 'POST', headers: { ...request.headers }, body: request.body, signal: ctl.signal });
    // Read the body so the connection is released; keep a short excerpt for the log line.
    const text = await res.text().catch(() => '');
    if (res.status >= 200 && res.status < 300) return { kind: 'sent', status: res.status };
    const detail = `HTTP ${res.status}${text ? `: ${oneLine(redact(text, request))}` : ''}`;
    if (res.status === 429 || res.status >= 500) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now());
      return { kind: 'retry', status: res.status, detail, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    }
    return { kind: 'rejected', status: res.status, detail };
  } catch (err) {
    return { kind: 'retry', detail: redact(networkDetail(err), request) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onStop);
  }
}

function timeoutError(): Error {
  const err = new Error('timed out');
  err.name = 'TimeoutError';
  return err;
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 10.2.3), in ms from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const t = value.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const at = Date.parse(t);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A server may echo what it received: its URL and credentials never reach a log line. */
function redact(text: string, request: PostRequest): string {
  const auth = request.headers['authorization'];
  const secrets = [request.url, pathOf(request.url), auth, auth?.replace(/^\S+\s+/, ''), request.headers['x-signature-256']];
  let out = text;
  for (const s of secrets) if (s !== undefined && s.length >= 8) out = out.replaceAll(s, '[Redacted]');
  return out;
}

function pathOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return undefined;
  }
}

function networkDetail(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'timed out';
    if (err.name === 'AbortError') return 'aborted';
    const code = (err.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? `network error ${code}` : `network error: ${oneLine(err.message)}`;
  }
  return 'network error';
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DETAIL ? `${flat.slice(0, MAX_DETAIL - 3)}...` : flat;
}
