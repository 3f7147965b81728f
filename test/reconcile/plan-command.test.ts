import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPlanCommand, parsePlanArgs, type PlanDeps } from '../../src/cli/commands/plan.js';
import { UsageError, type CommandIO } from '../../src/cli/command.js';
import type { DesiredResource, Diagnostic } from '../../src/manifests/types.js';
import type { LiveSet } from '../../src/kit/types.js';
import { desiredNamespace, liveNamespace } from '../kinds/fixtures.js';
import { liveSet } from './helpers.js';

function capture(): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {} };
}

function fakeDeps(resources: DesiredResource[], live: LiveSet, diagnostics: Diagnostic[] = []): PlanDeps & { observed: string[][] } {
  const observed: string[][] = [];
  return {
    observed,
    readSource: async () => ({ files: [{ path: 'a.yaml', content: '' }], displayFile: (f) => `manifests/${f}` }),
    loadManifests: async () => ({ resources, diagnostics }),
    observeLive: async (_desired, options) => {
      observed.push([...options.clusters]);
      return live;
    },
  };
}

describe('ecs-gitops plan command', () => {
  it('exits 0 in sync, 2 with drift (including observe-mode drift)', async () => {
    const ns = desiredNamespace('local', { type: 'HTTP', description: 'x' });
    const inSync = capture();
    assert.equal(
      await createPlanCommand(fakeDeps([ns], liveSet(liveNamespace('local', { type: 'HTTP', description: 'x' })))).run(['--source', 'm'], inSync),
      0,
    );
    assert.match(inSync.out.join(''), /No changes/);

    const observed = desiredNamespace('local', { type: 'HTTP', description: 'x' }, { mode: 'observe' });
    const drift = capture();
    assert.equal(
      await createPlanCommand(fakeDeps([observed], liveSet(liveNamespace('local', { type: 'HTTP', description: 'y' })))).run(['--source', 'm'], drift),
      2,
    );
    assert.match(drift.out.join(''), /^! blocked CloudMapNamespace\/local \(observe-mode, would update\)$/m);
  });

  it('exits 1 and prints the diagnostics when a manifest has errors, without reading AWS', async () => {
    const diag: Diagnostic = {
      severity: 'error',
      code: 'EGO_SCHEMA',
      file: 'a.yaml',
      line: 3,
      col: 5,
      resource: 'CloudMapService/x',
      field: 'spec.dns',
      message: 'bad',
    };
    const deps = fakeDeps([], liveSet(), [diag]);
    const io = capture();
    assert.equal(await createPlanCommand(deps).run(['--source', 'm'], io), 1);
    assert.match(io.err.join(''), /^manifests\/a\.yaml:3:5 CloudMapService\/x spec\.dns: bad \[EGO_SCHEMA\]$/m);
    assert.deepEqual(deps.observed, []);
  });

  it('exits 1 when the live state cannot be read, and warns about unreadable scopes', async () => {
    const failing: PlanDeps = { ...fakeDeps([], liveSet()), observeLive: async () => Promise.reject(new Error('AccessDenied')) };
    const io = capture();
    assert.equal(await createPlanCommand(failing).run(['--source', 'm'], io), 1);
    assert.match(io.err.join(''), /cannot read the live state: AccessDenied/);

    const partial = liveSet();
    partial.unreadable.push({ scope: 'EcsCluster/gone', reason: 'ClusterNotFoundException' });
    const warned = capture();
    await createPlanCommand(fakeDeps([desiredNamespace('a', { type: 'HTTP' })], partial)).run(['--source', 'm'], warned);
    assert.match(warned.err.join(''), /warning: could not read EcsCluster\/gone: ClusterNotFoundException/);
  });

  it('prints JSON with --output json and passes extra clusters to observe', async () => {
    const deps = fakeDeps([desiredNamespace('a', { type: 'HTTP' })], liveSet());
    const io = capture();
    assert.equal(await createPlanCommand(deps).run(['--source', 'm', '--output', 'json', '--cluster', 'old', '--cluster', 'older'], io), 2);
    const json = JSON.parse(io.out.join('')) as { summary: { create: number }; resources: { action: string }[] };
    assert.equal(json.summary.create, 1);
    assert.deepEqual(deps.observed, [['old', 'older']]);
  });

  it('refuses pruning when the source holds no manifests', async () => {
    const io = capture();
    const code = await createPlanCommand(fakeDeps([], liveSet(liveNamespace('gone', { type: 'HTTP' })))).run(['--source', 'm'], io);
    assert.equal(code, 2);
    assert.match(io.out.join(''), /^! blocked CloudMapNamespace\/gone \(empty-source, would delete\)$/m);
  });

  it('--output markdown prints the summary first and one collapsible block per changed resource, with the same exit code', async () => {
    const io = capture();
    const desired = [desiredNamespace('local', { type: 'HTTP', description: 'new' }), desiredNamespace('same', { type: 'HTTP' })];
    const live = liveSet(liveNamespace('local', { type: 'HTTP', description: 'old' }), liveNamespace('same', { type: 'HTTP' }));
    assert.equal(await createPlanCommand(fakeDeps(desired, live)).run(['--source', 'm', '--output', 'markdown', '--no-discovery'], io), 2);
    const md = io.out.join('');
    assert.match(md, /^### ecs-gitops plan\n\n\*\*Plan: 0 to create, 1 to update/);
    assert.equal(md.match(/<details>/g)?.length, 1);
    assert.match(md, /<summary><code>~ update<\/code> <b>CloudMapNamespace\/local<\/b>/);
    assert.match(md, /```diff\n- spec\.description: "old"\n\+ spec\.description: "new"\n```/);
    assert.throws(() => parsePlanArgs(['--source', 'm', '--output', 'markdown'], {}, undefined, ['text', 'json']), /--output must be text or json/);
  });

  it('validates its arguments', () => {
    assert.throws(() => parsePlanArgs([]), UsageError);
    assert.throws(() => parsePlanArgs(['--source', 'm', '--output', 'yaml']), /--output must be text, json or markdown/);
    assert.throws(() => parsePlanArgs(['--source', 'm', '--max-prune-percent', '150']), /from 0 to 100/);
    assert.throws(() => parsePlanArgs(['--source', 'm', '--keep-revisions', '0']), /--keep-revisions .* from 1 to 1000/);
    assert.throws(() => parsePlanArgs(['--source', 'm'], { ECS_GITOPS_KEEP_REVISIONS: 'x' }), /ECS_GITOPS_KEEP_REVISIONS must be an integer/);
    assert.equal(parsePlanArgs(['--source', 'm'], { ECS_GITOPS_KEEP_REVISIONS: '2' }).keepRevisions, 2);
    assert.equal(parsePlanArgs(['--source', 'm', '--keep-revisions', '9'], { ECS_GITOPS_KEEP_REVISIONS: '2' }).keepRevisions, 9);
    assert.deepEqual(parsePlanArgs(['--source', 'm', '--controller-id', 'blue', '--region', 'eu-west-1', '--no-prune', '--max-prune', '5']), {
      source: 'm',
      sourceLimits: { maxFiles: 20_000, maxFileBytes: 16 * 1024 * 1024, maxBytes: 256 * 1024 * 1024 },
      output: 'text',
      controllerId: 'blue',
      controllerIdFrom: 'flag',
      clusters: [],
      region: 'eu-west-1',
      prune: { enabled: false, maxDeletions: 5, maxPercent: 50 },
      keepRevisions: 5,
      hideUnchanged: false,
    });
  });
});
