import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ControllerMetrics } from '../../src/observability/metrics.js';

function series(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('controller metrics', () => {
  it('uses a private registry with the ecs_gitops_ prefix, and process metrics under their standard process_/nodejs_ names', async () => {
    const m = new ControllerMetrics();
    const text = await m.render();
    assert.match(text, /^process_cpu_user_seconds_total /m);
    assert.match(text, /^nodejs_heap_size_total_bytes /m);
    const names = text
      .split('\n')
      .filter((l) => l.startsWith('# TYPE'))
      .map((l) => l.split(' ')[2]!);
    assert.ok(
      names.every((n) => /^(ecs_gitops_|process_|nodejs_)/.test(n)),
      names.filter((n) => !/^(ecs_gitops_|process_|nodejs_)/.test(n)).join(','),
    );
    assert.equal(names.filter((n) => n.startsWith('ecs_gitops_process_') || n.startsWith('ecs_gitops_nodejs_')).length, 0);
    assert.ok(!names.includes('nodejs_active_handles_total'), 'the _total gauges promtool rejects are removed');
    assert.match(m.contentType, /text\/plain/);
  });

  it('pre-initializes label sets of known enums to 0 before anything happens', async () => {
    const text = await new ControllerMetrics({ processMetrics: false }).render();
    assert.ok(series(text, 'ecs_gitops_reconcile_total').includes('ecs_gitops_reconcile_total{kind="EcsService",result="error"} 0'));
    assert.ok(series(text, 'ecs_gitops_apply_total').includes('ecs_gitops_apply_total{kind="CloudMapService",operation="update",result="success"} 0'));
    assert.ok(series(text, 'ecs_gitops_prune_blocked_total').includes('ecs_gitops_prune_blocked_total{reason="prune-limit"} 0'));
    assert.ok(
      series(text, 'ecs_gitops_aws_api_calls_total').includes(
        'ecs_gitops_aws_api_calls_total{service="ecs",operation="DescribeServices",outcome="throttled"} 0',
      ),
    );
    assert.ok(series(text, 'ecs_gitops_webhook_requests_total').includes('ecs_gitops_webhook_requests_total{result="invalid-signature"} 0'));
    assert.ok(text.includes('ecs_gitops_rate_limiter_wait_seconds_count{family="ecs-write"} 0'));
    assert.ok(text.includes('ecs_gitops_reconcile_duration_seconds_count{kind="EcsService"} 0'));
    assert.ok(text.includes('ecs_gitops_source_fetch_failures_total 0'));
  });

  it('records reconciles, applies, AWS calls and the last successful reconcile time', async () => {
    const m = new ControllerMetrics({ processMetrics: false });
    m.recordReconcile('EcsService', 'success', 0.3, 1_700_000_000_000);
    m.recordReconcile('EcsService', 'error', 1.2, 1_700_000_100_000);
    m.recordApply('EcsService', 'update-redeploys', 'success');
    m.recordAwsCall('ECS', 'DescribeServicesCommand', 'throttled');
    m.recordAwsCall('STS', 'GetCallerIdentity', 'success');
    const text = await m.render();
    assert.ok(text.includes('ecs_gitops_reconcile_total{kind="EcsService",result="success"} 1'));
    assert.ok(text.includes('ecs_gitops_reconcile_duration_seconds_count{kind="EcsService"} 2'));
    assert.ok(text.includes('ecs_gitops_reconcile_duration_seconds_bucket{le="0.5",kind="EcsService"} 1'));
    assert.ok(text.includes('ecs_gitops_apply_total{kind="EcsService",operation="update-redeploys",result="success"} 1'));
    assert.ok(text.includes('ecs_gitops_aws_api_calls_total{service="ecs",operation="DescribeServices",outcome="throttled"} 1'));
    assert.ok(
      text.includes('ecs_gitops_aws_api_calls_total{service="sts",operation="GetCallerIdentity",outcome="throttled"} 0'),
      'a new operation gets all outcomes',
    );
    assert.ok(text.includes('ecs_gitops_last_successful_reconcile_timestamp_seconds 1700000000'), 'an error does not move it');
  });

  it('keeps exactly one resource_info series per resource and removes all series when it goes away', async () => {
    const m = new ControllerMetrics({ processMetrics: false });
    m.setResource('CloudMapService/internal/name', { syncStatus: 'Synced', healthStatus: 'Unknown', mode: 'observe', driftedFieldCount: 0 });
    m.setResource('CloudMapService/internal/name', { syncStatus: 'OutOfSync', healthStatus: 'Unknown', mode: 'observe', driftedFieldCount: 2 });
    m.setDiscoveryFindings([{ key: 'CloudMapService/internal/name', reason: 'stale-instance', count: 1 }]);
    let text = await m.render();
    assert.deepEqual(series(text, 'ecs_gitops_resource_info'), [
      'ecs_gitops_resource_info{kind="CloudMapService",name="internal/name",sync_status="OutOfSync",health_status="Unknown",mode="observe"} 1',
    ]);
    assert.deepEqual(series(text, 'ecs_gitops_drifted'), ['ecs_gitops_drifted{kind="CloudMapService",name="internal/name"} 1']);
    assert.deepEqual(series(text, 'ecs_gitops_drift_fields'), ['ecs_gitops_drift_fields{kind="CloudMapService",name="internal/name"} 2']);
    m.removeResource('CloudMapService/internal/name');
    text = await m.render();
    for (const name of ['ecs_gitops_resource_info', 'ecs_gitops_drifted', 'ecs_gitops_drift_fields', 'ecs_gitops_discovery_findings']) {
      assert.deepEqual(series(text, name), [], name);
    }
  });

  it('keeps same-named resources in two clusters or namespaces apart', async () => {
    const m = new ControllerMetrics({ processMetrics: false });
    const state = { healthStatus: 'Unknown', mode: 'enforce' } as const;
    m.setResource('EcsService/prod/api', { ...state, syncStatus: 'OutOfSync', driftedFieldCount: 1 });
    m.setResource('EcsService/staging/api', { ...state, syncStatus: 'Synced', driftedFieldCount: 0 });
    m.setDiscoveryFindings([
      { key: 'CloudMapService/internal/api', reason: 'StaleInstance', count: 1 },
      { key: 'CloudMapService/local/api', reason: 'StaleInstance', count: 2 },
    ]);
    m.setDiscoveryInstances(
      new Map([
        ['CloudMapService/internal/api', { stale: 1 }],
        ['CloudMapService/local/api', { stale: 2 }],
      ]),
    );
    m.removeResource('EcsService/staging/api');
    m.removeResource('CloudMapService/local/api');
    const text = await m.render();
    assert.deepEqual(series(text, 'ecs_gitops_drifted'), ['ecs_gitops_drifted{kind="EcsService",name="prod/api"} 1']);
    assert.deepEqual(series(text, 'ecs_gitops_discovery_findings'), [
      'ecs_gitops_discovery_findings{kind="CloudMapService",name="internal/api",reason="StaleInstance"} 1',
    ]);
    assert.deepEqual(series(text, 'ecs_gitops_discovery_instances'), [
      'ecs_gitops_discovery_instances{name="internal/api",state="stale"} 1',
      'ecs_gitops_discovery_instances{name="local/api",state="stale"} 2',
    ]);
  });

  it('exposes the source revision only in source_revision_info, one series at a time', async () => {
    const m = new ControllerMetrics({ processMetrics: false });
    m.setSourceRevision('https://git.example.com/repo.git', 'aaa');
    m.setSourceRevision('https://git.example.com/repo.git', 'bbb');
    m.recordSourceFetch(true, 1_700_000_000_000);
    m.recordSourceFetch(false);
    const text = await m.render();
    assert.deepEqual(series(text, 'ecs_gitops_source_revision_info'), [
      'ecs_gitops_source_revision_info{source="https://git.example.com/repo.git",revision="bbb"} 1',
    ]);
    const withRevision = text.split('\n').filter((l) => !l.startsWith('#') && l.includes('bbb'));
    assert.equal(withRevision.length, 1);
    assert.ok(text.includes('ecs_gitops_source_last_fetch_timestamp_seconds 1700000000'));
    assert.ok(text.includes('ecs_gitops_source_fetch_failures_total 1'));
  });

  it('replaces discovery instance counts of every service at once', async () => {
    const m = new ControllerMetrics({ processMetrics: false });
    m.setDiscoveryInstances(
      new Map<string, Record<string, number>>([
        ['CloudMapService/internal/name', { healthy: 2, unhealthy: 1 }],
        ['CloudMapService/internal/gone', { healthy: 1 }],
      ]),
    );
    m.setDiscoveryInstances(new Map([['CloudMapService/internal/name', { healthy: 3 }]]));
    assert.deepEqual(series(await m.render(), 'ecs_gitops_discovery_instances'), ['ecs_gitops_discovery_instances{name="internal/name",state="healthy"} 3']);
  });
});
