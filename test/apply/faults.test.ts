import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ListServicesCommand as ListEcsServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { ListNamespacesCommand, ListServicesCommand } from '@aws-sdk/client-servicediscovery';
import { helloName } from './fixtures.js';
import { cycle, desiredOf, pendingWrites, planFor, startEnv, type Env } from './helpers.js';

/** What exists in the sandbox, to prove nothing was created twice. */
async function inventory(env: Env): Promise<Record<string, number>> {
  const sd = env.clients.serviceDiscovery;
  const ecs = env.clients.ecs;
  const [ns, cm, svc, tdName, tdHello] = await Promise.all([
    sd.send(new ListNamespacesCommand({})),
    sd.send(new ListServicesCommand({})),
    ecs.send(new ListEcsServicesCommand({ cluster: 'demo', maxResults: 100 })),
    ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'name' })),
    ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'hello' })),
  ]);
  return {
    namespaces: ns.Namespaces?.length ?? 0,
    cloudMapServices: cm.Services?.length ?? 0,
    ecsServices: svc.serviceArns?.length ?? 0,
    revisionsName: tdName.taskDefinitionArns?.length ?? 0,
    revisionsHello: tdHello.taskDefinitionArns?.length ?? 0,
  };
}

const EXPECTED = { namespaces: 1, cloudMapServices: 1, ecsServices: 2, revisionsName: 1, revisionsHello: 1 };

describe('apply under faults', () => {
  let env: Env;
  beforeEach(async () => {
    env = await startEnv();
  });
  afterEach(async () => {
    await env.stop();
  });

  it('converges under throttling and one-shot 5xx errors, with no duplicate resources', async () => {
    env.sandbox.fault({ service: 'servicediscovery', operation: 'CreatePrivateDnsNamespace', kind: 'throttle', count: 1 });
    env.sandbox.fault({ service: 'ecs', operation: 'CreateService', kind: 'throttle', count: 1 });
    env.sandbox.fault({ service: 'ecs', operation: 'RegisterTaskDefinition', kind: 'error', status: 500, code: 'ServerException', count: 1 });
    env.sandbox.fault({ service: 'servicediscovery', operation: 'CreateService', kind: 'error', status: 500, code: 'InternalFailure', count: 1 });
    const run = await cycle(env, desiredOf(helloName()));
    assert.equal(run.result.ok, true, JSON.stringify(run.result.resources));
    const counts = env.sandbox.world.calls.counts();
    assert.equal(counts['servicediscovery:CreatePrivateDnsNamespace']?.throttled, 1);
    assert.equal(counts['ecs:CreateService']?.throttled, 1);
    assert.equal(counts['ecs:RegisterTaskDefinition']?.error, 1);
    assert.deepEqual(await inventory(env), EXPECTED);
    assert.deepEqual(pendingWrites((await planFor(env, desiredOf(helloName()))).plan), []);
  });

  it('does not create twice when the response to a create is lost', async () => {
    for (const operation of ['CreatePrivateDnsNamespace', 'CreateService']) {
      env.sandbox.fault({ service: 'servicediscovery', operation, kind: 'drop-response', count: 1 });
    }
    env.sandbox.fault({ service: 'ecs', operation: 'CreateService', kind: 'drop-response', count: 1 });
    const run = await cycle(env, desiredOf(helloName()));
    const dropped = env.sandbox.world.calls
      .calls()
      .filter((c) => c.outcome === 'dropped')
      .map((c) => `${c.service}:${c.operation}`);
    assert.deepEqual(dropped.sort(), ['ecs:CreateService', 'servicediscovery:CreatePrivateDnsNamespace', 'servicediscovery:CreateService']);
    // The SDK retries with the same idempotency token, or the next run adopts our own earlier attempt.
    if (!run.result.ok) await cycle(env, desiredOf(helloName()));
    assert.deepEqual(await inventory(env), EXPECTED);
    assert.deepEqual(pendingWrites((await planFor(env, desiredOf(helloName()))).plan), []);
  });

  it('after a partly failed apply, unrelated resources are applied, dependents skipped, and the next run converges', async () => {
    env.sandbox.fault({ service: 'servicediscovery', operation: 'CreateService', kind: 'error', status: 400, code: 'InvalidInput', count: 1 });
    const first = await cycle(env, desiredOf(helloName()));
    const status = Object.fromEntries(first.result.resources.map((r) => [r.key, r.status]));
    assert.deepEqual(status, {
      'CloudMapNamespace/internal': 'applied',
      'CloudMapService/internal/name': 'failed',
      'EcsService/demo/hello': 'applied',
      'EcsService/demo/name': 'skipped',
    });
    assert.match(first.result.resources.find((r) => r.key === 'EcsService/demo/name')?.reason ?? '', /CloudMapService\/internal\/name is failed/);
    assert.equal(first.result.ok, false);
    assert.ok(first.events.some((e) => e.result === 'error' && e.error?.code === 'InvalidInput'));

    const second = await cycle(env, desiredOf(helloName()));
    assert.equal(second.result.ok, true, JSON.stringify(second.result.resources));
    assert.deepEqual(await inventory(env), EXPECTED);
    assert.deepEqual(pendingWrites((await planFor(env, desiredOf(helloName()))).plan), []);
  });
});
