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
    hook = await startRecordingServer((_r, i) => (i === 0 ? { status: 502 } : { status: 200 }));
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
      await waitFor(() => github.received.length === 1 && hook.received.length === 2, 20_000, 'a status and a retried webhook');
      assert.equal(github.received[0]!.path, `/api/v3/repos/acme/deploy/statuses/${SHA}`);
      assert.equal(JSON.parse(github.received[0]!.body).state, 'pending');
      assert.equal(github.received[0]!.headers['authorization'], `Bearer ${TOKEN}`);
      const delivered = hook.received[1]!;
      assert.equal(checkSignature(String(delivered.headers['x-signature-256']), Buffer.from(delivered.body), [TOKEN]), 'valid');
      // The retry is the same delivery.
      assert.equal(hook.received[0]!.headers['x-ecs-gitops-delivery'], delivered.headers['x-ecs-gitops-delivery']);
      await waitFor(
        async () =>
          metricValue((metrics = (await get(running, '/metrics')).body), 'ecs_gitops_notifications_total', { channel: 'webhook', result: 'sent' }) === 1,
        10_000,
        'the webhook counted as sent',
      );
      assert.equal(metricValue(metrics, 'ecs_gitops_notifications_total', { channel: 'github', result: 'sent' }), 1);
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
