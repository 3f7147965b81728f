import { ecsServiceKey } from '../../manifests/keys.js';
import type { Service } from '@aws-sdk/client-ecs';
import { DEFAULT_CLUSTER, advancedConfiguration } from './normalize.js';
import type { EcsServiceSpec } from '../../manifests/types.js';
import type { EcsDeploymentState, LiveCloudMapService, LiveEcsService, LiveTaskDefinition } from '../../kit/types.js';
import { nameFromArn, ownerFromTags, tagMap } from '../../kit/ownership.js';
import { unexpressedServiceFields } from './unexpressed.js';
import { convertPassThrough } from './fields.js';
import { convertDeploymentConfiguration } from './deployment-configuration.js';
import { convertServiceConnect, type NamespaceLookup } from './service-connect.js';

/** Resolves a Cloud Map service ARN (ECS serviceRegistries) to the service seen in the same scan. */
export type RegistryLookup = (registryArn: string) => LiveCloudMapService | undefined;

type LaunchType = NonNullable<EcsServiceSpec['launchType']>;
type PropagateTags = NonNullable<EcsServiceSpec['propagateTags']>;

/**
 * A described ECS service (DescribeServices with TAGS) in manifest shape. `spec.taskDefinitionRef`
 * is the ARN the PRIMARY deployment runs and `spec.taskDefinition` its described content
 * (when known), so the diff can compare either form. `serviceRegistries` become
 * `spec.discovery` when the registry ARN is a Cloud Map service of the same scan; the raw ARNs
 * stay in `serviceRegistryArns`. The PRIMARY deployment's Service Connect configuration becomes
 * `spec.serviceConnect`, its namespace ARN read as the namespace's name when the scan saw it.
 * Settings the manifest cannot express are listed in `unexpressed`. Returns undefined when
 * identity fields are missing.
 */
export function convertEcsService(
  svc: Service,
  resolveRegistry: RegistryLookup,
  taskDefinition?: LiveTaskDefinition,
  resolveNamespace?: NamespaceLookup,
): LiveEcsService | undefined {
  const { serviceArn: arn, serviceName: name } = svc;
  if (!arn || !name) return undefined;
  const cluster = svc.clusterArn ? nameFromArn(svc.clusterArn) : DEFAULT_CLUSTER;
  const tags = tagMap(svc.tags);
  const taskDefinitionArn = primaryTaskDefinition(svc);
  const spec: EcsServiceSpec = { cluster, tags };
  if (taskDefinitionArn) spec.taskDefinitionRef = taskDefinitionArn;
  if (taskDefinition) spec.taskDefinition = taskDefinition.spec;
  if (svc.desiredCount !== undefined) spec.desiredCount = svc.desiredCount;
  if (svc.launchType) spec.launchType = svc.launchType as LaunchType;
  if (svc.capacityProviderStrategy?.length) {
    spec.capacityProviderStrategy = svc.capacityProviderStrategy.map((s) => {
      const item: NonNullable<EcsServiceSpec['capacityProviderStrategy']>[number] = { capacityProvider: s.capacityProvider ?? '' };
      if (s.weight !== undefined) item.weight = s.weight;
      if (s.base !== undefined) item.base = s.base;
      return item;
    });
  }
  if (svc.platformVersion !== undefined) spec.platformVersion = svc.platformVersion;
  const vpc = svc.networkConfiguration?.awsvpcConfiguration;
  if (vpc) {
    spec.networkConfiguration = { subnets: [...(vpc.subnets ?? [])] };
    if (vpc.securityGroups) spec.networkConfiguration.securityGroups = [...vpc.securityGroups];
    if (vpc.assignPublicIp) spec.networkConfiguration.assignPublicIp = vpc.assignPublicIp;
  }
  if (svc.loadBalancers) {
    spec.loadBalancers = svc.loadBalancers.map((lb) => {
      const item: NonNullable<EcsServiceSpec['loadBalancers']>[number] = { containerName: lb.containerName ?? '', containerPort: lb.containerPort ?? 0 };
      if (lb.targetGroupArn !== undefined) item.targetGroupArn = lb.targetGroupArn;
      if (lb.loadBalancerName !== undefined) item.loadBalancerName = lb.loadBalancerName;
      const a = lb.advancedConfiguration;
      if (a) {
        item.advancedConfiguration = advancedConfiguration({
          alternateTargetGroupArn: a.alternateTargetGroupArn ?? '',
          productionListenerRule: a.productionListenerRule ?? '',
          roleArn: a.roleArn ?? '',
          ...(a.testListenerRule !== undefined ? { testListenerRule: a.testListenerRule } : {}),
        });
      }
      return item;
    });
  }
  const deployment = convertDeploymentConfiguration(svc.deploymentConfiguration);
  if (deployment) spec.deploymentConfiguration = deployment;
  if (svc.healthCheckGracePeriodSeconds !== undefined) spec.healthCheckGracePeriodSeconds = svc.healthCheckGracePeriodSeconds;
  if (svc.enableExecuteCommand !== undefined) spec.enableExecuteCommand = svc.enableExecuteCommand;
  if (svc.enableECSManagedTags !== undefined) spec.enableECSManagedTags = svc.enableECSManagedTags;
  if (svc.propagateTags) spec.propagateTags = svc.propagateTags as PropagateTags;
  convertPassThrough(svc, spec);
  const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
  const serviceConnect = convertServiceConnect(primary, resolveNamespace);
  if (serviceConnect) spec.serviceConnect = serviceConnect;
  const registries = svc.serviceRegistries ?? [];
  const first = registries[0];
  const target = first?.registryArn ? resolveRegistry(first.registryArn) : undefined;
  if (first && target) {
    spec.discovery = { service: target.name, namespace: target.spec.namespace };
    if (first.containerName !== undefined) spec.discovery.containerName = first.containerName;
    if (first.containerPort !== undefined) spec.discovery.containerPort = first.containerPort;
    if (first.port !== undefined) spec.discovery.port = first.port;
  }
  const live: LiveEcsService = {
    kind: 'EcsService',
    key: ecsServiceKey(cluster, name),
    name,
    arn,
    tags,
    // A copy: the pass-through settings were added by computed names, which leaves V8 a
    // dictionary-mode object (~1.6 KB per service); the copy is a fast one (~0.2 KB), and the
    // snapshot holds one per service for as long as it lives.
    spec: { ...spec },
    cluster,
    status: svc.status ?? 'ACTIVE',
    taskDefinitionArn: taskDefinitionArn ?? '',
    serviceRegistryArns: registries.flatMap((r) => (r.registryArn ? [r.registryArn] : [])),
    runningCount: svc.runningCount ?? 0,
    pendingCount: svc.pendingCount ?? 0,
    deploymentsInProgress: deploymentsInProgress(svc),
  };
  const deploymentState = deploymentStateOf(svc);
  if (deploymentState) live.deploymentState = deploymentState;
  const owner = ownerFromTags(tags);
  if (owner) live.owner = owner;
  const scNamespace = primary?.serviceConnectConfiguration?.namespace;
  const resolved = scNamespace && primary?.serviceConnectConfiguration?.enabled ? resolveNamespace?.(scNamespace) : undefined;
  if (resolved) live.serviceConnectNamespace = { name: resolved.name, arn: resolved.arn };
  const discoveryArns = (primary?.serviceConnectResources ?? []).flatMap((r) => (r.discoveryArn ? [r.discoveryArn] : []));
  if (discoveryArns.length > 0) live.serviceConnectDiscoveryArns = discoveryArns;
  if (taskDefinition) live.taskDefinition = taskDefinition;
  live.taskDefinitionsInUse = taskDefinitionsInUse(svc);
  const unexpressed = unexpressedServiceFields(svc);
  if (unexpressed.length > 0) live.unexpressed = unexpressed;
  return live;
}

