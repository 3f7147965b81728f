import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusStore } from '../../src/controller/status.js';
import { publishDiscoveryReport } from '../../src/discovery/publish.js';
import type { DiscoveryReport, ServiceHealth } from '../../src/discovery/types.js';
import { ControllerMetrics } from '../../src/observability/metrics.js';

const SERVICE: ServiceHealth = {
  key: 'CloudMapService/internal/name',
  name: 'name',
  namespace: 'internal',
  ecsServices: ['EcsService/demo/name'],
  runningTasks: 2,
  instances: { healthy: 2, unhealthy: 0, unknown: 0, stale: 0 },
  findings: 0,
  refreshed: true,
};

function report(part: Partial<DiscoveryReport>): DiscoveryReport {
  return { checkedAt: '2026-01-01T00:00:00.000Z', durationMs: 5, services: [], zones: [], findings: [], remediations: [], calls: {}, unreadable: [], ...part };
}

function healthy(status: StatusStore, key: string): [string | undefined, string | undefined] {
  const c = status.get(key)?.conditions.find((x) => x.type === 'Healthy');
  return [c?.status, c?.reason];
}

describe('publishing a discovery report', () => {
  it('says a service could not be read when its reads fail after a good check, and NotChecked once it is no longer linked', () => {
    const status = new StatusStore();
    publishDiscoveryReport(report({ services: [SERVICE] }), { status });
    assert.deepEqual(healthy(status, SERVICE.key), ['True', 'DiscoveryHealthy']);
    assert.deepEqual(healthy(status, 'EcsService/demo/name'), ['True', 'DiscoveryHealthy']);

    publishDiscoveryReport(report({ unreadable: [{ scope: SERVICE.key, reason: 'ThrottlingException: Rate exceeded' }] }), { status });
    assert.deepEqual(healthy(status, SERVICE.key), ['Unknown', 'DiscoveryUnreadable']);
    assert.match(status.get(SERVICE.key)!.conditions.find((c) => c.type === 'Healthy')!.message, /Rate exceeded/);

    publishDiscoveryReport(report({}), { status });
    assert.deepEqual(healthy(status, SERVICE.key), ['Unknown', 'NotChecked']);
    assert.deepEqual(healthy(status, 'EcsService/demo/name'), ['Unknown', 'NotChecked']);
  });

  it('keeps instance series only for the services of the last report', async () => {
    const metrics = new ControllerMetrics({ processMetrics: false });
    const other: ServiceHealth = { ...SERVICE, key: 'CloudMapService/local/name', namespace: 'local' };
    publishDiscoveryReport(report({ services: [SERVICE, other] }), { metrics });
    publishDiscoveryReport(report({ services: [other] }), { metrics });
    const series = (await metrics.render()).split('\n').filter((l) => l.startsWith('ecs_gitops_discovery_instances{'));
    assert.deepEqual(series, [
      'ecs_gitops_discovery_instances{name="local/name",state="healthy"} 2',
      'ecs_gitops_discovery_instances{name="local/name",state="unhealthy"} 0',
      'ecs_gitops_discovery_instances{name="local/name",state="unknown"} 0',
      'ecs_gitops_discovery_instances{name="local/name",state="stale"} 0',
    ]);
  });
});
