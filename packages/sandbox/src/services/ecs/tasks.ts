import { randomUUID } from 'node:crypto';
import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import { resolveCluster } from './clusters.js';
import { epochSeconds, type EcsContext } from './context.js';
import type { ClusterRecord, DeploymentRecord, EcsTag, ServiceRecord, SubnetInfo, TaskRecord } from './state.js';
import { pageByToken } from './page-token.js';
import { registerServiceConnectInstances } from './service-connect-resources.js';
import { applyTaskFailure } from './task-failures.js';
import { invalidParameter, optString, pageSize, stringList } from './validation.js';

/** How long a STOPPED task stays visible to ListTasks/DescribeTasks (AWS: about an hour). */
const STOPPED_RETENTION_MS = 60 * 60 * 1000;
/** The Fargate platform version a task reports when the service asks for LATEST. */
const FARGATE_PLATFORM_VERSION = '1.4.0';
const AZ_LETTERS = ['a', 'b', 'c'];
/** Tasks without awsvpc share the pseudo subnet of their (simulated) container instance. */
const HOST_SUBNET = 'container-instance';

/** Why a task stops, as DescribeTasks reports it. */
export interface StopReason {
  readonly stoppedReason: string;
  readonly stopCode: 'ServiceSchedulerInitiated' | 'EssentialContainerExited' | 'UserInitiated';
}

/**
 * Starts one task of `deployment` (PENDING now, RUNNING after `taskStartDelayMs`, when it
 * also registers in the deployment's Cloud Map services). `onRunning` runs after that.
 */
export function startTask(ctx: EcsContext, service: ServiceRecord, deployment: DeploymentRecord, onRunning: () => void): TaskRecord {
  const { spec } = deployment;
  const cluster = service.cluster;
  const subnets = spec.networkConfiguration?.awsvpcConfiguration.subnets ?? [];
  const subnetId = subnets.length ? subnets[service.tasksStarted % subnets.length]! : undefined;
  service.tasksStarted++;
  const subnet = subnetInfo(ctx, subnetId ?? HOST_SUBNET);
  const id = ctx.world.hexId(32);
  const launchType = effectiveLaunchType(spec.launchType, spec.capacityProviderStrategy);
  const task: TaskRecord = {
    id,
    arn: `arn:aws:ecs:${ctx.world.options.region}:${ctx.world.options.accountId}:task/${cluster.name}/${id}`,
    cluster,
    service,
    deploymentId: deployment.id,
    taskDefinition: spec.taskDefinition,
    spec,
    lastStatus: 'PENDING',
    desiredStatus: 'RUNNING',
    createdAt: ctx.world.now(),
    launchType,
    ...(launchType === 'FARGATE'
      ? { platformVersion: spec.platformVersion === 'LATEST' || !spec.platformVersion ? FARGATE_PLATFORM_VERSION : spec.platformVersion }
      : {}),
    availabilityZone: subnet.availabilityZone,
    ...(subnetId ? { subnetId } : {}),
    privateIp: nextAddress(subnet),
    eniId: `eni-${ctx.world.hexId(17)}`,
    attachmentId: randomUUID(),
    macAddress: macAddress(ctx.world.hexId(12)),
    group: `service:${service.name}`,
    startedBy: deployment.id,
    registrations: [],
  };
  cluster.tasks.set(id, task);
  task.listHandle = cluster.listedTasks.add(task);
  task.serviceListHandle = service.listedTasks.add(task);
  service.tasks.set(id, task);
  cluster.pendingTasksCount++;
  ctx.world.scheduler.after(ctx.world.options.taskStartDelayMs, () => {
    if (task.lastStatus !== 'PENDING' || task.desiredStatus !== 'RUNNING') return;
    task.lastStatus = 'RUNNING';
    task.startedAt = ctx.world.now();
    cluster.pendingTasksCount--;
    cluster.runningTasksCount++;
    registerInstances(ctx, task, service);
    registerServiceConnectInstances(ctx, task, service);
    applyTaskFailure(ctx, task, service);
    onRunning();
  });
  return task;
}

/** Stops a task; unless `leaveInstanceRegistered`, its Cloud Map instances are deregistered first. */
export function stopTask(ctx: EcsContext, task: TaskRecord, reason: StopReason, leaveInstanceRegistered = false): void {
  if (task.lastStatus === 'STOPPED') return;
  if (!leaveInstanceRegistered) {
    for (const r of task.registrations) ctx.registry?.deregisterInstance(r.registryArn, r.instanceId);
    task.registrations = [];
  }
  const cluster = task.cluster;
  if (task.lastStatus === 'RUNNING') cluster.runningTasksCount--;
  else cluster.pendingTasksCount--;
  const now = ctx.world.now();
  task.lastStatus = 'STOPPED';
  task.desiredStatus = 'STOPPED';
  task.stoppingAt = now;
  task.stoppedAt = now;
  task.stoppedReason = reason.stoppedReason;
  task.stopCode = reason.stopCode;
  task.service?.tasks.delete(task.id);
  ctx.world.scheduler.after(STOPPED_RETENTION_MS, () => forgetTask(task));
}

