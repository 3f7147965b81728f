import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretReference } from '../../src/manifests/rules/task-definition-rules.js';

describe('secret valueFrom references (EGO_SECRET_VALUE_FROM)', () => {
  const accepted = [
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password:AWSCURRENT:',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf::AWSPREVIOUS:',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:::0123abcd-1111-2222-3333-444455556666',
    'arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/prod/db/password',
    'arn:aws:ssm:eu-west-1:123456789012:parameter/plain',
    '/prod/db/password',
    'db-password',
  ];
  const refused = [
    '',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password',
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db:a:b:c:d',
    'arn:aws:s3:::bucket/key',
    'prod/db/password',
    '/prod//password',
    'aws-reserved',
    'ssm/param',
    'has space',
    `/${'x'.repeat(2048)}`,
  ];
  for (const v of accepted) it(`accepts ${v}`, () => assert.equal(isSecretReference(v), true));
  for (const v of refused) it(`refuses ${JSON.stringify(v.slice(0, 60))}`, () => assert.equal(isSecretReference(v), false));
});
