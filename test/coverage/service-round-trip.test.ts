/**
 * Every ECS service setting modelled beyond the basics round-trips through the real SDK and
 * the sandbox, one table row per field:
 *  1. the service is applied from a base manifest, then the field is set to a sample value
 *     through the SDK (UpdateService), or by the product when ECS only takes it at creation;
 *  2. the plan of a manifest with the same value is a noop (observe -> diff: no change);
 *  3. the manifest changes the value: the plan shows exactly that change with its effect,
 *     applying it converges, and the next plan is a noop (AWS now has the new value).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RegisterTaskDefinitionCommand, UpdateServiceCommand, type UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { CreateHttpNamespaceCommand, ListNamespacesCommand } from '@aws-sdk/client-servicediscovery';
import type { EcsServiceManifest } from '../../src/manifests/types.js';
import { realWaitSeams } from '../../src/kit/apply-wait.js';
import { waitForOperation } from '../../src/kit/operations.js';
import type { PlanAction } from '../../src/kit/types.js';
import { assertNoop, changesOf, clone, converge, describePlan, planOf, useEnv, type Env } from '../fidelity/helpers.js';
import { CLUSTER, ecsService, td } from '../fidelity/manifests.js';

type Edit = (m: EcsServiceManifest) => void;

interface RoundTripCase {
  readonly name: string;
  /** Shapes the base manifest (launch type, network mode, ...) before anything is applied. */
  readonly base?: Edit;
  /** Registers what the manifest references (e.g. a task definition with launch-time volumes). */
  readonly setup?: (env: Env, name: string) => Promise<void>;
  /** The sample value in the manifest. */
  readonly value: Edit;
  /** The same value set through the SDK; absent: ECS takes it at creation only, so the product creates it. */
  readonly sdk?: Partial<UpdateServiceCommandInput>;
  /** Another value. */
  readonly change: Edit;
  /** `path effect` of the expected changes. */
  readonly expect: string[];
  readonly action: PlanAction;
}

const EBS_ROLE = 'arn:aws:iam::123456789012:role/ecsInfrastructureRole';
const LATTICE_ROLE = 'arn:aws:iam::123456789012:role/ecsLatticeRole';
const LATTICE_TG = 'arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0';

/** EC2 launch type with awsvpc (placement applies). */
const EC2: Edit = (m) => {
  m.spec.launchType = 'EC2';
  td(m).requiresCompatibilities = ['EC2'];
};

/** EC2 with bridge networking (a service role and Classic Load Balancers apply). */
const BRIDGE: Edit = (m) => {
  EC2(m);
  td(m).networkMode = 'bridge';
  delete m.spec.networkConfiguration;
};

/** A task definition (family = name) with a volume configured at launch, referenced instead of inline. */
const WITH_LAUNCH_VOLUME = {
  base: (m: EcsServiceManifest) => {
    delete m.spec.taskDefinition;
    m.spec.taskDefinitionRef = m.metadata.name;
  },
  setup: async (env: Env, name: string) => {
    await env.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: name,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/example/app:1', mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }] }],
        volumes: [{ name: 'data', configuredAtLaunch: true }],
      }),
    );
  },
};

const MESH = 'rt-mesh';

/** The HTTP namespace Service Connect cases publish in (created once; ECS takes it by name). */
async function httpNamespace(env: Env): Promise<void> {
  const sd = env.clients.serviceDiscovery;
  const listed = await sd.send(new ListNamespacesCommand({}));
  if (listed.Namespaces?.some((n) => n.Name === MESH)) return;
  const op = await sd.send(new CreateHttpNamespaceCommand({ Name: MESH }));
  await waitForOperation(sd, op.OperationId ?? '', { initialDelayMs: 5, maxDelayMs: 50, factor: 2, timeoutMs: 3_000 }, realWaitSeams);
}

const ALARMS = { alarmNames: ['high-5xx', 'latency'], enable: true, rollback: true };

const BLUE_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/rt-blue/0123456789abcdef';
const ADVANCED = {
  alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/rt-green/fedcba9876543210',
  productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/rt/1a2b/3c4d/5e6f',
  roleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers',
};
const TEST_RULE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/rt/1a2b/7a8b/9c0d';

