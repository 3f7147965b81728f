/**
 * Every modelled task definition setting round-trips through the real SDK and the sandbox,
 * one case per setting from a table of sample values (a new setting is one line):
 *  1. a revision registered directly through the SDK with value `a`, described and converted,
 *     diffs as nothing against a manifest with the same value (and nothing is unexpressed);
 *  2. a service applied with `a` plans as noop; changed to `b` in the manifest, apply registers
 *     a revision that has `b`, and the next plan is noop again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { convertTaskDefinition } from '../../src/kinds/ecs-service/task-definition/convert.js';
import { diffTaskDefinition } from '../../src/kinds/ecs-service/task-definition/diff.js';
import { normalizeTaskDefinition } from '../../src/kinds/ecs-service/task-definition/normalize.js';
import type { ContainerDefinition, EcsServiceManifest, InlineTaskDefinition } from '../../src/manifests/types.js';
import { deepEqual } from '../../src/util/deep-equal.js';
import { assertNoop, clone, converge, planOf, useEnv } from '../fidelity/helpers.js';
import { CLUSTER, app, ecsService, td } from '../fidelity/manifests.js';

type Edit = (m: EcsServiceManifest) => void;

interface Case {
  /** Unique per case: service name and family. */
  readonly name: string;
  readonly level: 'task' | 'container';
  readonly field: string;
  readonly a: unknown;
  /** undefined: the change removes the setting. */
  readonly b: unknown;
  /** Runs on EC2 with bridge networking (settings Fargate or awsvpc refuse). */
  readonly ec2?: boolean;
  /** What the setting needs besides itself (a volume, a second container). */
  readonly setup?: Edit;
}

