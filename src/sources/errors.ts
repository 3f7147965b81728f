/**
 * Why a fetch failed, as a short stable word. Metrics use it as the `reason` label and the
 * controller maps it to a condition reason; the error code is `ECSGITOPS_SOURCE_<REASON>`.
 *
 * - `invalid_url`: the URL cannot be used (a human must fix the configuration).
 * - `unreachable`: the server could not be reached (DNS, connection refused, TLS).
 * - `auth`: the server refused the credentials (or none were given).
 * - `not_found`: repository, ref, bucket or directory does not exist.
 * - `timeout`: the fetch took longer than its time limit and was killed.
 * - `too_large`: more files or bytes than the configured limits.
 * - `empty`: the fetch succeeded but found no manifest file (never handed out: no prune).
 * - `aborted`: the caller cancelled the fetch (shutdown).
 * - `failed`: anything else.
 */
export type SourceFailureReason = 'invalid_url' | 'unreachable' | 'auth' | 'not_found' | 'timeout' | 'too_large' | 'empty' | 'aborted' | 'failed';

/** Every source failure reason, for pre-initializing metric label sets. */
export const SOURCE_FAILURE_REASONS: readonly SourceFailureReason[] = [
  'invalid_url',
  'unreachable',
  'auth',
  'not_found',
  'timeout',
  'too_large',
  'empty',
  'aborted',
  'failed',
];

/** A failed fetch. Messages never contain credentials. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly reason: SourceFailureReason,
    message: string,
    /** The source URL with credentials removed. */
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Stable error code, e.g. `ECSGITOPS_SOURCE_AUTH`. */
  get code(): string {
    return `ECSGITOPS_SOURCE_${this.reason.toUpperCase()}`;
  }
}

/** Wraps anything thrown by a fetch into a SourceError (keeping a SourceError as is). */
export function toSourceError(err: unknown, url: string, signal?: AbortSignal): SourceError {
  if (err instanceof SourceError) return err;
  if (signal?.aborted) return new SourceError('aborted', `fetch of ${url} was cancelled`, url, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new SourceError('failed', `fetch of ${url} failed: ${message}`, url, { cause: err });
}
