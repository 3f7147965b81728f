import { SandboxError } from '../../errors.js';
import type { RestCall, RestRequest, RestResponse, RestService } from '../../protocol/types.js';
import { renderXml, xmlDocument, type XmlNode } from '../../protocol/xml.js';
import type { JsonObject } from '../../types.js';
import { decodeAwsChunked, isAwsChunked } from './chunked.js';
import { compareKeys, type S3Object, type S3Store } from './store.js';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
// Route 53 owns its API version prefix; the admin API is handled before services.
const FOREIGN_PREFIXES = ['/2013-04-01', '/_sandbox'];
const MAX_KEYS = 1000;
const LIST_PARAMS = new Set(['list-type', 'prefix', 'max-keys', 'continuation-token', 'start-after', 'delimiter', 'encoding-type', 'fetch-owner', 'x-id']);

/**
 * S3 REST-XML, path-style (`/<bucket>/<key>`): the calls ecs-gitops and its tests make.
 * Virtual-hosted-style requests are not supported (clients must set `forcePathStyle`).
 */
export class S3Rest implements RestService {
  readonly name = 's3' as const;

  constructor(
    private readonly store: S3Store,
    private readonly region: string,
  ) {}

  owns(req: RestRequest): boolean {
    return !FOREIGN_PREFIXES.some((p) => req.path === p || req.path.startsWith(`${p}/`));
  }

  route(req: RestRequest): RestCall | undefined {
    const rest = req.path.slice(1);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const key = slash < 0 ? '' : rest.slice(slash + 1);
    const params = [...req.query.keys()].filter((k) => k !== 'x-id');
    if (bucket === '') {
      return req.method === 'GET' && params.length === 0 ? call('ListBuckets', {}, () => this.listBuckets()) : undefined;
    }
    const log: JsonObject = key ? { Bucket: bucket, Key: key } : { Bucket: bucket };
    if (key === '') {
      if (req.method === 'GET' && req.query.get('list-type') === '2' && params.every((p) => LIST_PARAMS.has(p))) {
        return call('ListObjectsV2', log, () => this.listObjectsV2(bucket, req.query));
      }
      if (params.length > 0) return undefined;
      if (req.method === 'PUT') return call('CreateBucket', log, () => this.createBucket(bucket));
      if (req.method === 'HEAD') return call('HeadBucket', log, () => (this.store.bucket(bucket), empty(200)));
      if (req.method === 'DELETE') return call('DeleteBucket', log, () => (this.store.deleteBucket(bucket), empty(204)));
      return undefined;
    }
    if (params.length > 0) return undefined;
    switch (req.method) {
      case 'PUT':
        if (req.headers['x-amz-copy-source'] !== undefined) return undefined;
        return call('PutObject', log, () => this.putObject(bucket, key, req));
      case 'GET':
        return call('GetObject', log, () => this.getObject(bucket, key, req));
      case 'HEAD':
        return call('HeadObject', log, () => this.getObject(bucket, key, req));
      case 'DELETE':
        return call('DeleteObject', log, () => this.deleteObject(bucket, key));
      default:
        return undefined;
    }
  }

