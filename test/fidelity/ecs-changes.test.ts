/**
 * The converse of the round trip: a real change in one field of an applied ECS service shows
 * up as exactly that change with the right effect, and applying it converges (the next plan
 * is noop, so AWS now has the new value).
 */
import { describe, it } from 'node:test';
import type { EcsServiceManifest } from '../../src/manifests/types.js';
import { assertChangeApplies, type ChangeCase, type ChangeSubject, type ManifestEdit } from './change-cases.js';
import { useEnv } from './helpers.js';
import { CLUSTER, SECURITY_GROUPS, SUBNETS, TASK_ROLE, app, ecsService, secret, targetGroup, td } from './manifests.js';

type Edit = ManifestEdit<EcsServiceManifest>;

const C = 'spec.taskDefinition.containers[name=app]';
const WITH_LB: Edit = (m) => void (m.spec.loadBalancers = [{ targetGroupArn: targetGroup('tg-web'), containerName: 'app', containerPort: 3000 }]);

const CHANGES: ChangeCase<EcsServiceManifest>[] = [
  { name: 'image', change: (m) => void (app(m).image = 'public.ecr.aws/example/image:2.0'), expect: [`${C}.image redeploy`], action: 'update-redeploys' },
  { name: 'env-value', change: (m) => void (app(m).environment!['MODE'] = 'green'), expect: [`${C}.environment redeploy`], action: 'update-redeploys' },
  { name: 'env-added', change: (m) => void (app(m).environment!['NEW'] = '1'), expect: [`${C}.environment redeploy`], action: 'update-redeploys' },
  { name: 'env-removed', change: (m) => void delete app(m).environment!['MODE'], expect: [`${C}.environment redeploy`], action: 'update-redeploys' },
  {
    name: 'secret-value',
    change: (m) => void (app(m).secrets![0]!.valueFrom = secret('db-v2')),
    expect: [`${C}.secrets redeploy`],
    action: 'update-redeploys',
  },
  {
    name: 'cpu-memory',
    change: (m) => {
      td(m).cpu = '0.5 vCPU';
      td(m).memory = '1 GB';
    },
    expect: ['spec.taskDefinition.cpu redeploy', 'spec.taskDefinition.memory redeploy'],
    action: 'update-redeploys',
  },
  {
    name: 'container-port',
    change: (m) => void (app(m).portMappings![0]!.containerPort = 8080),
    expect: [`${C}.portMappings redeploy`],
    action: 'update-redeploys',
  },
  {
    name: 'port-protocol',
    change: (m) => void (app(m).portMappings![1]!.protocol = 'udp'),
    expect: [`${C}.portMappings redeploy`],
    action: 'update-redeploys',
  },
  {
    name: 'health-interval',
    base: (m) => void (app(m).healthCheck = { command: ['CMD-SHELL', 'true'] }),
    change: (m) => void (app(m).healthCheck!.interval = 60),
    expect: [`${C}.healthCheck.interval redeploy`],
    action: 'update-redeploys',
  },
  {
    name: 'log-option',
    change: (m) => void (app(m).logConfiguration!.options!['awslogs-stream-prefix'] = 'web'),
    expect: [`${C}.logConfiguration.options redeploy`],
    action: 'update-redeploys',
  },
  { name: 'task-role', change: (m) => void (td(m).taskRoleArn = TASK_ROLE), expect: ['spec.taskDefinition.taskRoleArn redeploy'], action: 'update-redeploys' },
  {
    name: 'health-check-removed',
    base: (m) => void (app(m).healthCheck = { command: ['CMD-SHELL', 'true'], startPeriod: 10 }),
    change: (m) => void delete app(m).healthCheck,
    expect: [`${C}.healthCheck redeploy`],
    action: 'update-redeploys',
  },
  { name: 'log-config-removed', change: (m) => void delete app(m).logConfiguration, expect: [`${C}.logConfiguration redeploy`], action: 'update-redeploys' },
  { name: 'secrets-removed', change: (m) => void delete app(m).secrets, expect: [`${C}.secrets redeploy`], action: 'update-redeploys' },
  { name: 'environment-removed', change: (m) => void delete app(m).environment, expect: [`${C}.environment redeploy`], action: 'update-redeploys' },
  { name: 'ports-removed', change: (m) => void delete app(m).portMappings, expect: [`${C}.portMappings redeploy`], action: 'update-redeploys' },
  {
    name: 'command-removed',
    base: (m) => {
      app(m).command = ['node', 'server.js'];
      app(m).entryPoint = ['/bin/sh', '-c'];
      app(m).memoryReservation = 128;
      app(m).cpu = 64;
    },
    change: (m) => {
      delete app(m).command;
      delete app(m).entryPoint;
      delete app(m).memoryReservation;
      delete app(m).cpu;
    },
    expect: [`${C}.cpu redeploy`, `${C}.memoryReservation redeploy`, `${C}.command redeploy`, `${C}.entryPoint redeploy`],
    action: 'update-redeploys',
  },
  {
    name: 'task-role-removed',
    base: (m) => void (td(m).taskRoleArn = TASK_ROLE),
    change: (m) => void delete td(m).taskRoleArn,
    expect: ['spec.taskDefinition.taskRoleArn redeploy'],
    action: 'update-redeploys',
  },
  {
    name: 'sidecar-removed',
    base: (m) => void td(m).containers.push({ name: 'sidecar', image: 'public.ecr.aws/example/envoy:1', essential: false }),
    change: (m) => void td(m).containers.pop(),
    expect: ['spec.taskDefinition.containers[name=sidecar] redeploy'],
    action: 'update-redeploys',
  },
  { name: 'desired-count', change: (m) => void (m.spec.desiredCount = 3), expect: ['spec.desiredCount in-place'], action: 'update' },
  { name: 'platform-version', change: (m) => void (m.spec.platformVersion = '1.4.0'), expect: ['spec.platformVersion redeploy'], action: 'update-redeploys' },
  { name: 'propagate-tags', change: (m) => void (m.spec.propagateTags = 'SERVICE'), expect: ['spec.propagateTags in-place'], action: 'update' },
  { name: 'exec', change: (m) => void (m.spec.enableExecuteCommand = true), expect: ['spec.enableExecuteCommand in-place'], action: 'update' },
  { name: 'managed-tags', change: (m) => void (m.spec.enableECSManagedTags = true), expect: ['spec.enableECSManagedTags in-place'], action: 'update' },
  {
    name: 'max-percent',
    base: (m) => void (m.spec.deploymentConfiguration = { maximumPercent: 200, minimumHealthyPercent: 100 }),
    change: (m) => void (m.spec.deploymentConfiguration!.maximumPercent = 150),
    expect: ['spec.deploymentConfiguration.maximumPercent in-place'],
    action: 'update',
  },
  {
    name: 'circuit-breaker',
    change: (m) => void (m.spec.deploymentConfiguration = { circuitBreaker: { enable: true, rollback: true } }),
    expect: ['spec.deploymentConfiguration.circuitBreaker.enable in-place', 'spec.deploymentConfiguration.circuitBreaker.rollback in-place'],
    action: 'update',
  },
  {
    name: 'grace-period',
    base: WITH_LB,
    change: (m) => void (m.spec.healthCheckGracePeriodSeconds = 30),
    expect: ['spec.healthCheckGracePeriodSeconds in-place'],
    action: 'update',
  },
  {
    name: 'public-ip',
    change: (m) => void (m.spec.networkConfiguration!.assignPublicIp = 'ENABLED'),
    expect: ['spec.networkConfiguration.assignPublicIp redeploy'],
    action: 'update-redeploys',
  },
  {
    name: 'subnet-added',
    change: (m) => void m.spec.networkConfiguration!.subnets.push(SUBNETS[2]),
    expect: ['spec.networkConfiguration.subnets redeploy'],
    action: 'update-redeploys',
  },
  {
    name: 'security-group',
    change: (m) => void (m.spec.networkConfiguration!.securityGroups = [SECURITY_GROUPS[1]]),
    expect: ['spec.networkConfiguration.securityGroups redeploy'],
    action: 'update-redeploys',
  },
  {
    name: 'load-balancer-added',
    base: WITH_LB,
    change: (m) => void m.spec.loadBalancers!.push({ targetGroupArn: targetGroup('tg-admin'), containerName: 'app', containerPort: 3001 }),
    expect: ['spec.loadBalancers redeploy'],
    action: 'update-redeploys',
  },
  { name: 'tag-value', change: (m) => void (m.spec.tags!['tier'] = 'frontend'), expect: ['spec.tags in-place'], action: 'update' },
  {
    name: 'capacity-weight',
    base: (m) => {
      delete m.spec.launchType;
      m.spec.capacityProviderStrategy = [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }];
    },
    change: (m) =>
      void (m.spec.capacityProviderStrategy = [
        { capacityProvider: 'FARGATE_SPOT', weight: 3 },
        { capacityProvider: 'FARGATE', weight: 1 },
      ]),
    expect: ['spec.capacityProviderStrategy redeploy'],
    action: 'update-redeploys',
  },
  {
    name: 'launch-type-to-capacity',
    change: (m) => {
      delete m.spec.launchType;
      m.spec.capacityProviderStrategy = [{ capacityProvider: 'FARGATE', weight: 1 }];
    },
    expect: ['spec.capacityProviderStrategy redeploy'],
    action: 'update-redeploys',
  },
];

const SERVICE: ChangeSubject<EcsServiceManifest> = {
  manifest: ecsService,
  key: (m) => `EcsService/${CLUSTER}/${m.metadata.name}`,
};

describe('ECS changes: one real change shows up as exactly that change, and applies', () => {
  const env = useEnv([CLUSTER]);

  for (const c of CHANGES) {
    it(`${c.name}: ${c.expect.join(', ')} (${c.action})`, () => assertChangeApplies(env, SERVICE, c));
  }
});
