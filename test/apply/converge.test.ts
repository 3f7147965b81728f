import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ListNamespacesCommand, ListServicesCommand } from '@aws-sdk/client-servicediscovery';
import { DescribeServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { OWNER_TAGS } from '../../src/kit/types.js';
import { helloName } from './fixtures.js';
import { CONTROLLER_ID, cycle, desiredOf, pendingWrites, planFor, useEnv, writes } from './helpers.js';

describe('apply from an empty account', () => {
  const env = useEnv();

  it('creates everything in dependency order, and the next plan has no changes', async () => {
    const desired = desiredOf(helloName());
    const first = await cycle(env, desired);
    assert.deepEqual(first.result.summary.failed, 0, JSON.stringify(first.result.resources, null, 2));
    assert.equal(first.result.ok, true);
    assert.equal(first.result.summary.applied, 4);

    const creates = first.events.filter((e) => e.operation === 'create').map((e) => e.key);
    assert.deepEqual(creates, ['CloudMapNamespace/internal', 'CloudMapService/internal/name', 'EcsService/demo/hello', 'EcsService/demo/name']);
    assert.equal(first.events.filter((e) => e.operation === 'register').length, 2);

    const { plan } = await planFor(env, desired);
    assert.deepEqual(pendingWrites(plan), []);
    assert.equal(
      plan.hasDrift,
      false,
      JSON.stringify(
        plan.resources.filter((r) => r.action !== 'noop'),
        null,
        2,
      ),
    );
  });

  it('tags what it creates with the controller id and the manifest identity', async () => {
    const svc = await env.clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['name'], include: ['TAGS'] }));
    const tags = Object.fromEntries((svc.services?.[0]?.tags ?? []).map((t) => [t.key, t.value]));
    assert.equal(tags[OWNER_TAGS.controller], CONTROLLER_ID);
    assert.equal(tags[OWNER_TAGS.resource], 'EcsService/demo/name');
    assert.equal(tags['team'], 'names');
    assert.equal(svc.services?.[0]?.serviceRegistries?.length, 1);
  });

  it('writes nothing on a second apply of the same source', async () => {
    const before = env.sandbox.world.calls.calls().length;
    const again = await cycle(env, desiredOf(helloName()));
    assert.equal(again.events.length, 0);
    assert.equal(again.result.summary.unchanged, 4);
    const newWrites = env.sandbox.world.calls
      .calls()
      .slice(before)
      .filter((c) => /^(Create|Update|Delete|Register|Tag|Untag)/.test(c.operation));
    assert.deepEqual(newWrites, []);
  });

  it('registers a task definition revision only once per content', async () => {
    assert.equal(writes(env, 'ecs', 'RegisterTaskDefinition'), 2);
    const list = await env.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'name' }));
    assert.equal(list.taskDefinitionArns?.length, 1);
    const ns = await env.clients.serviceDiscovery.send(new ListNamespacesCommand({}));
    assert.equal(ns.Namespaces?.length, 1);
    const services = await env.clients.serviceDiscovery.send(new ListServicesCommand({}));
    assert.equal(services.Services?.length, 1);
  });
});
