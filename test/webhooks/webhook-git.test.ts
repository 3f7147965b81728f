import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSource } from '../../src/sources/open-source.js';
import { SourcePoller, type FetchFailed, type FetchResult } from '../../src/sources/poller.js';
import type { Source } from '../../src/sources/source.js';
import type { Artifact } from '../../src/sources/artifact.js';
import { createGitHubWebhook } from '../../src/webhooks/github.js';
import { signBody } from '../../src/webhooks/signature.js';
import type { WebhookHandler } from '../../src/webhooks/types.js';
import { createGitRepo, type TempGitRepo } from '../helpers/git-repo.js';
import { startGitDaemon, type GitDaemon } from '../helpers/git-servers.js';

const SECRET = 'hook-secret-5521';

/** Mounts a webhook handler on a real HTTP server, reading the raw body up to its limit. */
async function serve(handler: WebhookHandler): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size <= handler.maxBodyBytes) chunks.push(c as Buffer);
    }
    const body = size > handler.maxBodyBytes ? Buffer.alloc(size) : Buffer.concat(chunks);
    const out = handler(req.headers, body);
    res.writeHead(out.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/github`, server };
}

describe('webhook -> poller -> git daemon', () => {
  let repo: TempGitRepo;
  let daemon: GitDaemon;
  let cacheDir: string;
  let poller: SourcePoller;
  let hook: { url: string; server: Server };
  let fetches = 0;
  const delivered: Artifact[] = [];
  const failures: FetchFailed[] = [];
  const triggered: Promise<FetchResult>[] = [];

  const push = (ref: string, secret = SECRET) => {
    const body = JSON.stringify({ ref, after: 'f'.repeat(40), repository: { default_branch: 'main' } });
    return fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signBody(secret, body) },
      body,
    });
  };

  before(async () => {
    repo = await createGitRepo({ 'manifests/ns.yaml': 'kind: CloudMapNamespace\n' });
    daemon = await startGitDaemon(repo.root);
    cacheDir = await mkdtemp(join(tmpdir(), 'ecs-gitops-cache-'));
    const inner = await openSource(`${daemon.url(repo.name)}//manifests#main`, { git: { cacheDir, timeoutMs: 20_000 } });
    const counting: Source = { url: inner.url, kind: inner.kind, fetch: (s) => (fetches++, inner.fetch(s)) };
    // An hour-long interval: every fetch in this test comes from start() or a webhook.
    poller = new SourcePoller({
      source: counting,
      intervalMs: 3_600_000,
      onArtifact: (a) => {
        delivered.push(a);
      },
      listener: { failed: (e) => failures.push(e) },
    });
    hook = await serve(createGitHubWebhook({ secrets: [SECRET], ref: 'main', onTrigger: () => triggered.push(poller.requestFetch()) }));
    await poller.start();
  });
  after(async () => {
    await poller.stop();
    await new Promise<void>((resolve) => hook.server.close(() => resolve()));
    await daemon.stop();
    await repo.cleanup();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('applies a pushed commit after a signed webhook; a burst of 8 is coalesced into at most 3 fetches', async () => {
    assert.equal(delivered.length, 1);
    const sha = await repo.commit({ 'manifests/svc.yaml': 'kind: CloudMapService\n' });
    const before = fetches;
    const responses = await Promise.all(Array.from({ length: 8 }, () => push('refs/heads/main')));
    assert.deepEqual(
      responses.map((r) => r.status),
      Array(8).fill(202),
    );
    await Promise.all(triggered.splice(0));
    assert.ok(fetches - before <= 3, `expected a coalesced burst (<= 3 fetches), got ${fetches - before} fetches`);
    assert.equal(delivered.at(-1)?.revision, sha);
    assert.equal(delivered.length, 2);
  });

  it('refuses a wrongly signed webhook with 401 and fetches nothing', async () => {
    const before = fetches;
    const res = await push('refs/heads/main', 'guess');
    assert.equal(res.status, 401);
    assert.equal(triggered.length, 0);
    assert.equal(fetches, before);
  });

  it('keeps the last artifact while the git server is down, reports the failure, and applies the next commit once it is back', async () => {
    const good = poller.lastGood();
    await daemon.stop();
    const sha = await repo.commit({ 'manifests/svc.yaml': 'kind: CloudMapService # v3\n' });
    assert.equal((await push('refs/heads/main')).status, 202);
    const results = await Promise.all(triggered.splice(0));
    assert.equal(
      results.some((r) => r.ok),
      false,
    );
    assert.equal(poller.lastGood(), good);
    assert.equal(delivered.length, 2);
    assert.equal(failures.at(-1)?.error.reason, 'unreachable');
    assert.equal(failures.at(-1)?.lastGoodRevision, good?.revision);
    assert.equal(poller.status().lastError?.reason, 'unreachable');

    await daemon.start();
    const result = await poller.requestFetch();
    assert.equal(result.ok, true);
    assert.equal(delivered.at(-1)?.revision, sha);
    assert.equal(poller.status().lastError, undefined);
  });
});
