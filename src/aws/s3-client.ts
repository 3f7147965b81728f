/**
 * The S3 client of an `s3://` source, built by the adapter like every other SDK client: each
 * attempt is counted per scope and passes the hooks it is given: the rate limiter (family
 * `s3`) and call observer of the controller, the same ones its other clients get. Its own module so that only an S3 source loads the
 * S3 SDK.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { installAttemptMiddleware, type AwsClientHooks } from './attempt-middleware.js';

/** Path-style addressing whenever an endpoint is given (a local emulator has no bucket subdomains). */
export function createS3Client(config: S3ClientConfig = {}, hooks: AwsClientHooks = {}): S3Client {
  const client = new S3Client({ ...config, forcePathStyle: config.forcePathStyle ?? config.endpoint !== undefined });
  installAttemptMiddleware(client.middlewareStack, 's3', hooks);
  return client;
}
