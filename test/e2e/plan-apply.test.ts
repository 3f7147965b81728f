import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand as UpdateEcsServiceCommand } from '@aws-sdk/client-ecs';
import {
  ListNamespacesCommand,
  ListServicesCommand,
  ServiceDiscoveryClient,
  UpdateServiceCommand as UpdateCloudMapServiceCommand,
} from '@aws-sdk/client-servicediscovery';
import { main } from '../../src/cli/main.js';
import type { CommandIO } from '../../src/cli/command.js';
import { realWaitSeams } from '../../src/reconcile/apply-wait.js';
import { waitForOperation } from '../../src/reconcile/operations.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';

interface Captured {
  code: number;
  out: string;
  err: string;
}

describe('ecs-gitops plan and apply on the examples (sandbox)', () => {
  let sandbox: SandboxHandle;
  let ecs: ECSClient;
  let sd: ServiceDiscoveryClient;
  let env: Record<string, string>;

  async function cli(...argv: string[]): Promise<Captured> {
    let out = '';
    let err = '';
    const io: CommandIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env };
    const code = await main([...argv, '--region', 'us-east-1'], io);
    return { code, out, err };
  }

  before(async () => {
    sandbox = await startSandbox({ operationDelayMs: 20, taskStartDelayMs: 20, drainDelayMs: 20 });
    // The SDK's default credential chain reads these; the endpoint goes through the CLI's env seam.
    process.env['AWS_ACCESS_KEY_ID'] = 'sandbox';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'sandbox';
    env = { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: 'us-east-1' };
    const cfg = sandbox.clientConfig();
    ecs = new ECSClient(cfg);
    sd = new ServiceDiscoveryClient(cfg);
    await ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
    // examples/http-api-only references a task definition its team's CI registers (taskDefinitionRef).
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'orders', cpu: '256', memory: '512', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [{ name: 'orders', image: 'public.ecr.aws/example/orders:1.0', portMappings: [{ containerPort: 8080 }] }],
      }),
    );
  });
  after(async () => {
    ecs.destroy();
    sd.destroy();
    await sandbox.stop();
  });

  it('apply --source examples converges from empty, and plan then exits 0', async () => {
    const applied = await cli('apply', '--source', 'examples', '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    assert.match(applied.out, /ok\s+create\s+CloudMapNamespace\/internal/);
    assert.match(applied.out, /After apply: in sync/);
    const planned = await cli('plan', '--source', 'examples');
    assert.equal(planned.code, 0, `${planned.out}\n${planned.err}`);
    assert.match(planned.out, /No changes/);
  });

  it('plan exits 2 naming an out-of-band TTL and desired count change; apply reverts them; plan exits 0', async () => {
    const namespaces = await sd.send(new ListNamespacesCommand({}));
    const internal = namespaces.Namespaces?.find((n) => n.Name === 'internal');
    assert.ok(internal?.Id, 'the examples declare namespace internal');
    const services = await sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [internal.Id], Condition: 'EQ' }] }));
    const name = services.Services?.find((s) => s.Name === 'name');
    assert.ok(name?.Id && name.DnsConfig?.DnsRecords?.length, 'the examples declare Cloud Map service name');
    const records = name.DnsConfig.DnsRecords.map((r) => ({ Type: r.Type, TTL: 299 }));
    const op = await sd.send(new UpdateCloudMapServiceCommand({ Id: name.Id, Service: { DnsConfig: { DnsRecords: records } } }));
    await waitForOperation(sd, op.OperationId!, { initialDelayMs: 10, maxDelayMs: 50, factor: 2, timeoutMs: 3_000 }, realWaitSeams);
    await ecs.send(new UpdateEcsServiceCommand({ cluster: 'demo', service: 'name', desiredCount: 7 }));

    const drifted = await cli('plan', '--source', 'examples');
    assert.equal(drifted.code, 2, `${drifted.out}\n${drifted.err}`);
    assert.match(drifted.out, /ttl: 299 -> /);
    assert.match(drifted.out, /desiredCount: 7 -> /);

    const applied = await cli('apply', '--source', 'examples', '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    assert.match(applied.out, /ok\s+update\s+CloudMapService\/internal\/name/);
    assert.match(applied.out, /ok\s+update\s+EcsService\/demo\/name: desiredCount/);

    const planned = await cli('plan', '--source', 'examples');
    assert.equal(planned.code, 0, `${planned.out}\n${planned.err}`);
  });

  it('apply rejects a bad --wait and prints its exit codes in --help', async () => {
    const bad = await cli('apply', '--source', 'examples', '--wait', 'soon');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /--wait/);
    const help = await cli('apply', '--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /0 {2}converged/);
    assert.match(help.out, /2 {2}applied without errors, but drift remains/);
  });
});
