import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSource } from '../../src/sources/open-source.js';
import { SourceError } from '../../src/sources/errors.js';
import type { Source } from '../../src/sources/source.js';
import { createGitRepo, type TempGitRepo } from '../helpers/git-repo.js';
import { startGitDaemon, startGitHttpServer, type GitDaemon } from '../helpers/git-servers.js';

const NS = 'apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: internal\n';
const SVC = (ttl: number): string =>
  `apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapService\nmetadata:\n  name: name\nspec:\n  namespace: internal\n  dns:\n    records: [{ type: A, ttl: ${ttl} }]\n`;

async function rejectsWith(p: Promise<unknown>, reason: string): Promise<SourceError> {
  let caught: unknown;
  await p.catch((err: unknown) => {
    caught = err;
  });
  assert.ok(caught instanceof SourceError, `expected a SourceError, got ${String(caught)}`);
  assert.equal(caught.reason, reason, caught.message);
  return caught;
}

describe('git source', () => {
  let repo: TempGitRepo;
  let cacheDir: string;
  const open = (url: string, extra: Parameters<typeof openSource>[1] = {}): Promise<Source> =>
    openSource(url, { ...extra, git: { cacheDir, timeoutMs: 20_000, ...extra.git } });

  before(async () => {
    repo = await createGitRepo({
      'deploy/manifests/ns.yaml': NS,
      'deploy/manifests/svc/name.yml': SVC(60),
      'deploy/README.md': '# not a manifest',
      'other/x.yaml': 'kind: Other\n',
    });
    cacheDir = await mkdtemp(join(tmpdir(), 'ecs-gitops-cache-'));
  });
  after(async () => {
    await repo.cleanup();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('fetches a branch over git+file://: revision is the commit SHA, only manifest files, sorted', async () => {
    const source = await open(repo.fileUrl({ ref: 'main' }));
    const artifact = await source.fetch();
    assert.equal(artifact.revision, await repo.head());
    assert.deepEqual(
      artifact.files.map((f) => f.path),
      ['deploy/manifests/ns.yaml', 'deploy/manifests/svc/name.yml', 'other/x.yaml'],
    );
    assert.equal(artifact.files[0]?.content, NS);
    assert.match(artifact.digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(artifact.url, `git+file://${repo.bareDir}#main`);
  });

  it('limits the artifact to a sub-path, with paths relative to it', async () => {
    const artifact = await (await open(repo.fileUrl({ subPath: 'deploy/manifests', ref: 'main' }))).fetch();
    assert.deepEqual(
      artifact.files.map((f) => f.path),
      ['ns.yaml', 'svc/name.yml'],
    );
  });

  it('sees a pushed commit as a new revision and an unchanged branch as the same one', async () => {
    const source = await open(repo.fileUrl({ subPath: 'deploy/manifests', ref: 'main' }));
    const first = await source.fetch();
    const again = await source.fetch();
    assert.equal(again.revision, first.revision);
    assert.equal(again.digest, first.digest);
    const sha = await repo.commit({ 'deploy/manifests/svc/name.yml': SVC(300) }, 'ttl 300');
    const next = await source.fetch();
    assert.equal(next.revision, sha);
    assert.notEqual(next.digest, first.digest);
    assert.match(next.files.find((f) => f.path === 'svc/name.yml')?.content ?? '', /ttl: 300/);
  });

  it('follows a force-pushed branch to the rewritten commit', async () => {
    const source = await open(repo.fileUrl({ ref: 'main' }));
    const before = await source.fetch();
    const rewritten = await repo.forcePush({ 'other/x.yaml': 'kind: Rewritten\n' });
    const after = await source.fetch();
    assert.notEqual(after.revision, before.revision);
    assert.equal(after.revision, rewritten);
    assert.equal(after.files.find((f) => f.path === 'other/x.yaml')?.content, 'kind: Rewritten\n');
  });

  it('fetches an annotated tag (peeled to its commit) and a pinned commit SHA', async () => {
    await repo.tag('v1.0.0', 'release 1.0.0');
    const tagged = await repo.head();
    const byTag = await (await open(repo.fileUrl({ ref: 'v1.0.0' }))).fetch();
    assert.equal(byTag.revision, tagged);
    await repo.commit({ 'other/y.yaml': 'kind: Y\n' });
    const bySha = await (await open(repo.fileUrl({ ref: tagged }))).fetch();
    assert.equal(bySha.revision, tagged);
    assert.equal(
      bySha.files.some((f) => f.path === 'other/y.yaml'),
      false,
    );
  });

  it('reports a missing ref and a missing sub-path as not_found', async () => {
    await rejectsWith((await open(repo.fileUrl({ ref: 'no-such-branch' }))).fetch(), 'not_found');
    await rejectsWith((await open(repo.fileUrl({ subPath: 'nope', ref: 'main' }))).fetch(), 'not_found');
    await rejectsWith((await open(repo.fileUrl({ subPath: 'deploy/README.md', ref: 'main' }))).fetch(), 'not_found');
  });

  it('refuses more files or bytes than the limits allow, naming the limit', async () => {
    const files = await open(repo.fileUrl({ ref: 'main' }), { limits: { maxFiles: 2 } });
    const e1 = await rejectsWith(files.fetch(), 'too_large');
    assert.match(e1.message, /--source-max-files \/ ECS_GITOPS_SOURCE_MAX_FILES/);
    const bytes = await open(repo.fileUrl({ ref: 'main' }), { limits: { maxBytes: 50 } });
    const e2 = await rejectsWith(bytes.fetch(), 'too_large');
    assert.match(e2.message, /--source-max-bytes \/ ECS_GITOPS_SOURCE_MAX_BYTES/);
  });

  it('kills a fetch that exceeds its time limit (server accepts but never answers)', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createNetServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const source = await open(`git://127.0.0.1:${port}/repo.git#main`, { git: { timeoutMs: 400 } });
      await rejectsWith(source.fetch(), 'timeout');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('stops at once when the caller aborts', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createNetServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const source = await open(`git://127.0.0.1:${port}/repo.git#main`);
      const ctl = new AbortController();
      const pending = source.fetch(ctl.signal);
      setTimeout(() => ctl.abort(), 100);
      await rejectsWith(pending, 'aborted');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  describe('over git daemon (git://)', () => {
    let daemon: GitDaemon;
    before(async () => {
      daemon = await startGitDaemon(repo.root);
    });
    after(async () => {
      await daemon.stop();
    });

    it('fetches, sees a pushed commit, fails as unreachable while the daemon is down, and recovers', async () => {
      const source = await open(`${daemon.url(repo.name)}#main`);
      const first = await source.fetch();
      assert.equal(first.revision, await repo.head());
      const sha = await repo.commit({ 'other/z.yaml': 'kind: Z\n' });
      assert.equal((await source.fetch()).revision, sha);

      await daemon.stop();
      const err = await rejectsWith(source.fetch(), 'unreachable');
      assert.match(err.message, /git:\/\/127\.0\.0\.1/);
      await daemon.start();
      assert.equal((await source.fetch()).revision, sha);
    });
  });

  describe('over smart HTTP with a token', () => {
    const TOKEN = 'tok-3f9a61c2-secret';
    it('authenticates through GIT_ASKPASS, never passing the token in argv or messages', async () => {
      const server = await startGitHttpServer(repo.root, { username: 'x-access-token', password: TOKEN });
      const argvLog = join(cacheDir, 'argv.log');
      const wrapper = join(cacheDir, 'git-wrapper.sh');
      await writeFile(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec git "$@"\n`);
      await chmod(wrapper, 0o755);
      try {
        const url = `git+${server.url(repo.name)}#main`;
        const good = await open(url, { git: { auth: { token: TOKEN }, gitBinary: wrapper } });
        const artifact = await good.fetch();
        assert.equal(artifact.revision, await repo.head());
        assert.ok(server.authorizations.some((a) => a === `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`));
        const argv = await readFile(argvLog, 'utf8');
        assert.match(argv, /fetch/);
        assert.doesNotMatch(argv, new RegExp(TOKEN));

        const bad = await open(url, { git: { auth: { token: 'wrong' }, gitBinary: wrapper } });
        const err = await rejectsWith(bad.fetch(), 'auth');
        assert.doesNotMatch(err.message, /wrong/);
        const none = await open(url);
        await rejectsWith(none.fetch(), 'auth');
      } finally {
        await server.stop();
      }
    });

    it('takes credentials from the URL but strips them from the artifact URL', async () => {
      const server = await startGitHttpServer(repo.root, { username: 'deploy', password: TOKEN });
      try {
        const u = new URL(server.url(repo.name));
        const source = await open(`git+http://deploy:${TOKEN}@${u.host}${u.pathname}#main`);
        assert.doesNotMatch(source.url, new RegExp(TOKEN));
        const artifact = await source.fetch();
        assert.equal(artifact.url, `git+http://${u.host}${u.pathname}#main`);
        assert.equal(artifact.revision, await repo.head());
      } finally {
        await server.stop();
      }
    });
  });
});
