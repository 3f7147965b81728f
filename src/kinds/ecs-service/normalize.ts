import { nameFromArn } from '../../kit/ownership.js';
import { DEFAULT_CLUSTER } from '../../manifests/keys.js';
import type { EcsServiceSpec, LoadBalancerAdvancedConfiguration } from '../../manifests/types.js';
import { normalizeTags } from '../../kit/diff-tags.js';
import { sortedBy } from '../../util/deep-equal.js';
import { normalizeTaskDefinition } from './task-definition/normalize.js';
import { normalizeDeploymentConfiguration } from './deployment-configuration.js';
import { normalizePassThrough } from './fields.js';
import { normalizeServiceConnect } from './service-connect.js';

/** Cluster when the manifest leaves it out (as in ECS itself). */
export { DEFAULT_CLUSTER };

type NetworkConfiguration = NonNullable<EcsServiceSpec['networkConfiguration']>;
type Discovery = NonNullable<EcsServiceSpec['discovery']>;

function normalizeNetwork(n: NetworkConfiguration): NetworkConfiguration {
  const out: NetworkConfiguration = { subnets: [...n.subnets].sort() };
  if (n.securityGroups !== undefined) out.securityGroups = [...n.securityGroups].sort();
  out.assignPublicIp = n.assignPublicIp ?? 'DISABLED';
  return out;
}

function normalizeDiscovery(d: Discovery): Discovery {
  const out: Discovery = { service: d.service, namespace: d.namespace };
  if (d.containerName !== undefined) out.containerName = d.containerName;
  if (d.containerPort !== undefined) out.containerPort = d.containerPort;
  if (d.port !== undefined) out.port = d.port;
  return out;
}

/** A load balancer's blue/green settings as a new object (the optional test listener rule only when set). */
export function advancedConfiguration(a: LoadBalancerAdvancedConfiguration): LoadBalancerAdvancedConfiguration {
  const out: LoadBalancerAdvancedConfiguration = {
    alternateTargetGroupArn: a.alternateTargetGroupArn,
    productionListenerRule: a.productionListenerRule,
    roleArn: a.roleArn,
  };
  if (a.testListenerRule !== undefined) out.testListenerRule = a.testListenerRule;
  return out;
}

/**
 * An ECS service spec in comparable form (a new object; the input is not modified): the
 * server-side defaults ECS reports (platformVersion LATEST, propagateTags NONE, exec and
 * managed tags off, deployment 200/100 with the circuit breaker and alarms off, grace period
 * 0, no public IP, Service Connect off, and the defaults of the PASS_THROUGH_FIELDS table) filled in, set-like lists sorted (subnets, security groups, load balancers,
 * capacity provider strategy), the inline task definition normalized, tags cleaned.
 * `literal` is passed to the task definition (see normalizeTaskDefinition).
 */
export function normalizeEcsServiceSpec(spec: EcsServiceSpec, canonicalNamespace?: (ns: string) => string, literal = false): EcsServiceSpec {
  const out: EcsServiceSpec = { cluster: nameFromArn(spec.cluster ?? DEFAULT_CLUSTER) };
  if (spec.taskDefinition !== undefined) out.taskDefinition = normalizeTaskDefinition(spec.taskDefinition, literal);
  if (spec.taskDefinitionRef !== undefined) out.taskDefinitionRef = spec.taskDefinitionRef;
  if (spec.desiredCount !== undefined) out.desiredCount = spec.desiredCount;
  if (spec.launchType !== undefined) out.launchType = spec.launchType;
  if (spec.capacityProviderStrategy !== undefined) {
    out.capacityProviderStrategy = sortedBy(
      spec.capacityProviderStrategy.map((s) => ({ capacityProvider: s.capacityProvider, weight: s.weight ?? 0, base: s.base ?? 0 })),
      (s) => s.capacityProvider,
    );
  }
  out.platformVersion = spec.platformVersion ?? 'LATEST';
  if (spec.networkConfiguration !== undefined) out.networkConfiguration = normalizeNetwork(spec.networkConfiguration);
  if (spec.loadBalancers !== undefined) {
    out.loadBalancers = sortedBy(
      spec.loadBalancers.map((lb) => {
        const item: NonNullable<EcsServiceSpec['loadBalancers']>[number] = { containerName: lb.containerName, containerPort: lb.containerPort };
        if (lb.targetGroupArn !== undefined) item.targetGroupArn = lb.targetGroupArn;
        if (lb.loadBalancerName !== undefined) item.loadBalancerName = lb.loadBalancerName;
        if (lb.advancedConfiguration !== undefined) item.advancedConfiguration = advancedConfiguration(lb.advancedConfiguration);
        return item;
      }),
      (lb) => `${lb.targetGroupArn ?? lb.loadBalancerName}|${lb.containerName}|${String(lb.containerPort).padStart(5, '0')}`,
    );
  }
  out.deploymentConfiguration = normalizeDeploymentConfiguration(spec.deploymentConfiguration);
  out.healthCheckGracePeriodSeconds = spec.healthCheckGracePeriodSeconds ?? 0;
  out.enableExecuteCommand = spec.enableExecuteCommand ?? false;
  out.enableECSManagedTags = spec.enableECSManagedTags ?? false;
  out.propagateTags = spec.propagateTags ?? 'NONE';
  if (spec.discovery !== undefined) out.discovery = normalizeDiscovery(spec.discovery);
  out.serviceConnect = normalizeServiceConnect(spec.serviceConnect, canonicalNamespace);
  normalizePassThrough(spec, out);
  out.tags = normalizeTags(spec.tags);
  return out;
}

/** The fields the manifest declares, plus the cluster (the manifest format defaults it). */
export function declaredEcsServiceSpec(spec: EcsServiceSpec): Omit<EcsServiceSpec, 'syncPolicy'> {
  const { syncPolicy: _policy, ...rest } = spec;
  return { ...rest, cluster: rest.cluster ?? DEFAULT_CLUSTER };
}
