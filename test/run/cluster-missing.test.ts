import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatusSnapshot } from '../../src/controller/status.js';
import { runCli, startExamplesCliFixture, type ExamplesCliFixture } from '../helpers/examples.js';
import { get, startTestController, waitFor, type LogLines } from './helpers.js';

const KEY = 'EcsService/nowhere/orders';

/** An ECS service in cluster `nowhere`, which the sandbox does not hold (the `orders` family does exist). */
const MANIFEST = `apiVersion: ecs-gitops.io/v1alpha1
kind: EcsService
metadata:
  name: orders
spec:
  cluster: nowhere
  taskDefinitionRef: orders
  launchType: FARGATE
  networkConfiguration:
    subnets: [subnet-0a1b2c3d4e5f60718]
    securityGroups: [sg-0c3d4e5f607182930]
`;

/** The reconcile log lines of `key`. */
function reconcileLines(logs: LogLines, key: string): LogLines {
  return logs.filter((l) => l['key'] === key && typeof l['outcome'] === 'string');
}

describe('an ECS service in a cluster that does not exist needs a human, and says so at once (sandbox)', () => {
  let f: ExamplesCliFixture;
  let dir: string;

  before(async () => {
    f = await startExamplesCliFixture();
    dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-nowhere-'));
    await writeFile(join(dir, 'orders.yaml'), MANIFEST);
  });
  after(async () => {
    await f.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('plan (CLI) exits 2 with a blocked line naming the missing cluster and the fix', async () => {
    const planned = await f.cli('plan', '--source', dir);
    assert.equal(planned.code, 2, `${planned.out}\n${planned.err}`);
    assert.match(planned.out, /^! blocked EcsService\/nowhere\/orders \(cluster-missing, would create\)$/m);
    assert.match(
      planned.out,
      /reason: ECS cluster "nowhere" does not exist \(.*\): create it \(aws ecs create-cluster --cluster-name nowhere\) or change spec\.cluster/,
    );
    assert.match(planned.out, /1 blocked\./);
    const json = JSON.parse((await f.cli('plan', '--source', dir, '--output', 'json')).out) as {
      resources: { key: string; action: string; blockedBy?: string }[];
    };
    assert.deepEqual(
      json.resources.map((r) => [r.key, r.action, r.blockedBy]),
      [[KEY, 'blocked', 'cluster-missing']],
    );
  });

  it('the controller reports it Stalled (ClusterNotFound, with the AWS message) at the first attempt, never retries on backoff, and status renders it', async () => {
    const { running, logs } = await startTestController(f.sandbox, ['--source', dir, '--resync', '1s']);
    try {
      const stalled = await waitFor(
        () => {
          const r = running.status.get(KEY);
          return r?.syncStatus === 'Stalled' ? r : undefined;
        },
        15_000,
        `${KEY} Stalled`,
      );
      const ready = stalled.conditions.find((c) => c.type === 'Ready');
      assert.equal(ready?.status, 'False');
      assert.equal(ready?.reason, 'ClusterNotFound');
      assert.match(ready?.message ?? '', /ECS cluster "nowhere" does not exist \(ClusterNotFoundException/, "the message carries AWS's answer");
      assert.match(ready?.message ?? '', /aws ecs create-cluster --cluster-name nowhere/);
      assert.equal(reconcileLines(logs, KEY)[0]?.['outcome'], 'stalled', 'Stalled at the first attempt');

      // Three resyncs later it is still Stalled, every attempt was one resync (not a backoff
      // retry), and no failure count ever climbed.
      await waitFor(() => reconcileLines(logs, KEY).length >= 3, 15_000, 'three reconciles of the service');
      const lines = reconcileLines(logs, KEY);
      assert.deepEqual([...new Set(lines.map((l) => l['outcome']))], ['stalled'], JSON.stringify(lines));
      assert.ok(
        lines.every((l) => l['failures'] === undefined && l['requeueAfterMs'] === undefined),
        JSON.stringify(lines),
      );
      assert.equal(running.status.get(KEY)?.syncStatus, 'Stalled');
      const creates = f.sandbox.world.calls.calls(0).filter((c) => c.operation === 'CreateService' && c.service === 'ecs');
      assert.equal(creates.length, 0, 'no CreateService into a cluster known to be missing');

      const doc = JSON.parse((await get(running, '/status')).body) as StatusSnapshot;
      assert.equal(doc.resources.find((r) => r.key === KEY)?.syncStatus, 'Stalled');
      const status = await runCli(['status', '--url', running.url], {});
      assert.equal(status.code, 2, `${status.out}\n${status.err}`);
      const row = status.out.split('\n').find((l) => l.startsWith('EcsService') && l.includes('nowhere/orders'));
      assert.ok(row, status.out);
      assert.match(row, /\bStalled\b/);
      assert.match(row, /\bClusterNotFound\b/);
      assert.doesNotMatch(status.out, /\(resource\)/);
    } finally {
      await running.stop(2_000);
    }
  });
});
