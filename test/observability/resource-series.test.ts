import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';
import { ControllerMetrics, MergedMetrics } from '../../src/observability/metrics.js';
import { ResourceSeries } from '../../src/observability/resource-series.js';

const PER_RESOURCE = [
  'ecs_gitops_resource_info',
  'ecs_gitops_drifted',
  'ecs_gitops_drift_fields',
  'ecs_gitops_drift_detected_total',
  'ecs_gitops_drift_reverted_total',
  'ecs_gitops_last_drift_timestamp_seconds',
  'ecs_gitops_rollbacks_total',
  'ecs_gitops_rollout_in_progress',
  'ecs_gitops_discovery_instances',
];

function series(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

/** Every line of a family: HELP, TYPE and its series. */
function family(text: string, name: string): string[] {
  return text.split('\n').filter((l) => [`# HELP ${name} `, `# TYPE ${name} `, `${name}{`, `${name} `].some((p) => l.startsWith(p)));
}

const SYNCED = { syncStatus: 'Synced', healthStatus: 'Healthy', mode: 'enforce', driftedFieldCount: 0 } as const;

describe('per-resource series (compact store rendered at scrape time)', () => {
  it('a resource gets resource_info, drifted, drift_fields and drift counters from 0; its labels change in place; removal drops them all', async () => {
    const m = new ControllerMetrics({ processMetrics: false });
    m.setResource('EcsService/demo/api', SYNCED);
    let text = await m.render();
    assert.deepEqual(series(text, 'ecs_gitops_resource_info'), [
      'ecs_gitops_resource_info{kind="EcsService",name="demo/api",sync_status="Synced",health_status="Healthy",mode="enforce"} 1',
    ]);
    assert.deepEqual(series(text, 'ecs_gitops_drifted'), ['ecs_gitops_drifted{kind="EcsService",name="demo/api"} 0']);
    assert.deepEqual(series(text, 'ecs_gitops_drift_fields'), ['ecs_gitops_drift_fields{kind="EcsService",name="demo/api"} 0']);
    assert.deepEqual(series(text, 'ecs_gitops_drift_detected_total'), ['ecs_gitops_drift_detected_total{kind="EcsService",name="demo/api"} 0']);
    assert.deepEqual(series(text, 'ecs_gitops_drift_reverted_total'), ['ecs_gitops_drift_reverted_total{kind="EcsService",name="demo/api"} 0']);
    assert.deepEqual(series(text, 'ecs_gitops_last_drift_timestamp_seconds'), [], 'no drift seen yet');
    assert.deepEqual(series(text, 'ecs_gitops_rollbacks_total'), [], 'only initRollbacks starts it');

    m.recordDriftDetected('EcsService/demo/api', 1_700_000_000_500);
    m.setResource('EcsService/demo/api', { syncStatus: 'OutOfSync', healthStatus: 'Degraded', mode: 'observe', driftedFieldCount: 3 });
    m.recordDriftDetected('EcsService/demo/api', 1_700_000_060_000);
    m.recordDriftReverted('EcsService/demo/api');
    text = await m.render();
    assert.deepEqual(series(text, 'ecs_gitops_resource_info'), [
      'ecs_gitops_resource_info{kind="EcsService",name="demo/api",sync_status="OutOfSync",health_status="Degraded",mode="observe"} 1',
    ]);
    assert.deepEqual(series(text, 'ecs_gitops_drifted'), ['ecs_gitops_drifted{kind="EcsService",name="demo/api"} 1']);
    assert.deepEqual(series(text, 'ecs_gitops_drift_fields'), ['ecs_gitops_drift_fields{kind="EcsService",name="demo/api"} 3']);
    assert.deepEqual(series(text, 'ecs_gitops_drift_detected_total'), ['ecs_gitops_drift_detected_total{kind="EcsService",name="demo/api"} 2']);
    assert.deepEqual(series(text, 'ecs_gitops_drift_reverted_total'), ['ecs_gitops_drift_reverted_total{kind="EcsService",name="demo/api"} 1']);
    assert.deepEqual(series(text, 'ecs_gitops_last_drift_timestamp_seconds'), [
      'ecs_gitops_last_drift_timestamp_seconds{kind="EcsService",name="demo/api"} 1700000060',
    ]);

    m.removeResource('EcsService/demo/api');
    text = await m.render();
    for (const name of PER_RESOURCE) assert.deepEqual(series(text, name), [], name);
    // Set again: a new resource, its counters from 0 again.
    m.setResource('EcsService/demo/api', SYNCED);
    assert.deepEqual(series(await m.render(), 'ecs_gitops_drift_detected_total'), ['ecs_gitops_drift_detected_total{kind="EcsService",name="demo/api"} 0']);
  });

  it('drift unknown removes drifted and drift_fields only; known again brings them back', async () => {
    const m = new ControllerMetrics({ processMetrics: false });
    m.setResource('CloudMapService/internal/api', { ...SYNCED, driftedFieldCount: 1 });
    m.setResource('CloudMapService/internal/api', { ...SYNCED, syncStatus: 'Unknown', driftedFieldCount: 1, driftKnown: false });
    let text = await m.render();
    assert.deepEqual(series(text, 'ecs_gitops_drifted'), []);
    assert.deepEqual(series(text, 'ecs_gitops_drift_fields'), []);
    assert.equal(series(text, 'ecs_gitops_resource_info').length, 1);
    assert.equal(series(text, 'ecs_gitops_drift_detected_total').length, 1);
    m.setResource('CloudMapService/internal/api', { ...SYNCED, driftedFieldCount: 1 });
    text = await m.render();
    assert.deepEqual(series(text, 'ecs_gitops_drifted'), ['ecs_gitops_drifted{kind="CloudMapService",name="internal/api"} 1']);
  });

  it('a drift recorded before the resource is set keeps its count; setting it starts only the missing counter at 0', async () => {
    const m = new ControllerMetrics({ processMetrics: false });
    m.recordDriftDetected('EcsService/demo/api', 1_700_000_000_000);
    let text = await m.render();
    assert.deepEqual(series(text, 'ecs_gitops_drift_detected_total'), ['ecs_gitops_drift_detected_total{kind="EcsService",name="demo/api"} 1']);
    assert.deepEqual(series(text, 'ecs_gitops_drift_reverted_total'), []);
    assert.deepEqual(series(text, 'ecs_gitops_resource_info'), []);
    m.setResource('EcsService/demo/api', SYNCED);
    text = await m.render();
    assert.deepEqual(series(text, 'ecs_gitops_drift_detected_total'), ['ecs_gitops_drift_detected_total{kind="EcsService",name="demo/api"} 1']);
    assert.deepEqual(series(text, 'ecs_gitops_drift_reverted_total'), ['ecs_gitops_drift_reverted_total{kind="EcsService",name="demo/api"} 0']);
  });

  it('rollbacks start at 0 with initRollbacks and count; rollout_in_progress follows the stage and goes with undefined', async () => {
    const m = new ControllerMetrics({ processMetrics: false });
    m.initRollbacks('EcsService/demo/api');
    m.initRollbacks('EcsService/demo/api');
    assert.deepEqual(series(await m.render(), 'ecs_gitops_rollbacks_total'), ['ecs_gitops_rollbacks_total{kind="EcsService",name="demo/api"} 0']);
    m.recordRollback('EcsService/demo/api');
    m.initRollbacks('EcsService/demo/api');
    m.setRollout('EcsService/demo/api', 'BAKE_TIME');
    m.setRollout('EcsService/demo/web', 'PRE_SCALE_UP');
    m.setRollout('EcsService/demo/web', 'SCALE_UP');
    let text = await m.render();
    assert.deepEqual(series(text, 'ecs_gitops_rollbacks_total'), ['ecs_gitops_rollbacks_total{kind="EcsService",name="demo/api"} 1']);
    assert.deepEqual(series(text, 'ecs_gitops_rollout_in_progress'), [
      'ecs_gitops_rollout_in_progress{kind="EcsService",name="demo/api",stage="BAKE_TIME"} 1',
      'ecs_gitops_rollout_in_progress{kind="EcsService",name="demo/web",stage="SCALE_UP"} 1',
    ]);
    m.setRollout('EcsService/demo/api', undefined);
    m.setRollout('EcsService/demo/unknown', undefined);
    text = await m.render();
    assert.deepEqual(series(text, 'ecs_gitops_rollout_in_progress'), ['ecs_gitops_rollout_in_progress{kind="EcsService",name="demo/web",stage="SCALE_UP"} 1']);
    assert.equal(series(text, 'ecs_gitops_rollbacks_total').length, 1, 'the rollback count stays');
    assert.ok(!text.includes('demo/unknown'));
  });

  it('renders the same lines (HELP, TYPE, labels in the same order, values) as prom-client Gauges and Counters of the same data', async () => {
    const m = new ControllerMetrics({ processMetrics: false });
    const ref = new Registry();
    const r = [ref];
    const id = (key: string): { kind: string; name: string } => ({ kind: key.split('/')[0]!, name: key.slice(key.indexOf('/') + 1) });
    const mine = await m.render();
    const help = (name: string): string =>
      mine
        .split('\n')
        .find((l) => l.startsWith(`# HELP ${name} `))!
        .slice(`# HELP ${name} `.length);
    const gauge = (name: string, labelNames: string[]): Gauge => new Gauge({ name, help: help(name), labelNames, registers: r });
    const counter = (name: string): Counter => new Counter({ name, help: help(name), labelNames: ['kind', 'name'], registers: r });
    const info = gauge('ecs_gitops_resource_info', ['kind', 'name', 'sync_status', 'health_status', 'mode']);
    const drifted = gauge('ecs_gitops_drifted', ['kind', 'name']);
    const fields = gauge('ecs_gitops_drift_fields', ['kind', 'name']);
    const detected = counter('ecs_gitops_drift_detected_total');
    const reverted = counter('ecs_gitops_drift_reverted_total');
    const last = gauge('ecs_gitops_last_drift_timestamp_seconds', ['kind', 'name']);
    const rollbacks = counter('ecs_gitops_rollbacks_total');
    const rollout = gauge('ecs_gitops_rollout_in_progress', ['kind', 'name', 'stage']);
    const instances = gauge('ecs_gitops_discovery_instances', ['name', 'state']);

    const keys = ['CloudMapNamespace/internal', 'CloudMapService/internal/api', 'EcsService/demo/api', 'EcsService/demo/web'];
    keys.forEach((key, i) => {
      const state = { syncStatus: i % 2 ? 'OutOfSync' : 'Synced', healthStatus: 'Unknown', mode: 'enforce', driftedFieldCount: i % 2 } as const;
      m.setResource(key, state);
      const labels = { ...id(key), sync_status: state.syncStatus, health_status: state.healthStatus, mode: state.mode };
      info.set(labels, 1);
      detected.inc(id(key), 0);
      reverted.inc(id(key), 0);
      drifted.set(id(key), state.driftedFieldCount > 0 ? 1 : 0);
      fields.set(id(key), state.driftedFieldCount);
    });
    m.recordDriftDetected('EcsService/demo/web', 1_700_000_000_250);
    detected.inc(id('EcsService/demo/web'));
    last.set(id('EcsService/demo/web'), 1_700_000_000.25);
    m.recordDriftReverted('EcsService/demo/web');
    reverted.inc(id('EcsService/demo/web'));
    m.initRollbacks('EcsService/demo/api');
    rollbacks.inc(id('EcsService/demo/api'), 0);
    m.setRollout('EcsService/demo/web', 'BAKE_TIME');
    rollout.set({ ...id('EcsService/demo/web'), stage: 'BAKE_TIME' }, 1);
    m.setDiscoveryInstances(new Map([['CloudMapService/internal/api', { healthy: 2, unhealthy: 0, unknown: 1, stale: 0 }]]));
    for (const [state, n] of Object.entries({ healthy: 2, unhealthy: 0, unknown: 1, stale: 0 })) instances.set({ name: 'internal/api', state }, n);

    const [got, want] = [await m.render(), await ref.metrics()];
    for (const name of PER_RESOURCE) {
      assert.ok(series(want, name).length > 0, `the scenario has ${name} series`);
      assert.deepEqual(family(got, name), family(want, name), name);
    }
  });

  it('applies the registry default labels (account, region) after the series labels, in text and JSON', async () => {
    const m = new ControllerMetrics({ processMetrics: false, constLabels: { account: '111111111111', region: 'eu-west-1' } });
    m.setResource('EcsService/demo/api', SYNCED);
    m.setDiscoveryInstances(new Map([['CloudMapService/internal/api', { healthy: 1 }]]));
    const text = await m.render();
    assert.deepEqual(series(text, 'ecs_gitops_resource_info'), [
      'ecs_gitops_resource_info{kind="EcsService",name="demo/api",sync_status="Synced",health_status="Healthy",mode="enforce",account="111111111111",region="eu-west-1"} 1',
    ]);
    assert.deepEqual(series(text, 'ecs_gitops_discovery_instances'), [
      'ecs_gitops_discovery_instances{name="internal/api",state="healthy",account="111111111111",region="eu-west-1"} 1',
    ]);
    const json = await m.registry.getMetricsAsJSON();
    const detected = json.find((f) => f.name === 'ecs_gitops_drift_detected_total');
    assert.equal(String(detected?.type), 'counter');
    assert.equal(detected?.aggregator, 'sum');
    assert.deepEqual(detected?.values, [{ labels: { kind: 'EcsService', name: 'demo/api', account: '111111111111', region: 'eu-west-1' }, value: 0 }]);
    assert.equal(String(json.find((f) => f.name === 'ecs_gitops_resource_info')?.type), 'gauge');
  });

  it('merges two controllers (AggregatorRegistry, run --targets): one family, each series with its own account and region', async () => {
    const a = new ControllerMetrics({ processMetrics: false, constLabels: { account: '111111111111', region: 'us-east-1' } });
    const b = new ControllerMetrics({ processMetrics: false, constLabels: { account: '222222222222', region: 'eu-west-1' } });
    a.setResource('EcsService/demo/api', SYNCED);
    b.setResource('EcsService/demo/api', { ...SYNCED, driftedFieldCount: 2 });
    a.recordDriftDetected('EcsService/demo/api', 1_700_000_000_000);
    b.recordDriftDetected('EcsService/demo/api', 1_700_000_000_000);
    b.recordDriftDetected('EcsService/demo/api', 1_700_000_001_000);

    const aggregated = await AggregatorRegistry.aggregate([await a.registry.getMetricsAsJSON(), await b.registry.getMetricsAsJSON()]).metrics();
    assert.deepEqual(series(aggregated, 'ecs_gitops_drift_detected_total'), [
      'ecs_gitops_drift_detected_total{kind="EcsService",name="demo/api",account="111111111111",region="us-east-1"} 1',
      'ecs_gitops_drift_detected_total{kind="EcsService",name="demo/api",account="222222222222",region="eu-west-1"} 2',
    ]);

    const text = await new MergedMetrics({ processMetrics: false }).render([a, b]);
    assert.equal(text.match(/^# HELP ecs_gitops_resource_info /gm)?.length, 1);
    assert.equal(text.match(/^# TYPE ecs_gitops_drift_detected_total counter$/gm)?.length, 1);
    assert.deepEqual(series(text, 'ecs_gitops_drift_fields'), [
      'ecs_gitops_drift_fields{kind="EcsService",name="demo/api",account="111111111111",region="us-east-1"} 0',
      'ecs_gitops_drift_fields{kind="EcsService",name="demo/api",account="222222222222",region="eu-west-1"} 2',
    ]);
    // The per-resource state is read at each scrape: a change shows in the next merge.
    a.removeResource('EcsService/demo/api');
    const after = await new MergedMetrics({ processMetrics: false }).render([a, b]);
    assert.deepEqual(series(after, 'ecs_gitops_resource_info'), [
      'ecs_gitops_resource_info{kind="EcsService",name="demo/api",sync_status="Synced",health_status="Healthy",mode="enforce",account="222222222222",region="eu-west-1"} 1',
    ]);
  });

  it('keeps no row for a resource without series, and discovery instances until they are replaced', () => {
    const s = new ResourceSeries();
    s.setInfo('EcsService/demo/api', { syncStatus: 'Synced', healthStatus: 'Healthy', mode: 'enforce' });
    s.setRollout('EcsService/demo/api', 'BAKE_TIME');
    s.setRollout('EcsService/demo/gone', undefined);
    assert.equal(s.size, 1);
    s.setInstances(new Map([['CloudMapService/internal/api', { healthy: 1 }]]));
    assert.equal(s.size, 2);
    s.remove('EcsService/demo/api');
    s.remove('CloudMapService/internal/api');
    assert.equal(s.size, 1, 'instance counts stay until the next report');
    s.setInstances(new Map());
    assert.equal(s.size, 0);
  });
});
