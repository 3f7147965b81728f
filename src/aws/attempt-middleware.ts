import type { DeserializeMiddleware, MiddlewareStack } from '@smithy/types';
import { recordInScope, type CallOutcome } from './call-counter.js';
import { classifyError, toAwsError, type AwsServiceName } from './errors.js';

/**
 * Paces AWS calls (structurally the same as the controller's AwsRateLimiter): resolves when a
 * token for the operation's API family is taken.
 */
export interface AwsRateLimiter {
  acquire(service: string, operation: string, signal?: AbortSignal): Promise<void>;
}

/**
 * Told about every HTTP attempt (metrics: `aws_api_calls_total{service,operation,outcome}`);
 * `error` is the failed attempt's error, so observers can tell server faults from client errors.
 */
export type AwsCallObserver = (service: AwsServiceName, operation: string, outcome: CallOutcome, error?: unknown) => void;

/**
 * Asked right before every attempt of a writing operation is sent (after the rate limiter's
 * wait, so a token that took long to come does not let a stale write out); throws to refuse
 * it. The lease's fence: a controller that may no longer hold its lease sends no write.
 */
export type AwsWriteGuard = (service: AwsServiceName, operation: string) => void;

/** Hooks the adapter runs around every attempt. */
export interface AwsClientHooks {
  rateLimiter?: AwsRateLimiter;
  onCall?: AwsCallObserver;
  writeGuard?: AwsWriteGuard;
}

/** Reading operations of the services the adapter calls; every other operation writes. */
const READ_OPERATION = /^(Describe|List|Get|Discover|BatchGet|Query|Scan|Head)/;

/** Whether an operation (name without `Command`) changes nothing in AWS. */
export function isReadOperation(operation: string): boolean {
  return READ_OPERATION.test(operation);
}

const MIDDLEWARE_NAME = 'ecsGitopsAttempt';

function outcomeOf(err: unknown): CallOutcome {
  switch (classifyError(err)) {
    case 'throttled':
      return 'throttled';
    case 'not-found':
      return 'not-found';
    default:
      return 'error';
  }
}

function operationOf(commandName: string | undefined): string {
  return (commandName ?? 'Unknown').replace(/Command$/, '');
}

/**
 * Installs the per-attempt middleware. It sits in the `deserialize` step, which the SDK runs
 * inside its retry loop (`finalizeRequest`), so it sees every attempt and the deserialized
 * error of each failed one.
 */
export function installAttemptMiddleware<I extends object, O extends object>(
  stack: MiddlewareStack<I, O>,
  service: AwsServiceName,
  hooks: AwsClientHooks,
): void {
  const middleware: DeserializeMiddleware<I, O> = (next, context) => async (args) => {
    const operation = operationOf(context.commandName);
    if (hooks.rateLimiter) await hooks.rateLimiter.acquire(service, operation);
    if (hooks.writeGuard && !isReadOperation(operation)) hooks.writeGuard(service, operation);
    try {
      const result = await next(args);
      report(service, operation, 'ok', hooks);
      return result;
    } catch (err) {
      report(service, operation, outcomeOf(err), hooks, err);
      // The SDK retries ECS LimitExceededException as throttling, but it is an account quota
      // that retrying cannot fix: surface it at once (an AwsError is not retryable to the SDK).
      if (classifyError(err) === 'quota') throw toAwsError(err, service, operation);
      throw err;
    }
  };
  stack.add(middleware, { step: 'deserialize', priority: 'high', name: MIDDLEWARE_NAME, override: true });
}

function report(service: AwsServiceName, operation: string, outcome: CallOutcome, hooks: AwsClientHooks, error?: unknown): void {
  recordInScope(service, operation, outcome);
  hooks.onCall?.(service, operation, outcome, error);
}
