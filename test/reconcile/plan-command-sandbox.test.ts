import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { CreateClusterCommand, UpdateServiceCommand as UpdateEcsServiceCommand } from '@aws-sdk/client-ecs';
import { ListServicesCommand, UpdateServiceCommand as UpdateCloudMapServiceCommand } from '@aws-sdk/client-servicediscovery';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../../src/aws/clients.js';
import { createObserveCaches, observe, scopeFromDesired } from '../../src/observe/index.js';
import { loadManifests } from '../../src/reconcile/load.js';
import { readManifestTree } from '../../src/manifests/read-tree.js';
import { applyPlan } from '../../src/reconcile/apply.js';
import { computePlan } from '../../src/reconcile/plan.js';
import { createPlanCommand, DEFAULT_PLAN_DEPS, type PlanDeps } from '../../src/cli/commands/plan.js';
import type { PlanJson } from '../../src/reconcile/render.js';
import type { CommandIO } from '../../src/cli/command.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/hello-name', import.meta.url));
const FAST_WAIT = { initialDelayMs: 10, maxDelayMs: 50, factor: 2, timeoutMs: 10_000 };

function capture(): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {} };
}

describe('ecs-gitops plan against the sandbox', () => {
  let sandbox: SandboxHandle;
  let clients: AwsClients;
  let deps: PlanDeps;

  async function runPlan(...extra: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = capture();
    const code = await createPlanCommand(deps).run(['--source', EXAMPLE, ...extra], io);
    return { code, out: io.out.join(''), err: io.err.join('') };
  }

  before(async () => {
    sandbox = await startSandbox({ port: 0, operationDelayMs: 20, taskStartDelayMs: 20, drainDelayMs: 20 });
    clients = createAwsClients({ ...sandbox.clientConfig(), endpoints: { default: sandbox.endpoint } });
    await clients.ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
    deps = {
      ...DEFAULT_PLAN_DEPS,
      observeLive: (desired, options) => observe(clients, scopeFromDesired(desired, options.clusters), createObserveCaches()),
    };
  });

  after(async () => {
    destroyAwsClients(clients);
    await sandbox.stop();
  });

  it('exits 2 and lists every example resource as a create on an empty account', async () => {
    const { code, out } = await runPlan();
    assert.equal(code, 2);
    assert.match(out, /^\+ create CloudMapNamespace\/internal$/m);
    assert.match(out, /^\+ create CloudMapService\/internal\/name$/m);
    assert.match(out, /^\+ create EcsService\/demo\/hello$/m);
    assert.match(out, /^Plan: 4 to create, 0 to update, 0 to replace, 0 to delete, 0 blocked\.$/m);
  });

  it('exits 0 with "No changes" once the examples are applied', async () => {
    const tree = await readManifestTree(EXAMPLE);
    const { resources } = loadManifests(tree.files);
    const live = await observe(clients, scopeFromDesired(resources), createObserveCaches());
    const plan = computePlan(resources, live, { controllerId: 'ecs-gitops', pruneEnabled: true });
    const result = await applyPlan(plan, {
      clients,
      live,
      controllerId: 'ecs-gitops',
      waits: { operation: FAST_WAIT, instances: FAST_WAIT, ecsInactive: FAST_WAIT, inUse: FAST_WAIT },
    });
    assert.deepEqual(
      result.resources.filter((o) => o.status !== 'applied').map((o) => [o.key, o.status, o.reason]),
      [],
    );
    const { code, out } = await runPlan();
    assert.equal(code, 0, out);
    assert.match(out, /^No changes\. Live state matches the source\.$/m);
    assert.match(out, /^= unchanged EcsService\/demo\/name$/m);
  });

  it('exits 2 and names the fields changed out of band (TTL and desired count)', async () => {
    const listed = await clients.serviceDiscovery.send(new ListServicesCommand({}));
    const name = listed.Services?.find((s) => s.Name === 'name');
    assert.ok(name?.Id);
    await clients.serviceDiscovery.send(new UpdateCloudMapServiceCommand({ Id: name.Id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 15 }] } } }));
    await clients.ecs.send(new UpdateEcsServiceCommand({ cluster: 'demo', service: 'hello', desiredCount: 5 }));
    // Cloud Map service updates are asynchronous: wait for the sandbox operation to finish.
    let out = '';
    let code = 0;
    for (let i = 0; i < 50 && !out.includes('ttl'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      ({ code, out } = await runPlan());
    }
    assert.equal(code, 2);
    assert.match(out, /^~ update CloudMapService\/internal\/name$/m);
    assert.match(out, /^ {4}spec\.dns\.records\[0\]\.ttl: 15 -> 60$/m);
    assert.match(out, /^~ update EcsService\/demo\/hello$/m);
    assert.match(out, /^ {4}spec\.desiredCount: 5 -> 2$/m);
    assert.match(out, /^Plan: 0 to create, 2 to update, 0 to replace, 0 to delete, 0 blocked\.$/m);

    const json = JSON.parse((await runPlan('--output', 'json')).out) as PlanJson;
    assert.equal(json.formatVersion, 1);
    assert.equal(json.summary.update, 2);
    const hello = json.resources.find((r) => r.key === 'EcsService/demo/hello');
    assert.deepEqual(hello?.changes, [{ path: 'spec.desiredCount', pointer: '/spec/desiredCount', from: 5, to: 2, effect: 'in-place' }]);
  });
});
