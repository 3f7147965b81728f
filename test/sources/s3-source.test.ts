import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { openSource } from '../../src/sources/open-source.js';
import { SourceError } from '../../src/sources/errors.js';
import type { Source } from '../../src/sources/source.js';

describe('s3 source', () => {
  let sandbox: SandboxHandle;
  let s3: S3Client;
  const put = (Key: string, Body: string) => s3.send(new PutObjectCommand({ Bucket: 'deploy', Key, Body }));
  const open = (url: string, limits?: { maxFiles?: number }): Promise<Source> =>
    openSource(url, { limits, s3: { clientConfig: { ...sandbox.clientConfig(), maxAttempts: 1 } } });
  const count = (op: string): number => sandbox.world.calls.total('s3', op);

  before(async () => {
    sandbox = await startSandbox({ operationDelayMs: 20, taskStartDelayMs: 20, drainDelayMs: 20 });
    s3 = new S3Client({ ...sandbox.clientConfig(), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'deploy' }));
    for (let i = 0; i < 5; i++) await put(`prod/svc-${i}.yaml`, `kind: S${i}\n`);
    await put('prod/readme.md', 'not a manifest');
    await put('prod/sub/', '');
    await put('prod-old/x.yaml', 'kind: Old\n');
  });
  after(async () => {
    s3.destroy();
    await sandbox.stop();
  });

  it('reads the *.yaml objects under the prefix (and not a sibling prefix)', async () => {
    const artifact = await (await open('s3://deploy/prod')).fetch();
    assert.deepEqual(
      artifact.files.map((f) => f.path),
      ['svc-0.yaml', 'svc-1.yaml', 'svc-2.yaml', 'svc-3.yaml', 'svc-4.yaml'],
    );
    assert.equal(artifact.files[2]?.content, 'kind: S2\n');
    assert.match(artifact.revision, /^sha256:[0-9a-f]{64}$/);
    assert.equal(artifact.url, 's3://deploy/prod/');
  });

  it('costs only list calls when nothing changed, and downloads only changed objects', async () => {
    const source = await open('s3://deploy/prod/');
    const first = await source.fetch();
    const gets0 = count('GetObject');
    const lists0 = count('ListObjectsV2');
    const same = await source.fetch();
    assert.equal(same.revision, first.revision);
    assert.equal(count('GetObject'), gets0);
    assert.equal(count('ListObjectsV2'), lists0 + 1);

    await put('prod/svc-3.yaml', 'kind: S3-changed\n');
    await put('prod/svc-5.yaml', 'kind: S5\n');
    const next = await source.fetch();
    assert.notEqual(next.revision, first.revision);
    assert.equal(count('GetObject'), gets0 + 2);
    assert.equal(next.files.find((f) => f.path === 'svc-3.yaml')?.content, 'kind: S3-changed\n');

    await s3.send(new DeleteObjectCommand({ Bucket: 'deploy', Key: 'prod/svc-5.yaml' }));
    const removed = await source.fetch();
    assert.equal(
      removed.files.some((f) => f.path === 'svc-5.yaml'),
      false,
    );
    assert.equal(count('GetObject'), gets0 + 2);
  });

  it('follows list pages to the end', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'many' }));
    const keys = Array.from({ length: 1203 }, (_, i) => `m/${String(i).padStart(4, '0')}.yaml`);
    // Seeded in the sandbox's store directly: 1,203 PutObject round trips cost seconds and test nothing here.
    for (const key of keys) sandbox.services.s3.store.put('many', key, Buffer.from('kind: M\n'), 'application/x-yaml', {});
    const lists0 = count('ListObjectsV2');
    const artifact = await (await open('s3://many/m/')).fetch();
    assert.equal(artifact.files.length, 1203);
    assert.equal(count('ListObjectsV2'), lists0 + 2);
  });

  it('reports a missing bucket as not_found and too many objects as too_large', async () => {
    await assert.rejects((await open('s3://nobucket/x')).fetch(), (err: unknown) => err instanceof SourceError && err.reason === 'not_found');
    await assert.rejects((await open('s3://deploy/prod', { maxFiles: 2 })).fetch(), (err: unknown) => err instanceof SourceError && err.reason === 'too_large');
  });

  it('gives up a fetch that exceeds its time limit (endpoint accepts but never answers)', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createNetServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const source = await openSource('s3://deploy/prod', {
        s3: { clientConfig: { ...sandbox.clientConfig(), endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 }, timeoutMs: 300 },
      });
      await assert.rejects(source.fetch(), (err: unknown) => err instanceof SourceError && err.reason === 'timeout' && /within 300 ms/.test(err.message));
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('reports an unreachable endpoint as unreachable', async () => {
    const source = await openSource('s3://deploy/prod', {
      s3: { clientConfig: { ...sandbox.clientConfig(), endpoint: 'http://127.0.0.1:1', maxAttempts: 1 } },
    });
    await assert.rejects(source.fetch(), (err: unknown) => err instanceof SourceError && err.reason === 'unreachable');
  });
});
