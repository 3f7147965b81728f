import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AWS_LIMITS, taskDefinitionRequestBytes, WORST_CASE_CONTROLLER_ID } from '../../src/reconcile/aws-limits.js';
import { loadManifests } from '../../src/reconcile/load.js';
import type { EcsServiceManifest } from '../../src/manifests/types.js';
import { applyPlan } from '../../src/reconcile/apply.js';
import { ecsService } from './fixtures.js';
import { FAST_WAITS, desiredOf, planFor, useEnv, type Env } from './helpers.js';

/** An EcsService (no discovery) whose RegisterTaskDefinition request is `bytes` long with the longest controller id. */
function ofRequestSize(name: string, bytes: number): EcsServiceManifest {
  const build = (pad: string): EcsServiceManifest => {
    // Ids the schema accepts (the fixtures' short ones are the sandbox's).
    const networkConfiguration = { subnets: ['subnet-0a1b2c3d4e5f60718'], securityGroups: ['sg-0a1b2c3d4e5f60718'] };
    const m = ecsService(name, { discovery: undefined, networkConfiguration });
    const td = m.spec.taskDefinition!;
    m.spec.taskDefinition = { ...td, containers: td.containers.map((c) => ({ ...c, environment: { ...c.environment, PAD: pad } })) };
    return m;
  };
  const m = build('p'.repeat(bytes - (taskDefinitionRequestBytes(build('')) ?? 0)));
  assert.equal(taskDefinitionRequestBytes(m), bytes);
  return m;
}

async function applyWithLongestControllerId(env: Env, m: EcsServiceManifest): Promise<{ ok: boolean; code: string | undefined }> {
  const desired = desiredOf([m]);
  const { plan, live } = await planFor(env, desired, { controllerId: WORST_CASE_CONTROLLER_ID });
  const result = await applyPlan(plan, { clients: env.clients, live, controllerId: WORST_CASE_CONTROLLER_ID, waits: FAST_WAITS });
  return { ok: result.ok, code: result.resources.find((r) => r.error)?.error?.code };
}

describe('the task definition size validate measures is the one ECS (the sandbox) enforces', () => {
  const env = useEnv();
  const max = AWS_LIMITS.taskDefinitionBytes.max;

  it('a manifest validate passes at 65,536 bytes registers', async () => {
    const m = ofRequestSize('at-limit', max);
    assert.deepEqual(loadManifests([{ path: 'm.yaml', content: JSON.stringify(m) }]).diagnostics, []);
    assert.deepEqual(await applyWithLongestControllerId(env, m), { ok: true, code: undefined });
  });

  it('one byte more is refused by validate, and by ECS when sent anyway', async () => {
    const m = ofRequestSize('over-limit', max + 1);
    const loaded = loadManifests([{ path: 'm.yaml', content: JSON.stringify(m) }]);
    assert.deepEqual(
      loaded.diagnostics.map((d) => d.code),
      ['EGO_TASK_DEFINITION_SIZE'],
    );
    assert.deepEqual(loaded.resources, []);
    assert.deepEqual(await applyWithLongestControllerId(env, m), { ok: false, code: 'ClientException' });
  });
});
