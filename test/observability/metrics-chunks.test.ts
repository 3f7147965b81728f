import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ControllerMetrics } from '../../src/observability/metrics.js';

async function joined(pieces: AsyncIterable<string>): Promise<{ text: string; pieces: number; largest: number }> {
  let text = '';
  let count = 0;
  let largest = 0;
  for await (const p of pieces) {
    text += p;
    count++;
    largest = Math.max(largest, p.length);
  }
  return { text, pieces: count, largest };
}

/** A controller's metrics with `n` ECS + Cloud Map pairs in every per-resource family. */
function populated(n: number, constLabels?: Record<string, string>): ControllerMetrics {
  const m = new ControllerMetrics({ processMetrics: false, ...(constLabels ? { constLabels } : {}) });
  const instances = new Map<string, Record<string, number>>();
  for (let i = 0; i < n; i++) {
    const ecs = `EcsService/prod/svc-${i}`;
    const cm = `CloudMapService/internal/svc-${i}`;
    for (const key of [ecs, cm]) {
      m.setResource(key, {
        syncStatus: i % 7 === 0 ? 'OutOfSync' : 'Synced',
        healthStatus: 'Healthy',
        mode: 'enforce',
        driftedFieldCount: i % 7 === 0 ? 2 : 0,
      });
      if (i % 3 === 0) m.recordDriftDetected(key, 1_700_000_000_000 + i);
    }
    m.initRollbacks(ecs);
    if (i % 11 === 0) m.setRollout(ecs, 'BAKE_TIME');
    instances.set(cm, { HEALTHY: i % 4, UNHEALTHY: 1 });
  }
  m.setDiscoveryInstances(instances);
  return m;
}

describe('metrics exposition in pieces', () => {
  it('is the registry text byte for byte, with default labels, in pieces of bounded size', async () => {
    const m = populated(2_600, { account: '123456789012', region: 'eu-west-1' });
    const whole = await m.render();
    const { text, pieces, largest } = await joined(m.chunks());
    assert.equal(text, whole);
    // 5,200 resources: each per-resource family comes in several pieces, none near the whole.
    assert.ok(pieces > 40, `${pieces} pieces`);
    assert.ok(largest < whole.length / 10, `largest piece ${largest} of ${whole.length}`);
    assert.match(
      text,
      /^ecs_gitops_resource_info\{kind="EcsService",name="prod\/svc-2599",sync_status="Synced",health_status="Healthy",mode="enforce",account="123456789012",region="eu-west-1"\} 1$/m,
    );
    // Each family has one HELP and one TYPE line, however many pieces it came in.
    assert.equal(text.match(/^# HELP ecs_gitops_resource_info /gm)?.length, 1);
    assert.equal(text.match(/^# TYPE ecs_gitops_discovery_instances /gm)?.length, 1);
  });

  it('is the registry text when there are no resources, and when a family is exactly one piece', async () => {
    for (const m of [new ControllerMetrics({ processMetrics: false }), populated(500), populated(1_000)]) {
      assert.equal((await joined(m.chunks())).text, await m.render());
    }
  });

  it('reads rows that change between pieces without losing the family', async () => {
    const m = populated(1_500);
    const out: string[] = [];
    for await (const p of m.chunks()) {
      out.push(p);
      // A resource removed mid-scrape: the text stays well-formed exposition.
      m.removeResource('EcsService/prod/svc-1499');
    }
    const text = out.join('');
    assert.ok(text.endsWith('\n'));
    for (const line of text.split('\n')) assert.match(line, /^(|# (HELP|TYPE) \S+ .*|[a-z_]+(\{[^}]*\})? \S+)$/);
  });
});