const S3_ENV = (key: string): string => `arn:aws:s3:::config-bucket/${key}.env`;
const SM = (name: string): string => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`;
const withVolume =
  (...volumes: string[]): Edit =>
  (m) =>
    void (td(m).volumes = volumes.map((name) => ({ name })));
const withSide: Edit = (m) => void td(m).containers.push({ name: 'side', image: 'public.ecr.aws/example/side:1.0', essential: false });

const CASES: readonly Case[] = [
  // ---- container settings
  {
    name: 'repo-creds',
    level: 'container',
    field: 'repositoryCredentials',
    a: { credentialsParameter: SM('reg-a') },
    b: { credentialsParameter: SM('reg-b') },
  },
  { name: 'links', level: 'container', field: 'links', a: ['side'], b: ['side:db'], ec2: true, setup: withSide },
  {
    name: 'restart',
    level: 'container',
    field: 'restartPolicy',
    a: { enabled: true },
    b: { enabled: true, ignoredExitCodes: [0, 2], restartAttemptPeriod: 120 },
  },
  {
    name: 'env-files',
    level: 'container',
    field: 'environmentFiles',
    a: [{ value: S3_ENV('a'), type: 's3' }],
    b: [
      { value: S3_ENV('b'), type: 's3' },
      { value: S3_ENV('a'), type: 's3' },
    ],
  },
  {
    name: 'mounts',
    level: 'container',
    field: 'mountPoints',
    a: [{ sourceVolume: 'data', containerPath: '/data' }],
    b: [{ sourceVolume: 'data', containerPath: '/data', readOnly: true }],
    setup: withVolume('data'),
  },
  {
    name: 'volumes-from',
    level: 'container',
    field: 'volumesFrom',
    a: [{ sourceContainer: 'side' }],
    b: [{ sourceContainer: 'side', readOnly: true }],
    setup: withSide,
  },
  {
    name: 'linux-fargate',
    level: 'container',
    field: 'linuxParameters',
    a: { initProcessEnabled: true },
    b: { capabilities: { add: ['SYS_PTRACE'], drop: ['NET_RAW'] } },
  },
  {
    name: 'linux-ec2',
    level: 'container',
    field: 'linuxParameters',
    a: {
      sharedMemorySize: 64,
      tmpfs: [{ containerPath: '/tmp', size: 64, mountOptions: ['rw', 'noexec'] }],
      devices: [{ hostPath: '/dev/fuse', permissions: ['read'] }],
    },
    b: { maxSwap: 512, swappiness: 10 },
    ec2: true,
  },
  {
    name: 'depends-on',
    level: 'container',
    field: 'dependsOn',
    a: [{ containerName: 'side', condition: 'START' }],
    b: [{ containerName: 'side', condition: 'COMPLETE' }],
    setup: withSide,
  },
  { name: 'start-timeout', level: 'container', field: 'startTimeout', a: 30, b: 60 },
  { name: 'stop-timeout', level: 'container', field: 'stopTimeout', a: 30, b: 120 },
  { name: 'version-consistency', level: 'container', field: 'versionConsistency', a: 'disabled', b: 'enabled' },
  { name: 'hostname', level: 'container', field: 'hostname', a: 'app-a', b: 'app-b', ec2: true },
  { name: 'disable-networking', level: 'container', field: 'disableNetworking', a: true, b: undefined },
  { name: 'privileged', level: 'container', field: 'privileged', a: true, b: false, ec2: true },
  { name: 'readonly-root', level: 'container', field: 'readonlyRootFilesystem', a: true, b: false },
  { name: 'dns-servers', level: 'container', field: 'dnsServers', a: ['10.0.0.2'], b: ['10.0.0.3', '10.0.0.2'], ec2: true },
  { name: 'dns-search', level: 'container', field: 'dnsSearchDomains', a: ['a.internal'], b: ['b.internal'], ec2: true },
  {
    name: 'extra-hosts',
    level: 'container',
    field: 'extraHosts',
    a: [{ hostname: 'db', ipAddress: '10.0.0.5' }],
    b: [{ hostname: 'db', ipAddress: '10.0.0.6' }],
    ec2: true,
  },
  { name: 'security-options', level: 'container', field: 'dockerSecurityOptions', a: ['no-new-privileges'], b: ['label:disable'], ec2: true },
  { name: 'interactive', level: 'container', field: 'interactive', a: true, b: undefined },
  { name: 'pseudo-terminal', level: 'container', field: 'pseudoTerminal', a: true, b: undefined },
  { name: 'labels', level: 'container', field: 'dockerLabels', a: { team: 'a' }, b: { team: 'b', tier: 'web' } },
  {
    name: 'ulimits',
    level: 'container',
    field: 'ulimits',
    a: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }],
    b: [{ name: 'nofile', softLimit: 65536, hardLimit: 65536 }],
  },
  {
    name: 'sysctls',
    level: 'container',
    field: 'systemControls',
    a: [{ namespace: 'net.core.somaxconn', value: '1024' }],
    b: [{ namespace: 'net.core.somaxconn', value: '4096' }],
  },
  { name: 'gpus', level: 'container', field: 'resourceRequirements', a: [{ type: 'GPU', value: '1' }], b: [{ type: 'GPU', value: '2' }], ec2: true },
  {
    name: 'firelens',
    level: 'container',
    field: 'firelensConfiguration',
    a: { type: 'fluentbit' },
    b: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } },
  },
  {
    name: 'credential-specs',
    level: 'container',
    field: 'credentialSpecs',
    a: ['credentialspecdomainless:arn:aws:s3:::specs/a.json'],
    b: ['credentialspecdomainless:arn:aws:s3:::specs/b.json'],
    ec2: true,
  },
  {
    name: 'port-range',
    level: 'container',
    field: 'portMappings',
    a: [{ containerPort: 3000 }, { containerPortRange: '8000-8010' }],
    b: [{ containerPort: 3000 }, { containerPortRange: '8000-8020' }],
  },
  {
    name: 'dynamic-host-port',
    level: 'container',
    field: 'portMappings',
    a: [{ containerPort: 3000 }],
    b: [{ containerPort: 3000, hostPort: 8080 }],
    ec2: true,
  },
  {
    name: 'secret-ssm-name',
    level: 'container',
    field: 'secrets',
    a: [{ name: 'DB', valueFrom: '/prod/db/password' }],
    b: [{ name: 'DB', valueFrom: `${SM('db')}:password:AWSCURRENT:` }],
  },
  // ---- task settings
  {
    name: 'runtime-platform',
    level: 'task',
    field: 'runtimePlatform',
    a: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    b: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' },
  },
  { name: 'ephemeral', level: 'task', field: 'ephemeralStorage', a: { sizeInGiB: 50 }, b: { sizeInGiB: 100 } },
  { name: 'vol-bind', level: 'task', field: 'volumes', a: [{ name: 'scratch' }], b: [{ name: 'scratch' }, { name: 'cache' }] },
  {
    name: 'vol-efs',
    level: 'task',
    field: 'volumes',
    a: [{ name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-0123abcd' } }],
    b: [
      {
        name: 'data',
        efsVolumeConfiguration: {
          fileSystemId: 'fs-0123abcd',
          rootDirectory: '/',
          transitEncryption: 'ENABLED',
          transitEncryptionPort: 2999,
          authorizationConfig: { accessPointId: 'fsap-0123abcd', iam: 'ENABLED' },
        },
      },
    ],
  },
  {
    name: 'vol-host',
    level: 'task',
    field: 'volumes',
    a: [{ name: 'logs', host: { sourcePath: '/var/log/app' } }],
    b: [{ name: 'logs', host: { sourcePath: '/var/log/other' } }],
    ec2: true,
  },
  {
    name: 'vol-docker',
    level: 'task',
    field: 'volumes',
    a: [{ name: 'cache', dockerVolumeConfiguration: { scope: 'shared', autoprovision: true, driver: 'local' } }],
    b: [{ name: 'cache', dockerVolumeConfiguration: { scope: 'task', driver: 'local', driverOpts: { type: 'tmpfs' }, labels: { team: 'a' } } }],
    ec2: true,
  },
  {
    name: 'vol-fsx',
    level: 'task',
    field: 'volumes',
    a: [
      {
        name: 'share',
        fsxWindowsFileServerVolumeConfiguration: {
          fileSystemId: 'fs-0abc',
          rootDirectory: '\\\\share',
          authorizationConfig: { credentialsParameter: SM('ad'), domain: 'corp.example.com' },
        },
      },
    ],
    b: [
      {
        name: 'share',
        fsxWindowsFileServerVolumeConfiguration: {
          fileSystemId: 'fs-0def',
          rootDirectory: '\\\\share',
          authorizationConfig: { credentialsParameter: SM('ad'), domain: 'corp.example.com' },
        },
      },
    ],
    ec2: true,
  },
  {
    name: 'vol-s3files',
    level: 'task',
    field: 'volumes',
    a: [{ name: 's3', s3filesVolumeConfiguration: { fileSystemArn: 'arn:aws:s3files:us-east-1:123456789012:file-system/fs-1' } }],
    b: [{ name: 's3', s3filesVolumeConfiguration: { fileSystemArn: 'arn:aws:s3files:us-east-1:123456789012:file-system/fs-1', rootDirectory: '/app' } }],
  },
  { name: 'vol-at-launch', level: 'task', field: 'volumes', a: [{ name: 'ebs', configuredAtLaunch: true }], b: [{ name: 'ebs2', configuredAtLaunch: true }] },
  {
    name: 'placement',
    level: 'task',
    field: 'placementConstraints',
    a: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*' }],
    b: [{ type: 'memberOf', expression: 'attribute:ecs.cpu-architecture == arm64' }],
    ec2: true,
  },
  { name: 'pid-mode', level: 'task', field: 'pidMode', a: 'task', b: 'host', ec2: true },
  { name: 'ipc-mode', level: 'task', field: 'ipcMode', a: 'task', b: 'host', ec2: true },
  {
    name: 'proxy',
    level: 'task',
    field: 'proxyConfiguration',
    a: { containerName: 'app', properties: [{ name: 'AppPorts', value: '3000' }] },
    b: {
      containerName: 'app',
      type: 'APPMESH',
      properties: [
        { name: 'AppPorts', value: '3001' },
        { name: 'IgnoredUID', value: '1337' },
      ],
    },
  },
  { name: 'fault-injection', level: 'task', field: 'enableFaultInjection', a: true, b: undefined },
];

function base(c: Case): EcsServiceManifest {
  const m = clone(ecsService(`rt-${c.name}`));
  if (c.ec2) {
    m.spec.launchType = 'EC2';
    delete m.spec.networkConfiguration;
    td(m).requiresCompatibilities = ['EC2'];
    td(m).networkMode = 'bridge';
  }
  c.setup?.(m);
  return m;
}

function withValue(c: Case, value: unknown): EcsServiceManifest {
  const m = base(c);
  const target = (c.level === 'task' ? td(m) : app(m)) as unknown as Record<string, unknown>;
  if (value === undefined) delete target[c.field];
  else target[c.field] = structuredClone(value);
  return m;
}

/** The setting as the normalized task definition has it (undefined: not set). */
function normalizedField(c: Case, t: InlineTaskDefinition): unknown {
  const n = normalizeTaskDefinition(t);
  const holder = c.level === 'task' ? n : n.containers.find((x) => x.name === 'app');
  return (holder as unknown as Record<string, unknown> | undefined)?.[c.field];
}

/** The manifest's task definition with only AWS-shaped content (no environment map, no log options), for the direct SDK registration. */
function lean(t: InlineTaskDefinition, family: string): InlineTaskDefinition {
  const containers = t.containers.map((c): ContainerDefinition => {
    const { environment: _e, logConfiguration: _l, ...rest } = c;
    return rest;
  });
  const { executionRoleArn: _x, ...rest } = t;
  return { ...rest, family, containers };
}

function rawRequest(t: InlineTaskDefinition): RegisterTaskDefinitionCommandInput {
  const { containers, ...task } = t;
  // The manifest spells these settings as the API does: the SDK input is the same JSON.
  return {
    ...task,
    cpu: String(t.cpu),
    memory: String(t.memory),
    networkMode: t.networkMode ?? 'awsvpc',
    containerDefinitions: containers,
  } as RegisterTaskDefinitionCommandInput;
}

describe('task definition settings round-trip through the SDK and the sandbox', () => {
  const env = useEnv([CLUSTER]);

  for (const c of CASES) {
    it(`${c.level === 'task' ? '' : 'containers[].'}${c.field} (${c.name})`, async () => {
      const a = withValue(c, c.a);
      const b = withValue(c, c.b);
      assert.ok(!deepEqual(normalizedField(c, td(a)), normalizedField(c, td(b))), 'the two samples must differ');

      // 1. Set through the SDK, observe, diff against a manifest with the same value.
      const sdkTd = lean(td(a), `rt-${c.name}-sdk`);
      const registered = await env.clients.ecs.send(new RegisterTaskDefinitionCommand(rawRequest(sdkTd)));
      const described = await env.clients.ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: registered.taskDefinition?.taskDefinitionArn, include: ['TAGS'] }),
      );
      assert.ok(described.taskDefinition);
      const live = convertTaskDefinition(described.taskDefinition, described.tags);
      assert.ok(live);
      assert.equal(live.unexpressed, undefined, `nothing unexpressed: ${JSON.stringify(live.unexpressed)}`);
      assert.deepEqual(diffTaskDefinition(sdkTd, live, live.arn), []);
      assert.ok(deepEqual(normalizedField(c, live.spec), normalizedField(c, sdkTd)), 'the converted live revision has the value');

      // 2. Apply `a`, plan noop; change to `b`, apply, live has `b`, plan noop.
      await converge(env, [a]);
      assertNoop(await planOf(env, [a]), `${c.name} a`);
      await converge(env, [b]);
      const svc = await env.clients.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [b.metadata.name] }));
      const arn = svc.services?.[0]?.taskDefinition;
      const running = await env.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
      const liveB = running.taskDefinition ? convertTaskDefinition(running.taskDefinition, running.tags) : undefined;
      assert.ok(liveB);
      assert.ok(deepEqual(normalizedField(c, liveB.spec), normalizedField(c, td(b))), `live has b: ${JSON.stringify(normalizedField(c, liveB.spec))}`);
      assertNoop(await planOf(env, [b]), `${c.name} b`);
    });
  }
});
