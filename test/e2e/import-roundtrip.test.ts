import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { useExamplesCli } from '../helpers/examples.js';
import { createForeignService, type ForeignService } from '../helpers/foreign-estate.js';
import { assertRoundTrip, readTree, stripOwnership, tempOutput } from '../helpers/import-roundtrip.js';

const ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';
const SUBNETS = ['subnet-0a1b2c3d4e5f60718', 'subnet-0b2c3d4e5f6071829'];

/** A service using many optional fields of the task definition, the service and Cloud Map. */
function handMade(name: string): ForeignService {
  return {
    taskDefinition: {
      family: name,
      cpu: '1024',
      memory: '3072',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      executionRoleArn: ROLE,
      taskRoleArn: 'arn:aws:iam::123456789012:role/app',
      containerDefinitions: [
        {
          name: 'app',
          image: 'public.ecr.aws/example/app:2.1',
          cpu: 512,
          memoryReservation: 1024,
          essential: true,
          portMappings: [
            { containerPort: 8080, protocol: 'tcp', name: 'http', appProtocol: 'http' },
            { containerPort: 9090, hostPort: 9090, protocol: 'udp' },
          ],
          environment: [
            { name: 'MODE', value: 'prod' },
            { name: 'EMPTY', value: '' },
          ],
          secrets: [
            { name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/db-password' },
            { name: 'API_KEY', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app-key-AbCdEf:key::' },
          ],
          healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], interval: 10, timeout: 3, retries: 4, startPeriod: 20 },
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/app', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'app' } },
          command: ['serve', '--port', '8080'],
          entryPoint: ['/bin/app'],
          workingDirectory: '/srv',
          user: '1000',
        },
        { name: 'sidecar', image: 'public.ecr.aws/example/sidecar:1', essential: false, memory: 256 },
      ],
      tags: [{ key: 'team', value: 'payments' }],
    },
    service: {
      cluster: 'demo',
      serviceName: name,
      desiredCount: 3,
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: ['sg-0c3d4e5f607182930'], assignPublicIp: 'ENABLED' } },
      deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 150, deploymentCircuitBreaker: { enable: true, rollback: false } },
      enableExecuteCommand: true,
      enableECSManagedTags: true,
      propagateTags: 'SERVICE',
      tags: [
        { key: 'team', value: 'payments' },
        { key: 'cost-center', value: '42' },
      ],
    },
    discovery: {
      namespace: { name: `${name}.internal`, type: 'DNS_PRIVATE', description: 'hand-made' },
      service: {
        Name: name,
        Description: 'the hand-made service',
        DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'SRV', TTL: 30 }] },
        HealthCheckCustomConfig: { FailureThreshold: 1 },
        Tags: [{ Key: 'team', Value: 'payments' }],
      },
      registry: { containerName: 'app', containerPort: 8080 },
    },
  };
}

// ---------------------------------------------------------------- generator

const FARGATE_SIZES: readonly [string, string][] = [
  ['256', '512'],
  ['256', '2048'],
  ['512', '1024'],
  ['512', '4096'],
  ['1024', '2048'],
  ['1024', '8192'],
  ['2048', '4096'],
  ['4096', '30720'],
];

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,9}$/);

const container = (index: number) =>
  fc.record(
    {
      image: fc.constantFrom('nginx:1.27', 'public.ecr.aws/example/app:3', 'busybox'),
      port: fc.option(fc.constantFrom('tcp', 'udp'), { nil: undefined }),
      env: fc.dictionary(envName, fc.string({ maxLength: 12 }), { maxKeys: 3 }),
      secret: fc.option(
        fc.constantFrom('arn:aws:ssm:us-east-1:123456789012:parameter/app/db', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:shared-AbCdEf:token::'),
        { nil: undefined },
      ),
      health: fc.option(fc.record({ interval: fc.integer({ min: 5, max: 300 }), retries: fc.integer({ min: 1, max: 10 }) }), { nil: undefined }),
      logs: fc.boolean(),
      cpu: fc.option(fc.constantFrom(0, 64, 128), { nil: undefined }),
      essential: index === 0 ? fc.constant(undefined) : fc.option(fc.boolean(), { nil: undefined }),
      command: fc.option(fc.array(word, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    },
    { requiredKeys: ['image', 'env', 'logs'] },
  );

const generated = fc.record({
  size: fc.constantFrom(...FARGATE_SIZES),
  containers: fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => container(i)))),
  desiredCount: fc.integer({ min: 0, max: 4 }),
  assignPublicIp: fc.option(fc.constantFrom('ENABLED' as const, 'DISABLED' as const), { nil: undefined }),
  securityGroups: fc.boolean(),
  deployment: fc.option(fc.record({ min: fc.integer({ min: 0, max: 100 }), max: fc.integer({ min: 100, max: 200 }), breaker: fc.boolean() }), {
    nil: undefined,
  }),
  exec: fc.option(fc.boolean(), { nil: undefined }),
  propagateTags: fc.option(fc.constantFrom('NONE' as const, 'SERVICE' as const, 'TASK_DEFINITION' as const), { nil: undefined }),
  tags: fc.dictionary(word, word, { maxKeys: 2 }),
  discovery: fc.option(fc.constantFrom('HTTP' as const, 'DNS_PRIVATE' as const), { nil: undefined }),
});

