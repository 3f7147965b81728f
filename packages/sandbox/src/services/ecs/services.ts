import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import { resolveCluster } from './clusters.js';
import { epochSeconds, type EcsContext } from './context.js';
import { reconcileService, renderDeployment, startDeployment, stopTasks, taskCounts } from './deployments.js';
import { STRATEGY_NEEDS_FORCE, buildSpec, needsDeployment, strategyChanged } from './service-spec.js';
import { OrderedIndex } from '../../ordered-index.js';
import { pageByToken } from './page-token.js';
import { checkStrategyController } from './deployment-config.js';
import { attachServiceConnect, checkServiceConnectClaims } from './service-connect-resources.js';
import type { ClusterRecord, ServiceRecord, TaskRecord } from './state.js';
import { canonicalJson, checkName, invalidParameter, optBool, optInt, optObject, optString, pageSize, parseTags, reqString, stringList } from './validation.js';

export const serviceNotFound = (): SandboxError => new SandboxError('ServiceNotFoundException', 'Service not found.');
const serviceNotActive = (): SandboxError => new SandboxError('ServiceNotActiveException', 'Service was not ACTIVE.');

/** The service name in a name or ARN (`...:service/<cluster>/<name>` or the old `...:service/<name>`). */
export function serviceNameOf(ref: string): string {
  return ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
}

export function findService(cluster: ClusterRecord, ref: string): ServiceRecord | undefined {
  return cluster.services.get(serviceNameOf(ref));
}

export function createService(ctx: EcsContext, input: JsonObject): JsonObject {
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const name = reqString(input, 'serviceName');
  checkName('Service', name);
  const clientToken = optString(input, 'clientToken');
  if (clientToken !== undefined && clientToken.length > 32) throw invalidParameter('clientToken can have at most 32 characters.');
  const request = canonicalJson(input);
  const existing = cluster.services.get(name);
  if (existing && existing.status !== 'INACTIVE') {
    // A repeated request with the same clientToken and parameters returns the same service.
    if (clientToken !== undefined && existing.clientToken === clientToken && existing.createRequest === request) {
      return { service: renderService(ctx, existing, false) };
    }
    throw invalidParameter('Creation of service was not idempotent.');
  }
  const spec = buildSpec(ctx, undefined, input);
  const arn = `arn:aws:ecs:${ctx.world.options.region}:${ctx.world.options.accountId}:service/${cluster.name}/${name}`;
  checkServiceConnectClaims(ctx, arn, spec.serviceConnect, 'CreateService');
  const schedulingStrategy = optString(input, 'schedulingStrategy') ?? 'REPLICA';
  if (schedulingStrategy !== 'REPLICA' && schedulingStrategy !== 'DAEMON') throw invalidParameter(`Invalid schedulingStrategy: ${schedulingStrategy}.`);
  if (schedulingStrategy === 'DAEMON' && spec.launchType === 'FARGATE')
    throw invalidParameter('The daemon scheduling strategy does not support the FARGATE launch type.');
  const desiredCount = optInt(input, 'desiredCount') ?? 0;
  if (desiredCount < 0) throw invalidParameter('desiredCount must be 0 or greater.');
  const controller = optObject(input, 'deploymentController') ?? { type: 'ECS' };
  const controllerType = optString(controller, 'type') ?? 'ECS';
  if (!DEPLOYMENT_CONTROLLERS.has(controllerType)) throw invalidParameter(`Invalid deploymentController type: ${controllerType}.`);
  checkStrategyController(spec.deploymentConfiguration, controllerType);
  if (schedulingStrategy === 'DAEMON' && spec.volumeConfigurations !== undefined) {
    throw invalidParameter('volumeConfigurations is only supported for REPLICA services.');
  }
  const role = optString(input, 'role');
  const tags = parseTags(input['tags']);

  const service: ServiceRecord = {
    arn,
    name,
    cluster,
    status: 'ACTIVE',
    spec,
    // A daemon service runs one task per container instance; the sandbox simulates none.
    desiredCount: schedulingStrategy === 'DAEMON' ? 0 : desiredCount,
    schedulingStrategy,
    deploymentController: { type: controllerType },
    ...(role !== undefined ? { roleArn: role.startsWith('arn:') ? role : `arn:aws:iam::${ctx.world.options.accountId}:role/${role}` } : {}),
    createdAt: ctx.world.now(),
    ...(clientToken !== undefined ? { clientToken } : {}),
    createRequest: request,
    tags,
    deployments: [],
    events: [],
    tasks: new Map<string, TaskRecord>(),
    listedTasks: new OrderedIndex<TaskRecord>(),
    tasksStarted: 0,
  };
  if (existing) cluster.services.delete(name);
  cluster.services.set(name, service);
  service.listHandle = cluster.listedServices.add(service);
  cluster.activeServicesCount++;
  attachServiceConnect(ctx, service, spec.serviceConnect);
  startDeployment(ctx, service, spec);
  reconcileService(ctx, service);
  return { service: renderService(ctx, service, false) };
}

