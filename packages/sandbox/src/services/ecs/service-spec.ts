import type { JsonObject } from '../../types.js';
import type { EcsContext } from './context.js';
import { checkDeploymentStrategy } from './deployment-config.js';
import type { AwsVpcConfig, ServiceRegistryRef, ServiceSpec, TaskDefinitionRecord } from './state.js';
import { serviceConnectSpec } from './service-connect.js';
import { findTaskDefinition } from './task-definitions.js';
import { effectiveLaunchType } from './tasks.js';
import { canonicalJson, clientError, invalidParameter, objectList, optBool, optInt, optObject, optString } from './validation.js';

const LAUNCH_TYPES = new Set(['EC2', 'FARGATE', 'EXTERNAL']);
const PROPAGATE_TAGS = new Set(['NONE', 'SERVICE', 'TASK_DEFINITION']);
const DEFAULT_DEPLOYMENT_CONFIGURATION: JsonObject = {
  deploymentCircuitBreaker: { enable: false, rollback: false },
  maximumPercent: 200,
  minimumHealthyPercent: 100,
};

/**
 * The service spec a CreateService (`base` absent) or UpdateService (`base` = current spec)
 * request asks for, with AWS's defaults filled in and AWS's cross-field rules checked on
 * the result.
 */
export function buildSpec(ctx: EcsContext, base: ServiceSpec | undefined, input: JsonObject): ServiceSpec {
  const tdRef = optString(input, 'taskDefinition');
  if (!base && !tdRef) throw invalidParameter('TaskDefinition can not be blank.');
  const taskDefinition = tdRef !== undefined ? resolveTaskDefinition(ctx, tdRef) : base!.taskDefinition;

  const launchTypeIn = base ? base.launchType : optString(input, 'launchType');
  const strategyIn =
    input['capacityProviderStrategy'] !== undefined ? objectList(input, 'capacityProviderStrategy').map(parseStrategyItem) : base?.capacityProviderStrategy;
  if (!base && launchTypeIn !== undefined && strategyIn !== undefined && strategyIn.length > 0) {
    throw invalidParameter('Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.');
  }
  if (launchTypeIn !== undefined && !LAUNCH_TYPES.has(launchTypeIn)) throw invalidParameter(`Invalid launch type: ${launchTypeIn}.`);
  const strategy = strategyIn && strategyIn.length > 0 ? strategyIn : undefined;
  const launchType = strategy ? undefined : (launchTypeIn ?? 'EC2');
  const effective = effectiveLaunchType(launchType, strategy);
  if (effective === 'FARGATE' && !taskDefinition.compatibilities.includes('FARGATE')) {
    throw invalidParameter('Task definition does not support launch_type FARGATE.');
  }

  const platformIn = optString(input, 'platformVersion') ?? base?.platformVersion;
  if (platformIn !== undefined && effective !== 'FARGATE') throw invalidParameter('The platform version must be null when specifying an EC2 launch type.');
  const platformVersion = effective === 'FARGATE' ? (platformIn ?? 'LATEST') : undefined;

  const networkConfiguration =
    input['networkConfiguration'] !== undefined ? parseNetwork(optObject(input, 'networkConfiguration')) : base?.networkConfiguration;
  checkNetwork(taskDefinition, effective, networkConfiguration);

  const loadBalancers = input['loadBalancers'] !== undefined ? objectList(input, 'loadBalancers') : (base?.loadBalancers ?? []);
  for (const lb of loadBalancers) checkContainerPort(taskDefinition, lb['containerName'], lb['containerPort']);

  const serviceRegistries =
    input['serviceRegistries'] !== undefined ? objectList(input, 'serviceRegistries').map(parseRegistry) : (base?.serviceRegistries ?? []);
  checkRegistries(ctx, taskDefinition, serviceRegistries);

  const deploymentConfiguration = parseDeploymentConfiguration(optObject(input, 'deploymentConfiguration'), base?.deploymentConfiguration);
  const settings = checkedDeploymentSettings(taskDefinition, base, input);
  const serviceConnect = serviceConnectSpec(ctx, base, input, taskDefinition);
  checkDeploymentStrategy(deploymentConfiguration, loadBalancers, serviceConnect.serviceConnectConfiguration);
  const grace = optInt(input, 'healthCheckGracePeriodSeconds') ?? base?.healthCheckGracePeriodSeconds ?? 0;
  if (grace < 0) throw invalidParameter('healthCheckGracePeriodSeconds must be 0 or greater.');
  const propagateTags = optString(input, 'propagateTags') ?? base?.propagateTags ?? 'NONE';
  if (!PROPAGATE_TAGS.has(propagateTags)) throw invalidParameter(`Invalid propagateTags: ${propagateTags}.`);
  const placementStrategy =
    input['placementStrategy'] !== undefined ? objectList(input, 'placementStrategy').map(upperCaseField) : (base?.placementStrategy ?? []);
  if (effective === 'FARGATE' && placementStrategy.length > 0) throw invalidParameter('Placement strategies are not supported with FARGATE launch type.');
  const placementConstraints = input['placementConstraints'] !== undefined ? objectList(input, 'placementConstraints') : (base?.placementConstraints ?? []);
  if (effective === 'FARGATE' && placementConstraints.length > 0) throw invalidParameter('Placement constraints are not supported with FARGATE launch type.');
  const rebalancing = optString(input, 'availabilityZoneRebalancing') ?? base?.availabilityZoneRebalancing ?? 'ENABLED';
  if (rebalancing !== 'ENABLED' && rebalancing !== 'DISABLED') throw invalidParameter(`Invalid availabilityZoneRebalancing: ${rebalancing}.`);

  return {
    taskDefinition,
    ...(launchType !== undefined ? { launchType } : {}),
    ...(strategy ? { capacityProviderStrategy: strategy } : {}),
    ...(platformVersion !== undefined ? { platformVersion } : {}),
    loadBalancers,
    serviceRegistries,
    ...(networkConfiguration ? { networkConfiguration } : {}),
    deploymentConfiguration,
    placementConstraints,
    placementStrategy,
    healthCheckGracePeriodSeconds: grace,
    enableECSManagedTags: optBool(input, 'enableECSManagedTags') ?? base?.enableECSManagedTags ?? false,
    enableExecuteCommand: optBool(input, 'enableExecuteCommand') ?? base?.enableExecuteCommand ?? false,
    propagateTags,
    availabilityZoneRebalancing: rebalancing,
    ...settings,
    ...serviceConnect,
  };
}

