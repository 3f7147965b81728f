/**
 * The SQS client of `--events-queue`, built like every other SDK client: the same region,
 * credentials and retries, each attempt passing the controller's rate limiter (family `sqs`)
 * and call observer. Its own module so that only a controller with an events queue loads the
 * SQS SDK.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { installAttemptMiddleware, type AwsClientHooks } from './attempt-middleware.js';
import { baseClientConfig, type AwsClientsConfig } from './clients.js';

/**
 * A long poll holds its request for up to 20 s: the socket timeout must outlast it, whatever
 * `requestTimeoutMs` the other clients use.
 */
const LONG_POLL_SOCKET_MS = 40_000;

export function createSqsClient(config: AwsClientsConfig = {}, hooks: AwsClientHooks = {}): SQSClient {
  const endpoint = config.endpoints?.sqs ?? config.endpoints?.default;
  const client = new SQSClient({
    ...baseClientConfig(config),
    requestHandler: { requestTimeout: Math.max(config.requestTimeoutMs ?? 0, LONG_POLL_SOCKET_MS) },
    ...(endpoint ? { endpoint } : {}),
  });
  installAttemptMiddleware(client.middlewareStack, 'sqs', hooks);
  return client;
}
