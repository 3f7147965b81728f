/**
 * ECS services and their inline task definitions survive a round trip through the real SDK
 * and the sandbox without false drift: after one apply, the same manifest and every
 * equivalent spelling of it (AWS defaults written out or left out, other units, other
 * order of set-like lists and maps) plan as noop.
 */
import { describe, it } from 'node:test';
import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { EcsServiceManifest } from '../../src/manifests/types.js';
import { assertNoop, clone, converge, planOf, useEnv } from './helpers.js';
import { CLUSTER, EXECUTION_ROLE, SECURITY_GROUPS, SUBNETS, app, ecsService, secret, targetGroup, td } from './manifests.js';

type Edit = (m: EcsServiceManifest) => void;

interface Variant {
  /** Service name and family (unique in the shared sandbox). */
  name: string;
  /** What the applied manifest looks like (applied to the base manifest). */
  written: Edit;
  /** Other spellings of the same desired state: each must plan as noop against what was applied. */
  equivalents: Edit[];
}

const VARIANTS: Variant[] = [
  {
    name: 'platform-version',
    written: (m) => void delete m.spec.platformVersion,
    equivalents: [(m) => void (m.spec.platformVersion = 'LATEST')],
  },
  {
    name: 'platform-version-latest',
    written: (m) => void (m.spec.platformVersion = 'LATEST'),
    equivalents: [(m) => void delete m.spec.platformVersion],
  },
  {
    name: 'propagate-tags',
    written: (m) => void delete m.spec.propagateTags,
    equivalents: [(m) => void (m.spec.propagateTags = 'NONE')],
  },
  {
    name: 'managed-tags-exec',
    written: (m) => {
      m.spec.enableECSManagedTags = false;
      m.spec.enableExecuteCommand = false;
    },
    equivalents: [
      (m) => {
        delete m.spec.enableECSManagedTags;
        delete m.spec.enableExecuteCommand;
      },
    ],
  },
  {
    name: 'deployment-defaults',
    written: (m) => void delete m.spec.deploymentConfiguration,
    equivalents: [
      (m) => void (m.spec.deploymentConfiguration = { maximumPercent: 200, minimumHealthyPercent: 100, circuitBreaker: { enable: false, rollback: false } }),
      (m) => void (m.spec.deploymentConfiguration = { maximumPercent: 200 }),
      (m) => void (m.spec.deploymentConfiguration = {}),
    ],
  },
  {
    name: 'deployment-spelled-out',
    written: (m) =>
      void (m.spec.deploymentConfiguration = { maximumPercent: 200, minimumHealthyPercent: 100, circuitBreaker: { enable: false, rollback: false } }),
    equivalents: [(m) => void delete m.spec.deploymentConfiguration, (m) => void (m.spec.deploymentConfiguration = { minimumHealthyPercent: 100 })],
  },
  {
    name: 'circuit-breaker-on',
    written: (m) =>
      void (m.spec.deploymentConfiguration = { maximumPercent: 150, minimumHealthyPercent: 50, circuitBreaker: { enable: true, rollback: true } }),
    equivalents: [
      (m) => void (m.spec.deploymentConfiguration = { circuitBreaker: { rollback: true, enable: true }, minimumHealthyPercent: 50, maximumPercent: 150 }),
    ],
  },
  {
    name: 'grace-period',
    written: (m) => void delete m.spec.healthCheckGracePeriodSeconds,
    equivalents: [(m) => void (m.spec.healthCheckGracePeriodSeconds = 0)],
  },
  {
    name: 'assign-public-ip',
    written: (m) => void delete m.spec.networkConfiguration?.assignPublicIp,
    equivalents: [(m) => void (m.spec.networkConfiguration!.assignPublicIp = 'DISABLED')],
  },
  {
    name: 'subnets-shuffled',
    written: (m) => void (m.spec.networkConfiguration = { subnets: [...SUBNETS], securityGroups: [...SECURITY_GROUPS], assignPublicIp: 'ENABLED' }),
    equivalents: [
      (m) =>
        void (m.spec.networkConfiguration = {
          assignPublicIp: 'ENABLED',
          securityGroups: [SECURITY_GROUPS[1], SECURITY_GROUPS[0]],
          subnets: [SUBNETS[2], SUBNETS[0], SUBNETS[1]],
        }),
    ],
  },
  {
    name: 'essential-protocol-host-port',
    written: (m) => {
      delete app(m).essential;
      app(m).portMappings = [{ containerPort: 3000 }, { containerPort: 3001, name: 'admin' }];
    },
    equivalents: [
      (m) => {
        app(m).essential = true;
        app(m).portMappings = [
          { containerPort: 3001, hostPort: 3001, protocol: 'tcp', name: 'admin' },
          { containerPort: 3000, hostPort: 3000, protocol: 'tcp' },
        ];
      },
    ],
  },
  {
    name: 'host-port-spelled-out',
    written: (m) =>
      void (app(m).portMappings = [
        { containerPort: 3000, hostPort: 3000, protocol: 'tcp' },
        { containerPort: 3001, hostPort: 3001, name: 'admin' },
      ]),
    equivalents: [(m) => void (app(m).portMappings = [{ containerPort: 3000 }, { name: 'admin', containerPort: 3001 }])],
  },
  {
    name: 'network-mode',
    written: (m) => void delete td(m).networkMode,
    equivalents: [(m) => void (td(m).networkMode = 'awsvpc')],
  },
  {
    name: 'cpu-memory-strings',
    written: (m) => {
      td(m).cpu = '256';
      td(m).memory = '512';
    },
    equivalents: [
      (m) => {
        td(m).cpu = 256;
        td(m).memory = 512;
      },
      (m) => {
        td(m).cpu = '0.25 vCPU';
        td(m).memory = '0.5 GB';
      },
      (m) => {
        td(m).cpu = '0.25vcpu';
        td(m).memory = '0.5gb';
      },
    ],
  },
  {
    name: 'cpu-memory-units',
    written: (m) => {
      td(m).cpu = '0.5 vCPU';
      td(m).memory = '1 GB';
    },
    equivalents: [
      (m) => {
        td(m).cpu = '512';
        td(m).memory = '1024';
      },
      (m) => {
        td(m).cpu = 512;
        td(m).memory = 1024;
      },
    ],
  },
  {
    name: 'environment-order',
    written: (m) => void (app(m).environment = { PORT: '3000', LOG_LEVEL: 'info', MODE: 'blue' }),
    equivalents: [(m) => void (app(m).environment = { MODE: 'blue', PORT: '3000', LOG_LEVEL: 'info' })],
  },
  {
    name: 'environment-absent',
    written: (m) => void delete app(m).environment,
    equivalents: [(m) => void (app(m).environment = {})],
  },
  {
    name: 'secrets-order',
    written: (m) =>
      void (app(m).secrets = [
        { name: 'DB_PASSWORD', valueFrom: secret('db') },
        { name: 'API_KEY', valueFrom: secret('api') },
      ]),
    equivalents: [
      (m) =>
        void (app(m).secrets = [
          { valueFrom: secret('api'), name: 'API_KEY' },
          { name: 'DB_PASSWORD', valueFrom: secret('db') },
        ]),
    ],
  },
  {
    name: 'tags-order',
    written: (m) => {
      m.spec.tags = { team: 'names', tier: 'backend', cost: 'shared' };
      td(m).tags = { a: '1', b: '2' };
    },
    equivalents: [
      (m) => {
        m.spec.tags = { cost: 'shared', tier: 'backend', team: 'names' };
        td(m).tags = { b: '2', a: '1' };
      },
    ],
  },
  {
    name: 'requires-compatibilities',
    written: (m) => void (td(m).requiresCompatibilities = ['FARGATE', 'EC2']),
    equivalents: [(m) => void (td(m).requiresCompatibilities = ['EC2', 'FARGATE'])],
  },
  {
    name: 'container-health-defaults',
    written: (m) => void (app(m).healthCheck = { command: ['CMD-SHELL', 'curl -f http://localhost:3000/ || exit 1'] }),
    equivalents: [
      (m) => void (app(m).healthCheck = { command: ['CMD-SHELL', 'curl -f http://localhost:3000/ || exit 1'], interval: 30, timeout: 5, retries: 3 }),
      (m) => void (app(m).healthCheck = { retries: 3, command: ['CMD-SHELL', 'curl -f http://localhost:3000/ || exit 1'] }),
    ],
  },
  {
    name: 'container-health-spelled-out',
    written: (m) => void (app(m).healthCheck = { command: ['CMD', 'wget', '-q', 'localhost:3000'], interval: 30, timeout: 5, retries: 3, startPeriod: 10 }),
    equivalents: [(m) => void (app(m).healthCheck = { command: ['CMD', 'wget', '-q', 'localhost:3000'], startPeriod: 10 })],
  },
  {
    name: 'log-options-order',
    written: (m) => void (app(m).logConfiguration = { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/x', 'awslogs-region': 'us-east-1' } }),
    equivalents: [(m) => void (app(m).logConfiguration = { options: { 'awslogs-region': 'us-east-1', 'awslogs-group': '/ecs/x' }, logDriver: 'awslogs' })],
  },
  {
    name: 'log-secret-options',
    written: (m) =>
      void (app(m).logConfiguration = {
        logDriver: 'splunk',
        options: { 'splunk-url': 'https://splunk.example.com' },
        secretOptions: [
          { name: 'splunk-token', valueFrom: secret('splunk') },
          { name: 'a-token', valueFrom: secret('a') },
        ],
      }),
    equivalents: [
      (m) =>
        void (app(m).logConfiguration = {
          logDriver: 'splunk',
          options: { 'splunk-url': 'https://splunk.example.com' },
          secretOptions: [
            { name: 'a-token', valueFrom: secret('a') },
            { name: 'splunk-token', valueFrom: secret('splunk') },
          ],
        }),
    ],
  },
  {
    name: 'container-limits-roles',
    written: (m) => {
      app(m).cpu = 128;
      app(m).memoryReservation = 256;
      app(m).command = ['node', 'server.js'];
      app(m).entryPoint = ['/bin/sh', '-c'];
      app(m).workingDirectory = '/srv';
      app(m).user = '1000';
      td(m).taskRoleArn = 'arn:aws:iam::123456789012:role/app-task';
    },
    equivalents: [],
  },
  {
    name: 'two-containers',
    written: (m) =>
      void td(m).containers.push({ name: 'sidecar', image: 'public.ecr.aws/example/envoy:1', essential: false, portMappings: [{ containerPort: 9901 }] }),
    equivalents: [
      (m) => {
        const [main, sidecar] = td(m).containers;
        sidecar!.portMappings = [{ containerPort: 9901, protocol: 'tcp' }];
        td(m).containers = [sidecar!, main!];
      },
    ],
  },
  {
    name: 'load-balancers-order',
    written: (m) =>
      void (m.spec.loadBalancers = [
        { targetGroupArn: targetGroup('tg-web'), containerName: 'app', containerPort: 3000 },
        { targetGroupArn: targetGroup('tg-admin'), containerName: 'app', containerPort: 3001 },
      ]),
    equivalents: [
      (m) =>
        void (m.spec.loadBalancers = [
          { containerPort: 3001, containerName: 'app', targetGroupArn: targetGroup('tg-admin') },
          { targetGroupArn: targetGroup('tg-web'), containerName: 'app', containerPort: 3000 },
        ]),
    ],
  },
  {
    name: 'capacity-providers',
    written: (m) => {
      delete m.spec.launchType;
      m.spec.capacityProviderStrategy = [
        { capacityProvider: 'FARGATE_SPOT', weight: 3 },
        { capacityProvider: 'FARGATE', weight: 1, base: 1 },
      ];
    },
    equivalents: [
      (m) => {
        delete m.spec.launchType;
        m.spec.capacityProviderStrategy = [
          { capacityProvider: 'FARGATE', base: 1, weight: 1 },
          { capacityProvider: 'FARGATE_SPOT', weight: 3, base: 0 },
        ];
      },
    ],
  },
  {
    name: 'bridge-dynamic-host-port',
    written: (m) => {
      m.spec.launchType = 'EC2';
      delete m.spec.networkConfiguration;
      td(m).networkMode = 'bridge';
      td(m).requiresCompatibilities = ['EC2'];
      app(m).portMappings = [{ containerPort: 3000 }, { containerPort: 3001, hostPort: 8081, name: 'admin' }];
    },
    equivalents: [
      (m) =>
        void (app(m).portMappings = [
          { containerPort: 3000, hostPort: 0 },
          { containerPort: 3001, hostPort: 8081, name: 'admin' },
        ]),
    ],
  },
  {
    name: 'host-network-mode',
    written: (m) => {
      m.spec.launchType = 'EC2';
      delete m.spec.networkConfiguration;
      td(m).networkMode = 'host';
      td(m).requiresCompatibilities = ['EC2'];
      app(m).portMappings = [{ containerPort: 3000 }, { containerPort: 3001, name: 'admin' }];
    },
    equivalents: [
      (m) =>
        void (app(m).portMappings = [
          { containerPort: 3000, hostPort: 3000 },
          { containerPort: 3001, hostPort: 3001, name: 'admin' },
        ]),
    ],
  },
  {
    name: 'desired-count-unmanaged',
    written: (m) => void delete m.spec.desiredCount,
    equivalents: [],
  },
  {
    name: 'all-defaults',
    written: (m) => {
      delete m.spec.platformVersion;
      delete m.spec.deploymentConfiguration;
      delete td(m).networkMode;
      delete app(m).essential;
      td(m).cpu = '0.25 vCPU';
      td(m).memory = '0.5 GB';
    },
    equivalents: [
      (m) => {
        m.spec.platformVersion = 'LATEST';
        m.spec.propagateTags = 'NONE';
        m.spec.enableECSManagedTags = false;
        m.spec.enableExecuteCommand = false;
        m.spec.healthCheckGracePeriodSeconds = 0;
        m.spec.deploymentConfiguration = { maximumPercent: 200, minimumHealthyPercent: 100, circuitBreaker: { enable: false, rollback: false } };
        m.spec.networkConfiguration = { subnets: [SUBNETS[1], SUBNETS[0]], securityGroups: [SECURITY_GROUPS[0]], assignPublicIp: 'DISABLED' };
        td(m).networkMode = 'awsvpc';
        td(m).cpu = 256;
        td(m).memory = '512';
        app(m).essential = true;
      },
    ],
  },
];

function variantManifest(v: Variant, edit: Edit): EcsServiceManifest {
  const m = clone(ecsService(v.name));
  v.written(m);
  edit(m);
  return m;
}

describe('ECS round trip: equivalent manifests plan as noop after one apply', () => {
  const env = useEnv([CLUSTER]);

  for (const v of VARIANTS) {
    it(`${v.name}: no drift after apply, nor for ${v.equivalents.length} equivalent spelling(s)`, async () => {
      const written = variantManifest(v, () => {});
      await converge(env, [written]);
      assertNoop(await planOf(env, [written]), `${v.name} as written`);
      for (const [i, edit] of v.equivalents.entries()) {
        assertNoop(await planOf(env, [variantManifest(v, edit)]), `${v.name} equivalent #${i + 1}`);
      }
    });
  }

  it('taskDefinitionRef as family, family:revision and full ARN all match the revision the service runs', async () => {
    const registered = await env.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'shared-ref',
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        executionRoleArn: EXECUTION_ROLE,
        containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/example/shared:1' }],
      }),
    );
    const arn = registered.taskDefinition!.taskDefinitionArn!;
    const revision = registered.taskDefinition!.revision!;
    const refs = ['shared-ref', `shared-ref:${revision}`, arn];
    for (const applied of refs) {
      const name = `ref-${refs.indexOf(applied)}`;
      const withRef = (ref: string): EcsServiceManifest => {
        const m = clone(ecsService(name));
        delete m.spec.taskDefinition;
        m.spec.taskDefinitionRef = ref;
        return m;
      };
      await converge(env, [withRef(applied)]);
      for (const other of refs) assertNoop(await planOf(env, [withRef(other)]), `${name} applied as ${applied}, planned as ${other}`);
    }
  });
});
