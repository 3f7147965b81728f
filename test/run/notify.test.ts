import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { checkSignature } from '../../src/webhooks/signature.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { get, metricValue, startTestController, waitFor } from './helpers.js';

const SHA = 'fedcba9876543210fedcba9876543210fedcba98';
const TOKEN = 'ghp_RunNotifyTok3nSecret';
const NS = 'apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: notify-test\nspec:\n  type: HTTP\n';

describe('run with notifications: the controller delivers the events of its bus (sandbox, local receivers)', () => {
  let sandbox: SandboxHandle;
  let github: RecordingServer;
  let hook: RecordingServer;
  let work: string;

  before(async () => {
    sandbox = await startSandbox({ operationDelayMs: 20 });
    github = await startRecordingServer(() => ({ status: 201, body: {} }));
    // The first delivery of the rollout event fails once (502); everything else is accepted.
    let failedOnce = false;
    hook = await startRecordingServer((r) => {
      if (failedOnce || !r.body.includes('"rollout-failed"')) return { status: 200 };
      failedOnce = true;
      return { status: 502 };
    });
    work = await mkdtemp(join(tmpdir(), 'ecs-gitops-notify-'));
    await writeFile(join(work, 'ns.yaml'), NS);
  });
  after(async () => {
    await Promise.all([github.close(), hook.close(), sandbox.stop()]);
    await rm(work, { recursive: true, force: true });
  });

  it('posts commit statuses and signed webhooks, counts them in notifications_total, and logs no secret', async () => {
    const tokenFile = join(work, 'token');
    await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const { running, logs } = await startTestController(sandbox, [
      '--source',
      work,
      '--notify-github-url',
      `${github.url}/api/v3`,
      '--notify-github-repo',
      'acme/deploy',
      '--notify-github-token-file',
      tokenFile,
      '--notify-webhook-url',
      `${hook.url}/ecs-gitops`,
      '--notify-webhook-secret-file',
      tokenFile,
    ]);
    try {
      let metrics = (await get(running, '/metrics')).body;
      assert.equal(metricValue(metrics, 'ecs_gitops_notifications_total', { channel: 'slack', result: 'dropped' }), 0);
      running.deliveryEvents.emit({ type: 'revision-started', at: new Date().toISOString(), revision: SHA });
      running.deliveryEvents.emit({
        type: 'rollout-failed',
        at: new Date().toISOString(),
        revision: SHA,
        resource: { key: 'EcsService/prod/api', kind: 'EcsService', name: 'prod/api' },
        reason: 'tasks failed to start',
      });
      // The controller's own events (its directory revision) go out beside the ones emitted here.
      const statuses = () => github.received.filter((r) => r.path.endsWith(SHA));
      const rolloutHooks = () => hook.received.filter((r) => r.body.includes('"rollout-failed"') && r.body.includes('EcsService/prod/api'));
      await waitFor(() => statuses().length === 1 && rolloutHooks().length === 2, 20_000, 'a status and a retried webhook');
      const [status] = statuses();
      assert.equal(status!.path, `/api/v3/repos/acme/deploy/statuses/${SHA}`);
      assert.equal(JSON.parse(status!.body).state, 'pending');
      assert.equal(status!.headers['authorization'], `Bearer ${TOKEN}`);
      const [first, delivered] = rolloutHooks();
      assert.equal(checkSignature(String(delivered!.headers['x-signature-256']), Buffer.from(delivered!.body), [TOKEN]), 'valid');
      // The retry is the same delivery.
      assert.equal(first!.headers['x-ecs-gitops-delivery'], delivered!.headers['x-ecs-gitops-delivery']);
      // Every accepted delivery counts as sent once (the 502 was retried, not counted as failed).
      await waitFor(
        async () =>
          metricValue((metrics = (await get(running, '/metrics')).body), 'ecs_gitops_notifications_total', { channel: 'webhook', result: 'sent' }) ===
          hook.received.length - 1,
        10_000,
        'every accepted webhook counted as sent',
      );
      assert.equal(metricValue(metrics, 'ecs_gitops_notifications_total', { channel: 'github', result: 'sent' }), github.received.length);
      assert.equal(metricValue(metrics, 'ecs_gitops_notifications_total', { channel: 'webhook', result: 'failed' }), 0);
      const starting = logs.find((l) => l['msg'] === 'controller starting');
      assert.ok(starting, 'the configuration is logged');
      const text = JSON.stringify(logs);
      assert.ok(!text.includes(TOKEN), 'the token is in the log');
    } finally {
      await running.stop();
    }
  });
});
