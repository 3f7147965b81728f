/**
 * Errors as apply sees them. Clients may hand back raw SDK exceptions or the adapter's
 * classified AwsError (which carries `code`, `category` and the SDK error as `cause`);
 * these helpers read both, so executors never depend on which one they got.
 */
import type { ApplyErrorInfo } from './apply-types.js';

/** An asynchronous operation or a drain did not finish within its wait bound. */
export class PendingError extends Error {
  override readonly name = 'PendingError';
  constructor(
    message: string,
    /** Cloud Map operation id to poll later, when the wait was for an operation. */
    readonly operationId?: string,
  ) {
    super(message);
  }
}

/** A failure raised by apply itself (not by AWS), with a stable `EGO_APPLY_*` code. */
export class ApplyError extends Error {
  override readonly name = 'ApplyError';
  constructor(
    readonly code: string,
    message: string,
    readonly category: string = 'invalid',
  ) {
    super(message);
  }
}

const CATEGORY_BY_CODE: Record<string, string> = {
  NamespaceNotFound: 'not-found',
  ServiceNotFound: 'not-found',
  ServiceNotFoundException: 'not-found',
  OperationNotFound: 'not-found',
  InstanceNotFound: 'not-found',
  ClusterNotFoundException: 'not-found',
  ResourceNotFoundException: 'not-found',
  ThrottlingException: 'throttled',
  RequestLimitExceeded: 'throttled',
  LimitExceededException: 'quota',
  ResourceLimitExceeded: 'quota',
  AccessDeniedException: 'access-denied',
  InvalidInput: 'invalid',
  InvalidParameterException: 'invalid',
  ClientException: 'invalid',
  NamespaceAlreadyExists: 'conflict',
  ServiceAlreadyExists: 'conflict',
  DuplicateRequest: 'conflict',
  ResourceInUse: 'in-use',
  ServiceNotActiveException: 'conflict',
  ServerException: 'transient',
};

function field(err: unknown, name: string): unknown {
  if (err && typeof err === 'object') return (err as Record<string, unknown>)[name];
  return undefined;
}

/** The AWS error code (`ResourceInUse`, `ThrottlingException`, ...) or our own code. */
export function errorCode(err: unknown): string {
  const code = field(err, 'code');
  if (typeof code === 'string' && code) return code;
  const name = field(err, 'name');
  if (typeof name === 'string' && name && name !== 'Error') return name;
  return 'Unknown';
}

/** The adapter's category when classified, else derived from the code and fault. */
export function errorCategory(err: unknown): string {
  const category = field(err, 'category');
  if (typeof category === 'string') return category;
  if (err instanceof PendingError) return 'pending';
  const byCode = CATEGORY_BY_CODE[errorCode(err)];
  if (byCode) return byCode;
  const status = (field(err, '$metadata') as { httpStatusCode?: number } | undefined)?.httpStatusCode;
  if (field(err, '$fault') === 'server' || (status !== undefined && status >= 500)) return 'transient';
  return 'unknown';
}

/** A member of the AWS error body (e.g. `NamespaceId`, `CreatorRequestId`), wherever it is kept. */
export function errorMember(err: unknown, name: string): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 3; e = field(e, 'cause'), depth++) {
    const v = field(e, name);
    if (typeof v === 'string') return v;
  }
  return undefined;
}

export function isCode(err: unknown, ...codes: string[]): boolean {
  return codes.includes(errorCode(err));
}

export function isNotFound(err: unknown): boolean {
  return errorCategory(err) === 'not-found';
}

export function errorMessage(err: unknown): string {
  const m = field(err, 'message') ?? field(err, 'Message');
  return typeof m === 'string' && m ? m : String(err);
}

export function toErrorInfo(err: unknown): ApplyErrorInfo {
  return { category: errorCategory(err), code: errorCode(err), message: errorMessage(err) };
}
