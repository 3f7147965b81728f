import { EXAMPLE_CLOUD_MAP_SERVICES } from '../helpers/examples.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiFamilyOf, type ApiFamily } from '../../src/controller/rate-limiter.js';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { countResources, get, metricValue, startExampleSandbox, startTestController, waitConverged, waitFor } from './helpers.js';

/** Configured buckets: `rate` per second, `burst` tokens. */
const LIMITS: Partial<Record<ApiFamily, { rate: number; burst: number }>> = {
  'ecs-read': { rate: 10, burst: 5 },
  'ecs-write': { rate: 10, burst: 5 },
  'ecs-taskdef-read': { rate: 10, burst: 5 },
  'ecs-taskdef-register': { rate: 10, burst: 5 },
  'ecs-tags-read': { rate: 10, burst: 5 },
  'ecs-tags-write': { rate: 10, burst: 5 },
  servicediscovery: { rate: 10, burst: 5 },
  'servicediscovery-discover': { rate: 10, burst: 5 },
  route53: { rate: 10, burst: 5 },
};

/** Calls the injected storm throttles. */
const STORM_CALLS = 20;

/** Most calls seen in any 1-second window. */
function maxPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[j]! <= sorted[i]! - 1_000) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('a throttling storm: the call rate stays under the configured limits, and everything converges after (sandbox)', () => {
  let sandbox: SandboxHandle;

  before(async () => {
    sandbox = await startExampleSandbox();
  });
  after(async () => {
    await sandbox.stop();
  });

  it('keeps every API family under its bucket while a storm of throttled calls passes, then converges with no duplicates', async () => {
    const since = Date.now();
    const flags = Object.entries(LIMITS).flatMap(([family, l]) => ['--rate-limit', `${family}=${l.rate}:${l.burst}`]);
    const { running } = await startTestController(sandbox, [...flags, '--resync', '1s']);
    try {
      // The storm starts once the first observe is done, so it hits the creates.
      await waitFor(() => running.latest(), 10_000, 'the first scan');
      // A storm of a fixed size (the next 20 calls, whatever they are) rather than a time
      // window, so the figure does not depend on how busy the machine is.
      sandbox.fault({ kind: 'throttle', count: STORM_CALLS });
      await waitConverged(running, 40_000);

      const calls = sandbox.world.calls.calls(since);
      const throttled = calls.filter((c) => c.outcome === 'ThrottlingException').length;
      assert.equal(throttled, STORM_CALLS, `the storm throttled ${throttled} calls`);
      const byFamily = new Map<ApiFamily, number[]>();
      for (const c of calls) {
        const family = apiFamilyOf(c.service, c.operation);
        byFamily.set(family, [...(byFamily.get(family) ?? []), c.time]);
      }
      const report: string[] = [];
      for (const [family, times] of byFamily) {
        const limit = LIMITS[family];
        assert.ok(limit, `calls of an unexpected family ${family}`);
        const max = maxPerSecond(times);
        report.push(`${family}: ${times.length} calls, at most ${max}/s (limit ${limit.rate}/s + burst ${limit.burst})`);
        // A token bucket lets through at most burst + rate * 1 s in any second; +1 for clock skew
        // between the controller's bucket and the sandbox's log.
        assert.ok(max <= limit.burst + limit.rate + 1, report.join('\n'));
      }

      const counts = await countResources(sandbox);
      assert.ok(
        Object.values(counts.namespaces).every((n) => n === 1),
        JSON.stringify(counts.namespaces),
      );
      // The declared ones and those ECS Service Connect creates (service-connect, blue-green).
      assert.equal(counts.cloudMapServices, EXAMPLE_CLOUD_MAP_SERVICES);
      assert.ok(
        Object.values(counts.ecsServices).every((n) => n === 1),
        JSON.stringify(counts.ecsServices),
      );
      const metrics = (await get(running, '/metrics')).body;
      const seen = calls
        .filter((c) => c.outcome === 'ThrottlingException')
        .map((c) => metricValue(metrics, 'ecs_gitops_aws_api_calls_total', { service: c.service, operation: c.operation, outcome: 'throttled' }) ?? 0)
        .reduce((a, b) => a + b, 0);
      assert.ok(seen > 0, 'throttles are counted in aws_api_calls_total');
    } finally {
      await running.stop(2_000);
    }
  });
});
