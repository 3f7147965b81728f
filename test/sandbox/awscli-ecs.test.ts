import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { FAST_SANDBOX } from './ecs-helpers.js';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The parts of CLI output these tests read. */
interface CliJson {
  cluster?: { clusterArn?: string; clusterName?: string; status?: string };
  taskDefinition?: { taskDefinitionArn?: string; revision?: number; cpu?: string; memory?: string; containerDefinitions?: { essential?: boolean; portMappings?: { hostPort?: number; protocol?: string }[] }[] };
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

  const aws = async (...args: string[]): Promise<CliResult> => {
    const env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/tmp',
      AWS_ACCESS_KEY_ID: 'sandbox',
      AWS_SECRET_ACCESS_KEY: 'sandbox',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    try {
      const { stdout, stderr } = await run(AWS, ['--endpoint-url', sandbox.endpoint, '--output', 'json', 'ecs', ...args], { env, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };
  const json = (r: CliResult): CliJson => {
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as CliJson;
  };

  it('creates a cluster', async () => {
    const out = json(await aws('create-cluster', '--cluster-name', 'cli'));
    assert.equal(out.cluster?.clusterArn, 'arn:aws:ecs:us-east-1:123456789012:cluster/cli');
    assert.equal(out.cluster?.status, 'ACTIVE');
  });

  it('registers a Fargate task definition and echoes the defaults', async () => {
    const containers = JSON.stringify([{ name: 'app', image: 'nginx', portMappings: [{ containerPort: 80 }] }]);
    const out = json(await aws(
      'register-task-definition', '--family', 'cli-web', '--network-mode', 'awsvpc', '--requires-compatibilities', 'FARGATE',
      '--cpu', '0.5 vCPU', '--memory', '1 GB', '--container-definitions', containers,
    ));
    assert.equal(out.taskDefinition?.taskDefinitionArn, 'arn:aws:ecs:us-east-1:123456789012:task-definition/cli-web:1');
    assert.equal(out.taskDefinition?.cpu, '512');
    assert.equal(out.taskDefinition?.memory, '1024');
    const c = out.taskDefinition?.containerDefinitions?.[0];
    assert.equal(c?.essential, true);
    assert.deepEqual(c?.portMappings?.map((p) => [p.hostPort, p.protocol]), [[80, 'tcp']]);
  });

  it('refuses an invalid Fargate size with a ClientException on stderr', async () => {
    const r = await aws(
      'register-task-definition', '--family', 'cli-bad', '--network-mode', 'awsvpc', '--requires-compatibilities', 'FARGATE',
      '--cpu', '256', '--memory', '8192', '--container-definitions', JSON.stringify([{ name: 'app', image: 'nginx' }]),
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