function checkedDeploymentSettings(td: TaskDefinitionRecord, base: ServiceSpec | undefined, input: JsonObject): ReturnType<typeof deploymentSettings> {
  const out = deploymentSettings(base, input);
  checkVolumeConfigurations(td, out.volumeConfigurations);
  return out;
}

/**
 * Volume and VPC Lattice configurations: kept as requested (an UpdateService that leaves one
 * out keeps the current one) and reported by ECS on each deployment. Service Connect: see
 * service-connect.ts.
 */
function deploymentSettings(base: ServiceSpec | undefined, input: JsonObject): Pick<ServiceSpec, 'volumeConfigurations' | 'vpcLatticeConfigurations'> {
  const out: Pick<ServiceSpec, 'volumeConfigurations' | 'vpcLatticeConfigurations'> = {};
  for (const key of ['volumeConfigurations', 'vpcLatticeConfigurations'] as const) {
    const list = input[key] !== undefined ? objectList(input, key) : base?.[key];
    if (list !== undefined && list.length > 0) out[key] = list;
  }
  return out;
}

/**
 * ECS's checks of managed EBS volume configurations (API reference, ServiceVolumeConfiguration
 * and ServiceManagedEBSVolumeConfiguration): the name is a task definition volume marked
 * configuredAtLaunch, an infrastructure role is given, and a size or a snapshot.
 */
export function checkVolumeConfigurations(td: TaskDefinitionRecord, list: readonly JsonObject[] | undefined): void {
  const volumes = Array.isArray(td.body['volumes']) ? (td.body['volumes'] as JsonObject[]) : [];
  for (const v of list ?? []) {
    const name = optString(v, 'name');
    const volume = volumes.find((x) => x['name'] === name);
    if (!volume || volume['configuredAtLaunch'] !== true) {
      throw invalidParameter(`The volume ${String(name)} is not configured at launch in the task definition.`);
    }
    const ebs = optObject(v, 'managedEBSVolume');
    if (!ebs) continue;
    if (optString(ebs, 'roleArn') === undefined) throw invalidParameter('managedEBSVolume roleArn can not be blank.');
    if (optInt(ebs, 'sizeInGiB') === undefined && optString(ebs, 'snapshotId') === undefined) {
      throw invalidParameter('managedEBSVolume needs sizeInGiB or snapshotId.');
    }
  }
}

/**
 * Whether an UpdateService from `a` to `b` changes the capacity provider strategy or
 * switches from a launch type to one: AWS then refuses the update unless it forces a new
 * deployment (InvalidParameterException, message as below).
 */