/** The service event ECS writes once every task of the PRIMARY deployment runs and nothing else is left to do. */
export const STEADY_STATE_EVENT = /has reached a steady state\.?$/;

/** The PRIMARY deployment and the task counts, for rollout health (kinds/ecs-service/health.ts). */
export function deploymentStateOf(svc: Service): EcsDeploymentState | undefined {
  const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
  if (!primary?.id) return undefined;
  const newest = svc.events?.[0];
  const steady = newest?.message !== undefined && STEADY_STATE_EVENT.test(newest.message) ? newest.createdAt?.toISOString() : undefined;
  return {
    id: primary.id,
    rolloutState: primary.rolloutState ?? 'COMPLETED',
    ...(primary.rolloutStateReason ? { rolloutStateReason: primary.rolloutStateReason } : {}),
    failedTasks: primary.failedTasks ?? 0,
    desiredCount: primary.desiredCount ?? svc.desiredCount ?? 0,
    runningCount: primary.runningCount ?? 0,
    deployments: svc.deployments?.length ?? 1,
    ...(steady ? { steadySince: steady } : {}),
  };
}

/** Every task definition the service uses: its own, every deployment's and every task set's, sorted. */
export function taskDefinitionsInUse(svc: Service): string[] {
  const arns = [svc.taskDefinition, ...(svc.deployments ?? []).map((d) => d.taskDefinition), ...(svc.taskSets ?? []).map((t) => t.taskDefinition)];
  return [...new Set(arns.filter((a): a is string => a !== undefined && a !== ''))].sort();
}

/** The task definition of the PRIMARY deployment (the one being rolled out), else the service's. */
export function primaryTaskDefinition(svc: Service): string | undefined {
  return svc.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? svc.taskDefinition;
}

/**
 * Deployments not finished: every deployment except a PRIMARY one whose rollout completed
 * (0 when steady, 1 while a new service starts, 2 or more while a rollout replaces tasks).
 */
export function deploymentsInProgress(svc: Service): number {
  return (svc.deployments ?? []).filter((d) => !(d.status === 'PRIMARY' && d.rolloutState === 'COMPLETED')).length;
}
