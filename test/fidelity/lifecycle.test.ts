/**
 * Lifecycle behaviour checked through the SDK against the sandbox: prune order when
 * manifests go away, an ignored desired count, and task definition revisions registered
 * only when the content changes (and reused by content hash on revert).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeServicesCommand, ListTaskDefinitionsCommand, UpdateServiceCommand, type UpdateServiceRequest } from '@aws-sdk/client-ecs';
import { ListServicesCommand } from '@aws-sdk/client-servicediscovery';
import type { EcsServiceManifest, Manifest } from '../../src/manifests/types.js';
import { cycle } from '../apply/helpers.js';
import { assertNoop, captureInputs, changesOf, clone, converge, describePlan, load, planOf, useEnv } from './helpers.js';
import { CLUSTER, app, cloudMapService, ecsService, privateNamespace } from './manifests.js';

async function taskDefinitionArn(env: ReturnType<typeof useEnv>, service: string): Promise<string> {
  const out = await env.clients.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [service] }));
  return out.services?.[0]?.taskDefinition ?? '';
}

describe('prune: removed manifests are deleted in reverse dependency order', () => {
  const env = useEnv([CLUSTER]);

  it('deletes the ECS service before the Cloud Map service it registers in, and the namespace last', async () => {
    const registering = clone(ecsService('pruned'));
    registering.spec.discovery = { service: 'pruned', namespace: 'internal' };
    const stays = clone(ecsService('stays'));
    const all: Manifest[] = [privateNamespace(), cloudMapService('pruned'), registering, stays];
    const first = await cycle(env, load(all), { pruneEnabled: true });
    assert.equal(first.result.ok, true, JSON.stringify(first.result.resources));
    assert.equal(env.sandbox.services.cloudmap.state.services.size, 1);

    const left = load([stays]);
    const run = await cycle(env, left, { pruneEnabled: true });
    assert.equal(run.result.ok, true, JSON.stringify(run.result.resources, null, 2));
    const deletions = run.plan.resources.filter((r) => r.action === 'delete').map((r) => r.key);
    assert.deepEqual(
      deletions,
      [`EcsService/${CLUSTER}/pruned`, 'CloudMapService/internal/pruned', 'CloudMapNamespace/internal'],
      describePlan(run.plan.resources),
    );

    const at = (key: string, operation: string): number => run.events.findIndex((e) => e.key === key && e.operation === operation);
    const ecsDelete = at(`EcsService/${CLUSTER}/pruned`, 'delete');
    const cmDelete = at('CloudMapService/internal/pruned', 'delete');
    const nsDelete = at('CloudMapNamespace/internal', 'delete');
    assert.ok(ecsDelete >= 0 && cmDelete > ecsDelete && nsDelete > cmDelete, JSON.stringify(run.events.map((e) => `${e.operation} ${e.key}`)));

    const svc = await env.clients.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['pruned', 'stays'] }));
    assert.deepEqual(
      svc.services?.map((s) => [s.serviceName, s.status === 'ACTIVE' ? 'ACTIVE' : 'gone']),
      [
        ['pruned', 'gone'],
        ['stays', 'ACTIVE'],
      ],
    );
    const cm = await env.clients.serviceDiscovery.send(new ListServicesCommand({}));
    assert.deepEqual(cm.Services ?? [], []);
    const again = await cycle(env, left, { pruneEnabled: true });
    assert.deepEqual(
      again.plan.resources.filter((r) => r.action !== 'noop').map((r) => `${r.action} ${r.key}`),
      [],
    );
  });
});

describe('an ignored desired count', () => {
  const env = useEnv([CLUSTER]);

  it('is neither reported nor reverted when changed by hand, also when another field is updated', async () => {
    const m = clone(ecsService('scaled'));
    m.spec.syncPolicy = { ignore: ['/spec/desiredCount'] };
    await converge(env, [m]);
    await env.clients.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'scaled', desiredCount: 4 }));
    assertNoop(await planOf(env, [m]), 'desiredCount ignored');

    const changed = clone(m);
    changed.spec.propagateTags = 'SERVICE';
    const plan = await planOf(env, [changed]);
    assert.deepEqual(changesOf(plan, `EcsService/${CLUSTER}/scaled`), ['spec.propagateTags in-place'], describePlan(plan));

    const capture = captureInputs(env.clients.ecs);
    try {
      await converge(env, [changed]);
    } finally {
      capture.stop();
    }
    const updates = capture.inputs.filter((i) => i.command === 'UpdateServiceCommand').map((i) => i.input as UpdateServiceRequest);
    assert.equal(updates.length, 1);
    assert.equal(updates[0]?.desiredCount, undefined, 'the update never carries the ignored desired count');
    const svc = await env.clients.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['scaled'] }));
    assert.equal(svc.services?.[0]?.desiredCount, 4);
  });
});

describe('task definition revisions', () => {
  const env = useEnv([CLUSTER]);
  const registrations = (): number => env.sandbox.world.calls.calls().filter((c) => c.operation === 'RegisterTaskDefinition' && c.outcome === 'ok').length;
  const withMode = (mode: string): EcsServiceManifest => {
    const m = clone(ecsService('revisions'));
    app(m).environment = { ...app(m).environment, MODE: mode };
    return m;
  };

  it('are registered once per content: not again for the same content, once for a change, and reused by content hash on revert', async () => {
    await converge(env, [withMode('blue')]);
    await converge(env, [withMode('blue')]);
    assert.equal(registrations(), 1, 'two applies of the same content register one revision');
    const first = await taskDefinitionArn(env, 'revisions');
    assert.match(first, /:task-definition\/revisions:1$/);

    await converge(env, [withMode('green')]);
    await converge(env, [withMode('green')]);
    assert.equal(registrations(), 2, 'a changed environment variable registers exactly one new revision');
    assert.match(await taskDefinitionArn(env, 'revisions'), /:task-definition\/revisions:2$/);

    const revert = await converge(env, [withMode('blue')]);
    assert.equal(registrations(), 2, 'reverting reuses the revision with the same content hash');
    assert.equal(await taskDefinitionArn(env, 'revisions'), first);
    assert.ok(
      revert.events.some((e) => e.operation === 'reuse' && String(e.detail).includes(first)),
      JSON.stringify(revert.events),
    );
    assertNoop(await planOf(env, [withMode('blue')]), 'after the revert');

    const listed = await env.clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'revisions' }));
    assert.equal(listed.taskDefinitionArns?.length, 2);
  });
});
