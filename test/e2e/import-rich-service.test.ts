// The "How we will check it" scenario of import: a service made with the AWS CLI using
// runtimePlatform, ephemeralStorage, an EFS volume, ulimits, dependsOn, a FireLens log
// router, dockerLabels and a secret by SSM parameter name.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runAwsCli } from '@ecs-gitops/sandbox/testing';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { runCli, useExamplesCli } from '../helpers/examples.js';
import { assertRoundTrip, readTree, tempOutput } from '../helpers/import-roundtrip.js';

async function awsCli(endpoint: string, args: readonly string[]): Promise<string> {
  const result = await runAwsCli(endpoint, args);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

const TASK_DEFINITION = {
  family: 'rich',
  cpu: '1024',
  memory: '2048',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
  runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
  ephemeralStorage: { sizeInGiB: 50 },
  volumes: [{ name: 'shared', efsVolumeConfiguration: { fileSystemId: 'fs-0123456789abcdef0', rootDirectory: '/data', transitEncryption: 'ENABLED' } }],
  containerDefinitions: [
    {
      name: 'log-router',
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
      essential: true,
      firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } },
    },
    {
      name: 'app',
      image: 'public.ecr.aws/example/app:1.0',
      essential: true,
      dependsOn: [{ containerName: 'log-router', condition: 'START' }],
      ulimits: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
      dockerLabels: { team: 'payments', 'com.example.tier': 'web' },
      mountPoints: [{ sourceVolume: 'shared', containerPath: '/data', readOnly: false }],
      secrets: [{ name: 'DB_PASSWORD', valueFrom: 'app-db-password' }],
      logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'cloudwatch', region: 'us-east-1', log_group_name: '/ecs/rich' } },
      portMappings: [{ containerPort: 8080 }],
    },
  ],
};

describe('ecs-gitops import of a service using many task definition fields, made with the AWS CLI (sandbox)', () => {
  const f = useExamplesCli();

  it('import -> validate 0 -> plan shows only ownership tags -> apply -> plan 0 -> describe-task-definition unchanged; a new image keeps every other field', async () => {
    const endpoint = f.sandbox.endpoint;
    const registered = JSON.parse(await awsCli(endpoint, ['ecs', 'register-task-definition', '--cli-input-json', JSON.stringify(TASK_DEFINITION)])) as {
      taskDefinition: { taskDefinitionArn: string };
    };
    await awsCli(endpoint, [
      'ecs',
      'create-service',
      '--cluster',
      'demo',
      '--service-name',
      'rich',
      '--task-definition',
      registered.taskDefinition.taskDefinitionArn,
      '--desired-count',
      '1',
      '--launch-type',
      'FARGATE',
      '--network-configuration',
      'awsvpcConfiguration={subnets=[subnet-0a1b2c3d4e5f60718],securityGroups=[sg-0c3d4e5f607182930]}',
    ]);
    const before = await f.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'rich' }));

    const out = await tempOutput();
    try {
      await assertRoundTrip(f.cli, f.ecs, f.sd, 'demo', out.dir, ['--service', 'rich']);
      const yaml = (await readTree(out.dir))['services/rich.yaml'] ?? '';
      for (const field of ['runtimePlatform', 'ephemeralStorage', 'efsVolumeConfiguration', 'ulimits', 'dependsOn', 'firelensConfiguration', 'dockerLabels']) {
        assert.match(yaml, new RegExp(field), `${field} is imported`);
      }
      assert.match(yaml, /valueFrom: app-db-password/, 'the SSM parameter name stays a reference');

      // A changed image registers a revision that keeps every other field.
      const edited = yaml.replace('public.ecr.aws/example/app:1.0', 'public.ecr.aws/example/app:1.1');
      assert.notEqual(edited, yaml);
      const { writeFile } = await import('node:fs/promises');
      await writeFile(`${out.dir}/services/rich.yaml`, edited);
      assert.equal((await runCli(['validate', out.dir], {})).code, 0);
      const applied = await f.cli('apply', '--source', out.dir, '--wait', '5s', '--no-prune');
      assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
      const after = await f.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'rich' }));
      const strip = (td: typeof before.taskDefinition) => {
        const { taskDefinitionArn: _a, revision: _r, registeredAt: _t, registeredBy: _b, containerDefinitions, ...rest } = td ?? {};
        return { ...rest, containerDefinitions: (containerDefinitions ?? []).map(({ image: _i, ...c }) => c) };
      };
      assert.equal(after.taskDefinition?.revision, (before.taskDefinition?.revision ?? 0) + 1);
      assert.equal(after.taskDefinition?.containerDefinitions?.find((c) => c.name === 'app')?.image, 'public.ecr.aws/example/app:1.1');
      assert.deepEqual(strip(after.taskDefinition), strip(before.taskDefinition));
    } finally {
      await out.remove();
    }
  });
});
