import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Route53Client, ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { startSandbox, type SandboxHandle } from '../src/server.js';
import { FAST_SANDBOX } from '../src/testing.js';

describe('sandbox S3', () => {
  let sandbox: SandboxHandle;
  let s3: S3Client;
  before(async () => {
    sandbox = await startSandbox(FAST_SANDBOX);
    s3 = new S3Client({ ...sandbox.clientConfig(), forcePathStyle: true, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'manifests' }));
  });
  after(async () => {
    s3.destroy();
    await sandbox.stop();
  });

  it('stores an object and returns it with a quoted MD5 ETag', async () => {
    const body = 'kind: CloudMapNamespace\n';
    const put = await s3.send(new PutObjectCommand({ Bucket: 'manifests', Key: 'a/ns.yaml', Body: body, ContentType: 'application/yaml' }));
    const md5 = createHash('md5').update(body).digest('hex');
    assert.equal(put.ETag, `"${md5}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'manifests', Key: 'a/ns.yaml' }));
    assert.equal(await got.Body?.transformToString(), body);
    assert.equal(got.ETag, `"${md5}"`);
    assert.equal(got.ContentType, 'application/yaml');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'manifests', Key: 'a/ns.yaml' }));
    assert.equal(head.ContentLength, Buffer.byteLength(body));
    assert.equal(head.ETag, `"${md5}"`);
  });

  it('answers NoSuchKey for a missing object and NoSuchBucket for a missing bucket', async () => {
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'manifests', Key: 'nope.yaml' })), (err: Error) => err.name === 'NoSuchKey');
    await assert.rejects(s3.send(new ListObjectsV2Command({ Bucket: 'nobucket' })), (err: Error) => err.name === 'NoSuchBucket');
    await assert.rejects(s3.send(new PutObjectCommand({ Bucket: 'nobucket', Key: 'k', Body: 'x' })), (err: Error) => err.name === 'NoSuchBucket');
    await assert.rejects(
      s3.send(new HeadObjectCommand({ Bucket: 'manifests', Key: 'nope.yaml' })),
      (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(err.$metadata?.httpStatusCode, 404);
        return true;
      },
    );
  });

  it('refuses a GetObject whose If-Match ETag no longer holds', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'manifests', Key: 'cond.yaml', Body: 'v1' }));
    const { ETag } = await s3.send(new HeadObjectCommand({ Bucket: 'manifests', Key: 'cond.yaml' }));
    await s3.send(new PutObjectCommand({ Bucket: 'manifests', Key: 'cond.yaml', Body: 'v2' }));
    await assert.rejects(
      s3.send(new GetObjectCommand({ Bucket: 'manifests', Key: 'cond.yaml', IfMatch: ETag })),
      (err: Error) => err.name === 'PreconditionFailed',
    );
  });

  it('deletes objects (idempotently, 204 for a missing key too)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'manifests', Key: 'gone.yaml', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'manifests', Key: 'gone.yaml' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'manifests', Key: 'gone.yaml' }));
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'manifests', Key: 'gone.yaml' })), (err: Error) => err.name === 'NoSuchKey');
  });

  it('lists a prefix in key order, page by page with continuation tokens', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'paging' }));
    const keys = Array.from({ length: 7 }, (_, i) => `p/${String.fromCharCode(103 - i)}.yaml`);
    for (const k of keys) await s3.send(new PutObjectCommand({ Bucket: 'paging', Key: k, Body: k }));
    await s3.send(new PutObjectCommand({ Bucket: 'paging', Key: 'other/x.yaml', Body: 'x' }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'paging', Prefix: 'p/', MaxKeys: 3, ContinuationToken: token }));
      pages++;
      assert.ok((page.KeyCount ?? 0) <= 3);
      for (const o of page.Contents ?? []) seen.push(o.Key!);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...keys].sort());
  });

  it('lists after start-after and groups by a delimiter', async () => {
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'paging', StartAfter: 'p/e.yaml' }));
    assert.deepEqual(
      after.Contents?.map((o) => o.Key),
      ['p/f.yaml', 'p/g.yaml'],
    );
    const grouped = await s3.send(new ListObjectsV2Command({ Bucket: 'paging', Delimiter: '/' }));
    assert.deepEqual(
      grouped.CommonPrefixes?.map((p) => p.Prefix),
      ['other/', 'p/'],
    );
    assert.equal(grouped.Contents, undefined);
  });

  it('rejects a forged continuation token with InvalidArgument', async () => {
    await assert.rejects(
      s3.send(new ListObjectsV2Command({ Bucket: 'paging', ContinuationToken: 'not-a-token' })),
      (err: Error) => err.name === 'InvalidArgument',
    );
  });

  it('leaves Route 53 paths to Route 53', async () => {
    const r53 = new Route53Client({ ...sandbox.clientConfig(), maxAttempts: 1 });
    const zones = await r53.send(new ListHostedZonesCommand({}));
    assert.ok(Array.isArray(zones.HostedZones));
    r53.destroy();
  });

  it('records S3 calls in the call log with bucket and key', () => {
    const gets = sandbox.world.calls.calls().filter((c) => c.service === 's3' && c.operation === 'GetObject');
    assert.ok(gets.length > 0);
    assert.equal(gets[0]?.input['Bucket'], 'manifests');
    assert.equal(typeof gets[0]?.input['Key'], 'string');
  });
});
