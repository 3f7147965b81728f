import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError, call, callOrUndefined, classifyError, toAwsError, undefinedIfNotFound, type AwsErrorCategory } from '../../src/aws/errors.js';

/** An error shaped like an SDK v3 service exception. */
function sdkError(name: string, opts: { status?: number; fault?: 'client' | 'server'; message?: string; code?: string } = {}): Error {
  const e = new Error(opts.message ?? `${name} happened`) as Error & Record<string, unknown>;
  e.name = name;
  if (opts.fault) e['$fault'] = opts.fault;
  if (opts.status !== undefined) e['$metadata'] = { httpStatusCode: opts.status };
  if (opts.code) e['code'] = opts.code;
  return e;
}

const CASES: [string, Error, AwsErrorCategory][] = [
  ['ECS service not found', sdkError('ServiceNotFoundException', { status: 400, fault: 'client' }), 'not-found'],
  ['ECS cluster not found', sdkError('ClusterNotFoundException', { status: 400, fault: 'client' }), 'not-found'],
  ['Cloud Map namespace not found', sdkError('NamespaceNotFound', { status: 400 }), 'not-found'],
  ['Cloud Map service not found', sdkError('ServiceNotFound', { status: 400 }), 'not-found'],
  ['Cloud Map operation not found', sdkError('OperationNotFound', { status: 400 }), 'not-found'],
  ['Route 53 zone not found', sdkError('NoSuchHostedZone', { status: 404 }), 'not-found'],
  ['an unknown error with 404', sdkError('Whatever', { status: 404 }), 'not-found'],
  ['ECS task definition that cannot be described', sdkError('ClientException', { message: 'Unable to describe task definition.' }), 'not-found'],
  ['ECS throttling', sdkError('ThrottlingException', { status: 400 }), 'throttled'],
  ['Cloud Map request limit', sdkError('RequestLimitExceeded', { status: 400 }), 'throttled'],
  ['Route 53 throttling', sdkError('Throttling', { status: 400 }), 'throttled'],
  ['Route 53 prior request not complete', sdkError('PriorRequestNotComplete', { status: 400 }), 'throttled'],
  ['HTTP 429', sdkError('Whatever', { status: 429 }), 'throttled'],
  ['ECS LimitExceededException (quota, not throttling)', sdkError('LimitExceededException', { status: 400 }), 'quota'],
  ['Cloud Map ResourceLimitExceeded', sdkError('ResourceLimitExceeded', { status: 400 }), 'quota'],
  ['access denied', sdkError('AccessDeniedException', { status: 400 }), 'access-denied'],
  ['unknown error with 403', sdkError('Forbidden', { status: 403 }), 'access-denied'],
  ['missing credentials', sdkError('CredentialsProviderError'), 'access-denied'],
  ['ECS invalid parameter', sdkError('InvalidParameterException', { status: 400 }), 'invalid'],
  ['Cloud Map invalid input', sdkError('InvalidInput', { status: 400 }), 'invalid'],
  ['ECS generic client exception', sdkError('ClientException', { message: 'The service role is invalid' }), 'invalid'],
  ['ECS re-create while draining', sdkError('InvalidParameterException', { message: 'Creation of service was not idempotent.' }), 'conflict'],
  ['ECS re-create while draining (ClientException spelling)', sdkError('ClientException', { message: 'Creation of service was not idempotent.' }), 'conflict'],
  ['Cloud Map service already exists', sdkError('ServiceAlreadyExists', { status: 400 }), 'conflict'],
  ['Cloud Map duplicate request', sdkError('DuplicateRequest', { status: 400 }), 'conflict'],
  ['ECS service not active', sdkError('ServiceNotActiveException', { status: 400 }), 'conflict'],
  ['Cloud Map resource in use', sdkError('ResourceInUse', { status: 400 }), 'in-use'],
  ['ECS server exception', sdkError('ServerException', { status: 500, fault: 'server' }), 'transient'],
  ['unknown 503', sdkError('Whatever', { status: 503 }), 'transient'],
  ['unknown server fault without status', sdkError('Whatever', { fault: 'server' }), 'transient'],
  ['connection reset', sdkError('Error', { code: 'ECONNRESET' }), 'transient'],
  ['socket timeout', sdkError('TimeoutError'), 'transient'],
  ['unknown client fault', sdkError('SomethingNew', { status: 400, fault: 'client' }), 'unknown'],
];

