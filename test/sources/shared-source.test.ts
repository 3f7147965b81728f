import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeArtifact } from '../../src/sources/artifact.js';
import { inPaths, SharedSource } from '../../src/sources/shared-source.js';
import type { Source } from '../../src/sources/source.js';

function counting(files: { path: string; content: string }[], revision?: string): Source & { fetches: number } {
  const s = {
    url: '/srv/m',
    kind: 'directory' as const,
    fetches: 0,
    fetch: async () => {
      s.fetches += 1;
      await new Promise((r) => setImmediate(r));
      return makeArtifact('/srv/m', revision, files, Date.now());
    },
  };
  return s;
}

describe('shared source', () => {
  it('inPaths: a directory holds its files, a file itself, no prefix look-alikes', () => {
    assert.equal(inPaths('accounts/a/x.yaml', ['accounts/a']), true);
    assert.equal(inPaths('accounts/ab/x.yaml', ['accounts/a']), false);
    assert.equal(inPaths('shared/base.yaml', ['shared/base.yaml']), true);
    assert.equal(inPaths('x.yaml', ['']), true);
  });

  it('views share one fetch and see only their paths; a directory view has its own revision', async () => {
    const source = counting([
      { path: 'accounts/a/ns.yaml', content: 'a' },
      { path: 'accounts/b/ns.yaml', content: 'b' },
      { path: 'shared/x.yaml', content: 's' },
    ]);
    const shared = new SharedSource(source, { reuseMs: 60_000 });
    const [a, b] = await Promise.all([shared.view(['accounts/a', 'shared']).fetch(), shared.view(['accounts/b']).fetch()]);
    assert.equal(source.fetches, 1);
    assert.deepEqual(
      a.files.map((f) => f.path),
      ['accounts/a/ns.yaml', 'shared/x.yaml'],
    );
    assert.deepEqual(
      b.files.map((f) => f.path),
      ['accounts/b/ns.yaml'],
    );
    assert.equal(a.revision, a.digest);
    assert.notEqual(a.revision, b.revision);
    await shared.view(['accounts/a']).fetch();
    assert.equal(source.fetches, 1, 'reused within reuseMs');
  });

  it('a source with its own revision (a commit) keeps it in every view; reuse ends after reuseMs', async () => {
    const source = counting([{ path: 'a/x.yaml', content: 'a' }], 'c0ffee');
    let now = 0;
    const shared = new SharedSource(source, { reuseMs: 1_000, now: () => now });
    assert.equal((await shared.view(['a']).fetch()).revision, 'c0ffee');
    now = 2_000;
    await shared.view(['a']).fetch();
    assert.equal(source.fetches, 2);
  });
});
