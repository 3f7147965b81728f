import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import { resolveCluster } from './clusters.js';
import { epochSeconds, type EcsContext } from './context.js';
import { taskCounts } from './deployments.js';
import type { ServiceDeploymentRecord, ServiceDeploymentStatus, ServiceRevisionRecord } from './deployment-store.js';
import { abort, continueHook, rollBack } from './native-deployments.js';
import { findService, serviceNotFound } from './services.js';
import { effectiveLaunchType } from './tasks.js';
import { invalidParameter, optInt, optObject, optString, reqString, stringList } from './validation.js';

/** ListServiceDeployments, DescribeServiceDeployments, StopServiceDeployment, ContinueServiceDeployment, DescribeServiceRevisions. */

const MAX_DESCRIBE = 20;
const notFound = (): SandboxError => new SandboxError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');

function findDeployment(ctx: EcsContext, arn: string): ServiceDeploymentRecord {
  const sd = ctx.state.deploys.serviceDeployments.get(arn);
  if (!sd) throw notFound();
  return sd;
}

export function listServiceDeployments(ctx: EcsContext, input: JsonObject): JsonObject {
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const service = findService(cluster, reqString(input, 'service'));
  if (!service) throw serviceNotFound();
  const statuses = stringList(input, 'status') as ServiceDeploymentStatus[];
  const createdAt = optObject(input, 'createdAt');
  const before = typeof createdAt?.['before'] === 'number' ? createdAt['before'] * 1000 : undefined;
  const after = typeof createdAt?.['after'] === 'number' ? createdAt['after'] * 1000 : undefined;
  const max = optInt(input, 'maxResults') ?? 20;
  if (max < 1 || max > 100) throw invalidParameter('maxResults must be between 1 and 100.');
  const all = ctx.state.deploys
    .ofService(service)
    .filter(
      (d) =>
        (statuses.length === 0 || statuses.includes(d.status)) &&
        (before === undefined || d.createdAt <= before) &&
        (after === undefined || d.createdAt >= after),
    );
  const token = optString(input, 'nextToken');
  const start = token === undefined ? 0 : Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
  if (!Number.isInteger(start) || start < 0 || start > all.length) throw invalidParameter('Invalid nextToken.');
  const page = all.slice(start, start + max);
  const next = start + max < all.length ? Buffer.from(String(start + max), 'utf8').toString('base64url') : undefined;
  return {
    serviceDeployments: page.map((d) => ({
      serviceDeploymentArn: d.arn,
      serviceArn: d.service.arn,
      clusterArn: d.service.cluster.arn,
      startedAt: epochSeconds(d.startedAt),
      createdAt: epochSeconds(d.createdAt),
      ...(d.finishedAt !== undefined ? { finishedAt: epochSeconds(d.finishedAt) } : {}),
      targetServiceRevisionArn: d.target.arn,
      status: d.status,
      ...(d.statusReason !== undefined ? { statusReason: d.statusReason } : {}),
    })),
    ...(next ? { nextToken: next } : {}),
  };
}

export function describeServiceDeployments(ctx: EcsContext, input: JsonObject): JsonObject {
  const arns = stringList(input, 'serviceDeploymentArns');
  if (arns.length === 0) throw invalidParameter('serviceDeploymentArns can not be empty.');
  if (arns.length > MAX_DESCRIBE) throw invalidParameter(`Too many serviceDeploymentArns. Max allowed: ${MAX_DESCRIBE}.`);
  const found: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const arn of arns) {
    const sd = ctx.state.deploys.serviceDeployments.get(arn);
    if (sd) found.push(renderServiceDeployment(sd));
    else failures.push({ arn, reason: 'MISSING' });
  }
  return { serviceDeployments: found, failures };
}

export function stopServiceDeployment(ctx: EcsContext, input: JsonObject): JsonObject {
  const sd = findDeployment(ctx, reqString(input, 'serviceDeploymentArn'));
  const stopType = optString(input, 'stopType') ?? 'ROLLBACK';
  if (stopType !== 'ROLLBACK' && stopType !== 'ABORT') throw invalidParameter(`Invalid stopType: ${stopType}.`);
  if (sd.status !== 'IN_PROGRESS' && sd.status !== 'PENDING') {
    throw new SandboxError('ConflictException', `The service deployment is ${sd.status} and cannot be stopped.`);
  }
  if (stopType === 'ABORT') abort(ctx, sd);
  else rollBack(ctx, sd, 'ECS deployment stopped', 'StopServiceDeployment requested a rollback');
  return { serviceDeploymentArn: sd.arn };
}

export function continueServiceDeployment(ctx: EcsContext, input: JsonObject): JsonObject {
  const sd = findDeployment(ctx, reqString(input, 'serviceDeploymentArn'));
  const hookId = reqString(input, 'hookId');
  const action = optString(input, 'action') ?? 'CONTINUE';
  if (action !== 'CONTINUE' && action !== 'ROLLBACK') throw invalidParameter(`Invalid action: ${action}.`);
  if (!continueHook(ctx, sd, hookId, action)) throw invalidParameter(`The lifecycle hook ${hookId} is not waiting for an action.`);
  return { serviceDeploymentArn: sd.arn };
}