function forgetTask(task: TaskRecord): void {
  task.cluster.tasks.delete(task.id);
  if (task.listHandle !== undefined) task.cluster.listedTasks.remove(task.listHandle);
  if (task.serviceListHandle !== undefined) task.service?.listedTasks.remove(task.serviceListHandle);
}

function registerInstances(ctx: EcsContext, task: TaskRecord, service: ServiceRecord): void {
  for (const ref of task.spec?.serviceRegistries ?? []) {
    const port = ref.port ?? ref.containerPort;
    const attributes: Record<string, string> = {
      AWS_INSTANCE_IPV4: task.privateIp,
      ...(port !== undefined ? { AWS_INSTANCE_PORT: String(port) } : {}),
      AVAILABILITY_ZONE: task.availabilityZone,
      REGION: ctx.world.options.region,
      ECS_SERVICE_NAME: service.name,
      ECS_CLUSTER_NAME: service.cluster.name,
      ECS_TASK_DEFINITION_FAMILY: task.taskDefinition.family,
      AWS_INIT_HEALTH_STATUS: 'HEALTHY',
    };
    try {
      if (!ctx.registry) throw new Error('no Cloud Map registry is wired');
      ctx.registry.registerInstance(ref.registryArn, task.id, attributes);
      task.registrations.push({ registryArn: ref.registryArn, instanceId: task.id });
    } catch (err) {
      // ECS keeps the task running and reports the failure as a service event.
      const why = err instanceof Error ? err.message : String(err);
      addServiceEvent(ctx, service, `(service ${service.name}) failed to register task ${task.id} in service registry ${ref.registryArn}: ${why}`);
    }
  }
}

/** Prepends an event to the service (newest first, at most 100 kept). */
export function addServiceEvent(ctx: EcsContext, service: ServiceRecord, message: string): void {
  service.events.unshift({ id: randomUUID(), createdAt: ctx.world.now(), message });
  if (service.events.length > 100) service.events.length = 100;
}

export function effectiveLaunchType(launchType: string | undefined, strategy: JsonObject[] | undefined): string {
  if (launchType) return launchType;
  const provider = strategy?.[0]?.['capacityProvider'];
  return typeof provider === 'string' && provider.startsWith('FARGATE') ? 'FARGATE' : 'EC2';
}

function subnetInfo(ctx: EcsContext, subnetId: string): SubnetInfo {
  let info = ctx.state.subnets.get(subnetId);
  if (!info) {
    const index = ctx.state.subnets.size;
    info = { index, availabilityZone: `${ctx.world.options.region}${AZ_LETTERS[index % AZ_LETTERS.length]!}`, nextHost: 0 };
    ctx.state.subnets.set(subnetId, info);
  }
  return info;
}