export function updateService(ctx: EcsContext, input: JsonObject): JsonObject {
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const service = findService(cluster, reqString(input, 'service'));
  if (!service) throw serviceNotFound();
  if (service.status !== 'ACTIVE') throw serviceNotActive();
  checkControllerAllows(service, input);
  const spec = buildSpec(ctx, service.spec, input);
  checkStrategyController(spec.deploymentConfiguration, String(service.deploymentController['type'] ?? 'ECS'));
  const desiredCount = optInt(input, 'desiredCount');
  if (desiredCount !== undefined && desiredCount < 0) throw invalidParameter('desiredCount must be 0 or greater.');
  const force = optBool(input, 'forceNewDeployment') === true;
  if (strategyChanged(service.spec, spec) && !force) throw invalidParameter(STRATEGY_NEEDS_FORCE);
  const redeploy = needsDeployment(service.spec, spec) || force;
  checkServiceConnectClaims(ctx, service.arn, spec.serviceConnect, 'UpdateService');
  attachServiceConnect(ctx, service, spec.serviceConnect);
  service.spec = spec;
  if (desiredCount !== undefined && service.schedulingStrategy === 'REPLICA') service.desiredCount = desiredCount;
  if (redeploy) startDeployment(ctx, service, spec);
  reconcileService(ctx, service);
  return { service: renderService(ctx, service, false) };
}

const DEPLOYMENT_CONTROLLERS = new Set(['ECS', 'CODE_DEPLOY', 'EXTERNAL']);

/**
 * What UpdateService may change under each deployment controller other than ECS (UpdateService
 * API reference): the rest needs a CodeDeploy deployment or a new task set.
 */
const UPDATABLE_UNDER: Readonly<Record<string, ReadonlySet<string>>> = {
  CODE_DEPLOY: new Set([
    'desiredCount',
    'deploymentConfiguration',
    'healthCheckGracePeriodSeconds',
    'placementConstraints',
    'placementStrategy',
    'enableECSManagedTags',
    'propagateTags',
  ]),
  EXTERNAL: new Set(['desiredCount', 'healthCheckGracePeriodSeconds', 'placementConstraints', 'placementStrategy', 'enableECSManagedTags', 'propagateTags']),
};

function checkControllerAllows(service: ServiceRecord, input: JsonObject): void {
  const type = String(service.deploymentController['type'] ?? 'ECS');
  const allowed = UPDATABLE_UNDER[type];
  if (!allowed) return;
  for (const key of Object.keys(input)) {
    if (key === 'cluster' || key === 'service' || input[key] === undefined || allowed.has(key)) continue;
    throw invalidParameter(`Unable to update ${key} on a service using the ${type} deployment controller.`);
  }
}