export function strategyChanged(a: ServiceSpec, b: ServiceSpec): boolean {
  if (b.capacityProviderStrategy === undefined) return false;
  return canonicalJson(a.capacityProviderStrategy ?? null) !== canonicalJson(b.capacityProviderStrategy);
}

export const STRATEGY_NEEDS_FORCE =
  'When switching from launch type to capacity provider strategy on an existing service, or making a change to a capacity provider strategy on a service that is already using one, you must force a new deployment.';

/** Whether moving from `a` to `b` makes ECS start a new deployment. */
export function needsDeployment(a: ServiceSpec, b: ServiceSpec): boolean {
  const key = (s: ServiceSpec): string =>
    canonicalJson([
      s.taskDefinition.arn,
      s.networkConfiguration,
      s.loadBalancers,
      s.serviceRegistries,
      s.platformVersion,
      s.capacityProviderStrategy,
      s.serviceConnectConfiguration ?? null,
      s.volumeConfigurations ?? [],
      s.vpcLatticeConfigurations ?? [],
    ]);
  return key(a) !== key(b);
}

function resolveTaskDefinition(ctx: EcsContext, ref: string): TaskDefinitionRecord {
  const td = findTaskDefinition(ctx, ref);
  if (!td) throw clientError('TaskDefinition not found.');
  if (td.status !== 'ACTIVE') throw clientError('TaskDefinition is inactive');
  return td;
}

function parseNetwork(raw: JsonObject | undefined): { awsvpcConfiguration: AwsVpcConfig } | undefined {
  if (!raw) return undefined;
  const vpc = optObject(raw, 'awsvpcConfiguration');
  if (!vpc) throw invalidParameter('Network Configuration must contain awsvpcConfiguration.');
  const subnets = vpc['subnets'];
  if (!Array.isArray(subnets) || subnets.length === 0) throw invalidParameter('subnets can not be empty.');
  if (subnets.length > 16) throw invalidParameter('subnets can have at most 16 items.');
  const groups = vpc['securityGroups'];
  if (groups !== undefined && (!Array.isArray(groups) || groups.length > 5)) throw invalidParameter('securityGroups can have at most 5 items.');
  const assign = optString(vpc, 'assignPublicIp') ?? 'DISABLED';
  if (assign !== 'ENABLED' && assign !== 'DISABLED') throw invalidParameter(`Invalid assignPublicIp: ${assign}.`);
  return {
    awsvpcConfiguration: {
      subnets: subnets.map(String),
      ...(Array.isArray(groups) ? { securityGroups: groups.map(String) } : {}),
      assignPublicIp: assign,
    },
  };
}

function checkNetwork(td: TaskDefinitionRecord, launchType: string, net: { awsvpcConfiguration: AwsVpcConfig } | undefined): void {
  if (td.networkMode === 'awsvpc' && !net) throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  if (td.networkMode !== 'awsvpc' && net) throw invalidParameter('Network Configuration is not valid for the given networkMode of this task definition.');
  if (net?.awsvpcConfiguration.assignPublicIp === 'ENABLED' && launchType !== 'FARGATE') {
    throw invalidParameter('Assign public IP is not supported for this launch type.');
  }
}

function checkContainerPort(td: TaskDefinitionRecord, name: unknown, port: unknown): void {
  if (name === undefined && port === undefined) return;
  const container = td.containers.find((c) => c.name === name);
  if (!container) throw invalidParameter(`The container ${String(name)} does not exist in the task definition.`);
  if (port !== undefined && !container.containerPorts.includes(port as number)) {
    throw invalidParameter(`The container ${String(name)} did not have a container port ${String(port)} defined.`);
  }
}

/** A strategy item as ECS stores and echoes it: weight and base default to 0. */
function parseStrategyItem(raw: JsonObject): JsonObject {
  const capacityProvider = optString(raw, 'capacityProvider');
  if (!capacityProvider) throw invalidParameter('capacityProvider can not be blank.');
  const weight = optInt(raw, 'weight') ?? 0;
  const base = optInt(raw, 'base') ?? 0;
  if (weight < 0 || weight > 1000) throw invalidParameter('weight must be between 0 and 1000.');
  if (base < 0 || base > 100000) throw invalidParameter('base must be between 0 and 100000.');
  return { capacityProvider, weight, base };
}

