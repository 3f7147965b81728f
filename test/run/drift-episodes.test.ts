import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DriftEpisodes } from '../../src/run/drift-episodes.js';
import type { ResourcePlan } from '../../src/kit/types.js';
import type { DesiredResource } from '../../src/manifests/types.js';
import { boundedFields, boundedValue, MAX_SHOWN_VALUE, REDACTED } from '../../src/util/bounded-value.js';
import { DRIFT_HISTORY_LIMIT, StatusStore } from '../../src/controller/status.js';

const KEY = 'CloudMapService/internal/name';

function plan(ttl: number, action: ResourcePlan['action'] = 'noop'): ResourcePlan {
  const desired = {
    kind: 'CloudMapService',
    key: KEY,
    name: 'name',
    manifest: {
      apiVersion: 'ecs-gitops.io/v1alpha1',
      kind: 'CloudMapService',
      metadata: { name: 'name' },
      spec: { namespace: 'internal', dns: { records: [{ type: 'A', ttl }] } },
    },
    policy: { mode: 'enforce', ignore: [], prune: true, allowReplace: false },
    source: { file: 'name.yaml', line: 1 },
  } as unknown as DesiredResource;
  return { kind: 'CloudMapService', key: KEY, name: 'name', action, changes: [], desired };
}

const ttlField = (from: number, to: number) => [{ path: 'spec.dns.records[0].ttl', from, to }];

describe('DriftEpisodes', () => {
  it('a difference with an unchanged source is drift, reported once per episode, ended by the next sync', () => {
    const e = new DriftEpisodes();
    e.inSync(plan(60));
    assert.equal(e.detect(plan(60, 'update'), ttlField(300, 60)), true);
    assert.equal(e.detect(plan(60, 'update'), ttlField(300, 60)), false, 'the same episode, a later resync');
    assert.equal(e.isOpen(KEY), true);
    assert.deepEqual(e.inSync(plan(60)), ttlField(300, 60));
    assert.equal(e.isOpen(KEY), false);
    assert.equal(e.detect(plan(60, 'update'), ttlField(300, 60)), true, 'the same hand change again is a new episode');
  });

  it('another hand change during an episode is a new episode', () => {
    const e = new DriftEpisodes();
    e.inSync(plan(60));
    assert.equal(e.detect(plan(60, 'update'), ttlField(300, 60)), true);
    assert.equal(e.detect(plan(60, 'update'), ttlField(120, 60)), true);
  });

  it('a difference because the source changed is no drift; nor is one before the first sync', () => {
    const e = new DriftEpisodes();
    assert.equal(e.detect(plan(60, 'update'), ttlField(300, 60)), false, 'never in sync in this process');
    e.inSync(plan(60));
    assert.equal(e.detect(plan(90, 'update'), ttlField(60, 90)), false, 'a new desired TTL');
    assert.equal(e.inSync(plan(90)), undefined);
    assert.equal(e.detect(plan(90, 'update'), ttlField(60, 90)), true, 'in sync with 90 before, now 60 by hand');
  });

  it('forgets a resource that is gone', () => {
    const e = new DriftEpisodes();
    e.inSync(plan(60));
    e.forget(KEY);
    assert.equal(e.detect(plan(60, 'update'), ttlField(300, 60)), false);
  });
});

describe('bounded values (drift history, logs, events)', () => {
  it('redacts container environment values and cuts long values', () => {
    assert.equal(boundedValue('spec.taskDefinition.containers[0].environment[1].value', 'hunter2'), REDACTED);
    assert.equal(boundedValue('spec.taskDefinition.containers[0].environment', [{ name: 'A', value: 'b' }]), REDACTED);
    assert.equal(boundedValue('spec.dns.records[0].ttl', 300), 300);
    const long = boundedValue('spec.description', 'x'.repeat(1000)) as string;
    assert.equal(long.length, MAX_SHOWN_VALUE);
    assert.ok(long.endsWith('…'));
    const obj = boundedValue('spec.tags', Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'.repeat(10)])));
    assert.equal(typeof obj, 'string');
    assert.deepEqual(boundedFields([{ path: 'spec.desiredCount', from: 5, to: 2 }]), [{ path: 'spec.desiredCount', from: 5, to: 2 }]);
  });
});

describe('StatusStore drift history', () => {
  it('lists the newest first, bounded, and marks the newest reverted once', () => {
    const s = new StatusStore();
    s.track({ key: KEY, kind: 'CloudMapService', name: 'name', mode: 'enforce' });
    for (let i = 0; i < DRIFT_HISTORY_LIMIT + 3; i++)
      s.recordDrift(KEY, { detectedAt: new Date(i * 1000).toISOString(), mode: 'enforce', fields: ttlField(i, 60) });
    s.recordDriftReverted(KEY, '2030-01-01T00:00:00.000Z');
    s.recordDriftReverted(KEY, '2031-01-01T00:00:00.000Z');
    const h = s.get(KEY)!.driftHistory!;
    assert.equal(h.length, DRIFT_HISTORY_LIMIT);
    assert.equal(h[0]!.fields[0]!.from, DRIFT_HISTORY_LIMIT + 2);
    assert.equal(h[0]!.reverted, true);
    assert.equal(h[0]!.revertedAt, '2030-01-01T00:00:00.000Z');
    assert.equal(h[1]!.reverted, false);
    assert.equal(s.snapshot().resources[0]!.driftHistory!.length, DRIFT_HISTORY_LIMIT);
  });
});
