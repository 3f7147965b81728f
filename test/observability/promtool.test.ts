import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES_DIR } from '../../src/paths.js';
import { ControllerMetrics } from '../../src/observability/metrics.js';

const DIR = join(EXAMPLES_DIR, 'observability');
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

function promtool(args: string[], input?: string) {
  const r = spawnSync(PROMTOOL, args, { cwd: DIR, input, encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run ${PROMTOOL} (Debian package prometheus): ${r.error.message}`);
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

async function exposition(): Promise<string> {
  const m = new ControllerMetrics();
  m.recordReconcile('EcsService', 'success', 0.4);
  m.recordReconcile('CloudMapService', 'error', 2.5);
  m.recordApply('CloudMapService', 'update', 'success');
  m.recordPruneBlocked('prune-limit');
  m.recordAwsCall('ECS', 'DescribeServices', 'throttled');
  m.setSourceRevision('https://git.example.com/org/deploy.git', '0123456789abcdef');
  m.recordSourceFetch(true);
  m.recordWebhook('accepted');
  m.setResource('CloudMapService/internal/name', { syncStatus: 'OutOfSync', healthStatus: 'Healthy', mode: 'observe', driftedFieldCount: 1 });
  m.setDiscoveryFindings([{ key: 'CloudMapService/internal/name', reason: 'stale-instance', count: 1 }]);
  m.setDiscoveryInstances(new Map([['CloudMapService/internal/name', { healthy: 2 }]]));
  m.recordRateLimiterWait('ecs-write', 0.4);
  m.setReady(true);
  return m.render();
}

/** Metric names an expression refers to (ecs_gitops_*, without histogram suffixes). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\becs_gitops_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''));
}

describe('observability examples', () => {
  it('promtool check metrics accepts the registry output after recorded data', async () => {
    const r = promtool(['check', 'metrics'], await exposition());
    assert.equal(r.code, 0, r.out);
  });

  it('promtool check rules accepts the alert rules', () => {
    const r = promtool(['check', 'rules', 'alerts.yaml']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /SUCCESS: 9 rules found/);
  });

  it('promtool test rules shows every alert firing on its scenario', () => {
    const r = promtool(['test', 'rules', 'alerts.test.yaml']);
    assert.equal(r.code, 0, r.out);
    const rules = readFileSync(join(DIR, 'alerts.yaml'), 'utf8');
    const tests = readFileSync(join(DIR, 'alerts.test.yaml'), 'utf8');
    for (const [, name] of rules.matchAll(/- alert: (\w+)/g)) {
      assert.match(tests, new RegExp(`alertname: ${name}\\n\\s+exp_alerts:\\n\\s+- exp_labels`), `${name} has no firing test`);
    }
  });

  it('alert rules and dashboard only use metrics the registry exports', async () => {
    const text = await exposition();
    const exported = new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
    const rules = readFileSync(join(DIR, 'alerts.yaml'), 'utf8');
    const dashboard = JSON.parse(readFileSync(join(DIR, 'grafana-dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const used = [...metricNames(rules), ...dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricNames(t.expr)))];
    assert.ok(used.length > 20);
    for (const name of used) assert.ok(exported.has(name), `${name} is not exported`);
  });

  it('the dashboard is Grafana JSON with a datasource variable and unique panel ids', () => {
    const d = JSON.parse(readFileSync(join(DIR, 'grafana-dashboard.json'), 'utf8')) as {
      uid: string;
      templating: { list: { name: string; type: string }[] };
      panels: { id: number; datasource: { uid: string } }[];
    };
    assert.equal(d.uid, 'ecs-gitops');
    assert.ok(d.templating.list.some((v) => v.name === 'datasource' && v.type === 'datasource'));
    assert.equal(new Set(d.panels.map((p) => p.id)).size, d.panels.length);
    assert.ok(d.panels.every((p) => p.datasource.uid === '${datasource}'));
  });
});
