import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import type { RunningController } from '../../src/run/app.js';
import { signBody } from '../../src/webhooks/signature.js';
import { exampleRepoFiles, metricValue, startExampleSandbox, startTestController, waitConverged, waitFor, type LogLines } from '../run/helpers.js';

const SECRET = 'listener-secret-5521';
const FLOOD = 40;

async function writeSecret(): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-listeners-'));
  const file = join(dir, 'secret');
  await writeFile(file, `${SECRET}\n`);
  return { dir, file };
}

function postGeneric(base: string, body: string, signature: string): Promise<Response> {
  return fetch(`${base}/hooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature-256': signature }, body });
}

describe('--webhook-listen on a running controller: webhooks on their own port, /metrics and /status only on the main one', () => {
  let sandbox: SandboxHandle;
  let running: RunningController;
  let dir: string;

  before(async () => {
    sandbox = await startExampleSandbox();
    const secret = await writeSecret();
    dir = secret.dir;
    ({ running } = await startTestController(sandbox, ['--webhook-listen', '127.0.0.1:0', '--webhook-secret-file', secret.file]));
  });
  after(async () => {
    await running.stop(2_000);
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts a second listener on its own port', () => {
    assert.ok(running.webhookHttp, 'a webhook listener');
    assert.notEqual(running.webhookUrl, running.url);
    assert.notEqual(running.webhookHttp.port, running.http.port);
  });

  it('serves the webhooks on the webhook port and answers 404 for them on the main port', async () => {
    const body = '{}';
    const hook = await postGeneric(running.webhookUrl, body, signBody(SECRET, body));
    assert.equal(hook.status, 202, await hook.text());
    for (const path of ['/hooks/generic', '/hooks/github']) {
      const main = await fetch(`${running.url}${path}`, { method: 'POST', headers: { 'x-signature-256': signBody(SECRET, body) }, body });
      assert.equal(main.status, 404, `${path} on the main port`);
      await main.text();
    }
  });

  it('answers 404 for /metrics, /status and /readyz on the webhook port, and serves them on the main port', async () => {
    for (const path of ['/metrics', '/status', '/readyz']) {
      const hooks = await fetch(`${running.webhookUrl}${path}`);
      assert.equal(hooks.status, 404, `${path} on the webhook port`);
      assert.doesNotMatch(await hooks.text(), /ecs_gitops_|controllerId/);
    }
    const metrics = await fetch(`${running.url}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /ecs_gitops_webhook_requests_total/);
    assert.equal((await fetch(`${running.url}/status`)).status, 200);
  });

  it('answers /healthz on both ports', async () => {
    assert.equal((await fetch(`${running.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${running.webhookUrl}/healthz`)).status, 200);
  });
});

describe('a webhook flood against a running controller (S3 source in the sandbox)', () => {
  let sandbox: SandboxHandle;
  let running: RunningController;
  let logs: LogLines;
  let dir: string;
  // The refusal-log sampler reads this clock, so the test decides when its interval is over.
  let samplerNow = 1_000_000;
  const lists = (): number => sandbox.world.calls.total('s3', 'ListObjectsV2');

  before(async () => {
    sandbox = await startExampleSandbox();
    const clientConfig = { ...sandbox.clientConfig(), forcePathStyle: true };
    const s3 = new S3Client(clientConfig);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'deploy' }));
      for (const [path, content] of Object.entries(await exampleRepoFiles())) {
        await s3.send(new PutObjectCommand({ Bucket: 'deploy', Key: `prod/${path}`, Body: content }));
      }
    } finally {
      s3.destroy();
    }
    const secret = await writeSecret();
    dir = secret.dir;
    // Polls an hour apart and webhook fetches an hour apart: every fetch in the test window
    // comes from the first webhook, and the one queued behind it waits out the interval.
    ({ running, logs } = await startTestController(
      sandbox,
      ['--source', 's3://deploy/prod/', '--interval', '1h', '--webhook-min-interval', '1h', '--webhook-secret-file', secret.file],
      { source: { s3: { clientConfig } }, refusalLog: { intervalMs: 10_000, now: () => samplerNow } },
    ));
    await waitConverged(running);
  });
  after(async () => {
    await running.stop(2_000);
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it(`turns ${FLOOD} concurrent valid signed triggers into at most two source fetches`, async () => {
    const before = lists();
    const answers = await Promise.all(
      Array.from({ length: FLOOD }, async (_, i) => {
        const body = JSON.stringify({ ref: 'main', revision: `r${i}` });
        const res = await postGeneric(running.url, body, signBody(SECRET, body));
        await res.text();
        return res.status;
      }),
    );
    assert.deepEqual(new Set(answers), new Set([202]), 'every valid trigger is accepted');
    const hookLines = (): LogLines => logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('webhook: source fetch '));
    await waitFor(() => hookLines().length === FLOOD, 10_000, 'a line per trigger');
    const outcomes = hookLines().map((l) => l.fetch);
    assert.equal(outcomes.filter((o) => o === 'started').length, 1);
    assert.equal(outcomes.filter((o) => o === 'queued').length, 1);
    assert.equal(outcomes.filter((o) => o === 'coalesced').length, FLOOD - 2);
    await waitFor(() => lists() > before, 10_000, 'the started fetch');
    const fetched = lists() - before;
    assert.ok(fetched >= 1 && fetched <= 2, `${fetched} source fetches for ${FLOOD} triggers`);
    assert.equal(metricValue(await (await fetch(`${running.url}/metrics`)).text(), 'ecs_gitops_webhook_requests_total', { result: 'accepted' }), FLOOD);
  });

  it(`logs the first of ${FLOOD} bad-signature requests and then one summary line with the suppressed count, counting every one`, async () => {
    const refusedLines = (): LogLines => logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('webhook refused'));
    const linesBefore = refusedLines().length;
    const bad = async (): Promise<number> => {
      const res = await postGeneric(running.url, '{}', signBody('not-the-secret', '{}'));
      await res.text();
      return res.status;
    };
    const answers = await Promise.all(Array.from({ length: FLOOD }, bad));
    assert.deepEqual(new Set(answers), new Set([401]));
    const text = await (await fetch(`${running.url}/metrics`)).text();
    assert.equal(metricValue(text, 'ecs_gitops_webhook_requests_total', { result: 'invalid-signature' }), FLOOD, 'the metric counts each one');
    const during = refusedLines().slice(linesBefore);
    assert.equal(during.length, 1, `${during.length} log lines for ${FLOOD} refusals within one interval`);
    assert.equal(during[0]?.result, 'unauthorized');
    assert.equal(during[0]?.suppressed, 0);
    // The interval is over: the next refusal is logged with the number left out before it.
    samplerNow += 10_000;
    assert.equal(await bad(), 401);
    const all = refusedLines().slice(linesBefore);
    assert.equal(all.length, 2);
    assert.equal(all[1]?.suppressed, FLOOD - 1);
    assert.doesNotMatch(JSON.stringify(all), /not-the-secret|sha256=/, 'neither the signature nor the secret is logged');
  });
});
