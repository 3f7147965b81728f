import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateClusterCommand, ECSClient, ListTasksCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { main } from '../../src/cli/main.js';
import type { CommandIO } from '../../src/cli/command.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';

describe('discovery health on the applied examples through the CLI (sandbox)', () => {
  let sandbox: SandboxHandle;
  let ecs: ECSClient;
  let env: Record<string, string>;

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CommandIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env };
    const code = await main([...argv, '--region', 'us-east-1'], io);
    return { code, out, err };
  }

  before(async () => {
    sandbox = await startSandbox({ operationDelayMs: 20, taskStartDelayMs: 20, drainDelayMs: 20 });
    process.env['AWS_ACCESS_KEY_ID'] = 'sandbox';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'sandbox';
    env = { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: 'us-east-1' };
    ecs = new ECSClient(sandbox.clientConfig());
    await ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'orders', cpu: '256', memory: '512', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [{ name: 'orders', image: 'public.ecr.aws/example/orders:1.0', portMappings: [{ containerPort: 8080 }] }],
      }),
    );
    const applied = await cli('apply', '--source', 'examples', '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    await sleep(50); // tasks start 20 ms after apply (sandbox delay)
  });
  after(async () => {
    ecs.destroy();
    await sandbox.stop();
  });

  it('plan finds nothing wrong with the examples as applied', async () => {
    const planned = await cli('plan', '--source', 'examples');
    assert.equal(planned.code, 0, `${planned.out}\n${planned.err}`);
    assert.match(planned.out, /^ {2}ok: \d+ service\(s\) checked, no findings$/m);
    assert.doesNotMatch(planned.err, /discovery/);
  });

  it('after a task of name stops and leaves its instance behind, plan names the instance, its IP and task, and keeps exit 0', async () => {
    const tasks = await ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'name' }));
    const arn = tasks.taskArns![0]!;
    const id = arn.slice(arn.lastIndexOf('/') + 1);
    sandbox.services.ecs.stopTask('demo', id, { leaveInstanceRegistered: true });
    await sleep(50); // the replacement starts and registers

    const text = await cli('plan', '--source', 'examples');
    assert.equal(text.code, 0, `${text.out}\n${text.err}`);
    assert.match(text.out, new RegExp(`! StaleInstance CloudMapService/internal/name: .*instance ${id} \\(10\\.\\d+\\.\\d+\\.\\d+\\) is registered, but its task ${arn.replaceAll('/', '\\/')} is STOPPED`));

    const json = await cli('plan', '--source', 'examples', '--output', 'json');
    const doc = JSON.parse(json.out) as { discovery: { findings: { reason: string; instanceId?: string; taskArn?: string; ip?: string }[] } };
    assert.deepEqual(doc.discovery.findings.map((f) => [f.reason, f.instanceId, f.taskArn]), [['StaleInstance', id, arn]]);
    assert.match(doc.discovery.findings[0]!.ip ?? '', /^10\./);
  });
});
