import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type SandboxHandle } from '../src/server.js';
import { cliJson, runAwsCli, type CliResult } from '../src/aws-cli.js';
import { FAST_SANDBOX } from '../src/testing.js';

/** The parts of CLI output these tests read. */
interface CliJson {
  cluster?: { clusterArn?: string; clusterName?: string; status?: string };
  taskDefinition?: {
    taskDefinitionArn?: string;
    revision?: number;
    cpu?: string;
    memory?: string;
    containerDefinitions?: { essential?: boolean; portMappings?: { hostPort?: number; protocol?: string }[] }[];
  };
  services?: unknown[];
  failures?: { arn?: string; reason?: string }[];
}

describe('sandbox ECS through the AWS CLI', () => {
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandbox(FAST_SANDBOX);
  });
  after(async () => {
    await sandbox.stop();
  });

  const aws = (...args: string[]): Promise<CliResult> => runAwsCli(sandbox.endpoint, ['ecs', ...args]);
  const json = (r: CliResult): CliJson => cliJson<CliJson>(r);

  it('creates a cluster', async () => {
    const out = json(await aws('create-cluster', '--cluster-name', 'cli'));
    assert.equal(out.cluster?.clusterArn, 'arn:aws:ecs:us-east-1:123456789012:cluster/cli');
    assert.equal(out.cluster?.status, 'ACTIVE');
  });

  it('registers a Fargate task definition and echoes the defaults', async () => {
    const containers = JSON.stringify([{ name: 'app', image: 'nginx', portMappings: [{ containerPort: 80 }] }]);
    const out = json(
      await aws(
        'register-task-definition',
        '--family',
        'cli-web',
        '--network-mode',
        'awsvpc',
        '--requires-compatibilities',
        'FARGATE',
        '--cpu',
        '0.5 vCPU',
        '--memory',
        '1 GB',
        '--container-definitions',
        containers,
      ),
    );
    assert.equal(out.taskDefinition?.taskDefinitionArn, 'arn:aws:ecs:us-east-1:123456789012:task-definition/cli-web:1');
    assert.equal(out.taskDefinition?.cpu, '512');
    assert.equal(out.taskDefinition?.memory, '1024');
    const c = out.taskDefinition?.containerDefinitions?.[0];
    assert.equal(c?.essential, true);
    assert.deepEqual(
      c?.portMappings?.map((p) => [p.hostPort, p.protocol]),
      [[80, 'tcp']],
    );
  });

  it('refuses an invalid Fargate size with a ClientException on stderr', async () => {
    const r = await aws(
      'register-task-definition',
      '--family',
      'cli-bad',
      '--network-mode',
      'awsvpc',
      '--requires-compatibilities',
      'FARGATE',
      '--cpu',
      '256',
      '--memory',
      '8192',
      '--container-definitions',
      JSON.stringify([{ name: 'app', image: 'nginx' }]),
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /ClientException/);
    assert.match(r.stderr, /No Fargate configuration exists/);
  });

  it('describes an unknown service as a MISSING failure', async () => {
    const out = json(await aws('describe-services', '--cluster', 'cli', '--services', 'ghost'));
    assert.deepEqual(out.services, []);
    assert.deepEqual(out.failures, [{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/cli/ghost', reason: 'MISSING' }]);
  });
});
