import { ListServicesCommand, type ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { call } from '../aws/errors.js';
import type { LiveSet } from '../kit/types.js';
import type { DiscoveryTarget } from './types.js';

/** ListServices answers at most 100 services per page. */
export const SERVICES_PER_PAGE = 100;

/**
 * The `InstanceCount` of every Cloud Map service of one namespace, by service ARN:
 * ListServices with the `NAMESPACE_ID` filter, 100 services per page (a filtered page may be
 * empty and still carry a NextToken). AWS: "The count might not reflect pending registrations
 * and deregistrations", so a count is a change signal, never the instance list.
 */
export async function readInstanceCounts(sd: ServiceDiscoveryClient, namespaceId: string, signal?: AbortSignal): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let nextToken: string | undefined;
  do {
    const page = await call('servicediscovery', 'ListServices', () =>
      sd.send(
        new ListServicesCommand({
          Filters: [{ Name: 'NAMESPACE_ID', Values: [namespaceId], Condition: 'EQ' }],
          MaxResults: SERVICES_PER_PAGE,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
        { abortSignal: signal },
      ),
    );
    for (const s of page.Services ?? []) if (s.Arn && s.InstanceCount !== undefined) counts.set(s.Arn, s.InstanceCount);
    nextToken = page.NextToken;
  } while (nextToken);
  return counts;
}

/**
 * Whether a target's instance list (and health) may be taken from the cache while its instance
 * count and ECS counts stand still: always without a health check; with custom health only
 * when every instance was registered by ECS (ECS reports their health, and replaces a task it
 * finds unhealthy, which moves the counts). Route 53 health checks change health on their own.
 */
export function followsCounts(target: DiscoveryTarget, instances: readonly { attributes: Readonly<Record<string, string>> }[]): boolean {
  if (!target.hasHealthCheck) return true;
  if (target.healthCheckType !== 'custom') return false;
  return instances.every((i) => i.attributes['ECS_SERVICE_NAME'] !== undefined);
}

/**
 * The namespaces (ids) worth one ListServices sweep: those where the sweep's pages, estimated
 * from the Cloud Map services the live set holds in the namespace, are fewer than the targets
 * whose per-service read the counts can replace. Pure.
 */
export function namespacesToSweep(live: LiveSet, targets: readonly DiscoveryTarget[]): string[] {
  const servicesIn = new Map<string, number>();
  for (const r of live.resources.values()) if (r.kind === 'CloudMapService') servicesIn.set(r.namespaceId, (servicesIn.get(r.namespaceId) ?? 0) + 1);
  const candidates = new Map<string, number>();
  for (const t of targets) {
    if (t.namespaceId === undefined || (t.hasHealthCheck && t.healthCheckType !== 'custom')) continue;
    candidates.set(t.namespaceId, (candidates.get(t.namespaceId) ?? 0) + 1);
  }
  return [...candidates]
    .filter(([id, n]) => Math.max(1, Math.ceil((servicesIn.get(id) ?? 0) / SERVICES_PER_PAGE)) < n)
    .map(([id]) => id)
    .sort();
}
