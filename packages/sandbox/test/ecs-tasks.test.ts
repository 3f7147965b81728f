import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EcsSandboxService } from '../src/services/ecs/index.js';
import { resolveOptions, type JsonObject } from '../src/types.js';
import { SandboxWorld, type CloudMapInstanceRegistry } from '../src/world.js';

const REGISTRY = 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-name';
const START_MS = 1_000;
const DRAIN_MS = 500;

/** Records registrations the way Cloud Map would hold them. */
class FakeRegistry implements CloudMapInstanceRegistry {
  readonly instances = new Map<string, Map<string, Record<string, string>>>([[REGISTRY, new Map()]]);
  hasService(arn: string): boolean {
    return this.instances.has(arn);
  }
  registerInstance(arn: string, id: string, attributes: Record<string, string>): void {
    const svc = this.instances.get(arn);
    if (!svc) throw new Error(`ServiceNotFound ${arn}`);
    svc.set(id, attributes);
  }
  deregisterInstance(arn: string, id: string): void {
    this.instances.get(arn)?.delete(id);
  }
  ids(): string[] {
    return [...this.instances.get(REGISTRY)!.keys()].sort();
  }
}

describe('sandbox ECS simulated tasks (in process, fake Cloud Map)', () => {
  let clock: number;
  let world: SandboxWorld;
  let registry: FakeRegistry;
  let ecs: EcsSandboxService;
  const call = (operation: string, input: JsonObject): JsonObject => ecs.operations[operation]!(input) as JsonObject;
  const advance = (ms: number): void => {
    clock += ms;
    world.scheduler.runDue();
  };
  const service = (name = 'name'): JsonObject => (call('DescribeServices', { cluster: 'apps', services: [name] })['services'] as JsonObject[])[0]!;
  const taskArns = (input: JsonObject = {}): string[] => call('ListTasks', { cluster: 'apps', ...input })['taskArns'] as string[];
  const tasks = (arns: string[]): JsonObject[] => call('DescribeTasks', { cluster: 'apps', tasks: arns })['tasks'] as JsonObject[];
  const runningIds = (name = 'name'): string[] =>
    tasks(taskArns({ serviceName: name }))
      .filter((t) => t['lastStatus'] === 'RUNNING')
      .map((t) => String(t['taskArn']).split('/').pop()!)
      .sort();
  const detail = (task: JsonObject, name: string): string | undefined =>
    ((task['attachments'] as JsonObject[])[0]!['details'] as { name: string; value: string }[]).find((d) => d.name === name)?.value;

  beforeEach(() => {
    clock = 1_700_000_000_000;
    world = new SandboxWorld(resolveOptions({ now: () => clock, taskStartDelayMs: START_MS, drainDelayMs: DRAIN_MS }));
    registry = new FakeRegistry();
    ecs = new EcsSandboxService(world, registry);
    call('CreateCluster', { clusterName: 'apps' });
    call('RegisterTaskDefinition', {
      family: 'name',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image: 'name:v1', portMappings: [{ containerPort: 3000 }] }],
    });
  });

  const createService = (desiredCount: number, extra: JsonObject = {}): void => {
    call('CreateService', {
      cluster: 'apps',
      serviceName: 'name',
      taskDefinition: 'name',
      desiredCount,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'] } },
      serviceRegistries: [{ registryArn: REGISTRY, containerName: 'app', containerPort: 3000 }],
      ...extra,
    });
  };

  it('reaches the desired count of RUNNING tasks only after the task start delay', () => {
    createService(3);
    assert.equal(service()['pendingCount'], 3);
    assert.equal(service()['runningCount'], 0);
    advance(START_MS - 1);
    assert.equal(service()['runningCount'], 0);
    advance(1);
    assert.equal(service()['runningCount'], 3);
    assert.equal(service()['pendingCount'], 0);
    assert.equal(taskArns({ serviceName: 'name' }).length, 3);
    const cluster = (call('DescribeClusters', { clusters: ['apps'] })['clusters'] as JsonObject[])[0]!;
    assert.equal(cluster['runningTasksCount'], 3);
    assert.equal(cluster['activeServicesCount'], 1);
  });

  it('gives each task an ARN, its task definition, launch type, zone and an ENI with a private IP from its subnet', () => {
    createService(4);
    advance(START_MS);
    const described = tasks(taskArns());
    assert.equal(described.length, 4);
    const ips = new Set<string>();
    for (const t of described) {
      assert.match(String(t['taskArn']), /^arn:aws:ecs:us-east-1:123456789012:task\/apps\/[0-9a-f]{32}$/);
      assert.equal(t['taskDefinitionArn'], 'arn:aws:ecs:us-east-1:123456789012:task-definition/name:1');
      assert.equal(t['launchType'], 'FARGATE');
      assert.equal(t['lastStatus'], 'RUNNING');
      assert.equal(t['group'], 'service:name');
      assert.match(String(t['availabilityZone']), /^us-east-1[abc]$/);
      const ip = detail(t, 'privateIPv4Address')!;
      assert.match(ip, /^10\.\d+\.\d+\.\d+$/);
      ips.add(ip);
      assert.ok(['subnet-a', 'subnet-b'].includes(detail(t, 'subnetId')!));
    }
    assert.equal(ips.size, 4, 'every task has its own address');
    // Tasks in the same subnet share the subnet's /20 block; the two subnets have different blocks.
    const block = (t: JsonObject): number =>
      detail(t, 'privateIPv4Address')!
        .split('.')
        .reduce((n, o) => n * 256 + Number(o), 0) >>> 12;
    const blocks = new Map<string, Set<number>>();
    for (const t of described) blocks.set(detail(t, 'subnetId')!, (blocks.get(detail(t, 'subnetId')!) ?? new Set<number>()).add(block(t)));
    assert.equal(blocks.get('subnet-a')!.size, 1);
    assert.equal(blocks.get('subnet-b')!.size, 1);
    assert.notDeepEqual([...blocks.get('subnet-a')!], [...blocks.get('subnet-b')!]);
    // Stable: describing again gives the same address.
    const again = tasks([String(described[0]!['taskArn'])])[0]!;
    assert.equal(detail(again, 'privateIPv4Address'), detail(described[0]!, 'privateIPv4Address'));
  });

  it('registers one Cloud Map instance per started task (instance id = task id) with the ECS attributes', () => {
    createService(2);
    assert.deepEqual(registry.ids(), [], 'nothing registers while tasks are PENDING');
    advance(START_MS);
    assert.deepEqual(registry.ids(), runningIds());
    const t = tasks(taskArns())[0]!;
    const id = String(t['taskArn']).split('/').pop()!;
    assert.deepEqual(registry.instances.get(REGISTRY)!.get(id), {
      AWS_INSTANCE_IPV4: detail(t, 'privateIPv4Address'),
      AWS_INSTANCE_PORT: '3000',
      AVAILABILITY_ZONE: t['availabilityZone'],
      REGION: 'us-east-1',
      ECS_SERVICE_NAME: 'name',
      ECS_CLUSTER_NAME: 'apps',
      ECS_TASK_DEFINITION_FAMILY: 'name',
      AWS_INIT_HEALTH_STATUS: 'HEALTHY',
    });
  });

  it('leaves out AWS_INSTANCE_PORT when the registry names no port', () => {
    createService(1, { serviceRegistries: [{ registryArn: REGISTRY }] });
    advance(START_MS);
    const attrs = [...registry.instances.get(REGISTRY)!.values()][0]!;
    assert.equal(attrs['AWS_INSTANCE_PORT'], undefined);
    assert.ok(attrs['AWS_INSTANCE_IPV4']);
  });

  it('stops tasks and deregisters their instances when scaled down', () => {
    createService(3);
    advance(START_MS);
    call('UpdateService', { cluster: 'apps', service: 'name', desiredCount: 1 });
    assert.equal(service()['runningCount'], 1);
    assert.deepEqual(registry.ids(), runningIds());
    assert.equal(registry.ids().length, 1);
    const stopped = tasks(taskArns({ desiredStatus: 'STOPPED' }));
    assert.equal(stopped.length, 2);
    assert.ok(stopped.every((t) => t['lastStatus'] === 'STOPPED' && String(t['stoppedReason']).startsWith('Scaling activity initiated by')));
  });

  it('replaces tasks on a new deployment: new ones register first, old ones deregister once the new ones run', () => {
    createService(2);
    advance(START_MS);
    const before = registry.ids();
    call('RegisterTaskDefinition', {
      family: 'name',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image: 'name:v2', portMappings: [{ containerPort: 3000 }] }],
    });
    call('UpdateService', { cluster: 'apps', service: 'name', taskDefinition: 'name:2' });
    assert.equal(service()['runningCount'], 2);
    assert.equal(service()['pendingCount'], 2);
    assert.deepEqual(registry.ids(), before, 'old tasks stay registered while new ones start');
    advance(START_MS);
    const after = registry.ids();
    assert.equal(after.length, 2);
    assert.ok(after.every((id) => !before.includes(id)));
    const s = service();
    assert.equal((s['deployments'] as JsonObject[]).length, 1);
    assert.ok(tasks(taskArns()).every((t) => String(t['taskDefinitionArn']).endsWith('name:2')));
  });

  it('deregisters every instance when serviceRegistries is set to []', () => {
    createService(2);
    advance(START_MS);
    const updated = call('UpdateService', { cluster: 'apps', service: 'name', serviceRegistries: [] })['service'] as JsonObject;
    assert.deepEqual(updated['serviceRegistries'], []);
    assert.equal((updated['deployments'] as JsonObject[]).length, 2);
    advance(START_MS);
    assert.deepEqual(registry.ids(), []);
    assert.equal(service()['runningCount'], 2);
  });

  it('stops all tasks and deregisters their instances when the service is deleted, then goes INACTIVE after the drain delay', () => {
    createService(2);
    advance(START_MS);
    call('DeleteService', { cluster: 'apps', service: 'name', force: true });
    assert.deepEqual(registry.ids(), []);
    assert.equal(service()['status'], 'DRAINING');
    assert.equal(service()['runningCount'], 0);
    assert.deepEqual(taskArns(), []);
    advance(DRAIN_MS);
    assert.equal(service()['status'], 'INACTIVE');
  });

  it('stale-instance fault: stops a task, leaves its instance registered, and starts a replacement', () => {
    createService(2);
    advance(START_MS);
    const [victim, survivor] = runningIds();
    const out = ecs.stopTask('apps', victim!, { leaveInstanceRegistered: true });
    assert.equal(out.lastStatus, 'STOPPED');
    assert.deepEqual(out.leftRegistered, [{ registryArn: REGISTRY, instanceId: victim }]);
    assert.equal(service()['pendingCount'], 1, 'ECS starts a replacement to keep the desired count');
    advance(START_MS);
    const running = runningIds();
    assert.equal(running.length, 2);
    assert.ok(running.includes(survivor!));
    assert.ok(!running.includes(victim!));
    assert.deepEqual(registry.ids(), [...running, victim!].sort(), 'the stopped task is still registered');
    const stopped = tasks([victim!])[0]!;
    assert.equal(stopped['stopCode'], 'EssentialContainerExited');
  });

  it('stopping a task without the fault deregisters it', () => {
    createService(1);
    advance(START_MS);
    const [victim] = runningIds();
    ecs.stopTask('apps', victim!);
    assert.deepEqual(registry.ids(), []);
    advance(START_MS);
    assert.deepEqual(registry.ids(), runningIds());
  });

  it('answers the stale-instance switch on the admin route', () => {
    createService(1);
    advance(START_MS);
    const [victim] = runningIds();
    const out = ecs.admin('POST', 'stop-task', { cluster: 'apps', task: victim!, leaveInstanceRegistered: true }) as { lastStatus: string };
    assert.equal(out.lastStatus, 'STOPPED');
    assert.deepEqual(registry.ids(), [victim]);
    assert.equal(ecs.admin('GET', 'nothing', {}), undefined);
    assert.throws(() => ecs.admin('POST', 'stop-task', { cluster: 'apps', task: 'f'.repeat(32) }), /not found/);
  });

  it('keeps running a task whose registration fails and says so in the service events', () => {
    createService(1);
    registry.instances.delete(REGISTRY);
    advance(START_MS);
    assert.equal(service()['runningCount'], 1);
    const messages = (service()['events'] as JsonObject[]).map((e) => String(e['message']));
    assert.ok(
      messages.some((m) => m.includes('failed to register')),
      messages.join('\n'),
    );
  });

  it('pages ListTasks, filters by service and desired status, and reports unknown tasks and services', () => {
    createService(5);
    advance(START_MS);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = call('ListTasks', { cluster: 'apps', serviceName: 'name', maxResults: 2, ...(token ? { nextToken: token } : {}) });
      seen.push(...(out['taskArns'] as string[]));
      token = out['nextToken'] as string | undefined;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 5);
    assert.deepEqual(taskArns({ desiredStatus: 'STOPPED' }), []);
    assert.throws(
      () => call('ListTasks', { cluster: 'apps', serviceName: 'ghost' }),
      (err: Error & { code?: string }) => err.code === 'ServiceNotFoundException',
    );
    const out = call('DescribeTasks', { cluster: 'apps', tasks: ['0'.repeat(32)] });
    assert.deepEqual(out['tasks'], []);
    assert.deepEqual(out['failures'], [{ arn: `arn:aws:ecs:us-east-1:123456789012:task/apps/${'0'.repeat(32)}`, reason: 'MISSING' }]);
  });

  it('records service events for started tasks and the steady state, newest first', () => {
    createService(2);
    advance(START_MS);
    const messages = (service()['events'] as JsonObject[]).map((e) => String(e['message']));
    assert.match(messages[0]!, /^\(service name\) has reached a steady state\.$/);
    assert.ok(messages.some((m) => /^\(service name\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/.test(m)));
  });
});
