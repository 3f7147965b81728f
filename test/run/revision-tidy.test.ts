/**
 * The controller keeps task definition revisions tidy (sandbox, real SDK): nothing with
 * pruning off or in observe mode; the first scan sweeps every family; after a reconcile
 * registered a revision its family is tidied on the next pass, the orphan of a lost
 * RegisterTaskDefinition response included; a revision the ACTIVE deployment of a stuck
 * rollout still runs is kept until the rollout ends.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeServicesCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import type { ControllerDeps, RunningController } from '../../src/run/app.js';
import type { RevisionTidyStatus } from '../../src/controller/status.js';
import { copyExamples, get, metricValue, startExampleSandbox, startTestController, waitConverged, waitFor, type LogLines } from './helpers.js';

const HELLO_IMAGE = /(image: 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/hello-server:)\S+/;

describe('ecs-gitops run tidies task definition revisions (sandbox)', () => {
  let sandbox: SandboxHandle;
  let ecs: ECSClient;
  let examples: string;
  let helloFile: string;

  before(async () => {
    sandbox = await startExampleSandbox();
    ecs = new ECSClient(sandbox.clientConfig());
    examples = await copyExamples();
    helloFile = join(examples, 'hello-name', 'hello.yaml');
  });
  after(async () => {
    ecs.destroy();
    await sandbox.stop();
    await rm(examples, { recursive: true, force: true });
  });

  async function setHelloImage(tag: string): Promise<void> {
    const text = await readFile(helloFile, 'utf8');
    assert.match(text, HELLO_IMAGE);
    await writeFile(helloFile, text.replace(HELLO_IMAGE, `$1${tag}`));
  }

  async function activeHello(): Promise<number[]> {
    const out = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'hello', status: 'ACTIVE' }));
    return (out.taskDefinitionArns ?? []).map((a) => Number(a.slice(a.lastIndexOf(':') + 1)));
  }

  /** Revisions the hello service's deployments run, PRIMARY first. */
  async function helloDeployments(): Promise<string[]> {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['hello'] }));
    return (out.services?.[0]?.deployments ?? []).map((d) => `${d.status}:${d.taskDefinition?.slice(d.taskDefinition.lastIndexOf('/') + 1)}`);
  }

  async function tidyStatus(running: RunningController): Promise<RevisionTidyStatus | undefined> {
    return (JSON.parse((await get(running, '/status')).body) as { revisionTidy?: RevisionTidyStatus }).revisionTidy;
  }

  async function deregistered(running: RunningController): Promise<number | undefined> {
    return metricValue((await get(running, '/metrics')).body, 'ecs_gitops_revisions_deregistered_total');
  }

  function deregisterCalls(since: number): string[] {
    return sandbox.world.calls
      .calls(since)
      .filter((c) => c.operation === 'DeregisterTaskDefinition')
      .map((c) => c.operation);
  }

  /** Runs a controller until `hello` runs `revision` alone (its rollout done). */
  async function rollTo(argv: string[], tag: string, revision: number): Promise<void> {
    await setHelloImage(tag);
    const { running } = await startTestController(sandbox, ['--source', examples, ...argv]);
    try {
      await waitConverged(running);
      await waitFor(async () => (await helloDeployments()).join() === `PRIMARY:hello:${revision}`, 15_000, `hello on revision ${revision} alone`);
    } finally {
      await running.stop(2_000);
    }
  }

  it('--no-prune: revisions pile up, nothing is read or deregistered', async () => {
    const since = Date.now();
    await rollTo(['--no-prune'], '1.0.0', 1);
    await rollTo(['--no-prune'], '1.0.1', 2);
    await rollTo(['--no-prune'], '1.0.2', 3);
    assert.deepEqual(await activeHello(), [1, 2, 3]);
    assert.deepEqual(deregisterCalls(since), []);
  });

  it('--default-mode observe: no revision is listed or deregistered through several scans', async () => {
    const since = Date.now();
    const { running } = await startTestController(sandbox, ['--source', examples, '--default-mode', 'observe', '--keep-revisions', '1', '--resync', '1s']);
    try {
      await waitFor(() => (running.latest()?.seq ?? 0) >= 3, 15_000, 'three scans');
      const lists = sandbox.world.calls.calls(since).filter((c) => c.operation === 'ListTaskDefinitions');
      assert.deepEqual(lists, [], 'observe mode reads no revision list');
      assert.deepEqual(deregisterCalls(since), []);
      assert.equal(await tidyStatus(running), undefined);
      assert.equal(await deregistered(running), 0);
      assert.deepEqual(await activeHello(), [1, 2, 3]);
    } finally {
      await running.stop(2_000);
    }
  });

  it('syncPolicy.mode observe on the service: its family is skipped, the others are swept', async () => {
    const plain = await readFile(helloFile, 'utf8');
    await writeFile(
      helloFile,
      plain.replace('  healthCheckGracePeriodSeconds: 30\n', '  healthCheckGracePeriodSeconds: 30\n  syncPolicy:\n    mode: observe\n'),
    );
    const since = Date.now();
    const { running } = await startTestController(sandbox, ['--source', examples, '--keep-revisions', '1']);
    try {
      const tidy = await waitFor(() => tidyStatus(running), 15_000, 'a tidy pass');
      assert.equal(tidy.sweep, true, 'the first scan sweeps');
      assert.deepEqual(
        tidy.skipped.map((s) => [s.family, s.reason]),
        [['hello', 'EcsService/demo/hello is in observe mode']],
      );
      assert.ok(!tidy.families.includes('hello') && tidy.families.includes('name'), tidy.families.join());
      assert.deepEqual(tidy.deregistered, []);
      assert.deepEqual(deregisterCalls(since), []);
      assert.deepEqual(await activeHello(), [1, 2, 3]);
    } finally {
      await running.stop(2_000);
      await writeFile(helloFile, plain);
    }
  });

  describe('enforce', () => {
    let running: RunningController;
    let logs: LogLines;
    const started: RunningController[] = [];
    after(async () => {
      await Promise.all(started.map((r) => r.stop(2_000)));
    });
    /** A controller polling the directory source every second (the tests edit it). */
    async function start(keep: string, deps: ControllerDeps = {}): Promise<void> {
      ({ running, logs } = await startTestController(sandbox, ['--source', examples, '--interval', '1s', '--resync', '1s', '--keep-revisions', keep], deps));
      started.push(running);
    }

    it('the first scan sweeps every family: revisions beyond --keep-revisions go, the one in use stays; one list call per family', async () => {
      await start('2');
      await waitFor(async () => (await activeHello()).join() === '2,3', 15_000, 'hello:1 deregistered');
      const tidy = await waitFor(() => tidyStatus(running), 5_000, 'the tidy status');
      assert.equal(tidy.sweep, true);
      assert.deepEqual(tidy.deregistered, ['TaskDefinition/hello:1']);
      assert.deepEqual(tidy.skipped, []);
      assert.equal(await deregistered(running), 1);
      const line = logs.find((l) => l['msg'] === 'deregistered an unused task definition revision');
      assert.equal(line?.['key'], 'TaskDefinition/hello:1');
      assert.match(String(line?.['reason']), /--keep-revisions/);
      const pass = logs.find((l) => l['msg'] === 'revision tidying pass finished');
      const calls = pass?.['calls'] as Record<string, number>;
      // Every family of the examples has one revision but hello: one list each, hello's two old revisions described.
      assert.equal(calls['ecs:ListTaskDefinitions'], tidy.families.length);
      assert.equal(calls['ecs:DescribeTaskDefinition'], 2);
      assert.equal(calls['ecs:DeregisterTaskDefinition'], 1);
      await waitConverged(running);
    });

    it('after a reconcile registered a revision, the next pass deregisters the orphan of a lost response and what falls out of the window', async () => {
      sandbox.fault({ service: 'ecs', operation: 'RegisterTaskDefinition', kind: 'drop-response', count: 1 });
      await setHelloImage('1.0.3');
      // The lost answer: revision 4 registered, the SDK's retry registered the same content as 5.
      await waitFor(async () => (await helloDeployments())[0] === 'PRIMARY:hello:5', 15_000, 'hello updated to revision 5');
      await waitFor(async () => (await activeHello()).join() === '3,5', 15_000, 'hello:4 and hello:2 deregistered');
      const tidy = await waitFor(
        async () => {
          const t = await tidyStatus(running);
          return t?.deregistered.includes('TaskDefinition/hello:4') ? t : undefined;
        },
        5_000,
        'the pass that removed the orphan',
      );
      assert.equal(tidy.sweep, false, 'the registration made the family due, not the hourly sweep');
      assert.deepEqual(tidy.families, ['hello']);
      const reasons = Object.fromEntries(
        logs.filter((l) => l['msg'] === 'deregistered an unused task definition revision').map((l) => [String(l['key']), String(l['reason'])]),
      );
      assert.equal(reasons['TaskDefinition/hello:4'], 'unused, same content as revision 5');
      assert.match(reasons['TaskDefinition/hello:2'] ?? '', /older than the newest 2 kept/);
      assert.equal(await deregistered(running), 3);
      await waitFor(async () => (await helloDeployments()).join() === 'PRIMARY:hello:5', 15_000, 'the rollout done');
      await running.stop(2_000);
    });

    it('a revision the ACTIVE deployment of a stuck rollout runs is kept, and deregistered once the rollout ends', async (ctx) => {
      const admin = (method: string, body?: unknown) =>
        fetch(`${sandbox.endpoint}/_sandbox/ecs/task-failures`, {
          method,
          ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
        });
      assert.equal((await admin('POST', { image: '*:broken', mode: 'exit' })).status, 200);
      ctx.after(() => admin('DELETE'));
      await setHelloImage('broken');
      await start('1');
      // Revision 6 is registered; its tasks keep failing, so the old deployment (revision 5) keeps running.
      await waitFor(async () => (await helloDeployments()).join() === 'PRIMARY:hello:6,ACTIVE:hello:5', 15_000, 'a stuck rollout');
      const during = await waitFor(
        async () => {
          const t = await tidyStatus(running);
          return t && !t.sweep && t.families.includes('hello') ? t : undefined;
        },
        15_000,
        'a pass after the registration',
      );
      // hello:3 (unused, beyond the window) goes in this pass or in the sweep before it.
      assert.ok(!during.deregistered.some((k) => /hello:[56]$/.test(k)), `both revisions are in use: ${during.deregistered.join()}`);
      await waitFor(async () => (await activeHello()).join() === '5,6', 5_000, 'hello:3 deregistered, hello:5 and hello:6 kept');
      assert.deepEqual(await helloDeployments(), ['PRIMARY:hello:6', 'ACTIVE:hello:5'], 'still stuck');
      assert.ok(logs.some((l) => l['msg'] === 'revision tidying pass finished'));

      assert.equal((await admin('DELETE')).status, 200);
      await waitFor(async () => (await helloDeployments()).join() === 'PRIMARY:hello:6', 20_000, 'the rollout done');
      // The family stayed due: a later scan deregisters revision 5 without waiting for the sweep.
      await waitFor(async () => (await activeHello()).join() === '6', 15_000, 'hello:5 deregistered');
      const last = await tidyStatus(running);
      assert.equal(last?.sweep, false);
      assert.deepEqual(last?.deregistered, ['TaskDefinition/hello:5']);
    });

    it('sweeps every family again once the sweep interval has passed, and only then', async () => {
      await running.stop(2_000);
      await start('1', { revisionSweepMs: 1_500 });
      const sweep = async (not?: string): Promise<RevisionTidyStatus | undefined> => {
        const t = await tidyStatus(running);
        return t?.sweep && t.checkedAt !== not ? t : undefined;
      };
      const first = await waitFor(() => sweep(), 10_000, 'the first sweep');
      const scans = running.latest()?.seq ?? 0;
      const second = await waitFor(() => sweep(first.checkedAt), 10_000, 'a second sweep');
      assert.ok(Date.parse(second.checkedAt) - Date.parse(first.checkedAt) >= 1_500, `${first.checkedAt} -> ${second.checkedAt}`);
      assert.ok((running.latest()?.seq ?? 0) > scans + 1, 'resyncs in between read no revision');
      const passes = logs.filter((l) => l['msg'] === 'revision tidying pass finished').length;
      assert.ok(passes < (running.latest()?.seq ?? 0), `${passes} passes, ${running.latest()?.seq} scans`);
    });
  });
});
