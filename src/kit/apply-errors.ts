/**
 * Errors as apply sees them. Clients may hand back raw SDK exceptions or the adapter's
 * classified AwsError (which carries `code`, `category` and the SDK error as `cause`);
 * these helpers read both, so executors never depend on which one they got. Categories come
 * from the adapter's one classification (src/aws/errors.ts), never from a second table.
 */
import { classifyError, errorCodeOf, type AwsErrorCategory } from '../aws/errors.js';
import { errorMessage } from '../util/errors.js';
import { APPLY_ERROR_CODES, type ApplyErrorCode } from './apply-codes.js';
import type { ApplyErrorCategory, ApplyErrorInfo } from './apply-types.js';

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

/** A failure raised by apply itself (not by AWS), with a stable code from the catalogue (apply-codes.ts). */
export class ApplyError extends Error {
  override readonly name = 'ApplyError';
  /** The category the catalogue gives the code. */
  readonly category: AwsErrorCategory;
  /** The code reported: AWS's own when it gave one (a failed Cloud Map operation), else `applyCode`. */
  readonly code: string;
  constructor(
    readonly applyCode: ApplyErrorCode,
    message: string,
    options: { readonly awsCode?: string | undefined } = {},
  ) {
    super(message);
    this.category = APPLY_ERROR_CODES[applyCode].category;
    this.code = options.awsCode ?? applyCode;
  }
}

function field(err: unknown, name: string): unknown {
  if (err && typeof err === 'object') return (err as Record<string, unknown>)[name];
  return undefined;
}

/** The AWS error code (`ResourceInUse`, `ThrottlingException`, ...) or our own code. */
export function errorCode(err: unknown): string {
  const code = field(err, 'code');
  if (typeof code === 'string' && code) return code;
  const name = errorCodeOf(err);
  return name === 'Error' ? 'Unknown' : name;
}

/** `pending` for a PendingError, else the AWS adapter's classification (which keeps an ApplyError's carried category). */
export function errorCategory(err: unknown): ApplyErrorCategory {
  if (err instanceof PendingError) return 'pending';
  return classifyError(err);
}

/** A member of the AWS error body (e.g. `NamespaceId`, `CreatorRequestId`), wherever it is kept. */
export function errorMember(err: unknown, name: string): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 3; e = field(e, 'cause'), depth++) {
    const v = field(e, name);
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/** True when the error's code is one of `codes`. */
export function isCode(err: unknown, ...codes: string[]): boolean {
  return codes.includes(errorCode(err));
}

/** Category, code and message of any thrown value, as apply reports it (with the catalogue code of apply's own errors). */
export function toErrorInfo(err: unknown): ApplyErrorInfo {
  const info: ApplyErrorInfo = { category: errorCategory(err), code: errorCode(err), message: errorMessage(err) };
  if (err instanceof ApplyError) info.applyCode = err.applyCode;
  return info;
}