export function describeServiceRevisions(ctx: EcsContext, input: JsonObject): JsonObject {
  const arns = stringList(input, 'serviceRevisionArns');
  if (arns.length === 0) throw invalidParameter('serviceRevisionArns can not be empty.');
  if (arns.length > MAX_DESCRIBE) throw invalidParameter(`Too many serviceRevisionArns. Max allowed: ${MAX_DESCRIBE}.`);
  const found: JsonObject[] = [];
  const failures: JsonObject[] = [];
  for (const arn of arns) {
    const r = ctx.state.deploys.revisions.get(arn);
    if (r) found.push(renderRevision(r));
    else failures.push({ arn, reason: 'MISSING' });
  }
  return { serviceRevisions: found, failures };
}

function revisionSummary(sd: ServiceDeploymentRecord, r: ServiceRevisionRecord, isTarget: boolean): JsonObject {
  const d = sd.service.deployments.find((x) => x.id === r.deploymentId);
  const c = taskCounts(sd.service).get(r.deploymentId) ?? { running: 0, pending: 0 };
  return {
    arn: r.arn,
    requestedTaskCount: d?.desiredCount ?? 0,
    runningTaskCount: c.running,
    pendingTaskCount: c.pending,
    requestedTestTrafficWeight: isTarget ? sd.testWeight : 100 - sd.testWeight,
    requestedProductionTrafficWeight: isTarget ? sd.productionWeight : 100 - sd.productionWeight,
  };
}

export function renderServiceDeployment(sd: ServiceDeploymentRecord): JsonObject {
  return {
    serviceDeploymentArn: sd.arn,
    serviceArn: sd.service.arn,
    clusterArn: sd.service.cluster.arn,
    createdAt: epochSeconds(sd.createdAt),
    startedAt: epochSeconds(sd.startedAt),
    ...(sd.finishedAt !== undefined ? { finishedAt: epochSeconds(sd.finishedAt) } : {}),
    ...(sd.stoppedAt !== undefined ? { stoppedAt: epochSeconds(sd.stoppedAt) } : {}),
    updatedAt: epochSeconds(sd.updatedAt),
    sourceServiceRevisions: sd.sources.map((r) => revisionSummary(sd, r, false)),
    targetServiceRevision: revisionSummary(sd, sd.target, true),
    status: sd.status,
    ...(sd.statusReason !== undefined ? { statusReason: sd.statusReason } : {}),
    ...(sd.lifecycleStage !== undefined ? { lifecycleStage: sd.lifecycleStage } : {}),
    ...(sd.hooks.length > 0
      ? {
          lifecycleHookDetails: sd.hooks.map((h) => ({
            hookId: h.hookId,
            targetType: h.targetType,
            ...(h.targetArn !== undefined ? { targetArn: h.targetArn } : {}),
            status: h.status,
            expiresAt: epochSeconds(h.expiresAt),
            timeoutAction: h.timeoutAction,
          })),
        }
      : {}),
    deploymentConfiguration: sd.config,
    ...(sd.rollback
      ? { rollback: { reason: sd.rollback.reason, startedAt: epochSeconds(sd.rollback.startedAt), serviceRevisionArn: sd.rollback.serviceRevisionArn } }
      : {}),
    deploymentCircuitBreaker: { ...sd.breaker },
    alarms: {
      status: sd.alarms.status,
      ...(sd.alarms.alarmNames.length > 0 ? { alarmNames: sd.alarms.alarmNames } : {}),
      ...(sd.alarms.triggeredAlarmNames.length > 0 ? { triggeredAlarmNames: sd.alarms.triggeredAlarmNames } : {}),
    },
  };
}

function renderRevision(r: ServiceRevisionRecord): JsonObject {
  const spec = r.spec;
  const launchType = effectiveLaunchType(spec.launchType, spec.capacityProviderStrategy);
  return {
    serviceRevisionArn: r.arn,
    serviceArn: r.service.arn,
    clusterArn: r.service.cluster.arn,
    taskDefinition: spec.taskDefinition.arn,
    ...(spec.capacityProviderStrategy ? { capacityProviderStrategy: spec.capacityProviderStrategy } : { launchType }),
    ...(spec.platformVersion ? { platformVersion: spec.platformVersion, platformFamily: 'Linux' } : {}),
    loadBalancers: spec.loadBalancers,
    serviceRegistries: spec.serviceRegistries,
    ...(spec.networkConfiguration ? { networkConfiguration: spec.networkConfiguration } : {}),
    ...(spec.serviceConnectConfiguration ? { serviceConnectConfiguration: spec.serviceConnectConfiguration } : {}),
    ...(spec.volumeConfigurations ? { volumeConfigurations: spec.volumeConfigurations } : {}),
    ...(spec.vpcLatticeConfigurations ? { vpcLatticeConfigurations: spec.vpcLatticeConfigurations } : {}),
    createdAt: epochSeconds(r.createdAt),
  };
}