describe('AWS error classification', () => {
  for (const [label, err, category] of CASES) {
    it(`classifies ${label} as ${category}`, () => {
      assert.equal(classifyError(err), category);
    });
  }

  it('classifies non-Error values as unknown', () => {
    assert.equal(classifyError('boom'), 'unknown');
    assert.equal(classifyError(undefined), 'unknown');
  });

  const NEXT: [AwsErrorCategory, { retryable: boolean; stalled: boolean }][] = [
    ['not-found', { retryable: false, stalled: false }],
    ['throttled', { retryable: true, stalled: false }],
    ['transient', { retryable: true, stalled: false }],
    ['quota', { retryable: false, stalled: true }],
    ['access-denied', { retryable: false, stalled: true }],
    ['invalid', { retryable: false, stalled: true }],
    ['in-use', { retryable: true, stalled: false }],
    ['conflict', { retryable: true, stalled: false }],
    ['unknown', { retryable: true, stalled: false }],
  ];
  for (const [category, expected] of NEXT) {
    it(`says what happens next for ${category}: retryable=${expected.retryable}, stalled=${expected.stalled}`, () => {
      const e = new AwsError(category, 'ecs', 'UpdateService', 'X', 'x');
      assert.equal(e.retryable, expected.retryable);
      assert.equal(e.stalled, expected.stalled);
    });
  }
});

describe('AwsError conversion at the adapter edge', () => {
  it('keeps service, operation, code, message, status and the original as cause', () => {
    const original = sdkError('ClusterNotFoundException', { status: 400, message: 'Cluster not found.' });
    const e = toAwsError(original, 'ecs', 'ListServices');
    assert.ok(e instanceof AwsError);
    assert.deepEqual(
      { category: e.category, service: e.service, operation: e.operation, code: e.code, message: e.message, status: e.httpStatus },
      { category: 'not-found', service: 'ecs', operation: 'ListServices', code: 'ClusterNotFoundException', message: 'Cluster not found.', status: 400 },
    );
    assert.equal(e.cause, original);
  });

  it('passes an AwsError through unchanged', () => {
    const e = new AwsError('quota', 'ecs', 'CreateService', 'LimitExceededException', 'too many');
    assert.equal(toAwsError(e, 'servicediscovery', 'Other'), e);
  });

  it('call() converts a rejection into an AwsError and returns values unchanged', async () => {
    assert.equal(await call('ecs', 'DescribeServices', async () => 42), 42);
    await assert.rejects(
      call('ecs', 'DescribeServices', async () => {
        throw sdkError('AccessDeniedException', { status: 400 });
      }),
      (err: unknown) => err instanceof AwsError && err.category === 'access-denied' && err.stalled && err.operation === 'DescribeServices',
    );
  });

  it('callOrUndefined() turns "not found" into undefined and still throws everything else', async () => {
    const missing = await callOrUndefined('servicediscovery', 'GetService', async () => {
      throw sdkError('ServiceNotFound', { status: 400 });
    });
    assert.equal(missing, undefined);
    await assert.rejects(
      callOrUndefined('servicediscovery', 'GetService', async () => {
        throw sdkError('ThrottlingException', { status: 400 });
      }),
      (err: unknown) => err instanceof AwsError && err.category === 'throttled',
    );
  });

  it('undefinedIfNotFound() resolves a not-found rejection to undefined', async () => {
    assert.equal(await undefinedIfNotFound(Promise.reject(sdkError('NamespaceNotFound'))), undefined);
    assert.equal(await undefinedIfNotFound(Promise.resolve('x')), 'x');
    await assert.rejects(undefinedIfNotFound(Promise.reject(sdkError('InvalidInput'))));
  });
});
