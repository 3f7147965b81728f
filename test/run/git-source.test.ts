import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { createGitRepo, type TempGitRepo } from '../helpers/git-repo.js';
import { startGitDaemon, type GitDaemon } from '../helpers/git-servers.js';
import {
  countResources,
  exampleRepoFiles,
  get,
  isWrite,
  liveTtl,
  metricValue,
  nameYamlWithTtl,
  startExampleSandbox,
  startTestController,
  waitConverged,
  waitFor,
} from './helpers.js';

const NAME_YAML = 'deploy/hello-name/name.yaml';

interface StatusDoc {
  controller: { source: { url: string; revision?: string; lastFetchError?: { message: string } } };
  resources: { key: string; lastAppliedRevision?: string }[];
}

describe('run --source git: commits are applied and reported by SHA; a Git outage changes nothing (sandbox, real git)', () => {
  let sandbox: SandboxHandle;
  let repo: TempGitRepo;
  let cacheDir: string;
  let nameYaml: string;

  before(async () => {
    sandbox = await startExampleSandbox();
    const files = await exampleRepoFiles('deploy/');
    nameYaml = files[NAME_YAML]!;
    repo = await createGitRepo(files);
    cacheDir = await mkdtemp(join(tmpdir(), 'ecs-gitops-run-git-'));
  });
  after(async () => {
    await sandbox.stop();
    await repo.cleanup();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('git+file://...#main --interval 3s converges, and a pushed TTL change is applied with its SHA in /status and source_revision_info', async () => {
    const url = repo.fileUrl({ subPath: 'deploy', ref: 'main' });
    const { running } = await startTestController(sandbox, ['--source', url, '--interval', '3s'], { source: { git: { cacheDir, timeoutMs: 20_000 } } });
    try {
      await waitConverged(running);
      const first = await repo.head();
      let status = JSON.parse((await get(running, '/status')).body) as StatusDoc;
      assert.equal(status.controller.source.revision, first);
      assert.equal(
        metricValue((await get(running, '/metrics')).body, 'ecs_gitops_source_revision_info', { source: status.controller.source.url, revision: first }),
        1,
      );

      const second = await repo.commit({ [NAME_YAML]: nameYamlWithTtl(nameYaml, 120) }, 'name: TTL 120');
      await waitFor(async () => (await liveTtl(sandbox, 'internal', 'name')) === 120, 15_000, 'TTL 120 applied');
      await waitFor(() => running.status.get('CloudMapService/internal/name')?.lastAppliedRevision === second, 10_000, 'lastAppliedRevision = the new SHA');
      status = JSON.parse((await get(running, '/status')).body) as StatusDoc;
      assert.equal(status.controller.source.revision, second);
      const metrics = (await get(running, '/metrics')).body;
      assert.equal(metricValue(metrics, 'ecs_gitops_source_revision_info', { source: status.controller.source.url, revision: second }), 1);
      assert.equal(metricValue(metrics, 'ecs_gitops_source_revision_info', { source: status.controller.source.url, revision: first }), undefined);
    } finally {
      await running.stop(2_000);
    }
  });

  it('over git daemon: a pushed commit is applied; with the daemon stopped everything stays, the failure is in metrics and /status, nothing is pruned', async () => {
    const daemon: GitDaemon = await startGitDaemon(repo.root);
    const { running } = await startTestController(sandbox, ['--source', `${daemon.url(repo.name)}//deploy#main`, '--interval', '1s', '--resync', '1s'], {
      source: { git: { cacheDir, timeoutMs: 5_000 } },
    });
    try {
      await waitConverged(running);
      const third = await repo.commit({ [NAME_YAML]: nameYamlWithTtl(nameYaml, 180) }, 'name: TTL 180');
      await waitFor(async () => (await liveTtl(sandbox, 'internal', 'name')) === 180, 15_000, 'TTL 180 applied over git://');
      await waitFor(() => running.status.snapshot().controller.source.revision === third, 5_000, 'the new SHA in /status');
      await waitConverged(running);

      const before = await countResources(sandbox);
      await daemon.stop();
      const stoppedAt = Date.now();
      await waitFor(
        async () => (metricValue((await get(running, '/metrics')).body, 'ecs_gitops_source_fetch_failures_total') ?? 0) >= 2,
        15_000,
        'failed fetches counted',
      );
      const scans = running.latest()?.seq ?? 0;
      await waitFor(() => (running.latest()?.seq ?? 0) >= scans + 2, 10_000, 'two resyncs during the outage');

      const status = JSON.parse((await get(running, '/status')).body) as StatusDoc;
      assert.equal(status.controller.source.revision, third, 'the last good revision stays in force');
      assert.ok(status.controller.source.lastFetchError?.message, 'the fetch error is in /status');
      assert.ok(running.status.snapshot().resources.every((r) => r.syncStatus === 'Synced'));
      assert.deepEqual(await countResources(sandbox), before);
      const writes = sandbox.world.calls.calls(stoppedAt).filter((c) => isWrite(c.operation));
      assert.deepEqual(
        writes.map((c) => c.operation),
        [],
      );
      assert.equal((await get(running, '/readyz')).status, 200);
    } finally {
      await running.stop(2_000);
      await daemon.stop();
    }
  });
});
