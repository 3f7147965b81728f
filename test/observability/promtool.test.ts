import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { EXAMPLES_DIR } from '../../src/paths.js';
import { ControllerMetrics } from '../../src/observability/metrics.js';

const DIR = join(EXAMPLES_DIR, 'observability');
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

function promtool(args: string[], input?: string, cwd = DIR) {
  const r = spawnSync(PROMTOOL, args, { cwd, input, encoding: 'utf8' });
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
  m.setObservation(Date.parse('2026-01-01T00:00:00Z'), false);
  return m.render();
}

interface AlertRule {
  alert: string;
  expr: string;
  annotations: Record<string, string>;
}

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource: { uid: string };
  targets: { expr: string }[];
  fieldConfig: { defaults: { mappings?: { type: string; options: Record<string, { text: string }> }[] } };
}

function alertRules(): AlertRule[] {
  const doc = parseYaml(readFileSync(join(DIR, 'alerts.yaml'), 'utf8')) as { groups: { rules: AlertRule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

function dashboardPanels(): Panel[] {
  return (JSON.parse(readFileSync(join(DIR, 'grafana-dashboard.json'), 'utf8')) as { panels: Panel[] }).panels;
}

/** Runs `promtool test rules` on a generated test file (no rule files) holding `tests`. */
function promqlTest(tests: unknown[]): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-gitops-promql-'));
  try {
    writeFileSync(join(dir, 'expr.test.yaml'), stringifyYaml({ evaluation_interval: '1m', tests }));
    return promtool(['test', 'rules', 'expr.test.yaml'], undefined, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Metric names an expression refers to (ecs_gitops_*, process_*, nodejs_*, without histogram suffixes). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b(?:ecs_gitops|process|nodejs)_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''));
}

/** The fleet variables of the dashboard, as Grafana's "All" (`.*`) puts them into a query. */
function allSelected(expr: string): string {
  return expr.replaceAll('$job', '.*').replaceAll('$account', '.*').replaceAll('$region', '.*');
}

describe('observability examples', () => {
  it('promtool check metrics accepts the registry output after recorded data', async () => {
    const r = promtool(['check', 'metrics'], await exposition());
    assert.equal(r.code, 0, r.out);
  });

  it('promtool check rules accepts the alert rules', () => {
    const r = promtool(['check', 'rules', 'alerts.yaml']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /SUCCESS: 14 rules found/);
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

  it('every alert rule keeps job and instance in each aggregation and names them in its annotations', () => {
    const rules = alertRules();
    assert.equal(rules.length, 14);
    for (const rule of rules) {
      const groupings = [...rule.expr.matchAll(/\b(by|without)\s*\(([^)]*)\)/g)];
      for (const [, how, labels] of groupings) {
        assert.equal(how, 'by', `${rule.alert}: aggregate with by (job, instance, ...), not without`);
        const names = labels!.split(',').map((l) => l.trim());
        assert.ok(names.includes('job') && names.includes('instance'), `${rule.alert}: by (${labels}) drops job or instance`);
      }
      // An aggregation with no by () drops every label, job and instance too (rules use the prefix form `sum by (...) (...)`).
      assert.doesNotMatch(
        rule.expr,
        /\b(sum|max|min|avg|count|group|topk|bottomk|quantile|stddev|stdvar)\s*\(/,
        `${rule.alert}: an aggregation without by (job, instance)`,
      );
      const text = `${rule.annotations['summary']} ${rule.annotations['description']}`;
      assert.match(text, /\$labels\.instance/, `${rule.alert} does not name the instance`);
      assert.match(text, /\$labels\.job/, `${rule.alert} does not name the job`);
    }
    assert.ok(rules.some((r) => r.alert === 'EcsGitopsObservationStale' && /ecs_gitops_observation_stale/.test(r.expr)));
  });

  it('the dashboard has an AWS observation panel, and its drift and stalled stats show "stale", not a green 0, while the observation is stale', () => {
    const panels = dashboardPanels();
    const byTitle = (t: string) => {
      const p = panels.find((x) => x.title === t);
      assert.ok(p, `no panel ${t}`);
      return p;
    };
    assert.match(byTitle('AWS observation').targets[0]!.expr, /ecs_gitops_observation_stale/);
    assert.match(byTitle('Since last successful AWS scan').targets[0]!.expr, /ecs_gitops_last_successful_scan_timestamp_seconds/);
    // Every stat built on drift or sync state is gated on freshness and maps -1 to "stale".
    const gated = panels.filter((p) => p.type === 'stat' && p.targets.some((t) => /ecs_gitops_(drifted|resource_info|drift_fields)\b/.test(t.expr)));
    assert.deepEqual(gated.map((p) => p.title).sort(), ['Drifted resources', 'Stalled resources']);
    for (const p of gated) {
      assert.match(p.targets[0]!.expr, /ecs_gitops_observation_stale/, `${p.title} ignores staleness`);
      assert.equal(p.fieldConfig.defaults.mappings?.[0]?.options['-1']?.text, 'stale', `${p.title} does not say stale`);
    }
    // Evaluate both stats: controller ctl-a with two drifted resources and none stalled, fresh for 2 minutes, then stale.
    const series = [
      { series: 'ecs_gitops_observation_stale{job="ecs-gitops",instance="ctl-a:8080"}', values: '0 0 1 1' },
      { series: 'ecs_gitops_drifted{job="ecs-gitops",instance="ctl-a:8080",kind="EcsService",name="demo/a"}', values: '1 1 stale stale' },
      { series: 'ecs_gitops_drifted{job="ecs-gitops",instance="ctl-a:8080",kind="EcsService",name="demo/b"}', values: '1 1 stale stale' },
      {
        series: 'ecs_gitops_resource_info{job="ecs-gitops",instance="ctl-a:8080",kind="EcsService",name="demo/c",sync_status="Synced"}',
        values: '1 1 stale stale',
      },
      { series: 'ecs_gitops_resource_info{job="ecs-gitops",instance="ctl-a:8080",kind="EcsService",name="demo/c",sync_status="Unknown"}', values: '_ _ 1 1' },
    ];
    const at = (expr: string, minute: number, value: number) => ({ expr, eval_time: `${minute}m`, exp_samples: [{ labels: '{}', value }] });
    const drifted = allSelected(byTitle('Drifted resources').targets[0]!.expr);
    const stalled = allSelected(byTitle('Stalled resources').targets[0]!.expr);
    // A resource that stays Stalled while stale is still counted (it needs a human either way).
    const stalledWhileStale = [
      { series: 'ecs_gitops_observation_stale{job="ecs-gitops",instance="ctl-a:8080"}', values: '1 1' },
      { series: 'ecs_gitops_resource_info{job="ecs-gitops",instance="ctl-a:8080",kind="EcsService",name="demo/c",sync_status="Stalled"}', values: '1 1' },
    ];
    const r = promqlTest([
      { interval: '1m', input_series: series, promql_expr_test: [at(drifted, 1, 2), at(stalled, 1, 0), at(drifted, 3, -1), at(stalled, 3, -1)] },
      { interval: '1m', input_series: stalledWhileStale, promql_expr_test: [at(stalled, 1, 1)] },
    ]);
    assert.equal(r.code, 0, r.out);
  });

  it('alert rules and dashboard only use metrics the registry exports', async () => {
    const text = await exposition();
    const exported = new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
    const rules = readFileSync(join(DIR, 'alerts.yaml'), 'utf8');
    const dashboard = JSON.parse(readFileSync(join(DIR, 'grafana-dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const used = [...metricNames(rules), ...dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricNames(t.expr)))];
    assert.ok(used.length > 20);
    for (const name of used) assert.ok(exported.has(name), `${name} is not exported`);
    assert.ok(used.includes('process_resident_memory_bytes') && used.includes('nodejs_eventloop_lag_p99_seconds'), 'process panels use the standard names');
  });

  it('the dashboard is for a fleet: job, account and region variables scope every query, and it has drift, rollout and notification panels', () => {
    const d = JSON.parse(readFileSync(join(DIR, 'grafana-dashboard.json'), 'utf8')) as {
      templating: { list: { name: string; type: string; includeAll?: boolean; allValue?: string; query?: { query: string } }[] };
      panels: Panel[];
    };
    for (const name of ['job', 'account', 'region']) {
      const v = d.templating.list.find((x) => x.name === name);
      assert.ok(v && v.type === 'query' && v.includeAll && v.allValue === '.*', `variable ${name}`);
      assert.match(v.query!.query, new RegExp(`label_values\\(.*, ${name}\\)`));
    }
    const selectors = d.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/\b(?:ecs_gitops|process|nodejs)_[a-z0-9_]+(\{[^}]*\})?/g)]));
    assert.ok(selectors.length > 30);
    for (const m of selectors) assert.match(m[1] ?? '', /job=~"\$job", account=~"\$account", region=~"\$region"/, `${m[0]} is not scoped to the variables`);
    const titles = d.panels.map((p) => p.title);
    for (const t of [
      'Drift detected and reverted',
      'Hand changes in the last 24 hours',
      'ECS service health',
      'Rollouts in progress and rollbacks',
      'Notifications by channel and result',
    ]) {
      assert.ok(titles.includes(t), `no panel ${t}`);
    }
    const exprs = d.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const m of ['ecs_gitops_drift_detected_total', 'ecs_gitops_drift_reverted_total', 'ecs_gitops_rollbacks_total', 'ecs_gitops_notifications_total'])
      assert.ok(exprs.includes(m), m);
    // The hand-change table evaluates: ctl-a's resource changed twice in the day, ctl-b's never.
    const hand = allSelected(d.panels.find((p) => p.title === 'Hand changes in the last 24 hours')!.targets[0]!.expr);
    const r = promqlTest([
      {
        interval: '1h',
        input_series: [
          { series: 'ecs_gitops_drift_detected_total{job="ecs-gitops",instance="ctl-a:8080",kind="EcsService",name="demo/a"}', values: '0 1 2 2' },
          { series: 'ecs_gitops_drift_detected_total{job="ecs-gitops",instance="ctl-b:8080",kind="EcsService",name="demo/a"}', values: '0 0 0 0' },
        ],
        promql_expr_test: [
          {
            expr: `round(${hand})`,
            eval_time: '3h',
            exp_samples: [{ labels: '{job="ecs-gitops",instance="ctl-a:8080",kind="EcsService",name="demo/a"}', value: 2 }],
          },
        ],
      },
    ]);
    assert.equal(r.code, 0, r.out);
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
