/**
 * The S3 client of an `s3://` source, built by the adapter like every other SDK client: each
 * attempt is counted (per scope and by the process's call observer) and paced by the
 * process's rate limiter (family `s3`). Its own module so that only an S3 source loads the
 * S3 SDK.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { installAttemptMiddleware } from './attempt-middleware.js';
import { processHooks } from './clients.js';

/** Path-style addressing whenever an endpoint is given (a local emulator has no bucket subdomains). */
export function createS3Client(config: S3ClientConfig = {}): S3Client {
  const client = new S3Client({ ...config, forcePathStyle: config.forcePathStyle ?? config.endpoint !== undefined });
  installAttemptMiddleware(client.middlewareStack, 's3', processHooks());
  return client;
}
