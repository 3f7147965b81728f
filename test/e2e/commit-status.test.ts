// The delivery contract end to end: commits pushed to a Git repository, the controller on
// that repository with GitHub commit statuses sent to a local server, the sandbox failing
// the tasks of one image. Each commit gets pending, then success or failure, on its own SHA.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningController } from '../../src/run/app.js';
import { createGitRepo, type TempGitRepo } from '../helpers/git-repo.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { startTestController, waitFor } from '../run/helpers.js';
import { resource, startShiftedSandbox, type ShiftedSandbox } from './rollout-helpers.js';

const KEY = 'EcsService/demo/name';
const NAME_YAML = 'hello-name/name.yaml';
const GOOD = 'name-server:1.0.0';
const BROKEN = 'name-server:broken';
const FIXED = 'name-server:1.0.1';
const STATUS_PATH = /^\/api\/v3\/repos\/acme\/deploy\/statuses\/([0-9a-f]{40})$/;

interface SentStatus {
  readonly sha: string;
  readonly state: string;
  readonly description: string;
  readonly context: string;
}

/** Every commit status the server received, in order. */
function statuses(github: RecordingServer): SentStatus[] {
  return github.received.map((r) => {
    assert.equal(r.method, 'POST', `${r.method} ${r.path}`);
    const m = STATUS_PATH.exec(r.path);
    assert.ok(m, `a request outside the statuses API: ${r.path}`);
    const body = JSON.parse(r.body) as Omit<SentStatus, 'sha'>;
    return { sha: m[1]!, state: body.state, description: body.description, context: body.context };
  });
}

function statesOf(github: RecordingServer, sha: string): string[] {
  return statuses(github)
    .filter((s) => s.sha === sha)
    .map((s) => s.state);
}

function allSynced(running: RunningController): boolean {
  const resources = running.status.snapshot().resources;
  return resources.length > 0 && resources.every((r) => r.syncStatus === 'Synced');
}

