import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPlanCommand, PLAN_DISCOVERY_AUTO_LIMIT, type PlanDeps } from '../../src/cli/commands/plan.js';
import type { CommandIO } from '../../src/cli/command.js';
import { followsCounts, namespacesToSweep } from '../../src/discovery/instance-counts.js';
import { discoveryTargets } from '../../src/discovery/targets.js';
import type { DiscoveryReport } from '../../src/discovery/types.js';
import type { LiveResource, LiveSet } from '../../src/kit/types.js';
import type { CloudMapServiceSpec } from '../../src/manifests/types.js';
import { desiredNamespace, liveCloudMapService, liveEcsService, liveNamespace } from '../kinds/fixtures.js';
import { liveSet } from '../reconcile/helpers.js';

const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/app:1';

/** `n` Cloud Map services of namespace `ns`, each linked to an ECS service, plus `unlinked` Cloud Map services. */
function linked(ns: string, n: number, health?: CloudMapServiceSpec['healthCheck'], unlinked = 0): LiveResource[] {
  const out: LiveResource[] = [liveNamespace(ns, { type: 'HTTP' })];
  for (let i = 0; i < n + unlinked; i++) {
    const svc = liveCloudMapService(`${ns}-${i}`, { namespace: ns, type: 'HTTP', ...(health ? { healthCheck: health } : {}) });
    out.push(svc);
    if (i >= n) continue;
    const ecs = liveEcsService(`${ns}-${i}`, { cluster: 'demo', taskDefinitionRef: TD });
    ecs.serviceRegistryArns = [svc.arn];
    out.push(ecs);
  }
  return out;
}

describe('what a discovery check reads (pure)', () => {
  it('sweeps a namespace for instance counts only when its pages are fewer than the services they stand for', () => {
    const live = liveSet(...linked('one', 1), ...linked('two', 2), ...linked('wide', 2, undefined, 150), ...linked('r53', 5, { route53: { type: 'HTTP' } }));
    const targets = discoveryTargets(live);
    // one: 1 page for 1 service saves nothing; two: 1 page for 2; wide: 2 pages (152 services) for 2 targets;
    // r53: Route 53 health checks are read every time, so counts save nothing.
    assert.deepEqual(namespacesToSweep(live, targets), ['ns-two']);
    assert.deepEqual(namespacesToSweep(liveSet(...linked('big', 1000)), discoveryTargets(liveSet(...linked('big', 1000)))), ['ns-big']);
  });

  it('takes health from the cache only where it follows the counts', () => {
    const [plain, custom, r53] = [undefined, { custom: {} }, { route53: { type: 'HTTP' as const } }].map(
      (h) => discoveryTargets(liveSet(...linked('x', 1, h)))[0]!,
    );
    assert.equal(custom!.healthCheckType, 'custom');
    assert.equal(r53!.healthCheckType, 'route53');
    assert.equal(plain!.namespaceId, 'ns-x');
    const ecsRegistered = { attributes: { ECS_SERVICE_NAME: 'x-0', AWS_INSTANCE_IPV4: '10.0.0.1' } };
    const byHand = { attributes: { AWS_INSTANCE_IPV4: '10.0.0.2' } };
    assert.equal(followsCounts(plain!, [byHand]), true, 'no health check: the list is all there is');
    assert.equal(followsCounts(custom!, [ecsRegistered]), true, 'ECS reports the health of the tasks it registered');
    assert.equal(followsCounts(custom!, [ecsRegistered, byHand]), false, 'someone else may report the health of its own instance');
    assert.equal(followsCounts(r53!, [ecsRegistered]), false, 'Route 53 health checks change health on their own');
  });
});

function capture(): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {} };
}

const EMPTY_REPORT: DiscoveryReport = {
  checkedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
  services: [],
  zones: [],
  findings: [],
  remediations: [],
  calls: {},
  unreadable: [],
};

function planDeps(live: LiveSet): PlanDeps & { checks: number } {
  const deps = {
    checks: 0,
    readSource: async () => ({ files: [{ path: 'a.yaml', content: '' }], displayFile: (f: string) => f }),
    loadManifests: async () => ({ resources: [desiredNamespace('svc', { type: 'HTTP' })], diagnostics: [] }),
    observeLive: async () => live,
    checkDiscovery: async () => {
      deps.checks++;
      return EMPTY_REPORT;
    },
  };
  return deps as PlanDeps & { checks: number };
}

describe('plan runs the discovery check when asked or when it is cheap', () => {
  it(`checks by default up to ${PLAN_DISCOVERY_AUTO_LIMIT} services, beyond that only with --discovery; --no-discovery never`, async () => {
    const small = planDeps(liveSet(...linked('svc', PLAN_DISCOVERY_AUTO_LIMIT)));
    const io = capture();
    await createPlanCommand(small).run(['--source', 'm'], io);
    assert.equal(small.checks, 1);
    assert.match(io.out.join(''), /^Discovery health \(/m);

    const big = planDeps(liveSet(...linked('svc', PLAN_DISCOVERY_AUTO_LIMIT + 1)));
    const quiet = capture();
    await createPlanCommand(big).run(['--source', 'm'], quiet);
    assert.equal(big.checks, 0);
    assert.ok(
      quiet.out.join('').includes(`Discovery health not checked: ${PLAN_DISCOVERY_AUTO_LIMIT + 1} Cloud Map services, more than ${PLAN_DISCOVERY_AUTO_LIMIT}`),
    );
    assert.match(quiet.out.join(''), /--discovery checks them/);

    await createPlanCommand(big).run(['--source', 'm', '--discovery'], capture());
    assert.equal(big.checks, 1, '--discovery checks whatever the number of services');
    await createPlanCommand(small).run(['--source', 'm', '--no-discovery'], capture());
    assert.equal(small.checks, 1, '--no-discovery never checks');
  });

  it('with --output json, a skipped check leaves the discovery member out and says why on stderr', async () => {
    const big = planDeps(liveSet(...linked('svc', PLAN_DISCOVERY_AUTO_LIMIT + 1)));
    const io = capture();
    await createPlanCommand(big).run(['--source', 'm', '--output', 'json'], io);
    const json = JSON.parse(io.out.join('')) as Record<string, unknown>;
    assert.equal(json['discovery'], undefined);
    assert.match(io.err.join(''), /^note: Discovery health not checked: 51 Cloud Map services/m);
    assert.equal(big.checks, 0);
  });
});
