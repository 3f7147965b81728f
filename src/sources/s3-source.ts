import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, type S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { AwsClientHooks } from '../aws/clients.js';
import { createS3Client } from '../aws/s3-client.js';
import { makeArtifact, refetched, type Artifact, type SourceFile } from './artifact.js';
import { SourceError, type SourceFailureReason } from './errors.js';
import { LimitCounter } from './limits.js';
import { fileFromBytes, isManifestPath, type FileRefusal } from './manifest-files.js';
import { serialize } from './serialize.js';
import { DEFAULT_FETCH_TIMEOUT_MS, SILENT_LOGGER, type Source, type SourceLimits, type SourceLogger } from './source.js';
import type { S3Spec } from './url.js';

export interface S3SourceOptions {
  /** A ready client; otherwise one is built from `clientConfig`. */
  readonly client?: S3Client;
  /** SDK settings (region, endpoint, credentials). With an endpoint, path-style addressing is used. */
  readonly clientConfig?: S3ClientConfig;
  /** Rate limiter and call observer of a built client (the controller's, shared with its other AWS clients). */
  readonly hooks?: AwsClientHooks;
  readonly limits?: SourceLimits;
  /** Parallel GetObject calls (default 8). */
  readonly concurrency?: number;
  /** Time limit of one whole fetch, every list and get included (default 60 s). */
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly logger?: SourceLogger;
}

interface CachedObject {
  readonly etag: string;
  /** The object decoded (or refused) by the rule of manifest-files.ts. */
  readonly file: SourceFile;
}

interface Listed {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  /** Set when the object is over the per-file limit: refused without a download. */
  readonly refused?: FileRefusal;
}

/**
 * The `*.yaml`/`*.yml` objects under an S3 prefix. Revision = `sha256:` over the sorted
 * key/ETag list, so an unchanged prefix costs only the list calls; objects are downloaded
 * only when their ETag differs from the cached copy (GetObject with If-Match, so an
 * object overwritten between list and get fails the fetch instead of mixing versions).
 */
export class S3Source implements Source {
  readonly kind = 's3' as const;
  readonly url: string;
  private readonly client: S3Client;
  private readonly now: () => number;
  private readonly logger: SourceLogger;
  private cache = new Map<string, CachedObject>();
  private last: Artifact | undefined;

  constructor(
    private readonly spec: S3Spec,
    private readonly options: S3SourceOptions = {},
  ) {
    this.url = spec.url;
    this.client = options.client ?? createS3Client(options.clientConfig, options.hooks);
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? SILENT_LOGGER;
  }

  readonly fetch = serialize((signal?: AbortSignal): Promise<Artifact> => this.fetchNow(signal));

  /** Closes the client when this source built it. */
  close(): void {
    if (!this.options.client) this.client.destroy();
  }

  private async fetchNow(caller?: AbortSignal): Promise<Artifact> {
    // The SDK sets no time limit of its own: a connection that never answers would hold the poller forever.
    const deadline = AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS);
    const signal = caller ? AbortSignal.any([caller, deadline]) : deadline;
    try {
      const listed = await this.list(signal);
      const revision = revisionOf(listed);
      if (this.last?.revision === revision) return (this.last = refetched(this.last, this.now()));

      const next = new Map<string, CachedObject>();
      const stale = listed.filter((o) => !o.refused && this.cache.get(o.key)?.etag !== o.etag);
      for (const o of listed) {
        const cached = this.cache.get(o.key);
        if (cached?.etag === o.etag) next.set(o.key, cached);
      }
      await pool(stale, this.options.concurrency ?? 8, async (o) => {
        next.set(o.key, { etag: o.etag, file: fileFromBytes(this.pathOf(o.key), await this.get(o, signal)) });
      });
      const files: SourceFile[] = listed.map((o) => (o.refused ? { path: this.pathOf(o.key), content: '', refused: o.refused } : next.get(o.key)!.file));
      this.cache = next;
      this.logger.debug({ source: this.url, revision, files: files.length, downloaded: stale.length }, 'fetched s3 revision');
      return (this.last = makeArtifact(this.url, revision, files, this.now()));
    } catch (err) {
      throw this.classify(err, caller, deadline);
    }
  }

  private async list(signal?: AbortSignal): Promise<Listed[]> {
    const limits = new LimitCounter(this.url, this.options.limits);
    const out: Listed[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.spec.bucket, Prefix: this.spec.prefix || undefined, ContinuationToken: token }),
        { abortSignal: signal },
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key || !isManifestPath(o.Key.slice(this.spec.prefix.length))) continue;
        const size = o.Size ?? 0;
        const refused = limits.add(o.Key, size);
        out.push({ key: o.Key, etag: o.ETag ?? '', size, ...(refused ? { refused } : {}) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  private pathOf(key: string): string {
    return key.slice(this.spec.prefix.length);
  }

  private async get(o: Listed, signal?: AbortSignal): Promise<Uint8Array> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.spec.bucket, Key: o.key, IfMatch: o.etag || undefined }), { abortSignal: signal });
    if (!res.Body) throw new SourceError('failed', `${this.url}: object ${o.key} has no body`, this.url);
    return res.Body.transformToByteArray();
  }

  private classify(err: unknown, caller: AbortSignal | undefined, deadline: AbortSignal): SourceError {
    if (err instanceof SourceError) return err;
    if (!caller?.aborted && deadline.aborted) {
      const limit = this.options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
      return new SourceError('timeout', `s3 fetch of ${this.url} failed (timeout): no complete answer within ${limit} ms`, this.url, { cause: err });
    }
    const name = err instanceof Error ? err.name : '';
    const message = err instanceof Error ? err.message : String(err);
    const code = (err as { code?: unknown } | undefined)?.code;
    const reason: SourceFailureReason = caller?.aborted
      ? 'aborted'
      : name === 'NoSuchBucket' || name === 'NoSuchKey' || name === 'NotFound'
        ? 'not_found'
        : /^(AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken|Forbidden)$/.test(name)
          ? 'auth'
          : name === 'TimeoutError' || code === 'ETIMEDOUT'
            ? 'timeout'
            : typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH)$/.test(code)
              ? 'unreachable'
              : 'failed';
    const hint = name === 'PreconditionFailed' ? ' (an object changed during the fetch; the next fetch reads it again)' : '';
    return new SourceError(reason, `s3 fetch of ${this.url} failed (${reason}): ${name ? `${name}: ` : ''}${message}${hint}`, this.url, { cause: err });
  }
}

function revisionOf(listed: readonly Listed[]): string {
  const hash = createHash('sha256');
  for (const o of [...listed].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) hash.update(`${o.key}\0${o.etag}\n`);
  return `sha256:${hash.digest('hex')}`;
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}
