import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import type { RunningController } from '../../src/run/app.js';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { copyExamples, countResources, get, isWrite, metricValue, startExampleSandbox, startTestController, waitConverged, waitFor } from './helpers.js';

describe('an invalid manifest blocks only itself and its dependents, and is never pruned (sandbox)', () => {
  let sandbox: SandboxHandle;
  let examples: string;
  let running: RunningController;

  before(async () => {
    sandbox = await startExampleSandbox();
    examples = await copyExamples();
    ({ running } = await startTestController(sandbox, ['--source', examples, '--interval', '1s', '--resync', '1s']));
    await waitConverged(running);
  });
  after(async () => {
    await running.stop(2_000);
    await sandbox.stop();
    await rm(examples, { recursive: true, force: true });
  });

  it('reports the broken manifest and its dependent Stalled, keeps their live resources, and still applies the others', async () => {
    const before = await countResources(sandbox);
    const since = Date.now();
    const nameFile = join(examples, 'hello-name', 'name.yaml');
    const helloFile = join(examples, 'hello-name', 'hello.yaml');
    const name = await readFile(nameFile, 'utf8');
    await writeFile(nameFile, name.replace('routingPolicy: MULTIVALUE', 'routingPolicy: ROUND_ROBIN'));
    await writeFile(helloFile, (await readFile(helloFile, 'utf8')).replace(/desiredCount: \d+/, 'desiredCount: 3'));

    await waitFor(
      () =>
        running.status.get('CloudMapService/internal/name')?.syncStatus === 'Stalled' && running.status.get('EcsService/demo/name')?.syncStatus === 'Stalled',
      10_000,
      'the invalid manifest and its dependent Stalled',
    );
    const ecs = new ECSClient(sandbox.clientConfig());
    try {
      await waitFor(
        async () => (await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['hello'] }))).services?.[0]?.desiredCount === 3,
        10_000,
        'hello scaled to 3',
      );
    } finally {
      ecs.destroy();
    }
    const broken = running.status.get('CloudMapService/internal/name');
    assert.equal(broken?.lastError?.reason, 'InvalidManifest');
    assert.match(broken?.lastError?.message ?? '', /hello-name\/name\.yaml:\d+: spec\.dns\.routingPolicy/);
    assert.equal(running.status.get('EcsService/demo/name')?.lastError?.reason, 'InvalidManifest');
    assert.match(running.status.get('EcsService/demo/name')?.lastError?.message ?? '', /held back/);
    const metrics = (await get(running, '/metrics')).body;
    assert.equal(
      metricValue(metrics, 'ecs_gitops_resource_info', {
        kind: 'CloudMapService',
        name: 'internal/name',
        sync_status: 'Stalled',
        health_status: 'Unknown',
        mode: 'enforce',
      }),
      1,
    );

    // Several resyncs later nothing of theirs was deleted or changed.
    const scans = running.latest()?.seq ?? 0;
    await waitFor(() => (running.latest()?.seq ?? 0) >= scans + 2, 10_000, 'two more resyncs');
    assert.deepEqual(await countResources(sandbox), before);
    const writes = sandbox.world.calls
      .calls(since)
      .filter((c) => isWrite(c.operation))
      .map((c) => `${c.service}:${c.operation}`);
    assert.ok(!writes.some((w) => w.includes('Delete')), writes.join(', '));
    assert.ok(!writes.some((w) => w.startsWith('servicediscovery:')), writes.join(', '));

    await writeFile(nameFile, name);
    await waitFor(
      () => running.status.get('CloudMapService/internal/name')?.syncStatus === 'Synced' && running.status.get('EcsService/demo/name')?.syncStatus === 'Synced',
      10_000,
      'fixed manifest Synced again',
    );
  });
});
