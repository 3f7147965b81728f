import type { LiveCloudMapService, LiveEcsService, LiveNamespace, LiveSet } from '../kit/types.js';
import type { NamespaceObservation } from './compare.js';
import type { DiscoveryTarget, DnsView, LinkedEcsService } from './types.js';

/** What the checks cover. */
export interface TargetScope {
  /**
   * Only Cloud Map services (or the ECS services registering into them) owned by this
   * controller id; absent = every linked service in the live set.
   */
  readonly controllerId?: string;
}

function owned(r: { owner?: { controllerId: string } }, controllerId: string | undefined): boolean {
  return controllerId === undefined || r.owner?.controllerId === controllerId;
}

function dnsOf(svc: LiveCloudMapService): DnsView | undefined {
  const dns = svc.spec.dns;
  if (!dns) return undefined;
  return { routingPolicy: dns.routingPolicy ?? 'MULTIVALUE', records: dns.records.map((r) => ({ type: r.type, ttl: r.ttl })) };
}

/**
 * The managed Cloud Map services linked to ECS services (through `serviceRegistryArns`, and
 * the ones ECS Service Connect created through `serviceConnectDiscoveryArns`),
 * each with every ECS service registering into it, sorted by key. A service counts as managed
 * when it or one of its ECS services is owned by `scope.controllerId`. Pure.
 */
export function discoveryTargets(live: LiveSet, scope: TargetScope = {}): DiscoveryTarget[] {
  const byArn = new Map<string, LiveCloudMapService>();
  const namespaces = new Map<string, LiveNamespace>();
  for (const r of live.resources.values()) {
    if (r.kind === 'CloudMapService') byArn.set(r.arn, r);
    else if (r.kind === 'CloudMapNamespace') namespaces.set(r.id, r);
  }
  const linked = new Map<string, { svc: LiveCloudMapService; ecs: LiveEcsService[] }>();
  const link = (arn: string, r: LiveEcsService, serviceConnect: boolean): void => {
    const svc = byArn.get(arn);
    // A service registry is ours to check; a Cloud Map service ECS Service Connect created only
    // through the ECS service's serviceConnectResources (ECS registers one instance per task).
    if (!svc || (svc.managedBy !== undefined) !== serviceConnect) return;
    const entry = linked.get(arn) ?? { svc, ecs: [] };
    if (!entry.ecs.includes(r)) entry.ecs.push(r);
    linked.set(arn, entry);
  };
  for (const r of live.resources.values()) {
    if (r.kind !== 'EcsService' || r.status === 'INACTIVE') continue;
    for (const arn of r.serviceRegistryArns) link(arn, r, false);
    for (const arn of r.serviceConnectDiscoveryArns ?? []) link(arn, r, true);
  }
  const out: DiscoveryTarget[] = [];
  for (const { svc, ecs } of linked.values()) {
    if (!owned(svc, scope.controllerId) && !ecs.some((e) => owned(e, scope.controllerId))) continue;
    const ns = namespaces.get(svc.namespaceId);
    if (!ns) continue;
    const ecsServices: LinkedEcsService[] = ecs
      .map((e) => ({ key: e.key, cluster: e.cluster, name: e.name }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const dns = dnsOf(svc);
    out.push({
      key: svc.key,
      name: svc.name,
      arn: svc.arn,
      id: svc.id,
      namespace: ns.name,
      namespaceKey: ns.key,
      namespaceType: ns.spec.type,
      ...(ns.hostedZoneId ? { hostedZoneId: ns.hostedZoneId } : {}),
      ...(dns ? { dns } : {}),
      hasHealthCheck: svc.spec.healthCheck !== undefined,
      ...(svc.spec.healthCheck ? { healthCheckType: svc.spec.healthCheck.route53 ? ('route53' as const) : ('custom' as const) } : {}),
      namespaceId: svc.namespaceId,
      ecsServices,
      ...(svc.managedBy !== undefined ? { serviceConnect: true } : {}),
    });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The DNS namespaces hosting `targets`, for the hosted zone checks (zone not read yet). Pure. */
export function targetNamespaces(live: LiveSet, targets: readonly DiscoveryTarget[]): NamespaceObservation[] {
  const wanted = new Set(targets.filter((t) => t.namespaceType !== 'HTTP').map((t) => t.namespaceKey));
  const out: NamespaceObservation[] = [];
  for (const key of [...wanted].sort()) {
    const ns = live.resources.get(key);
    if (!ns || ns.kind !== 'CloudMapNamespace') continue;
    out.push({
      key: ns.key,
      name: ns.name,
      type: ns.spec.type,
      ...(ns.hostedZoneId ? { hostedZoneId: ns.hostedZoneId } : {}),
      ...(ns.spec.vpc ? { vpc: ns.spec.vpc } : {}),
    });
  }
  return out;
}
