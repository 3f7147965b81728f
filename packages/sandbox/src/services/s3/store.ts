import { createHash } from 'node:crypto';
import { SandboxError } from '../../errors.js';

/** One stored object. */
export interface S3Object {
  readonly key: string;
  readonly body: Buffer;
  /** Quoted hex MD5 of the body, as S3 returns it for single-part uploads: `"<md5>"`. */
  readonly etag: string;
  readonly lastModified: number;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface S3Bucket {
  readonly name: string;
  readonly createdAt: number;
  readonly objects: Map<string, S3Object>;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Buckets and objects of the sandbox S3 (one account, one region). */
export class S3Store {
  private readonly buckets = new Map<string, S3Bucket>();

  constructor(private readonly now: () => number) {}

  /** Creates a bucket; false when this account already owns it. */
  createBucket(name: string): boolean {
    if (!BUCKET_NAME.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
      throw new SandboxError('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: name });
    }
    if (this.buckets.has(name)) return false;
    this.buckets.set(name, { name, createdAt: this.now(), objects: new Map() });
    return true;
  }

  deleteBucket(name: string): void {
    const b = this.bucket(name);
    if (b.objects.size > 0) throw new SandboxError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: name });
    this.buckets.delete(name);
  }

  bucket(name: string): S3Bucket {
    const b = this.buckets.get(name);
    if (!b) throw new SandboxError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: name });
    return b;
  }

  list(): S3Bucket[] {
    return [...this.buckets.values()].sort((a, b) => compareKeys(a.name, b.name));
  }

  put(bucket: string, key: string, body: Buffer, contentType: string, metadata: Record<string, string>): S3Object {
    const b = this.bucket(bucket);
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    const obj: S3Object = { key, body, etag, lastModified: this.now(), contentType, metadata };
    b.objects.set(key, obj);
    return obj;
  }

  get(bucket: string, key: string): S3Object {
    const obj = this.bucket(bucket).objects.get(key);
    if (!obj) throw new SandboxError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
    return obj;
  }

  /** Keys in S3's listing order (UTF-8 binary). */
  sortedKeys(bucket: string): string[] {
    return [...this.bucket(bucket).objects.keys()].sort(compareKeys);
  }
}

/** S3 lists keys in UTF-8 byte order. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
