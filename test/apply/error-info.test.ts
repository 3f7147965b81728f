import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../src/aws/errors.js';
import { ApplyError, PendingError, toErrorInfo } from '../../src/kit/apply-errors.js';

/** An error shaped like an SDK v3 service exception (what the executors' clients throw). */
function sdkError(name: string, message: string, status?: number): Error {
  const e = new Error(message) as Error & Record<string, unknown>;
  e.name = name;
  if (status !== undefined) e['$metadata'] = { httpStatusCode: status };
  return e;
}

describe('apply error info: SDK errors are classified as the AWS adapter classifies them', () => {
  const cases: [string, unknown, string, string][] = [
    // ECS answers a re-create of a DRAINING service with ClientException: a state conflict that
    // clears by itself, not a bad request that needs a human.
    ['ECS "not idempotent" create', sdkError('ClientException', 'Creation of service was not idempotent.', 400), 'conflict', 'ClientException'],
    ['a plain ClientException', sdkError('ClientException', 'Invalid container port.', 400), 'invalid', 'ClientException'],
    [
      'unrecognized credentials',
      sdkError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400),
      'access-denied',
      'UnrecognizedClientException',
    ],
    ['missing credentials', sdkError('CredentialsProviderError', 'Could not load credentials from any providers'), 'access-denied', 'CredentialsProviderError'],
    ['Route 53 throttling', sdkError('Throttling', 'Rate exceeded', 400), 'throttled', 'Throttling'],
    ['an unknown 503', sdkError('SomethingNew', 'try later', 503), 'transient', 'SomethingNew'],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient', 'ECONNRESET'],
    ['Cloud Map service in use', sdkError('ResourceInUse', 'instances are registered', 400), 'in-use', 'ResourceInUse'],
  ];
  for (const [name, err, category, code] of cases) {
    it(`${name} -> ${category}`, () => {
      const info = toErrorInfo(err);
      assert.equal(info.category, category);
      assert.equal(info.code, code);
    });
  }

  it('keeps the category and code of errors that carry them (AwsError, ApplyError) and calls a PendingError pending', () => {
    const aws = new AwsError('quota', 'ecs', 'CreateService', 'LimitExceededException', 'too many services');
    assert.deepEqual(toErrorInfo(aws), { category: 'quota', code: 'LimitExceededException', message: 'too many services' });
    const own = new ApplyError('EGO_APPLY_DEPENDENCY_MISSING', 'namespace internal does not exist (yet)');
    assert.deepEqual(toErrorInfo(own), {
      category: 'not-found',
      code: 'EGO_APPLY_DEPENDENCY_MISSING',
      message: 'namespace internal does not exist (yet)',
      applyCode: 'EGO_APPLY_DEPENDENCY_MISSING',
    });
    assert.equal(toErrorInfo(new PendingError('still running', 'op-1')).category, 'pending');
  });
});