describe('commit statuses end to end: a commit whose image cannot start fails on its SHA, the next good commit succeeds (git source, sandbox, local GitHub API)', () => {
  let s: ShiftedSandbox;
  let repo: TempGitRepo;
  let github: RecordingServer;
  let hook: RecordingServer;
  let cacheDir: string;
  let running: RunningController | undefined;

  before(async () => {
    s = await startShiftedSandbox();
    const files: Record<string, string> = {};
    for (const f of ['namespace.yaml', 'name.yaml', 'hello.yaml']) files[`hello-name/${f}`] = await readFile(join('examples', 'hello-name', f), 'utf8');
    repo = await createGitRepo(files);
    github = await startRecordingServer(() => ({ status: 201, body: {} }));
    hook = await startRecordingServer(() => ({ status: 204 }));
    cacheDir = await mkdtemp(join(tmpdir(), 'ecs-gitops-commit-status-'));
  });
  after(async () => {
    await running?.stop(2_000);
    await Promise.all([s.stop(), github.close(), hook.close(), repo.cleanup(), rm(cacheDir, { recursive: true, force: true })]);
  });

  it('first commit: pending then success; broken image: Degraded with the stopped reason, pending then failure naming it; fix: pending then success', async () => {
    const first = await repo.head();
    ({ running } = await startTestController(
      s.sandbox,
      [
        '--source',
        repo.fileUrl({ ref: 'main' }),
        '--interval',
        '1s',
        '--resync',
        '1s',
        '--notify-github-url',
        `${github.url}/api/v3`,
        '--notify-github-repo',
        'acme/deploy',
        '--notify-webhook-url',
        `${hook.url}/events`,
      ],
      { source: { git: { cacheDir, timeoutMs: 20_000 } } },
    ));
    const r = running;
    await waitFor(() => allSynced(r) && resource(r, KEY)?.healthStatus === 'Healthy', 90_000, 'convergence, Healthy');
    await waitFor(() => statesOf(github, first).includes('success'), 30_000, 'success on the first commit');
    assert.deepEqual(statesOf(github, first), ['pending', 'success']);
    assert.ok(statuses(github).every((st) => st.context === 'ecs-gitops'));
    // The webhook says what the first commit wrote: every resource of the example was created.
    const applied = () =>
      hook.received
        .map((h) => (JSON.parse(h.body) as { event: { type: string; revision?: string; changed?: { key: string }[] } }).event)
        .filter((e) => e.type === 'revision-applied');
    await waitFor(() => applied().some((e) => e.revision === first), 30_000, 'revision-applied of the first commit on the webhook');
    assert.deepEqual(
      applied()
        .find((e) => e.revision === first)!
        .changed!.map((c) => c.key)
        .toSorted(),
      r.status
        .snapshot()
        .resources.map((x) => x.key)
        .toSorted(),
    );

    // The sandbox fails every task of the broken image, as ECS would an image that exits.
    await s.admin('POST', 'ecs/task-failures', { image: '*:broken', mode: 'exit' });
    const nameYaml = await readFile(join(repo.workDir, NAME_YAML), 'utf8');
    assert.ok(nameYaml.includes(GOOD));
    const broken = await repo.commit({ [NAME_YAML]: nameYaml.replace(GOOD, BROKEN) }, 'name: broken image');
    await waitFor(() => resource(r, KEY)?.healthStatus === 'Degraded', 120_000, 'Degraded');
    const degraded = resource(r, KEY)!;
    assert.equal(degraded.lastAttemptedRevision, broken);
    assert.equal(degraded.lastAppliedRevision, first, 'the failed commit never counts as deployed');
    await waitFor(
      () => /Essential container in task exited/.test(resource(r, KEY)!.conditions.find((c) => c.type === 'Healthy')?.message ?? ''),
      60_000,
      'the stopped reason in the Healthy condition',
    );
    await waitFor(() => statesOf(github, broken).includes('failure'), 60_000, 'failure on the broken commit');
    assert.deepEqual(statesOf(github, broken), ['pending', 'failure']);
    const failure = statuses(github).find((st) => st.sha === broken && st.state === 'failure')!;
    assert.ok([...failure.description].length <= 140, `description of ${[...failure.description].length} characters: ${failure.description}`);
    assert.match(failure.description, /EcsService\/demo\/name/, failure.description);
    assert.match(failure.description, /Essential container in task exited/, failure.description);
    // Nothing was said of the first commit since, and no success of the broken one ever.
    assert.deepEqual(statesOf(github, first), ['pending', 'success']);

    await s.admin('DELETE', 'ecs/task-failures');
    const fixed = await repo.commit({ [NAME_YAML]: nameYaml.replace(GOOD, FIXED) }, 'name: fixed image');
    await waitFor(() => statesOf(github, fixed).includes('success'), 120_000, 'success on the fixed commit');
    assert.deepEqual(statesOf(github, fixed), ['pending', 'success']);
    await waitFor(() => applied().some((e) => e.revision === fixed), 30_000, 'revision-applied of the fix on the webhook');
    assert.deepEqual(
      applied()
        .find((e) => e.revision === fixed)!
        .changed!.map((c) => c.key),
      [KEY],
    );
    assert.equal(resource(r, KEY)?.healthStatus, 'Healthy');
    assert.equal(resource(r, KEY)?.lastAppliedRevision, fixed);

    // Three commits, two statuses each, and no status twice (a resync sends nothing again).
    const before = github.received.length;
    const reconciled = r.status.get(KEY)!.lastReconcileTime;
    await waitFor(() => r.status.get(KEY)!.lastReconcileTime !== reconciled, 30_000, 'a resync');
    await waitFor(() => r.status.get(KEY)!.lastReconcileTime !== reconciled, 30_000, 'another resync');
    assert.equal(github.received.length, before);
    assert.deepEqual(
      statuses(github).map((st) => `${st.sha.slice(0, 7)} ${st.state}`),
      [first, first, broken, broken, fixed, fixed].map((sha, i) => `${sha.slice(0, 7)} ${i % 2 === 0 ? 'pending' : i < 2 || i > 3 ? 'success' : 'failure'}`),
    );
  });
});
