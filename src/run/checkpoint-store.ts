/**
 * Where the observation checkpoint lives: a local file (a volume that outlives the task, or a
 * single host) or an S3 object (`s3://bucket/key`: what a Fargate task uses). Reads answer
 * undefined when there is none yet; writes replace the whole object (a file is written beside
 * and renamed, so a reader never sees half of one).
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3Object } from '../aws/s3-object.js';
import type { AwsClientHooks } from '../aws/clients.js';
import { s3ObjectOf } from '../sources/url.js';

export interface CheckpointStore {
  /** Where, for logs and /status. */
  readonly location: string;
  read(): Promise<Uint8Array | undefined>;
  write(bytes: Uint8Array): Promise<void>;
  close(): void;
}

export interface CheckpointStoreOptions {
  /** S3 client settings (region, endpoint), the same as an `s3://` source's. */
  readonly s3?: S3ClientConfig;
  /** The controller's rate limiter and call observer. */
  readonly hooks?: AwsClientHooks;
}

export function openCheckpointStore(location: string, options: CheckpointStoreOptions = {}): CheckpointStore {
  const s3 = location.startsWith('s3://') ? s3ObjectOf(location) : undefined;
  return s3 ? s3Store(location, s3.bucket, s3.key, options) : fileStore(resolve(location));
}

function fileStore(path: string): CheckpointStore {
  return {
    location: path,
    async read() {
      try {
        return await readFile(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async write(bytes) {
      const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.checkpoint.tmp`);
      try {
        // Live state may hold environment values: readable by the controller's user only.
        await writeFile(tmp, bytes, { mode: 0o600 });
        await rename(tmp, path);
      } finally {
        await rm(tmp, { force: true });
      }
    },
    close() {},
  };
}

function s3Store(location: string, bucket: string, key: string, options: CheckpointStoreOptions): CheckpointStore {
  // The S3 SDK is loaded on first use: every SDK client module costs resident memory.
  let opened: Promise<S3Object> | undefined;
  const open = (): Promise<S3Object> => (opened ??= import('../aws/s3-object.js').then((m) => m.openS3Object(bucket, key, options.s3, options.hooks)));
  return {
    location,
    read: async () => (await open()).read(),
    write: async (bytes) => (await open()).write(bytes, 'application/gzip'),
    close() {
      void opened?.then((o) => o.close());
    },
  };
}
