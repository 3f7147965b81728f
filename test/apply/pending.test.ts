import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ListNamespacesCommand } from '@aws-sdk/client-servicediscovery';
import { cloudMapService, namespace } from './fixtures.js';
import { FAST_WAITS, cycle, desiredOf, pendingWrites, planFor, useEnv } from './helpers.js';

describe('asynchronous Cloud Map operations that outlast the wait bound', () => {
  // Operations take 300 ms here, so a wait bound of 0 always sees them unfinished.
  const env = useEnv(['demo'], { operationDelayMs: 300 });

  it('reports the namespace create as pending with its operation id, skips dependents, and the next run adopts its own earlier attempt', async () => {
    const manifests = [namespace(), cloudMapService('name')];
    const noWait = { ...FAST_WAITS, operation: { ...FAST_WAITS.operation, timeoutMs: 0 } };
    const first = await cycle(env, desiredOf(manifests), {}, noWait);
    const ns = first.result.resources.find((r) => r.key === 'CloudMapNamespace/internal');
    assert.equal(ns?.status, 'pending');
    assert.match(ns?.pendingOperationId ?? '', /\S+/);
    assert.ok(first.events.some((e) => e.result === 'pending' && e.operationId === ns?.pendingOperationId));
    assert.equal(first.result.resources.find((r) => r.key === 'CloudMapService/internal/name')?.status, 'skipped');
    assert.equal(first.result.ok, false);

    const second = await cycle(env, desiredOf(manifests));
    assert.equal(second.result.ok, true, JSON.stringify(second.result.resources));
    const listed = await env.clients.serviceDiscovery.send(new ListNamespacesCommand({}));
    assert.equal(listed.Namespaces?.length, 1);
    assert.deepEqual(pendingWrites((await planFor(env, desiredOf(manifests))).plan), []);
  });
});