export function deleteService(ctx: EcsContext, input: JsonObject): JsonObject {
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const service = findService(cluster, reqString(input, 'service'));
  if (!service || service.status === 'INACTIVE') throw serviceNotFound();
  if (service.status === 'DRAINING') return { service: renderService(ctx, service, false) };
  const force = optBool(input, 'force') === true;
  if (!force && service.desiredCount > 0 && service.schedulingStrategy === 'REPLICA') {
    throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
  }
  service.desiredCount = 0;
  service.status = 'DRAINING';
  cluster.activeServicesCount--;
  reconcileService(ctx, service);
  // Tasks of older deployments go too; a DRAINING service keeps none.
  stopTasks(ctx, service, [...service.tasks.values()], { stoppedReason: 'Service is being deleted', stopCode: 'ServiceSchedulerInitiated' });
  ctx.world.scheduler.after(ctx.world.options.drainDelayMs, () => {
    if (service.status !== 'DRAINING') return;
    service.status = 'INACTIVE';
    if (service.listHandle !== undefined) cluster.listedServices.remove(service.listHandle);
    service.listHandle = undefined;
  });
  return { service: renderService(ctx, service, false) };
}

const MAX_DESCRIBE = 10;

export function describeServices(ctx: EcsContext, input: JsonObject): JsonObject {
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const refs = stringList(input, 'services');
  if (refs.length === 0) throw invalidParameter('Services cannot be empty.');
  if (refs.length > MAX_DESCRIBE) throw invalidParameter(`Too many services. Max allowed: ${MAX_DESCRIBE}.`);
  const withTags = stringList(input, 'include').includes('TAGS');
  const services: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const ref of refs) {
    const service = findService(cluster, ref);
    if (service) services.push(renderService(ctx, service, withTags));
    else
      failures.push({
        arn: ref.startsWith('arn:') ? ref : `arn:aws:ecs:${ctx.world.options.region}:${ctx.world.options.accountId}:service/${cluster.name}/${ref}`,
        reason: 'MISSING',
      });
  }
  return { services, failures };
}

export function listServices(ctx: EcsContext, input: JsonObject): JsonObject {
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const limit = pageSize(input, 10, 100);
  const launchType = optString(input, 'launchType');
  const scheduling = optString(input, 'schedulingStrategy');
  const page = pageByToken(
    cluster.listedServices,
    'services',
    limit,
    optString(input, 'nextToken'),
    (s) => (launchType === undefined || s.spec.launchType === launchType) && (scheduling === undefined || s.schedulingStrategy === scheduling),
  );
  return { serviceArns: page.items.map((s) => s.arn), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

export function renderService(ctx: EcsContext, s: ServiceRecord, withTags: boolean): JsonObject {
  const counts = taskCounts(s);
  const total = counts.get('') ?? { running: 0, pending: 0 };
  const spec = s.spec;
  return {
    serviceArn: s.arn,
    serviceName: s.name,
    clusterArn: s.cluster.arn,
    loadBalancers: spec.loadBalancers,
    serviceRegistries: spec.serviceRegistries,
    status: s.status,
    desiredCount: s.desiredCount,
    runningCount: total.running,
    pendingCount: total.pending,
    ...(spec.launchType !== undefined ? { launchType: spec.launchType } : {}),
    ...(spec.capacityProviderStrategy ? { capacityProviderStrategy: spec.capacityProviderStrategy } : {}),
    ...(spec.platformVersion !== undefined ? { platformVersion: spec.platformVersion, platformFamily: 'Linux' } : {}),
    taskDefinition: spec.taskDefinition.arn,
    deploymentConfiguration: spec.deploymentConfiguration,
    deployments: s.deployments.map((d) => renderDeployment(d, counts)),
    ...(s.roleArn !== undefined ? { roleArn: s.roleArn } : {}),
    events: s.events.map((e) => ({ id: e.id, createdAt: epochSeconds(e.createdAt), message: e.message })),
    createdAt: epochSeconds(s.createdAt),
    placementConstraints: spec.placementConstraints,
    placementStrategy: spec.placementStrategy,
    ...(spec.networkConfiguration ? { networkConfiguration: spec.networkConfiguration } : {}),
    healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds,
    schedulingStrategy: s.schedulingStrategy,
    deploymentController: s.deploymentController,
    createdBy: `arn:aws:iam::${ctx.world.options.accountId}:root`,
    enableECSManagedTags: spec.enableECSManagedTags,
    propagateTags: spec.propagateTags,
    enableExecuteCommand: spec.enableExecuteCommand,
    availabilityZoneRebalancing: spec.availabilityZoneRebalancing,
    ...(withTags ? { tags: s.tags } : {}),
  };
}
