/**
 * One S3 object read and replaced whole (the observation checkpoint). Its own module, loaded
 * on first use, so that a controller without an S3 location never loads the S3 SDK.
 */
import { GetObjectCommand, PutObjectCommand, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { AwsClientHooks } from './attempt-middleware.js';
import { createS3Client } from './s3-client.js';

export interface S3Object {
  /** The object's bytes, or undefined when there is no such key. */
  read(): Promise<Uint8Array | undefined>;
  write(bytes: Uint8Array, contentType: string): Promise<void>;
  close(): void;
}

export function openS3Object(bucket: string, key: string, config: S3ClientConfig = {}, hooks: AwsClientHooks = {}): S3Object {
  const client = createS3Client(config, hooks);
  return {
    async read() {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return out.Body ? await out.Body.transformToByteArray() : undefined;
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
        throw err;
      }
    },
    async write(bytes, contentType) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType }));
    },
    close() {
      client.destroy();
    },
  };
}
