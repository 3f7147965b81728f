import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CommandIO } from '../../src/cli/command.js';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { createGitRepo, type TempGitRepo } from '../helpers/git-repo.js';
import { exampleRepoFiles, startExampleSandbox } from './helpers.js';

describe('validate, plan and apply take any source URL (git+file here)', () => {
  let repo: TempGitRepo;
  let sandbox: SandboxHandle;
  let home: string;
  let env: Record<string, string>;

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CommandIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env };
    return { code: await main(argv, io), out, err };
  }

  before(async () => {
    repo = await createGitRepo(await exampleRepoFiles('deploy/'));
    sandbox = await startExampleSandbox();
    home = await mkdtemp(join(tmpdir(), 'ecs-gitops-cli-src-'));
    process.env['AWS_ACCESS_KEY_ID'] = 'sandbox';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'sandbox';
    env = { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: 'us-east-1', HOME: home };
  });
  after(async () => {
    await sandbox.stop();
    await repo.cleanup();
    await rm(home, { recursive: true, force: true });
  });

  it('validate --source git+file://...//deploy#main checks the committed manifests', async () => {
    const ok = await cli('validate', '--source', repo.fileUrl({ subPath: 'deploy', ref: 'main' }), '--output', 'json');
    assert.equal(ok.code, 0, ok.err);
    const doc = JSON.parse(ok.out) as { valid: boolean; resources: { key: string; file: string }[] };
    assert.equal(doc.valid, true);
    assert.equal(doc.resources.length, 25);
    assert.ok(doc.resources.some((r) => r.key === 'CloudMapService/internal/name' && r.file === 'hello-name/name.yaml'));
  });

  it('validate --source reports a committed mistake with its file and exits 1; a positional path still works', async () => {
    await repo.commit({
      'deploy/broken.yaml': 'apiVersion: ecs-gitops.io/v1alpha1\nkind: CloudMapNamespace\nmetadata:\n  name: broken\nspec:\n  type: NOPE\n',
    });
    const bad = await cli('validate', '--source', repo.fileUrl({ subPath: 'deploy', ref: 'main' }));
    assert.equal(bad.code, 1);
    assert.match(bad.out, /^broken\.yaml:6:/m);
    const local = await cli('validate', 'examples/hello-name');
    assert.equal(local.code, 0, local.out);
    const both = await cli('validate', 'examples', '--source', 'examples');
    assert.equal(both.code, 1);
    assert.match(both.err, /exactly one path/);
  });

  it('plan --source git+file:// reads the repository and plans the creates against the sandbox', async () => {
    await repo.commit({ 'deploy/broken.yaml': null });
    const planned = await cli('plan', '--source', repo.fileUrl({ subPath: 'deploy', ref: 'main' }), '--region', 'us-east-1', '--hide-unchanged');
    assert.equal(planned.code, 2, planned.err);
    assert.match(planned.out, /Plan: 25 to create/);
  });
});
