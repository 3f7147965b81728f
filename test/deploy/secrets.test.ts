import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loggableConfig, parseControllerConfig } from '../../src/config/controller-config.js';
import { scrubSecrets } from '../../src/observability/logger.js';
import type { RunningController } from '../../src/run/app.js';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { SourceError } from '../../src/sources/errors.js';
import { openSource } from '../../src/sources/open-source.js';
import { redactUserinfo } from '../../src/sources/url.js';
import { checkSignature, signBody } from '../../src/webhooks/signature.js';
import { createGitRepo, type TempGitRepo } from '../helpers/git-repo.js';
import { startGitHttpServer, type GitHttpServer } from '../helpers/git-servers.js';
import { startTestController, waitFor, type LogLines } from '../run/helpers.js';

// Passwords may hold a literal '@' (the URL parser takes the last '@' of the authority).
const URL_PASSWORD = 'Wr0ng@Url9Pass';
const GIT_TOKEN = 'ghs_Tok3nNeverInArgv42';
const WEBHOOK_SECRET = 'whsecQ9x7LongEnoughSecret';
const NS = 'apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: sec-test\nspec:\n  type: HTTP\n';

/** Every file under `dir` whose bytes contain `needle`. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || (await stat(path)).size > 4 * 1024 * 1024) continue;
    if ((await readFile(path)).includes(needle)) hits.push(path);
  }
  return hits;
}

describe('secrets stay out of logs, status, metrics, argv and git state', () => {
  let repo: TempGitRepo;
  let git: GitHttpServer;
  let work: string;

  before(async () => {
    repo = await createGitRepo({ 'ns.yaml': NS });
    git = await startGitHttpServer(repo.root, { username: 'x-access-token', password: GIT_TOKEN });
    work = await mkdtemp(join(tmpdir(), 'ecs-gitops-secrets-'));
  });
  after(async () => {
    await git.stop();
    await repo.cleanup();
    await rm(work, { recursive: true, force: true });
  });

  it('scrubs a URL password containing "@" from log text and from source errors', () => {
    const url = `git+https://deploy:${URL_PASSWORD}@git.example.com/org/repo.git#main`;
    for (const text of [scrubSecrets(url), redactUserinfo(url), scrubSecrets(`fetch of ${url} failed`)]) {
      assert.ok(!text.includes(URL_PASSWORD.split('@')[1]!), text);
      assert.ok(!text.includes(URL_PASSWORD.split('@')[0]!), text);
      assert.match(text, /git\.example\.com\/org\/repo\.git/);
    }
    const config = parseControllerConfig(['--source', url], { ECS_GITOPS_WEBHOOK_SECRET: WEBHOOK_SECRET });
    const logged = JSON.stringify(loggableConfig(config));
    assert.ok(!logged.includes('Url9Pass') && !logged.includes('Wr0ng') && !logged.includes(WEBHOOK_SECRET), logged);
    assert.match(logged, /"webhookSecret":"set"/);
  });

  describe('a running controller whose git credentials are refused', () => {
    let sandbox: SandboxHandle;
    let running: RunningController;
    let logs: LogLines;

    before(async () => {
      sandbox = await startSandbox({ operationDelayMs: 20, taskStartDelayMs: 20, drainDelayMs: 20 });
      const secretFile = join(work, 'webhook-secret');
      await writeFile(secretFile, `${WEBHOOK_SECRET}\n`, { mode: 0o600 });
      const source = `git+http://x-access-token:${URL_PASSWORD}@127.0.0.1:${git.port}/${repo.name}#main`;
      ({ running, logs } = await startTestController(sandbox, ['--source', source, '--webhook-secret-file', secretFile, '--interval', '1s'], {
        source: { git: { cacheDir: join(work, 'controller-cache'), timeoutMs: 10_000 } },
      }));
      await waitFor(() => logs.some((l) => String(l['msg']).startsWith('source fetch failed')), 20_000, 'a failed fetch in the log');
    });
    after(async () => {
      await running?.stop(1_000);
      await sandbox?.stop();
    });

    it('fails the fetch as auth, and neither the log, /status nor /metrics show the URL password', async () => {
      assert.ok(
        git.authorizations.some((a) => a !== undefined),
        'git sent the (wrong) credentials',
      );
      const failed = logs.find((l) => String(l['msg']).startsWith('source fetch failed'));
      assert.equal(failed?.['reason'], 'auth');
      const status = await (await fetch(`${running.url}/status`)).text();
      const metrics = await (await fetch(`${running.url}/metrics`)).text();
      assert.match(status, /127\.0\.0\.1/);
      for (const [where, text] of [
        ['log', JSON.stringify(logs)],
        ['/status', status],
        ['/metrics', metrics],
      ] as const) {
        assert.ok(!text.includes('Url9Pass') && !text.includes('Wr0ng'), `${where} shows the URL password`);
      }
    });

    it('never logs the webhook secret, the signature or the body of refused and oversized deliveries', async () => {
      const body = JSON.stringify({ ref: 'refs/heads/main', marker: 'BODYMARKER77' });
      const forged = signBody('not-the-secret', body);
      const refused = await fetch(`${running.url}/hooks/github`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': forged },
        body,
      });
      assert.equal(refused.status, 401);
      const big = await fetch(`${running.url}/hooks/github`, {
        method: 'POST',
        headers: { 'x-github-event': 'push' },
        body: Buffer.alloc(2 * 1024 * 1024, 97),
      });
      assert.equal(big.status, 413);
      await waitFor(() => logs.some((l) => String(l['msg']).startsWith('webhook refused')), 5_000, 'the refusal in the log');
      const text = JSON.stringify(logs);
      for (const secret of [WEBHOOK_SECRET, forged.slice('sha256='.length), 'BODYMARKER77']) assert.ok(!text.includes(secret), `log shows ${secret}`);
      const metrics = await (await fetch(`${running.url}/metrics`)).text();
      assert.match(metrics, /ecs_gitops_webhook_requests_total\{result="invalid-signature"\} 1/);
    });
  });

  it('hands the git token to git through its environment only: never in argv, never in the stored repository', async () => {
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const argvLog = join(work, 'argv.log');
    const wrapper = join(work, 'git-wrapper.sh');
    await writeFile(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec '${realGit}' "$@"\n`);
    await chmod(wrapper, 0o755);
    const cacheDir = join(work, 'token-cache');
    const open = (token: string) =>
      openSource(`git+http://127.0.0.1:${git.port}/${repo.name}#main`, { git: { cacheDir, gitBinary: wrapper, timeoutMs: 10_000, auth: { token } } });

    const artifact = await (await open(GIT_TOKEN)).fetch();
    assert.equal(artifact.revision, await repo.head(), 'the token let git in');
    let failure: unknown;
    await (await open('WrongTok3nValue')).fetch().catch((err: unknown) => {
      failure = err;
    });
    assert.ok(failure instanceof SourceError, String(failure));
    assert.equal(failure.reason, 'auth');
    assert.ok(!failure.message.includes('WrongTok3nValue'), failure.message);

    const argv = await readFile(argvLog, 'utf8');
    assert.match(argv, /fetch/);
    assert.ok(!argv.includes(GIT_TOKEN) && !argv.includes('WrongTok3nValue'), argv);
    assert.deepEqual(await filesContaining(cacheDir, GIT_TOKEN), []);
  });

  it('checks webhook signatures of any length without throwing (timingSafeEqual only sees equal lengths)', () => {
    const body = Buffer.from('{}');
    const good = signBody(WEBHOOK_SECRET, body);
    assert.equal(checkSignature(good, body, [WEBHOOK_SECRET]), 'valid');
    for (const header of ['sha256=', 'sha256=00', `${good}00`, `${good.slice(0, -2)}`, 'sha1=abc', `sha256=${'zz'.repeat(32)}`]) {
      assert.equal(checkSignature(header, body, [WEBHOOK_SECRET]), 'malformed', header);
    }
    assert.equal(checkSignature(`sha256=${'0'.repeat(64)}`, body, [WEBHOOK_SECRET]), 'mismatch');
  });

  it('binds the sandbox to 127.0.0.1 unless told otherwise', async () => {
    const sandbox = await startSandbox({ operationDelayMs: 20 });
    try {
      assert.match(sandbox.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await sandbox.stop();
    }
  });
});
