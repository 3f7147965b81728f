import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';

/**
 * The package as users get it: `npm pack`, then an install of the tarball into an empty
 * directory. Dependencies come from npm's cache when `npm ci` already fetched them.
 */
describe('npm pack: the published package installs into an empty directory and runs', () => {
  const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  let dir = '';
  let installed = '';
  const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const cli = (args: string[]) => spawnSync(join(dir, 'node_modules/.bin/ecs-gitops'), args, { cwd: dir, encoding: 'utf8' });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecs-gitops-pack-'));
    // dist/ is built by the test command; --ignore-scripts keeps pack from building again.
    const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], PACKAGE_ROOT)) as { filename: string }[];
    const tarball = join(dir, packed[0]!.filename);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], dir);
    installed = join(dir, 'node_modules/ecs-gitops');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the package version through the installed bin link', () => {
    const r = cli(['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), version);
  });

  it('ships crds/ and examples/, and validates its own examples', () => {
    assert.ok(statSync(join(installed, 'crds')).isDirectory());
    const r = cli(['validate', join(installed, 'examples')]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  });

  it('leaves the development sandbox, the tests and the sources out', () => {
    for (const absent of ['packages', 'test', 'src', 'dist/test', 'dist/bench', 'node_modules/@ecs-gitops/sandbox']) {
      assert.ok(!existsSync(join(installed, absent)) && !existsSync(join(dir, 'node_modules/@ecs-gitops/sandbox')), `${absent} is in the package`);
    }
    const r = cli(['sandbox', '--port', '0']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /own package/);
  });
});
