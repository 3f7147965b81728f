import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningController } from '../../src/run/app.js';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { copyExamples, countResources, isWrite, startExampleSandbox, startTestController, waitConverged, waitFor, type LogLines } from './helpers.js';

describe('a directory source where a file becomes refused keeps every resource (sandbox)', () => {
  let sandbox: SandboxHandle;
  let examples: string;
  let running: RunningController;
  let logs: LogLines;

  before(async () => {
    sandbox = await startExampleSandbox();
    examples = await copyExamples();
    ({ running, logs } = await startTestController(sandbox, ['--source', examples, '--interval', '1s', '--resync', '1s']));
    await waitConverged(running);
  });
  after(async () => {
    await running.stop(2_000);
    await sandbox.stop();
    await rm(examples, { recursive: true, force: true });
  });

  it('reports the refused file, holds every prune across resyncs (no DeleteService), and applies again once it is fixed', async () => {
    const before = await countResources(sandbox);
    const since = Date.now();
    const file = join(examples, 'hello-name', 'name.yaml');
    const text = await readFile(file, 'utf8');
    // The file held CloudMapService/internal/name: read as "no resources" it would be pruned.
    await writeFile(file, Buffer.concat([Buffer.from(text.slice(0, 30)), Buffer.from([0x00, 0x01, 0x02]), Buffer.from(text.slice(30))]));

    const line = await waitFor(
      () => logs.find((l) => l['code'] === 'EGO_ENCODING' && l['file'] === 'hello-name/name.yaml'),
      10_000,
      'the refused file reported',
    );
    assert.match(String(line['msg']), /manifest error outside any resource, pruning is held: the file holds a NUL character/);
    const scans = running.latest()?.seq ?? 0;
    await waitFor(() => (running.latest()?.seq ?? 0) >= scans + 2, 10_000, 'two more resyncs');

    const calls = sandbox.world.calls.calls(since);
    assert.deepEqual(
      calls.filter((c) => c.operation.startsWith('Delete') || c.operation === 'DeregisterInstance').map((c) => `${c.service}:${c.operation}`),
      [],
    );
    assert.deepEqual(
      calls.filter((c) => isWrite(c.operation)).map((c) => `${c.service}:${c.operation}`),
      [],
      'nothing is written for a revision with a refused file',
    );
    assert.deepEqual(await countResources(sandbox), before);
    const fileErrors = running.status.snapshot().controller.source.fileErrors ?? [];
    assert.deepEqual(
      fileErrors.map((e) => [e.file, e.line, e.code]),
      [['hello-name/name.yaml', 1, 'EGO_ENCODING']],
      '/status names the file',
    );

    await writeFile(file, text);
    await waitConverged(running);
    assert.equal(running.status.snapshot().controller.source.fileErrors, undefined, 'the error clears with the fixed revision');
  });
});
