import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPlanCommand, type PlanDeps } from '../../src/cli/commands/plan.js';
import { renderStatus } from '../../src/cli/commands/status.js';
import type { CommandIO } from '../../src/cli/command.js';
import { StatusStore } from '../../src/controller/status.js';
import { publishDiscoveryReport } from '../../src/discovery/publish.js';
import type { DiscoveryReport } from '../../src/discovery/types.js';
import { desiredNamespace, liveNamespace } from '../kinds/fixtures.js';
import { liveSet } from '../reconcile/helpers.js';

function capture(): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {} };
}

const STALE_MESSAGE =
  'CloudMapService internal/name: instance 0123abcd (10.0.0.5) is registered, but its task arn:aws:ecs:us-east-1:1:task/demo/0123abcd is STOPPED since 2026-01-01T00:00:00.000Z';

const REPORT: DiscoveryReport = {
  checkedAt: '2026-01-01T00:01:00.000Z',
  durationMs: 12,
  services: [
    {
      key: 'CloudMapService/internal/name',
      name: 'name',
      namespace: 'internal',
      ecsServices: ['EcsService/demo/name'],
      runningTasks: 2,
      instances: { healthy: 2, unhealthy: 0, unknown: 0, stale: 1 },
      findings: 1,
      refreshed: true,
    },
  ],
  zones: [{ namespaceKey: 'CloudMapNamespace/internal', zoneId: 'Z1', refreshed: true }],
  findings: [
    {
      reason: 'StaleInstance',
      kind: 'CloudMapService',
      key: 'CloudMapService/internal/name',
      name: 'name',
      message: STALE_MESSAGE,
      instanceId: '0123abcd',
      ip: '10.0.0.5',
      taskArn: 'arn:aws:ecs:us-east-1:1:task/demo/0123abcd',
    },
  ],
  remediations: [],
  calls: { 'servicediscovery:DiscoverInstances': 1 },
  unreadable: [],
};

function deps(check: PlanDeps['checkDiscovery']): PlanDeps & { checked: number } {
  const d = {
    checked: 0,
    readSource: async () => ({ files: [{ path: 'a.yaml', content: '' }], displayFile: (f: string) => f }),
    loadManifests: async () => ({ resources: [desiredNamespace('internal', { type: 'HTTP' })], diagnostics: [] }),
    observeLive: async () => liveSet(liveNamespace('internal', { type: 'HTTP' })),
    checkDiscovery: check
      ? async (...args: Parameters<NonNullable<PlanDeps['checkDiscovery']>>) => {
          d.checked++;
          return check(...args);
        }
      : undefined,
  };
  return d as PlanDeps & { checked: number };
}

describe('discovery findings in ecs-gitops plan and status', () => {
  it('plan prints findings in their own section and keeps exit 0 when nothing drifted', async () => {
    const io = capture();
    assert.equal(await createPlanCommand(deps(async () => REPORT)).run(['--source', 'm'], io), 0);
    const out = io.out.join('');
    assert.match(out, /No changes/);
    assert.match(out, /^Discovery health \(Cloud Map and Route 53 vs running ECS tasks; not drift/m);
    assert.ok(out.includes(`  ! StaleInstance CloudMapService/internal/name: ${STALE_MESSAGE}`));
  });

  it('plan --output json carries a discovery member next to the plan', async () => {
    const io = capture();
    assert.equal(
      await createPlanCommand(
        deps(async (_live, options) => {
          assert.equal(options.controllerId, 'ecs-gitops');
          return REPORT;
        }),
      ).run(['--source', 'm', '--output', 'json'], io),
      0,
    );
    const json = JSON.parse(io.out.join('')) as {
      formatVersion: number;
      hasDrift: boolean;
      discovery: { services: number; findings: { reason: string; ip: string }[] };
    };
    assert.equal(json.formatVersion, 1);
    assert.equal(json.hasDrift, false);
    assert.equal(json.discovery.services, 1);
    assert.deepEqual(
      json.discovery.findings.map((f) => [f.reason, f.ip]),
      [['StaleInstance', '10.0.0.5']],
    );
  });

  it('plan --no-discovery does not check; a failing check is a warning, not a plan error', async () => {
    const skipped = deps(async () => REPORT);
    const io = capture();
    assert.equal(await createPlanCommand(skipped).run(['--source', 'm', '--no-discovery'], io), 0);
    assert.equal(skipped.checked, 0);
    assert.doesNotMatch(io.out.join(''), /Discovery health/);

    const failing = capture();
    assert.equal(
      await createPlanCommand(deps(async () => Promise.reject(new Error('AccessDeniedException: no DiscoverInstances')))).run(['--source', 'm'], failing),
      0,
    );
    assert.match(failing.err.join(''), /warning: discovery health not checked: AccessDeniedException: no DiscoverInstances/);
  });

  it('status shows the last check from /status in its own section', () => {
    const store = new StatusStore({ now: () => Date.parse('2026-01-01T00:02:00Z') });
    store.recordFetch('abc');
    store.recordObserve();
    store.track({ key: 'CloudMapService/internal/name', kind: 'CloudMapService', name: 'name', mode: 'enforce' });
    publishDiscoveryReport(REPORT, { status: store });
    const snapshot = JSON.parse(JSON.stringify(store.snapshot())) as ReturnType<StatusStore['snapshot']>;
    const text = renderStatus(snapshot, Date.parse('2026-01-01T00:02:00Z'));
    assert.match(text, /CloudMapService\s+internal\/name\s+enforce\s+\S+\s+\S+\s+\S+\s+Degraded/);
    assert.match(text, /^Discovery health/m);
    assert.ok(text.includes(`  ! StaleInstance CloudMapService/internal/name: ${STALE_MESSAGE}`));
    assert.equal(snapshot.discovery?.findings[0]?.taskArn, 'arn:aws:ecs:us-east-1:1:task/demo/0123abcd');
  });

  it('status without a discovery check shows no discovery section', () => {
    const store = new StatusStore();
    assert.doesNotMatch(renderStatus(store.snapshot()), /Discovery health/);
  });
});