/** Each subnet gets its own /20 inside 10.0.0.0/8; hosts skip the 4 addresses AWS reserves. */
function nextAddress(subnet: SubnetInfo): string {
  const host = 4 + (subnet.nextHost++ % 4088);
  const n = (10 << 24) + (subnet.index % 4096) * 4096 + host;
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function macAddress(hex: string): string {
  return hex.match(/../g)!.join(':');
}

export function listTasks(ctx: EcsContext, input: JsonObject): JsonObject {
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const limit = pageSize(input, 100, 100);
  const desired = optString(input, 'desiredStatus') ?? 'RUNNING';
  if (desired !== 'RUNNING' && desired !== 'PENDING' && desired !== 'STOPPED') throw invalidParameter(`Invalid desiredStatus: ${desired}.`);
  const serviceName = optString(input, 'serviceName');
  const family = optString(input, 'family');
  const startedBy = optString(input, 'startedBy');
  const launchType = optString(input, 'launchType');
  let index = cluster.listedTasks;
  if (serviceName !== undefined) {
    const service = cluster.services.get(serviceName.slice(serviceName.lastIndexOf('/') + 1));
    if (!service) throw new SandboxError('ServiceNotFoundException', 'Service not found.');
    index = service.listedTasks;
  }
  // PENDING tasks have desiredStatus RUNNING, so the RUNNING filter lists them too (as AWS does).
  const wantStopped = desired === 'STOPPED';
  const page = pageByToken(
    index,
    'tasks',
    limit,
    optString(input, 'nextToken'),
    (t) =>
      (t.desiredStatus === 'STOPPED') === wantStopped &&
      (family === undefined || t.taskDefinition.family === family) &&
      (startedBy === undefined || t.startedBy === startedBy) &&
      (launchType === undefined || t.launchType === launchType),
  );
  return { taskArns: page.items.map((t) => t.arn), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

export function describeTasks(ctx: EcsContext, input: JsonObject): JsonObject {
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const refs = stringList(input, 'tasks');
  if (refs.length === 0) throw invalidParameter('Tasks cannot be empty.');
  if (refs.length > 100) throw invalidParameter('Too many tasks. Max allowed: 100.');
  const withTags = stringList(input, 'include').includes('TAGS');
  const tasks: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const ref of refs) {
    const task = cluster.tasks.get(ref.slice(ref.lastIndexOf('/') + 1));
    if (task) tasks.push(renderTask(task, withTags));
    else
      failures.push({
        arn: ref.startsWith('arn:') ? ref : `arn:aws:ecs:${ctx.world.options.region}:${ctx.world.options.accountId}:task/${cluster.name}/${ref}`,
        reason: 'MISSING',
      });
  }
  return { tasks, failures };
}

/** The task by id or ARN in a cluster, for the admin switches. */
export function findTask(cluster: ClusterRecord, ref: string): TaskRecord | undefined {
  return cluster.tasks.get(ref.slice(ref.lastIndexOf('/') + 1));
}

export function renderTask(t: TaskRecord, withTags: boolean): JsonObject {
  const stopped = t.lastStatus === 'STOPPED';
  const running = t.lastStatus === 'RUNNING' || (stopped && t.startedAt !== undefined);
  const td = t.taskDefinition.body;
  const awsvpc = t.taskDefinition.networkMode === 'awsvpc';
  const at = epochSeconds;
  const arnPrefix = t.cluster.arn.slice(0, t.cluster.arn.indexOf(':cluster/'));
  return {
    ...(awsvpc
      ? {
          attachments: [
            {
              id: t.attachmentId,
              type: 'ElasticNetworkInterface',
              status: stopped ? 'DELETED' : running ? 'ATTACHED' : 'PRECREATED',
              details: [
                ...(t.subnetId ? [{ name: 'subnetId', value: t.subnetId }] : []),
                { name: 'networkInterfaceId', value: t.eniId },
                { name: 'macAddress', value: t.macAddress },
                { name: 'privateDnsName', value: `ip-${t.privateIp.replaceAll('.', '-')}.ec2.internal` },
                { name: 'privateIPv4Address', value: t.privateIp },
              ],
            },
          ],
        }
      : { attachments: [] }),
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: t.availabilityZone,
    clusterArn: t.cluster.arn,
    connectivity: 'CONNECTED',
    connectivityAt: at(t.createdAt),
    containers: t.taskDefinition.containers.map((c) => ({
      containerArn: `${arnPrefix}:container/${t.cluster.name}/${t.id}/${c.name}`,
      taskArn: t.arn,
      name: c.name,
      image: ((td['containerDefinitions'] as JsonObject[]).find((d) => d['name'] === c.name)?.['image'] as string | undefined) ?? '',
      lastStatus: t.lastStatus,
      ...(stopped ? { exitCode: t.stopCode === 'EssentialContainerExited' ? 1 : 0 } : {}),
      networkBindings: [],
      networkInterfaces: awsvpc ? [{ attachmentId: t.attachmentId, privateIpv4Address: t.privateIp }] : [],
      healthStatus: t.failure === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN',
      cpu: '0',
    })),
    ...(td['cpu'] !== undefined ? { cpu: td['cpu'] } : {}),
    ...(td['memory'] !== undefined ? { memory: td['memory'] } : {}),
    createdAt: at(t.createdAt),
    desiredStatus: t.desiredStatus,
    enableExecuteCommand: t.spec?.enableExecuteCommand ?? false,
    group: t.group,
    healthStatus: t.failure === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN',
    lastStatus: t.lastStatus,
    launchType: t.launchType,
    ...(t.platformVersion ? { platformVersion: t.platformVersion, platformFamily: 'Linux' } : {}),
    ...(t.startedAt !== undefined ? { pullStartedAt: at(t.createdAt), pullStoppedAt: at(t.startedAt), startedAt: at(t.startedAt) } : {}),
    ...(t.startedBy ? { startedBy: t.startedBy } : {}),
    ...(stopped
      ? {
          stopCode: t.stopCode,
          stoppedAt: at(t.stoppedAt!),
          stoppedReason: t.stoppedReason,
          stoppingAt: at(t.stoppingAt!),
          executionStoppedAt: at(t.stoppedAt!),
        }
      : {}),
    taskArn: t.arn,
    taskDefinitionArn: t.taskDefinition.arn,
    overrides: { containerOverrides: t.taskDefinition.containers.map((c) => ({ name: c.name })), inferenceAcceleratorOverrides: [] },
    version: stopped ? 3 : running ? 2 : 1,
    ...(withTags ? { tags: taskTags(t) } : {}),
  };
}

function taskTags(t: TaskRecord): readonly EcsTag[] {
  const propagate = t.spec?.propagateTags;
  if (propagate === 'SERVICE') return t.service?.tags ?? [];
  if (propagate === 'TASK_DEFINITION') return t.taskDefinition.tags;
  return [];
}