function parseRegistry(raw: JsonObject): ServiceRegistryRef {
  const registryArn = optString(raw, 'registryArn');
  if (!registryArn) throw invalidParameter('Service registry ARN can not be blank.');
  const port = optInt(raw, 'port');
  const containerName = optString(raw, 'containerName');
  const containerPort = optInt(raw, 'containerPort');
  return {
    registryArn,
    ...(port !== undefined ? { port } : {}),
    ...(containerName !== undefined ? { containerName } : {}),
    ...(containerPort !== undefined ? { containerPort } : {}),
  };
}

function checkRegistries(ctx: EcsContext, td: TaskDefinitionRecord, refs: ServiceRegistryRef[]): void {
  // Each ECS service may be associated with one service registry (API reference).
  if (refs.length > 1) throw invalidParameter('Each service may be associated with only one service registry.');
  for (const r of refs) {
    if (!ctx.registry?.hasService(r.registryArn)) throw invalidParameter(`The service registry ${r.registryArn} does not exist.`);
    if (r.port !== undefined && r.containerPort !== undefined) throw invalidParameter('A service registry can specify either port or containerPort, not both.');
    if (r.containerName !== undefined || r.containerPort !== undefined) checkContainerPort(td, r.containerName, r.containerPort);
  }
}

const THRESHOLD_TYPES = new Set(['COUNT', 'BOUNDED_PERCENT', 'UNBOUNDED_PERCENT']);

/**
 * The circuit breaker as ECS stores it: enable and rollback always, resetOnHealthyTask and
 * thresholdConfiguration as requested (API reference, DeploymentCircuitBreaker and
 * ThresholdConfiguration: both members of a threshold are required).
 */
function parseBreaker(breaker: JsonObject | undefined): JsonObject {
  const out: JsonObject = { enable: breaker?.['enable'] === true, rollback: breaker?.['rollback'] === true };
  const reset = breaker ? optBool(breaker, 'resetOnHealthyTask') : undefined;
  if (reset !== undefined) out['resetOnHealthyTask'] = reset;
  const threshold = breaker ? optObject(breaker, 'thresholdConfiguration') : undefined;
  if (threshold) {
    const type = optString(threshold, 'type');
    const value = optInt(threshold, 'value');
    if (type === undefined || !THRESHOLD_TYPES.has(type)) throw invalidParameter(`Invalid thresholdConfiguration type: ${String(type)}.`);
    if (value === undefined || value < 0) throw invalidParameter('thresholdConfiguration value must be 0 or greater.');
    out['thresholdConfiguration'] = { type, value };
  }
  return out;
}

/** Deployment alarms as ECS stores them (API reference, DeploymentAlarms: every member required). */
function parseAlarms(alarms: JsonObject): JsonObject {
  const names = alarms['alarmNames'];
  if (!Array.isArray(names)) throw invalidParameter('alarmNames must be a list.');
  return { alarmNames: names.map(String), enable: alarms['enable'] === true, rollback: alarms['rollback'] === true };
}

function parseDeploymentConfiguration(raw: JsonObject | undefined, base: JsonObject | undefined): JsonObject {
  const out: JsonObject = { ...(base ?? DEFAULT_DEPLOYMENT_CONFIGURATION), ...(raw ?? {}) };
  out['deploymentCircuitBreaker'] = parseBreaker(optObject(out, 'deploymentCircuitBreaker'));
  const alarms = optObject(out, 'alarms');
  if (alarms) out['alarms'] = parseAlarms(alarms);
  const early = optObject(out, 'earlySuccessCriteria');
  if (early) {
    const healthy = optInt(early, 'healthyPercent');
    const min = optInt(out, 'minimumHealthyPercent') ?? 100;
    if (healthy !== undefined && (healthy < min || healthy > 100)) {
      throw invalidParameter('earlySuccessCriteria healthyPercent must be between minimumHealthyPercent and 100.');
    }
    const cleanup = optString(early, 'sourceServiceRevisionCleanup');
    if (cleanup !== undefined && cleanup !== 'BLOCKING' && cleanup !== 'DEFERRED') throw invalidParameter(`Invalid sourceServiceRevisionCleanup: ${cleanup}.`);
  }
  const max = optInt(out, 'maximumPercent') ?? 200;
  const min = optInt(out, 'minimumHealthyPercent') ?? 100;
  if (min < 0 || min > 100) throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
  if (max < 100) throw invalidParameter('maximumPercent must be greater than or equal to 100.');
  out['maximumPercent'] = max;
  out['minimumHealthyPercent'] = min;
  return out;
}

function upperCaseField(s: JsonObject): JsonObject {
  return typeof s['field'] === 'string' && ['cpu', 'memory'].includes(s['field'].toLowerCase()) ? { ...s, field: s['field'].toUpperCase() } : s;
}
