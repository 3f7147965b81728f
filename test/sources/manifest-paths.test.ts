import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readManifestTree } from '../../src/manifests/read-tree.js';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { isManifestPath } from '../../src/sources/artifact.js';
import { openSource } from '../../src/sources/open-source.js';
import { createGitRepo, type TempGitRepo } from '../helpers/git-repo.js';

/** A repository as teams have them: manifests next to CI files, an archive and installed packages. */
const TREE: Readonly<Record<string, string>> = {
  'team/a.yaml': 'kind: A\n',
  'team/b.YML': 'kind: B\n',
  'team/.draft.yaml': 'kind: Draft\n',
  '.github/workflows/ci.yml': 'on: push\n',
  '.archive/old.yaml': 'kind: Old\n',
  'node_modules/ecs-gitops/examples/hello.yaml': 'kind: Example\n',
  'team/node_modules/x.yaml': 'kind: Nested\n',
  'team/README.md': '# notes\n',
};
const EXPECTED = ['team/.draft.yaml', 'team/a.yaml', 'team/b.YML'];

describe('which files a source reads', () => {
  let dir = '';
  let repo: TempGitRepo;
  let sandbox: SandboxHandle;
  let s3: S3Client;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-paths-'));
    for (const [path, content] of Object.entries(TREE)) {
      await mkdir(dirname(join(dir, 'tree', path)), { recursive: true });
      await writeFile(join(dir, 'tree', path), content);
    }
    repo = await createGitRepo(TREE);
    sandbox = await startSandbox({ operationDelayMs: 20, taskStartDelayMs: 20, drainDelayMs: 20 });
    s3 = new S3Client({ ...sandbox.clientConfig(), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'deploy' }));
    for (const [path, content] of Object.entries(TREE)) await s3.send(new PutObjectCommand({ Bucket: 'deploy', Key: `.config/prod/${path}`, Body: content }));
  });
  after(async () => {
    s3.destroy();
    await sandbox.stop();
    await repo.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the same files from a directory, Git and S3 as validate and plan read from a local path', async () => {
    const local = (await readManifestTree(join(dir, 'tree'))).files.map((f) => f.path);
    assert.deepEqual(local, EXPECTED);
    const fromDirectory = await (await openSource(join(dir, 'tree'))).fetch();
    assert.deepEqual(
      fromDirectory.files.map((f) => f.path),
      EXPECTED,
    );
    const fromGit = await (await openSource(repo.fileUrl({ ref: 'main' }), { git: { cacheDir: join(dir, 'cache'), timeoutMs: 20_000 } })).fetch();
    assert.deepEqual(
      fromGit.files.map((f) => f.path),
      EXPECTED,
    );
    // A dot in the prefix itself is the user's choice of location, not a skipped directory.
    const fromS3 = await (await openSource('s3://deploy/.config/prod', { s3: { clientConfig: { ...sandbox.clientConfig(), maxAttempts: 1 } } })).fetch();
    assert.deepEqual(
      fromS3.files.map((f) => f.path),
      EXPECTED,
    );
  });

  const cases: [string, boolean][] = [
    ['a.yaml', true],
    ['deep/er/b.YmL', true],
    ['.hidden.yaml', true],
    ['x.json', false],
    ['.git/x.yaml', false],
    ['team/..data/x.yaml', false],
    ['node_modules/p/x.yml', false],
    ['team/node_modules_backup/x.yml', true],
  ];
  for (const [path, expected] of cases) {
    it(`${expected ? 'reads' : 'skips'} ${path}`, () => assert.equal(isManifestPath(path), expected));
  }
});
