import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/observe/checkpoint.js';
import type { LiveCloudMapService } from '../../src/kit/types.js';
import { FAST_SANDBOX } from '../helpers/sandbox.js';
import { changeTtlOutOfBand, get, liveTtl, preparePlatform, startTestController, waitConverged, waitFor } from './helpers.js';

const HAND_CHANGED = 'CloudMapService/internal/name';

describe('ecs-gitops run --checkpoint (sandbox)', () => {
  let sandbox: SandboxHandle;
  let dir: string;
  let file: string;

  before(async () => {
    sandbox = await startSandbox(FAST_SANDBOX);
    await preparePlatform(sandbox);
    dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-checkpoint-'));
    file = join(dir, 'observation.gz');
  });
  after(async () => {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the observation at shutdown, readable by the controller only', async () => {
    const { running } = await startTestController(sandbox, ['--resync', '10m', '--checkpoint', file]);
    try {
      await waitConverged(running);
    } finally {
      await running.stop(10_000);
    }
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const cp = await decodeCheckpoint(await readFile(file));
    assert.equal(cp.header.controllerId, 'ecs-gitops');
    assert.ok(cp.resources.has(HAND_CHANGED));
    assert.ok([...cp.resources.keys()].some((k) => k.startsWith('EcsService/')));
  });

  it('a restart is ready from the checkpoint before its first scan, reports its drift, and writes only what it read again', async () => {
    // While no controller runs: a hand change the checkpoint cannot know about...
    await changeTtlOutOfBand(sandbox, 'internal', 'name', 300);
    // ...and a checkpoint that is wrong about another service (AWS still has the manifest's TTL).
    const cp = await decodeCheckpoint(await readFile(file));
    const liar = [...cp.resources.values()].find(
      (r): r is LiveCloudMapService => r.kind === 'CloudMapService' && r.key !== HAND_CHANGED && (r.spec.dns?.records.length ?? 0) > 0,
    );
    assert.ok(liar, 'a second Cloud Map service with DNS records in the examples');
    const liarTtl = liar.spec.dns?.records[0]?.ttl;
    const lied = { ...liar, spec: { ...liar.spec, dns: { ...liar.spec.dns, records: [{ type: 'A' as const, ttl: 7 }] } } } as LiveCloudMapService;
    const resources = new Map(cp.resources).set(liar.key, lied);
    await writeFile(file, await encodeCheckpoint({ ...cp.header, observedAt: Date.now() - 1_000 }, resources.values()), { mode: 0o600 });

    // Hold the first full scan back, so the window between the checkpoint and the first scan is wide.
    const slow = sandbox.fault({ service: 'ecs', operation: 'DescribeServices', kind: 'latency', latencyMs: 4_000, count: 1 });
    const startedAt = Date.now();
    const { running } = await startTestController(sandbox, ['--resync', '10m', '--checkpoint', file]);
    try {
      await waitFor(async () => (await get(running, '/readyz')).status === 200, 10_000, '/readyz 200');
      const early = running.status.snapshot();
      assert.ok(early.controller.restoredFrom, 'ready from the checkpoint, before the first full scan');
      assert.equal(early.controller.lastObserveTime, undefined);
      const liarStatus = early.resources.find((r) => r.key === liar.key);
      assert.equal(liarStatus?.conditions.find((c) => c.type === 'Drifted')?.status, 'True', 'drift of the checkpoint is reported');
      assert.deepEqual(
        liarStatus?.driftedFields.map((f) => f.path),
        ['spec.dns.records[0].ttl'],
      );

      await waitFor(async () => (await liveTtl(sandbox, 'internal', 'name')) === 60, 20_000, 'the hand change to be reverted after the first scan');
      await waitConverged(running);
      assert.equal(running.status.snapshot().controller.restoredFrom, undefined, 'the first full scan replaced the checkpoint');
      const writes = sandbox.world.calls
        .calls(startedAt)
        .filter((c) => c.service === 'servicediscovery' && c.operation === 'UpdateService' && c.outcome === 'ok');
      assert.equal(writes.length, 1, 'one write: the revert of the hand change; none for the checkpoint that lied');
      assert.notEqual(writes[0]?.input['Id'], liar.id);
      const firstScanDone = sandbox.world.calls.calls(startedAt).find((c) => c.service === 'ecs' && c.operation === 'DescribeServices');
      assert.ok(firstScanDone && (writes[0]?.time ?? 0) > firstScanDone.time, 'the write came after AWS was read again');
      assert.equal(await liveTtl(sandbox, liar.spec.namespace, liar.name), liarTtl, 'AWS keeps the TTL the checkpoint misreported');
    } finally {
      sandbox.world.faults.remove(slow);
      await running.stop(10_000);
    }
  });

  it('keeps the checkpoint in S3 with s3://bucket/key', async () => {
    const s3 = new S3Client({ ...sandbox.clientConfig(), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'controller-state' }));
    const location = 's3://controller-state/ecs-gitops/observation.gz';
    const first = await startTestController(sandbox, ['--resync', '10m', '--checkpoint', location]);
    try {
      await waitConverged(first.running);
    } finally {
      await first.running.stop(10_000);
    }
    const object = await s3.send(new GetObjectCommand({ Bucket: 'controller-state', Key: 'ecs-gitops/observation.gz' }));
    const cp = await decodeCheckpoint(await (object.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())));
    assert.ok(cp.resources.has(HAND_CHANGED));
    s3.destroy();
    const slow = sandbox.fault({ service: 'ecs', operation: 'DescribeServices', kind: 'latency', latencyMs: 3_000, count: 1 });
    const second = await startTestController(sandbox, ['--resync', '10m', '--checkpoint', location]);
    try {
      await waitFor(async () => (await get(second.running, '/readyz')).status === 200, 10_000, '/readyz 200');
      assert.equal(second.running.status.snapshot().controller.restoredFrom?.location, location);
    } finally {
      sandbox.world.faults.remove(slow);
      await second.running.stop(10_000);
    }
  });

  it('ignores a checkpoint of another controller id and starts cold', async () => {
    const { running, logs } = await startTestController(sandbox, ['--resync', '10m', '--checkpoint', file, '--controller-id', 'other']);
    try {
      await waitFor(async () => (await get(running, '/readyz')).status === 200, 20_000, '/readyz 200');
      assert.equal(running.status.snapshot().controller.restoredFrom, undefined);
      assert.ok(logs.some((l) => l['msg'] === 'checkpoint not used; the first scan starts cold' && /controller "ecs-gitops"/.test(String(l['reason']))));
    } finally {
      await running.stop(10_000);
    }
  });
});
