import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifestTree } from '../../src/manifests/read-tree.js';

const NAMESPACE = 'apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: shared\nspec:\n  type: HTTP\n';

describe('readManifestTree', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecs-gitops-read-tree-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a symbolic link to a file like the directory source does, never follows links to directories, and refuses a dangling one', async () => {
    const root = join(dir, 'links');
    mkdirSync(join(root, 'team'), { recursive: true });
    writeFileSync(join(dir, 'outside.yaml'), NAMESPACE);
    symlinkSync(join(dir, 'outside.yaml'), join(root, 'team', 'shared.yaml'));
    symlinkSync('..', join(root, 'team', 'loop'));
    symlinkSync(root, join(root, 'team', 'loop-absolute'));
    symlinkSync('missing.yaml', join(root, 'team', 'dangling.yaml'));
    writeFileSync(join(root, 'team', 'own.yml'), 'a: 1\n');
    const tree = await readManifestTree(root);
    assert.deepEqual(
      tree.files.map((f) => [f.path, f.content, f.refused?.code]),
      [
        ['team/dangling.yaml', '', 'EGO_FILE_UNREADABLE'],
        ['team/own.yml', 'a: 1\n', undefined],
        ['team/shared.yaml', NAMESPACE, undefined],
      ],
    );
  });

  it('skips dot-directories and node_modules, reads .yaml and .yml in any case, sorted by path', async () => {
    const root = join(dir, 'layout');
    for (const d of ['b', '.git', 'node_modules/pkg', 'a']) mkdirSync(join(root, d), { recursive: true });
    for (const f of ['b/x.YAML', 'a/y.yml', '.git/config.yaml', 'node_modules/pkg/z.yaml', 'a/readme.md']) writeFileSync(join(root, f), 'k: v\n');
    const tree = await readManifestTree(root);
    assert.deepEqual(
      tree.files.map((f) => f.path),
      ['a/y.yml', 'b/x.YAML'],
    );
  });

  it('reads one file given directly, relative to its directory', async () => {
    const file = join(dir, 'single.yaml');
    writeFileSync(file, NAMESPACE);
    const tree = await readManifestTree(file);
    assert.deepEqual([tree.root, tree.files.map((f) => f.path)], [dir, ['single.yaml']]);
  });
});
