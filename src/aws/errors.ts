/**
 * One classification of AWS SDK errors, applied at the adapter edge: nothing above src/aws
 * sees a raw SDK error. Predicates look only at the error's `name`, `$fault`,
 * `$metadata.httpStatusCode`, `$retryable` and Node network codes, never at SDK classes.
 */

/** The AWS services the adapter talks to (as used in metrics labels and call counts). */
export type AwsServiceName = 'ecs' | 'servicediscovery' | 'route53' | 's3' | 'tagging' | 'sqs' | 'ssm' | 'cloudformation' | 'dynamodb' | 'sts';

/** What kind of failure it is, which decides what happens next. */
export type AwsErrorCategory =
  /** The resource or scope does not exist: an observation, not a failure. */
  | 'not-found'
  /** Rate limited after the SDK's own retries: back off and retry. */
  | 'throttled'
  /** An account quota is reached (ECS LimitExceededException, Cloud Map ResourceLimitExceeded): needs a human. */
  | 'quota'
  /** Credentials or IAM policy refuse the call: needs a human. */
  | 'access-denied'
  /** AWS rejected the request's content: needs a manifest or code fix. */
  | 'invalid'
  /** State conflict: already exists, duplicate request in progress, service not active. */
  | 'conflict'
  /** The resource is still used by another (namespace with services, service with instances). */
  | 'in-use'
  /** Server fault, timeout or network failure: retry. */
  | 'transient'
  | 'unknown';

/** Categories that need a human before a retry can succeed (Flux's "stalled"). */
const STALLED: ReadonlySet<AwsErrorCategory> = new Set(['access-denied', 'invalid', 'quota']);
/** Categories worth retrying with backoff. */
const RETRYABLE: ReadonlySet<AwsErrorCategory> = new Set(['throttled', 'transient', 'in-use', 'conflict', 'unknown']);

/** An AWS call that failed, classified. */
export class AwsError extends Error {
  override readonly name = 'AwsError';

  constructor(
    readonly category: AwsErrorCategory,
    readonly service: AwsServiceName,
    /** API operation, e.g. `DescribeServices`. */
    readonly operation: string,
    /** AWS error code (the SDK error's `name`), e.g. `ClusterNotFoundException`. */
    readonly code: string,
    message: string,
    /** HTTP status of the failed response, when there was one. */
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Retrying later (with backoff) may succeed without anyone changing anything. */
  get retryable(): boolean {
    return RETRYABLE.has(this.category);
  }

  /** Retrying cannot help: a human has to fix permissions, input or quotas. */
  get stalled(): boolean {
    return STALLED.has(this.category);
  }
}

/** The fields of an SDK error the predicates read. */
interface SdkErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: { throttling?: unknown };
}

const BY_NAME: ReadonlyMap<string, AwsErrorCategory> = new Map<string, AwsErrorCategory>([
  // not found (ECS, Cloud Map, Route 53)
  ...names('not-found', [
    'ServiceNotFoundException',
    'ClusterNotFoundException',
    'ResourceNotFoundException',
    'TaskSetNotFoundException',
    'NamespaceNotFound',
    'ServiceNotFound',
    'InstanceNotFound',
    'OperationNotFound',
    'NoSuchHostedZone',
    'NoSuchHealthCheck',
    'NotFoundException',
    'NotFound',
  ]),
  // throttling (all spellings AWS uses across protocols)
  ...names('throttled', [
    'ThrottlingException',
    'Throttling',
    'RequestLimitExceeded',
    'TooManyRequestsException',
    'ThrottledException',
    'RequestThrottled',
    'RequestThrottledException',
    'PriorRequestNotComplete',
    'SlowDown',
  ]),
  // quotas: ECS LimitExceededException is a quota even though the SDK retries it as throttling
  ...names('quota', ['LimitExceededException', 'ResourceLimitExceeded', 'ServiceQuotaExceededException', 'TooManyHostedZones', 'TooManyHealthChecks']),
  ...names('access-denied', [
    'AccessDeniedException',
    'AccessDenied',
    'UnauthorizedOperation',
    'UnrecognizedClientException',
    'InvalidClientTokenId',
    'MissingAuthenticationToken',
    'InvalidSignatureException',
    'SignatureDoesNotMatch',
    'CredentialsProviderError',
  ]),
  ...names('invalid', [
    'InvalidParameterException',
    'InvalidInput',
    'ClientException',
    'ValidationException',
    'InvalidParameterValue',
    'SerializationException',
    'UnsupportedFeatureException',
    'PlatformUnknownException',
    'PlatformTaskDefinitionIncompatibilityException',
    'InvalidChangeBatch',
    'InvalidArgument',
    'InvalidDomainName',
    'InvalidVPCId',
    'UnknownOperationException',
    'CustomHealthNotFound',
  ]),
  ...names('conflict', [
    'ServiceAlreadyExists',
    'NamespaceAlreadyExists',
    'DuplicateRequest',
    'ConflictException',
    'ServiceNotActiveException',
    'ConcurrentModification',
    'ConflictingDomainExists',
    'HostedZoneAlreadyExists',
    'UpdateInProgressException',
    'ConditionalCheckFailedException',
  ]),
  ...names('in-use', [
    'ResourceInUse',
    'ResourceInUseException',
    'HostedZoneNotEmpty',
    'ClusterContainsServicesException',
    'ClusterContainsTasksException',
    'ClusterContainsContainerInstancesException',
  ]),
  ...names('transient', [
    'ServerException',
    'InternalFailure',
    'InternalError',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'RequestTimeout',
    'RequestTimeoutException',
    'TimeoutError',
    'ExpiredTokenException',
    'ExpiredToken',
  ]),
]);