/** A load balancer with blue/green traffic shifting and the given native strategy. */
function shifting(strategy: 'BLUE_GREEN' | 'LINEAR' | 'CANARY'): Edit {
  return (m) => {
    m.spec.loadBalancers = [{ targetGroupArn: BLUE_TG, containerName: 'app', containerPort: 3000, advancedConfiguration: { ...ADVANCED } }];
    m.spec.deploymentConfiguration = { strategy };
  };
}
const THRESHOLD = { type: 'COUNT' as const, value: 3 };
const EBS = { roleArn: EBS_ROLE, sizeInGiB: 20, volumeType: 'gp3' as const, encrypted: true, filesystemType: 'xfs' as const };

const CASES: RoundTripCase[] = [
  {
    name: 'az-rebalancing',
    value: (m) => void (m.spec.availabilityZoneRebalancing = 'DISABLED'),
    sdk: { availabilityZoneRebalancing: 'DISABLED' },
    change: (m) => void (m.spec.availabilityZoneRebalancing = 'ENABLED'),
    expect: ['spec.availabilityZoneRebalancing in-place'],
    action: 'update',
  },
  {
    name: 'deploy-alarms',
    value: (m) => void (m.spec.deploymentConfiguration = { alarms: { ...ALARMS, alarmNames: ['latency', 'high-5xx'] } }),
    sdk: { deploymentConfiguration: { alarms: ALARMS } },
    change: (m) => void (m.spec.deploymentConfiguration = { alarms: { ...ALARMS, rollback: false } }),
    expect: ['spec.deploymentConfiguration.alarms.rollback in-place'],
    action: 'update',
  },
  {
    name: 'breaker-threshold',
    value: (m) => void (m.spec.deploymentConfiguration = { circuitBreaker: { enable: true, rollback: true, thresholdConfiguration: THRESHOLD } }),
    sdk: { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true, thresholdConfiguration: THRESHOLD } } },
    change: (m) =>
      void (m.spec.deploymentConfiguration = {
        circuitBreaker: { enable: true, rollback: true, thresholdConfiguration: { type: 'BOUNDED_PERCENT', value: 20 } },
      }),
    expect: [
      'spec.deploymentConfiguration.circuitBreaker.thresholdConfiguration.type in-place',
      'spec.deploymentConfiguration.circuitBreaker.thresholdConfiguration.value in-place',
    ],
    action: 'update',
  },
  {
    name: 'breaker-reset',
    value: (m) => void (m.spec.deploymentConfiguration = { circuitBreaker: { enable: true, rollback: false, resetOnHealthyTask: false } }),
    sdk: { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false, resetOnHealthyTask: false } } },
    change: (m) => void (m.spec.deploymentConfiguration = { circuitBreaker: { enable: true, rollback: false, resetOnHealthyTask: true } }),
    expect: ['spec.deploymentConfiguration.circuitBreaker.resetOnHealthyTask in-place'],
    action: 'update',
  },
  {
    name: 'early-success',
    value: (m) =>
      void (m.spec.deploymentConfiguration = {
        minimumHealthyPercent: 50,
        earlySuccessCriteria: { enable: true, healthyPercent: 80, sourceServiceRevisionCleanup: 'BLOCKING' },
      }),
    sdk: {
      deploymentConfiguration: {
        minimumHealthyPercent: 50,
        earlySuccessCriteria: { enable: true, healthyPercent: 80, sourceServiceRevisionCleanup: 'BLOCKING' },
      },
    },
    change: (m) =>
      void (m.spec.deploymentConfiguration = {
        minimumHealthyPercent: 50,
        earlySuccessCriteria: { enable: true, healthyPercent: 90, sourceServiceRevisionCleanup: 'BLOCKING' },
      }),
    expect: ['spec.deploymentConfiguration.earlySuccessCriteria.healthyPercent in-place'],
    action: 'update',
  },
  {
    name: 'blue-green',
    value: (m) => void (m.spec.deploymentConfiguration = { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 }),
    sdk: { deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 } },
    change: (m) => void (m.spec.deploymentConfiguration = { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 15 }),
    expect: ['spec.deploymentConfiguration.bakeTimeInMinutes in-place'],
    action: 'update',
  },
  {
    name: 'linear-steps',
    base: shifting('LINEAR'),
    value: (m) => void (m.spec.deploymentConfiguration = { strategy: 'LINEAR', linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: 6 } }),
    // stepBakeTimeInMinutes left out: AWS's default 6 is the same value.
    sdk: { deploymentConfiguration: { strategy: 'LINEAR', linearConfiguration: { stepPercent: 20 } } },
    change: (m) => void (m.spec.deploymentConfiguration = { strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 6 } }),
    expect: ['spec.deploymentConfiguration.linearConfiguration.stepPercent in-place'],
    action: 'update',
  },
  {
    name: 'canary-steps',
    base: shifting('CANARY'),
    value: (m) => void (m.spec.deploymentConfiguration = { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 5 } }),
    sdk: { deploymentConfiguration: { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 10 } } },
    change: (m) => void (m.spec.deploymentConfiguration = { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 12.5, canaryBakeTimeInMinutes: 30 } }),
    expect: [
      'spec.deploymentConfiguration.canaryConfiguration.canaryPercent in-place',
      'spec.deploymentConfiguration.canaryConfiguration.canaryBakeTimeInMinutes in-place',
    ],
    action: 'update',
  },
  {
    name: 'lifecycle-hooks',
    base: (m) => void (m.spec.deploymentConfiguration = { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 }),
    value: (m) =>
      void (m.spec.deploymentConfiguration = {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 0,
        lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'POST_SCALE_UP'] }],
      }),
    // Stages in another order and the timeout defaults written out: the same hook.
    sdk: {
      deploymentConfiguration: {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 0,
        lifecycleHooks: [
          {
            targetType: 'PAUSE',
            lifecycleStages: ['POST_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'],
            timeoutConfiguration: { timeoutInMinutes: 1440, action: 'ROLLBACK' },
          },
        ],
      },
    },
    change: (m) =>
      void (m.spec.deploymentConfiguration = {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 0,
        lifecycleHooks: [
          {
            hookTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:smoke-test',
            roleArn: 'arn:aws:iam::123456789012:role/ecs-hooks',
            lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
            hookDetails: { path: '/health' },
            timeoutConfiguration: { timeoutInMinutes: 15, action: 'CONTINUE' },
          },
        ],
      }),
    expect: ['spec.deploymentConfiguration.lifecycleHooks in-place'],
    action: 'update',
  },
  {
    name: 'lb-advanced',
    base: shifting('BLUE_GREEN'),
    value: (m) => void (m.spec.loadBalancers![0]!.advancedConfiguration = { ...ADVANCED, testListenerRule: TEST_RULE }),
    sdk: {
      loadBalancers: [
        { targetGroupArn: BLUE_TG, containerName: 'app', containerPort: 3000, advancedConfiguration: { ...ADVANCED, testListenerRule: TEST_RULE } },
      ],
    },
    change: (m) =>
      void (m.spec.loadBalancers![0]!.advancedConfiguration = {
        ...ADVANCED,
        alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/rt-green-2/0a0b0c0d0e0f0a0b',
      }),
    expect: ['spec.loadBalancers redeploy'],
    action: 'update-redeploys',
  },
  {
    name: 'placement-constraints',
    base: EC2,
    value: (m) => void (m.spec.placementConstraints = [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*' }]),
    sdk: { placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*' }] },
    change: (m) => void (m.spec.placementConstraints = [{ type: 'distinctInstance' }]),
    expect: ['spec.placementConstraints in-place'],
    action: 'update',
  },
  {
    name: 'placement-strategy',
    base: EC2,
    value: (m) => void (m.spec.placementStrategy = [{ type: 'binpack', field: 'memory' }]),
    sdk: { placementStrategy: [{ type: 'binpack', field: 'MEMORY' }] },
    change: (m) => void (m.spec.placementStrategy = [{ type: 'spread', field: 'attribute:ecs.availability-zone' }]),
    expect: ['spec.placementStrategy in-place'],
    action: 'update',
  },
  {
    name: 'classic-elb',
    base: BRIDGE,
    value: (m) => void (m.spec.loadBalancers = [{ loadBalancerName: 'classic-web', containerName: 'app', containerPort: 3000 }]),
    sdk: { loadBalancers: [{ loadBalancerName: 'classic-web', containerName: 'app', containerPort: 3000 }] },
    change: (m) => void (m.spec.loadBalancers = [{ loadBalancerName: 'classic-api', containerName: 'app', containerPort: 3000 }]),
    expect: ['spec.loadBalancers redeploy'],
    action: 'update-redeploys',
  },
  {
    name: 'ebs-volume',
    ...WITH_LAUNCH_VOLUME,
    value: (m) => void (m.spec.volumeConfigurations = [{ name: 'data', managedEBSVolume: EBS }]),
    sdk: { volumeConfigurations: [{ name: 'data', managedEBSVolume: EBS }] },
    change: (m) => void (m.spec.volumeConfigurations = [{ name: 'data', managedEBSVolume: { ...EBS, sizeInGiB: 50, iops: 4000, throughput: 250 } }]),
    expect: ['spec.volumeConfigurations redeploy'],
    action: 'update-redeploys',
  },
  {
    name: 'vpc-lattice',
    value: (m) => void (m.spec.vpcLatticeConfigurations = [{ roleArn: LATTICE_ROLE, targetGroupArn: LATTICE_TG, portName: 'admin' }]),
    sdk: { vpcLatticeConfigurations: [{ roleArn: LATTICE_ROLE, targetGroupArn: LATTICE_TG, portName: 'admin' }] },
    change: (m) => void (m.spec.vpcLatticeConfigurations = []),
    expect: ['spec.vpcLatticeConfigurations redeploy'],
    action: 'update-redeploys',
  },
  {
    name: 'role',
    base: BRIDGE,
    value: (m) => void (m.spec.role = 'ecsServiceRole'),
    change: (m) => void (m.spec.role = 'arn:aws:iam::123456789012:role/other-service-role'),
    expect: ['spec.role replace'],
    action: 'replace',
  },
  {
    name: 'daemon',
    base: (m) => {
      EC2(m);
      delete m.spec.desiredCount;
    },
    value: (m) => void (m.spec.schedulingStrategy = 'DAEMON'),
    change: (m) => void (m.spec.schedulingStrategy = 'REPLICA'),
    expect: ['spec.schedulingStrategy replace'],
    action: 'replace',
  },
  {
    name: 'controller',
    value: (m) => void (m.spec.deploymentController = { type: 'EXTERNAL' }),
    change: (m) => void (m.spec.deploymentController = { type: 'ECS' }),
    expect: ['spec.deploymentController.type replace'],
    action: 'replace',
  },
  {
    name: 'service-connect',
    setup: httpNamespace,
    value: (m) => void (m.spec.serviceConnect = { enabled: true, namespace: MESH, services: [{ portName: 'admin' }] }),
    sdk: { serviceConnectConfiguration: { enabled: true, namespace: MESH, services: [{ portName: 'admin', discoveryName: 'admin' }] } },
    change: (m) =>
      void (m.spec.serviceConnect = {
        enabled: true,
        namespace: MESH,
        services: [{ portName: 'admin', clientAliases: [{ port: 8081, dnsName: 'admin.mesh' }] }],
      }),
    expect: ['spec.serviceConnect.services redeploy'],
    action: 'update-redeploys',
  },
  {
    name: 'service-connect-client',
    setup: httpNamespace,
    value: (m) => void (m.spec.serviceConnect = { enabled: true, namespace: MESH }),
    sdk: { serviceConnectConfiguration: { enabled: true, namespace: MESH } },
    change: (m) => void (m.spec.serviceConnect = { enabled: false }),
    expect: ['spec.serviceConnect.enabled redeploy'],
    action: 'update-redeploys',
  },
  {
    name: 'code-deploy-platform',
    value: (m) => void (m.spec.deploymentController = { type: 'CODE_DEPLOY' }),
    change: (m) => void (m.spec.platformVersion = '1.4.0'),
    expect: ['spec.platformVersion replace'],
    action: 'replace',
  },
];

async function assertRoundTrip(env: Env, c: RoundTripCase): Promise<void> {
  const name = `rt-${c.name}`;
  const base = ecsService(name);
  c.base?.(base);
  await c.setup?.(env, name);
  const same = clone(base);
  c.value(same);
  if (c.sdk) {
    await converge(env, [base]);
    await env.clients.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: name, ...c.sdk }));
  } else {
    await converge(env, [same]);
  }
  assertNoop(await planOf(env, [same]), `${c.name}: the same value`);

  const changed = clone(same);
  c.change(changed);
  if (c.action === 'replace') changed.spec.syncPolicy = { allowReplace: true };
  const plan = await planOf(env, [changed]);
  const key = `EcsService/${CLUSTER}/${name}`;
  assert.deepEqual(changesOf(plan, key), c.expect, describePlan(plan));
  assert.equal(plan.find((p) => p.key === key)?.action, c.action, describePlan(plan));
  await converge(env, [changed]);
  assertNoop(await planOf(env, [changed]), `${c.name}: after apply`);
}

describe('round trip of every modelled ECS service setting', () => {
  const env = useEnv([CLUSTER]);
  for (const c of CASES) {
    it(c.name, () => assertRoundTrip(env, c));
  }
});