type Generated = typeof generated extends fc.Arbitrary<infer T> ? T : never;

function toService(name: string, g: Generated): ForeignService {
  const port = (i: number): number => 8000 + i;
  return {
    taskDefinition: {
      family: name,
      cpu: g.size[0],
      memory: g.size[1],
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      executionRoleArn: ROLE,
      containerDefinitions: g.containers.map((c, i) => ({
        name: `c${i}`,
        image: c.image,
        ...(c.cpu !== undefined ? { cpu: c.cpu } : {}),
        ...(c.essential !== undefined ? { essential: c.essential } : {}),
        ...(c.port ? { portMappings: [{ containerPort: port(i), protocol: c.port }] } : {}),
        ...(Object.keys(c.env).length > 0 ? { environment: Object.entries(c.env).map(([k, v]) => ({ name: k, value: v })) } : {}),
        ...(c.secret ? { secrets: [{ name: 'SECRET', valueFrom: c.secret }] } : {}),
        ...(c.health ? { healthCheck: { command: ['CMD-SHELL', 'true'], interval: c.health.interval, retries: c.health.retries } } : {}),
        ...(c.logs
          ? {
              logConfiguration: {
                logDriver: 'awslogs',
                options: { 'awslogs-group': `/ecs/${name}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': `c${i}` },
              },
            }
          : {}),
        ...(c.command ? { command: c.command } : {}),
      })),
    },
    service: {
      cluster: 'demo',
      serviceName: name,
      desiredCount: g.desiredCount,
      launchType: 'FARGATE',
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: SUBNETS.slice(0, 1 + (g.desiredCount % 2)),
          ...(g.securityGroups ? { securityGroups: ['sg-0c3d4e5f607182930'] } : {}),
          ...(g.assignPublicIp ? { assignPublicIp: g.assignPublicIp } : {}),
        },
      },
      ...(g.deployment
        ? {
            deploymentConfiguration: {
              minimumHealthyPercent: g.deployment.min,
              maximumPercent: g.deployment.max,
              deploymentCircuitBreaker: { enable: g.deployment.breaker, rollback: g.deployment.breaker },
            },
          }
        : {}),
      ...(g.exec !== undefined ? { enableExecuteCommand: g.exec } : {}),
      ...(g.propagateTags ? { propagateTags: g.propagateTags } : {}),
      ...(Object.keys(g.tags).length > 0 ? { tags: Object.entries(g.tags).map(([key, value]) => ({ key, value })) } : {}),
    },
    ...(g.discovery
      ? {
          discovery: {
            namespace: { name: `${name}.${g.discovery === 'HTTP' ? 'api' : 'local'}`, type: g.discovery },
            service:
              g.discovery === 'HTTP'
                ? { Name: name }
                : { Name: name, DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 60 }] }, HealthCheckCustomConfig: { FailureThreshold: 1 } },
          },
        }
      : {}),
  };
}

describe('ecs-gitops import round trip on services built with the AWS SDK (sandbox)', () => {
  const f = useExamplesCli();

  it('a hand-made service with many optional fields: only ownership tags change, every setting stays', async () => {
    await createForeignService(f.ecs, f.sd, handMade('payments'));
    const out = await tempOutput();
    try {
      await assertRoundTrip(f.cli, f.ecs, f.sd, 'demo', out.dir, ['--service', 'payments']);
      const files = await readTree(out.dir);
      const yaml = files['services/payments.yaml'] ?? '';
      assert.match(yaml, /valueFrom: arn:aws:ssm:us-east-1:123456789012:parameter\/app\/db-password/, 'secrets stay references');
      assert.doesNotMatch(yaml, /essential: true|protocol: tcp|platformVersion: LATEST/, 'defaults are left out');
      assert.match(yaml, /cpu: "1024"\n\s+memory: "3072"/, 'cpu and memory as AWS reports them');
      assert.deepEqual(Object.keys(files).sort(), ['namespaces.yaml', 'services/payments.yaml']);
    } finally {
      await out.remove();
      // Foreign again, so the next round trip's plan has no owned resources outside its source.
      await stripOwnership(f.ecs, f.sd, 'demo');
    }
  });

  it('property: any generated live service round-trips (fixed seed)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(generated, async (g) => {
        const name = `gen${run++}`;
        await createForeignService(f.ecs, f.sd, toService(name, g));
        const out = await tempOutput();
        try {
          await assertRoundTrip(f.cli, f.ecs, f.sd, 'demo', out.dir, ['--service', name]);
        } finally {
          await out.remove();
          await stripOwnership(f.ecs, f.sd, 'demo');
        }
      }),
      { seed: 1212, numRuns: 6, endOnFailure: true },
    );
  });
});
