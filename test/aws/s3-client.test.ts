import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { CallCounter, countCalls } from '../../src/aws/call-counter.js';
import type { AwsClientHooks } from '../../src/aws/clients.js';
import { openSource } from '../../src/sources/open-source.js';

describe('the S3 client of an s3:// source comes from the adapter', () => {
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandbox({ operationDelayMs: 5, taskStartDelayMs: 5, drainDelayMs: 5 });
    const s3 = new S3Client({ ...sandbox.clientConfig(), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'deploy' }));
    await s3.send(new PutObjectCommand({ Bucket: 'deploy', Key: 'prod/a.yaml', Body: 'kind: A\n' }));
    s3.destroy();
  });
  after(async () => {
    await sandbox.stop();
  });

  it('passes the process rate limiter, the call observer and the per-scope call counter', async () => {
    const acquired: string[] = [];
    const observed: string[] = [];
    const hooks: AwsClientHooks = {
      rateLimiter: { acquire: async (service, operation) => void acquired.push(`${service}:${operation}`) },
      onCall: (service, operation, outcome) => void observed.push(`${service}:${operation}:${outcome}`),
    };
    const source = await openSource('s3://deploy/prod', { s3: { clientConfig: { ...sandbox.clientConfig(), maxAttempts: 1 }, hooks } });
    const counter = new CallCounter();
    const artifact = await countCalls(counter, () => source.fetch());
    assert.deepEqual(
      artifact.files.map((f) => f.path),
      ['a.yaml'],
    );
    assert.deepEqual(acquired, ['s3:ListObjectsV2', 's3:GetObject']);
    assert.deepEqual(observed, ['s3:ListObjectsV2:ok', 's3:GetObject:ok']);
    assert.deepEqual(counter.snapshot(), { 's3:ListObjectsV2': 1, 's3:GetObject': 1 });
  });
});
