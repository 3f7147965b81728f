import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSource } from '../../src/sources/open-source.js';
import { SourceError } from '../../src/sources/errors.js';
import { digestFiles } from '../../src/sources/artifact.js';

describe('directory source', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-dir-'));
    await mkdir(join(dir, 'b/nested'), { recursive: true });
    await mkdir(join(dir, '.git'), { recursive: true });
    await writeFile(join(dir, 'a.yaml'), 'kind: A\n');
    await writeFile(join(dir, 'b/nested/c.YML'), 'kind: C\n');
    await writeFile(join(dir, 'b/notes.txt'), 'not a manifest');
    await writeFile(join(dir, '.git/hidden.yaml'), 'kind: Hidden\n');
    await symlink(join(dir, 'a.yaml'), join(dir, 'b/link.yaml'));
    await symlink(dir, join(dir, 'b/loop'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads manifest files recursively, skipping dot entries, other files and directory links', async () => {
    const artifact = await (await openSource(dir)).fetch();
    assert.deepEqual(
      artifact.files.map((f) => f.path),
      ['a.yaml', 'b/link.yaml', 'b/nested/c.YML'],
    );
    assert.equal(artifact.revision, artifact.digest);
    assert.equal(artifact.digest, digestFiles(artifact.files));
  });

  it('gives the same revision for the same content and a new one after a change', async () => {
    const source = await openSource(`file://${dir}`);
    const first = await source.fetch();
    assert.equal((await source.fetch()).revision, first.revision);
    await writeFile(join(dir, 'a.yaml'), 'kind: A2\n');
    assert.notEqual((await source.fetch()).revision, first.revision);
  });

  it('reports a missing directory as not_found', async () => {
    const source = await openSource(join(dir, 'missing'));
    await assert.rejects(source.fetch(), (err: unknown) => err instanceof SourceError && err.reason === 'not_found');
  });

  it('digests unambiguously: moving bytes between a path and its content changes the digest', () => {
    assert.notEqual(digestFiles([{ path: 'ab', content: 'c' }]), digestFiles([{ path: 'a', content: 'bc' }]));
    assert.equal(
      digestFiles([
        { path: 'x', content: '1' },
        { path: 'y', content: '2' },
      ]),
      digestFiles([
        { path: 'y', content: '2' },
        { path: 'x', content: '1' },
      ]),
    );
  });
});
