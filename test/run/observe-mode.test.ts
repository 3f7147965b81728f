import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import {
  changeTtlOutOfBand,
  copyExamples,
  get,
  isWrite,
  liveTtl,
  metricValue,
  startExampleSandbox,
  startTestController,
  waitConverged,
  waitFor,
} from './helpers.js';

interface StatusDoc {
  resources: {
    key: string;
    mode: string;
    syncStatus: string;
    driftedFields: { path: string; from: unknown; to: unknown }[];
    conditions: { type: string; status: string; message: string }[];
  }[];
}

describe('observe mode: drift is reported in /metrics and /status, nothing is written (sandbox)', () => {
  let sandbox: SandboxHandle;
  let ecs: ECSClient;
  let examples: string;

  before(async () => {
    sandbox = await startExampleSandbox();
    ecs = new ECSClient(sandbox.clientConfig());
    examples = await copyExamples();
    const first = await startTestController(sandbox, ['--source', examples]);
    await waitConverged(first.running);
    await first.running.stop(2_000);
    // Someone changes things by hand while no controller runs.
    await changeTtlOutOfBand(sandbox, 'internal', 'name', 299);
    await ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'name', desiredCount: 7 }));
  });
  after(async () => {
    ecs.destroy();
    await sandbox.stop();
    await rm(examples, { recursive: true, force: true });
  });

  it('--default-mode observe reports both drifts and makes no write call through two resyncs', async () => {
    const since = Date.now();
    const { running } = await startTestController(sandbox, ['--source', examples, '--default-mode', 'observe', '--resync', '1s']);
    try {
      await waitFor(
        () =>
          running.status.get('EcsService/demo/name')?.syncStatus === 'OutOfSync' &&
          running.status.get('CloudMapService/internal/name')?.syncStatus === 'OutOfSync',
        10_000,
        'drift reported',
      );
      const metrics = (await get(running, '/metrics')).body;
      assert.equal(metricValue(metrics, 'ecs_gitops_drifted', { kind: 'CloudMapService', name: 'internal/name' }), 1);
      assert.equal(metricValue(metrics, 'ecs_gitops_drifted', { kind: 'EcsService', name: 'demo/name' }), 1);
      assert.equal(metricValue(metrics, 'ecs_gitops_drifted', { kind: 'EcsService', name: 'demo/hello' }), 0);
      assert.equal(
        metricValue(metrics, 'ecs_gitops_resource_info', {
          kind: 'CloudMapService',
          name: 'internal/name',
          sync_status: 'OutOfSync',
          health_status: 'Unknown',
          mode: 'observe',
        }),
        1,
      );
      const status = JSON.parse((await get(running, '/status')).body) as StatusDoc;
      const svc = status.resources.find((r) => r.key === 'CloudMapService/internal/name');
      assert.equal(svc?.mode, 'observe');
      assert.deepEqual(svc?.driftedFields, [{ path: 'spec.dns.records[0].ttl', from: 299, to: 60 }]);
      assert.match(svc?.conditions.find((c) => c.type === 'Drifted')?.message ?? '', /observe mode/);
      const ecsEntry = status.resources.find((r) => r.key === 'EcsService/demo/name');
      assert.deepEqual(
        ecsEntry?.driftedFields.map((f) => [f.path, f.from, f.to]),
        [['spec.desiredCount', 7, 2]],
      );

      const scans = running.latest()?.seq ?? 0;
      await waitFor(() => (running.latest()?.seq ?? 0) >= scans + 2, 10_000, 'two more resyncs');
      await sleep(200);
      const writes = sandbox.world.calls.calls(since).filter((c) => isWrite(c.operation));
      assert.deepEqual(
        writes.map((c) => `${c.service}:${c.operation}`),
        [],
      );
      assert.equal(await liveTtl(sandbox, 'internal', 'name'), 299);
      assert.equal(running.status.get('CloudMapService/internal/name')?.syncStatus, 'OutOfSync');
    } finally {
      await running.stop(2_000);
    }
  });

  it('syncPolicy.mode: observe on one manifest: that resource is only reported, the others are enforced', async () => {
    const file = join(examples, 'hello-name', 'name.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text.replace(
        '  healthCheck:\n    custom:\n      failureThreshold: 1\n',
        '  healthCheck:\n    custom:\n      failureThreshold: 1\n  syncPolicy:\n    mode: observe\n',
      ),
    );
    const since = Date.now();
    const { running } = await startTestController(sandbox, ['--source', examples]);
    try {
      await waitFor(() => running.status.get('EcsService/demo/name')?.syncStatus === 'Synced', 10_000, 'the ECS service reverted');
      await waitFor(() => running.status.get('CloudMapService/internal/name')?.syncStatus === 'OutOfSync', 10_000, 'the observed service reported');
      assert.equal(running.status.get('CloudMapService/internal/name')?.mode, 'observe');
      const writes = sandbox.world.calls.calls(since).filter((c) => isWrite(c.operation));
      assert.ok(
        writes.some((c) => c.service === 'ecs' && c.operation === 'UpdateService'),
        'desiredCount reverted',
      );
      assert.ok(!writes.some((c) => c.service === 'servicediscovery'), `no Cloud Map write: ${writes.map((c) => c.operation).join(', ')}`);
      assert.equal(await liveTtl(sandbox, 'internal', 'name'), 299);
      const metrics = (await get(running, '/metrics')).body;
      assert.equal(metricValue(metrics, 'ecs_gitops_drifted', { kind: 'CloudMapService', name: 'internal/name' }), 1);
      assert.equal(metricValue(metrics, 'ecs_gitops_drifted', { kind: 'EcsService', name: 'demo/name' }), 0);
    } finally {
      await running.stop(2_000);
    }
  });
});
