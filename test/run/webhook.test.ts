import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningController } from '../../src/run/app.js';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { signBody } from '../../src/webhooks/signature.js';
import { createGitRepo, type TempGitRepo } from '../helpers/git-repo.js';
import { exampleRepoFiles, get, liveTtl, metricValue, nameYamlWithTtl, startExampleSandbox, startTestController, waitConverged, waitFor } from './helpers.js';

const SECRET = 'run-webhook-secret-7311';
const NAME_YAML = 'hello-name/name.yaml';

function post(running: RunningController, path: string, body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${running.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

function pushBody(sha: string): string {
  return JSON.stringify({ ref: 'refs/heads/main', after: sha, repository: { default_branch: 'main' } });
}

describe('webhooks on the controller: bad signatures refused and counted, signed pushes applied without waiting for the poll (sandbox, real git)', () => {
  let sandbox: SandboxHandle;
  let repo: TempGitRepo;
  let dir: string;
  let running: RunningController;
  let nameYaml: string;

  before(async () => {
    sandbox = await startExampleSandbox();
    const files = await exampleRepoFiles();
    nameYaml = files[NAME_YAML]!;
    repo = await createGitRepo(files);
    dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-run-hook-'));
    const secretFile = join(dir, 'secret');
    await writeFile(secretFile, `${SECRET}\n`);
    // An hour between polls: every fetch after the first comes from a webhook.
    ({ running } = await startTestController(sandbox, ['--source', repo.fileUrl({ ref: 'main' }), '--interval', '1h', '--webhook-secret-file', secretFile], {
      source: { git: { cacheDir: join(dir, 'cache'), timeoutMs: 20_000 } },
    }));
    await waitConverged(running);
  });
  after(async () => {
    await running.stop(2_000);
    await sandbox.stop();
    await repo.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 401 to a wrong or missing signature, counts it, and fetches nothing', async () => {
    const sha = await repo.commit({ [NAME_YAML]: nameYamlWithTtl(nameYaml, 90) }, 'name: TTL 90');
    const body = pushBody(sha);
    const wrong = await post(running, '/hooks/github', body, { 'x-github-event': 'push', 'x-hub-signature-256': signBody('not-the-secret', body) });
    assert.equal(wrong.status, 401);
    const missing = await post(running, '/hooks/generic', '{}', {});
    assert.equal(missing.status, 401);
    const metrics = (await get(running, '/metrics')).body;
    assert.equal(metricValue(metrics, 'ecs_gitops_webhook_requests_total', { result: 'invalid-signature' }), 2);
    assert.equal(metricValue(metrics, 'ecs_gitops_webhook_requests_total', { result: 'accepted' }), 0);
    assert.notEqual(running.status.snapshot().controller.source.revision, sha);
  });

  it('answers 413 to a body over the limit and counts it as too-large', async () => {
    const res = await post(running, '/hooks/github', JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }), { 'x-github-event': 'push' });
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { result: string }).result, 'too_large');
    const metrics = (await get(running, '/metrics')).body;
    assert.equal(metricValue(metrics, 'ecs_gitops_webhook_requests_total', { result: 'too-large' }), 1);
  });

  it('applies the pushed commit on a signed GitHub push, long before the next poll', async () => {
    const sha = await repo.head();
    const body = pushBody(sha);
    const res = await post(running, '/hooks/github', body, {
      'x-github-event': 'push',
      'x-hub-signature-256': signBody(SECRET, body),
      'x-github-delivery': 'd-1',
    });
    assert.equal(res.status, 202, await res.text());
    await waitFor(async () => (await liveTtl(sandbox, 'internal', 'name')) === 90, 15_000, 'TTL 90 applied');
    await waitFor(() => running.status.get('CloudMapService/internal/name')?.lastAppliedRevision === sha, 5_000, 'the pushed SHA applied');
    assert.equal(metricValue((await get(running, '/metrics')).body, 'ecs_gitops_webhook_requests_total', { result: 'accepted' }), 1);
  });

  it('applies a commit on a signed generic trigger, and ignores a push to another branch', async () => {
    const sha = await repo.commit({ [NAME_YAML]: nameYamlWithTtl(nameYaml, 45) }, 'name: TTL 45');
    const other = JSON.stringify({ ref: 'refs/heads/feature', after: sha, repository: { default_branch: 'main' } });
    const ignored = await post(running, '/hooks/github', other, { 'x-github-event': 'push', 'x-hub-signature-256': signBody(SECRET, other) });
    assert.equal(ignored.status, 200);
    const body = JSON.stringify({ ref: 'main', revision: sha });
    const res = await post(running, '/hooks/generic', body, { 'x-signature-256': signBody(SECRET, body) });
    assert.equal(res.status, 202, await res.text());
    await waitFor(async () => (await liveTtl(sandbox, 'internal', 'name')) === 45, 15_000, 'TTL 45 applied');
    assert.equal(running.status.snapshot().controller.source.revision, sha);
  });
});

describe('webhooks without a secret', () => {
  let sandbox: SandboxHandle;
  let running: RunningController;

  before(async () => {
    sandbox = await startExampleSandbox();
    ({ running } = await startTestController(sandbox));
  });
  after(async () => {
    await running.stop(2_000);
    await sandbox.stop();
  });

  it('answers 404 (disabled) on both routes, even with a signature', async () => {
    for (const path of ['/hooks/github', '/hooks/generic']) {
      const res = await post(running, path, '{}', {
        'x-github-event': 'push',
        'x-hub-signature-256': signBody('anything', '{}'),
        'x-signature-256': signBody('anything', '{}'),
      });
      assert.equal(res.status, 404, path);
      assert.match(await res.text(), /disabled/);
    }
  });
});