  renderError(err: SandboxError, requestId: string): RestResponse {
    const extra: XmlNode = Object.fromEntries(Object.entries(err.extra).map(([k, v]) => [k, String(v)]));
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${renderXml({ Code: err.code, Message: err.message, ...extra, RequestId: requestId })}</Error>`;
    return { status: err.status, headers: { 'content-type': 'application/xml' }, body };
  }

  private listBuckets(): RestResponse {
    return xml('ListAllMyBucketsResult', {
      Buckets: { Bucket: this.store.list().map((b) => ({ Name: b.name, CreationDate: iso(b.createdAt) })) },
      Owner: { ID: 'sandbox', DisplayName: 'sandbox' },
    });
  }

  private createBucket(bucket: string): RestResponse {
    const created = this.store.createBucket(bucket);
    // us-east-1 answers 200 again for a bucket you already own; other regions refuse.
    if (!created && this.region !== 'us-east-1') {
      throw new SandboxError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, {
        BucketName: bucket,
      });
    }
    return { status: 200, headers: { location: `/${bucket}` }, body: '' };
  }

  private putObject(bucket: string, key: string, req: RestRequest): RestResponse {
    this.store.bucket(bucket);
    if (Buffer.byteLength(key, 'utf8') > 1024) throw new SandboxError('KeyTooLongError', 'Your key is too long', 400);
    if (header(req, 'if-none-match') === '*' && this.store.bucket(bucket).objects.has(key)) {
      throw new SandboxError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: 'If-None-Match' });
    }
    const body = isAwsChunked(req.headers) ? decodeAwsChunked(req.body) : req.body;
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice('x-amz-meta-'.length)] = value;
    }
    const obj = this.store.put(bucket, key, body, header(req, 'content-type') ?? 'binary/octet-stream', metadata);
    return { status: 200, headers: { etag: obj.etag }, body: '' };
  }

  private getObject(bucket: string, key: string, req: RestRequest): RestResponse {
    const obj = this.store.get(bucket, key);
    const ifMatch = header(req, 'if-match');
    if (ifMatch !== undefined && !etagListMatches(ifMatch, obj.etag)) {
      throw new SandboxError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: 'If-Match' });
    }
    const ifNoneMatch = header(req, 'if-none-match');
    if (ifNoneMatch !== undefined && etagListMatches(ifNoneMatch, obj.etag)) {
      return { status: 304, headers: { etag: obj.etag, 'last-modified': httpDate(obj.lastModified) }, body: '' };
    }
    // For HEAD node drops the body but keeps its content-length, as S3 answers.
    return { status: 200, headers: objectHeaders(obj), body: obj.body };
  }

  private deleteObject(bucket: string, key: string): RestResponse {
    this.store.bucket(bucket).objects.delete(key);
    return empty(204);
  }

  private listObjectsV2(bucket: string, q: URLSearchParams): RestResponse {
    this.store.bucket(bucket);
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const startAfter = q.get('start-after') ?? undefined;
    const token = q.get('continuation-token') ?? undefined;
    const encodeKeys = q.get('encoding-type') === 'url';
    const maxKeysText = q.get('max-keys');
    const maxKeys = maxKeysText === null ? MAX_KEYS : Number(maxKeysText);
    if (!Number.isInteger(maxKeys) || maxKeys < 0)
      throw new SandboxError('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400, { ArgumentName: 'max-keys' });
    let after = startAfter;
    if (token !== undefined) {
      const decoded = decodeToken(token);
      if (decoded === undefined)
        throw new SandboxError('InvalidArgument', 'The continuation token provided is incorrect', 400, { ArgumentName: 'continuation-token' });
      after = decoded;
    }

    const entries: ({ kind: 'object'; key: string } | { kind: 'prefix'; key: string })[] = [];
    const seenPrefixes = new Set<string>();
    for (const key of this.store.sortedKeys(bucket)) {
      if (!key.startsWith(prefix)) continue;
      if (after !== undefined && compareKeys(key, after) <= 0) continue;
      if (delimiter) {
        const idx = key.indexOf(delimiter, prefix.length);
        if (idx >= 0) {
          const common = key.slice(0, idx + delimiter.length);
          if (after !== undefined && compareKeys(common, after) <= 0) continue;
          if (!seenPrefixes.has(common)) {
            seenPrefixes.add(common);
            entries.push({ kind: 'prefix', key: common });
          }
          continue;
        }
      }
      entries.push({ kind: 'object', key });
    }
    const page = entries.slice(0, Math.min(maxKeys, MAX_KEYS));
    const truncated = entries.length > page.length;
    const last = page[page.length - 1];
    const enc = (k: string): string => (encodeKeys ? encodeURIComponent(k).replace(/%2F/g, '/') : k);
    const objects = this.store.bucket(bucket).objects;
    return xml('ListBucketResult', {
      Name: bucket,
      Prefix: enc(prefix),
      Delimiter: delimiter ? enc(delimiter) : undefined,
      MaxKeys: maxKeys,
      KeyCount: page.length,
      IsTruncated: truncated,
      EncodingType: encodeKeys ? 'url' : undefined,
      ContinuationToken: token,
      NextContinuationToken: truncated && last ? encodeToken(last.key) : undefined,
      StartAfter: startAfter !== undefined ? enc(startAfter) : undefined,
      Contents: page
        .filter((e) => e.kind === 'object')
        .map((e) => {
          const o = objects.get(e.key)!;
          return { Key: enc(o.key), LastModified: iso(o.lastModified), ETag: o.etag, Size: o.body.length, StorageClass: 'STANDARD' };
        }),
      CommonPrefixes: page.filter((e) => e.kind === 'prefix').map((e) => ({ Prefix: enc(e.key) })),
    });
  }
}

function call(operation: string, logInput: JsonObject, run: () => RestResponse): RestCall {
  return { operation, logInput, run };
}

function xml(root: string, body: XmlNode): RestResponse {
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: xmlDocument(root, XMLNS, body) };
}

function empty(status: number): RestResponse {
  return { status, body: '' };
}

function header(req: RestRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function objectHeaders(o: S3Object): Record<string, string> {
  const h: Record<string, string> = {
    'content-type': o.contentType,
    etag: o.etag,
    'last-modified': httpDate(o.lastModified),
    'accept-ranges': 'bytes',
  };
  for (const [k, v] of Object.entries(o.metadata)) h[`x-amz-meta-${k}`] = v;
  return h;
}

function etagListMatches(list: string, etag: string): boolean {
  return list
    .split(',')
    .map((s) => s.trim())
    .some((t) => t === '*' || t === etag || `"${t}"` === etag);
}

function encodeToken(lastKey: string): string {
  return Buffer.from(`v1:${lastKey}`, 'utf8').toString('base64');
}

function decodeToken(token: string): string | undefined {
  const text = Buffer.from(token, 'base64').toString('utf8');
  return text.startsWith('v1:') ? text.slice(3) : undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '.000Z');
}

function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
