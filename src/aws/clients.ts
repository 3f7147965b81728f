import { ECSClient } from '@aws-sdk/client-ecs';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { Route53Client } from '@aws-sdk/client-route-53';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { installAttemptMiddleware, type AwsClientHooks } from './attempt-middleware.js';

export type { AwsCallObserver, AwsClientHooks, AwsRateLimiter, AwsWriteGuard } from './attempt-middleware.js';

/** The SDK clients of the services ecs-gitops reads and writes. Only src/aws builds SDK clients (S3: s3-client.ts). */
export interface AwsClients {
  ecs: ECSClient;
  serviceDiscovery: ServiceDiscoveryClient;
  route53: Route53Client;
  /** Resource Groups Tagging API: finds owned resources by their owner tag in pages (docs/aws-behaviour.md). */
  tagging: ResourceGroupsTaggingAPIClient;
}

/** Access keys, as the SDK takes them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Endpoint overrides, e.g. from `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>`. */
export interface AwsEndpointOverrides {
  /** For every service without its own override. */
  default?: string;
  ecs?: string;
  serviceDiscovery?: string;
  route53?: string;
  tagging?: string;
  /** The SQS client of `--events-queue` (the queue URL's own host is used when none is set). */
  sqs?: string;
  /** The lease table's DynamoDB client (`--lease-table`). */
  dynamodb?: string;
  /** STS: AssumeRole of `--targets`, GetCallerIdentity (the lease's account). */
  sts?: string;
}

/**
 * How to reach AWS. Absent fields fall back to the SDK's own resolution (AWS_REGION, the
 * default credential provider chain, configured endpoints).
 */
export interface AwsClientsConfig {
  region?: string;
  endpoints?: AwsEndpointOverrides;
  /** SDK attempts per call, first one included (SDK default 3). */
  maxAttempts?: number;
  /**
   * Static credentials (a local emulator), a provider the SDK calls when they near expiry (an
   * assumed role), or absent: the default provider chain.
   */
  credentials?: AwsCredentials | (() => Promise<AwsCredentials & { expiration?: Date }>);
  /** Per-request socket timeout in ms. */
  requestTimeoutMs?: number;
}

/**
 * Reads the SDK's standard endpoint variables from the environment object it is given
 * (the CLI passes process.env). Empty values count as absent.
 */
export function endpointOverridesFromEnv(env: Readonly<Record<string, string | undefined>>): AwsEndpointOverrides {
  const pick = (name: string): string | undefined => {
    const v = env[name];
    return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
  };
  const out: AwsEndpointOverrides = {};
  const d = pick('AWS_ENDPOINT_URL');
  const ecs = pick('AWS_ENDPOINT_URL_ECS');
  const sd = pick('AWS_ENDPOINT_URL_SERVICEDISCOVERY');
  const r53 = pick('AWS_ENDPOINT_URL_ROUTE_53');
  const tagging = pick('AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API');
  const sqs = pick('AWS_ENDPOINT_URL_SQS');
  const dynamodb = pick('AWS_ENDPOINT_URL_DYNAMODB');
  const sts = pick('AWS_ENDPOINT_URL_STS');
  if (d) out.default = d;
  if (ecs) out.ecs = ecs;
  if (sd) out.serviceDiscovery = sd;
  if (r53) out.route53 = r53;
  if (tagging) out.tagging = tagging;
  if (sqs) out.sqs = sqs;
  if (dynamodb) out.dynamodb = dynamodb;
  if (sts) out.sts = sts;
  return out;
}

function hasOverride(e: AwsEndpointOverrides | undefined): boolean {
  return !!e && Object.values(e).some((v) => typeof v === 'string' && v.length > 0);
}

/**
 * Builds the clients: adaptive retry, the per-attempt hooks (rate limiter before each attempt,
 * call observer after it) and per-scope call counting (see countCalls). When any endpoint is
 * overridden, host prefixes are disabled: Cloud Map's DiscoverInstances would otherwise be
 * sent to `data-<host>`, which a local endpoint does not resolve.
 */
export function createAwsClients(config: AwsClientsConfig = {}, hooks: AwsClientHooks = {}): AwsClients {
  const base = baseClientConfig(config);
  const endpoint = (own: string | undefined): { endpoint?: string } => {
    const e = own ?? config.endpoints?.default;
    return e ? { endpoint: e } : {};
  };
  const ecs = new ECSClient({ ...base, ...endpoint(config.endpoints?.ecs) });
  const serviceDiscovery = new ServiceDiscoveryClient({ ...base, ...endpoint(config.endpoints?.serviceDiscovery) });
  const route53 = new Route53Client({ ...base, ...endpoint(config.endpoints?.route53) });
  installAttemptMiddleware(ecs.middlewareStack, 'ecs', hooks);
  installAttemptMiddleware(serviceDiscovery.middlewareStack, 'servicediscovery', hooks);
  const tagging = new ResourceGroupsTaggingAPIClient({ ...base, ...endpoint(config.endpoints?.tagging) });
  installAttemptMiddleware(route53.middlewareStack, 'route53', hooks);
  installAttemptMiddleware(tagging.middlewareStack, 'tagging', hooks);
  return { ecs, serviceDiscovery, route53, tagging };
}

/** The settings every SDK client of the controller shares (region, credentials, retries, timeouts). */
export function baseClientConfig(config: AwsClientsConfig) {
  return {
    ...(config.region ? { region: config.region } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(config.maxAttempts !== undefined ? { maxAttempts: config.maxAttempts } : {}),
    ...(config.requestTimeoutMs !== undefined ? { requestHandler: { requestTimeout: config.requestTimeoutMs } } : {}),
    retryMode: 'adaptive',
    ...(hasOverride(config.endpoints) ? { disableHostPrefix: true } : {}),
  };
}

/** Closes the clients' sockets. */
export function destroyAwsClients(clients: AwsClients): void {
  clients.ecs.destroy();
  clients.serviceDiscovery.destroy();
  clients.route53.destroy();
  clients.tagging.destroy();
}