/**
 * ECS answers some state problems with the generic `ClientException` or
 * `InvalidParameterException`; only the message tells them apart (e.g. re-creating a service
 * that is still DRAINING, describing a task definition that does not exist).
 */
const GENERIC_CODES: ReadonlySet<string> = new Set(['ClientException', 'InvalidParameterException']);
const GENERIC_MESSAGES: readonly [RegExp, AwsErrorCategory][] = [
  [/not idempotent/i, 'conflict'],
  [/unable to describe task definition/i, 'not-found'],
];

const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_HTTP2_STREAM_ERROR',
]);

function names(category: AwsErrorCategory, list: readonly string[]): [string, AwsErrorCategory][] {
  return list.map((n) => [n, category]);
}

function asErrorLike(err: unknown): SdkErrorLike {
  return typeof err === 'object' && err !== null ? (err as SdkErrorLike) : {};
}

/** HTTP status of an SDK error, when it came from a response. */
export function httpStatusOf(err: unknown): number | undefined {
  const status = asErrorLike(err).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The AWS error code of an SDK error (its `name`), or `Unknown`. */
export function errorCodeOf(err: unknown): string {
  const name = asErrorLike(err).name;
  return typeof name === 'string' && name.length > 0 ? name : 'Unknown';
}

const CATEGORIES: ReadonlySet<string> = new Set([...STALLED, ...RETRYABLE, 'not-found']);

/** An error that carries its own category (AwsError, apply's own errors) keeps it. */
function carriedCategory(err: unknown): AwsErrorCategory | undefined {
  if (err instanceof AwsError) return err.category;
  const c = err instanceof Error ? (err as Error & { category?: unknown }).category : undefined;
  return typeof c === 'string' && CATEGORIES.has(c) ? (c as AwsErrorCategory) : undefined;
}

/** Classifies any thrown value into a category. Pure. */
export function classifyError(err: unknown): AwsErrorCategory {
  const carried = carriedCategory(err);
  if (carried) return carried;
  const e = asErrorLike(err);
  const name = errorCodeOf(err);
  const message = typeof e.message === 'string' ? e.message : '';
  if (GENERIC_CODES.has(name)) {
    for (const [pattern, category] of GENERIC_MESSAGES) if (pattern.test(message)) return category;
  }
  const byName = BY_NAME.get(name);
  if (byName) return byName;
  if (e.$retryable?.throttling === true) return 'throttled';
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return 'transient';
  const status = httpStatusOf(err);
  if (status === 429) return 'throttled';
  if (status === 403) return 'access-denied';
  if (status === 404) return 'not-found';
  if (status !== undefined && status >= 500) return 'transient';
  if (e.$fault === 'server') return 'transient';
  return 'unknown';
}

/** Converts any thrown value into an AwsError (an AwsError passes through unchanged). */
export function toAwsError(err: unknown, service: AwsServiceName, operation: string): AwsError {
  if (err instanceof AwsError) return err;
  const e = asErrorLike(err);
  const message = typeof e.message === 'string' && e.message.length > 0 ? e.message : String(err);
  return new AwsError(classifyError(err), service, operation, errorCodeOf(err), message, httpStatusOf(err), { cause: err });
}

/** Runs one AWS call and converts whatever it throws into an AwsError. */
export async function call<T>(service: AwsServiceName, operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toAwsError(err, service, operation);
  }
}

/**
 * Like `call`, but "not found" is an observation: resolves to undefined instead of throwing.
 * Every other failure still throws an AwsError.
 */
export async function callOrUndefined<T>(service: AwsServiceName, operation: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call(service, operation, fn);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** True when the value is (or classifies as, or carries the category of) a "not found" error. The one test for it. */
export function isNotFound(err: unknown): boolean {
  return classifyError(err) === 'not-found';
}

/** Awaits a promise; a "not found" rejection becomes undefined. */
export async function undefinedIfNotFound<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
