import type { AdminRoutes } from '../../protocol/types.js';
import type { JsonObject } from '../../types.js';
import type { SandboxWorld } from '../../world.js';
import { S3Rest } from './rest.js';
import { S3Store } from './store.js';

export { S3Store, type S3Bucket, type S3Object } from './store.js';

/**
 * The sandbox's S3 (path-style REST-XML): CreateBucket, HeadBucket, DeleteBucket,
 * ListBuckets, PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2 — what the
 * S3 source and its tests use. ETag = quoted MD5; S3 XML errors (NoSuchKey, NoSuchBucket, ...).
 */
export class S3Service implements AdminRoutes {
  readonly store: S3Store;
  readonly rest: S3Rest;

  constructor(world: SandboxWorld) {
    this.store = new S3Store(() => world.now());
    this.rest = new S3Rest(this.store, world.options.region);
  }

  /** `GET /_sandbox/s3/buckets`: bucket names with their object keys and ETags. */
  admin(method: string, path: string, _body: JsonObject): unknown {
    if (method === 'GET' && path === 'buckets') {
      return this.store.list().map((b) => ({
        name: b.name,
        objects: [...b.objects.values()].map((o) => ({ key: o.key, etag: o.etag, size: o.body.length })),
      }));
    }
    return undefined;
  }
}
