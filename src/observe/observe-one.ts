/**
 * Re-observes one resource a change event named, with the fewest calls: DescribeServices of one
 * ECS service (plus DescribeTaskDefinition when its revision is not cached), GetService of one
 * Cloud Map service (plus ListTagsForResource when its tags are not cached). The rest of the
 * live set (Cloud Map registries, namespaces) comes from the newest full observe.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { GetServiceCommand, type ServiceSummary } from '@aws-sdk/client-servicediscovery';
import { call, callOrUndefined } from '../aws/errors.js';
import type { AwsClients } from '../aws/clients.js';
import type { LiveCloudMapService, LiveEcsService, LiveNamespace, LiveSet } from '../kit/types.js';
import { convertEcsService, primaryTaskDefinition } from '../kinds/ecs-service/convert.js';
import { convertCloudMapService } from '../kinds/cloudmap-service/convert.js';
import { createLimit } from '../util/map-limit.js';
import type { ObserveCaches } from './caches.js';
import { describeTaskDefinitions } from './ecs-scan.js';
import { listTags } from './cloudmap-tags.js';

/** What one re-observe found: the resource as a full observe would report it, or `absent` (deleted). */
export type ObservedOne<T> = { readonly found: T } | { readonly absent: true } | { readonly unplaced: string };

const ONE_AT_A_TIME = createLimit(1);

/** What a single re-read looks up in the newest full observe, indexed once per live set. */
interface LiveIndex {
  readonly registries: ReadonlyMap<string, LiveCloudMapService>;
  /** Namespaces by ARN and by name (what a Service Connect setting may name). */
  readonly namespaces: ReadonlyMap<string, LiveNamespace>;
  readonly namespacesById: ReadonlyMap<string, LiveNamespace>;
}

const indexes = new WeakMap<LiveSet, LiveIndex>();

function indexOf(live: LiveSet): LiveIndex {
  let index = indexes.get(live);
  if (index) return index;
  const registries = new Map<string, LiveCloudMapService>();
  const namespaces = new Map<string, LiveNamespace>();
  const namespacesById = new Map<string, LiveNamespace>();
  for (const r of live.resources.values()) {
    if (r.kind === 'CloudMapService') registries.set(r.arn, r);
    if (r.kind === 'CloudMapNamespace') {
      namespaces.set(r.arn, r).set(r.name, r);
      namespacesById.set(r.id, r);
    }
  }
  index = { registries, namespaces, namespacesById };
  indexes.set(live, index);
  return index;
}

/** One ECS service by cluster and name (DescribeServices with TAGS). */
export async function observeEcsService(
  clients: AwsClients,
  caches: ObserveCaches,
  live: LiveSet,
  cluster: string,
  service: string,
): Promise<ObservedOne<LiveEcsService>> {
  const out = await call('ecs', 'DescribeServices', () => clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service], include: ['TAGS'] })));
  const svc = out.services?.find((s) => s.serviceName === service);
  if (!svc || svc.status === 'INACTIVE') return { absent: true };
  const tdArn = primaryTaskDefinition(svc);
  const tds = tdArn ? await describeTaskDefinitions(clients.ecs, [tdArn], caches, ONE_AT_A_TIME) : new Map();
  // The same lookups as a full observe, so a re-read converts the service exactly as a scan does.
  const { registries, namespaces } = indexOf(live);
  const converted = convertEcsService(
    svc,
    (arn) => registries.get(arn),
    tdArn ? tds.get(tdArn) : undefined,
    (ns) => namespaces.get(ns),
  );
  return converted ? { found: converted } : { absent: true };
}

/** One Cloud Map service by id (GetService), placed in its namespace as the newest observe saw it. */
export async function observeCloudMapService(
  clients: AwsClients,
  caches: ObserveCaches,
  live: LiveSet,
  id: string,
  tagsChanged: boolean,
): Promise<ObservedOne<LiveCloudMapService>> {
  const out = await callOrUndefined('servicediscovery', 'GetService', () => clients.serviceDiscovery.send(new GetServiceCommand({ Id: id })));
  const svc = out?.Service;
  if (!svc?.Arn) return { absent: true };
  const namespace = svc.NamespaceId === undefined ? undefined : indexOf(live).namespacesById.get(svc.NamespaceId);
  if (!namespace) return { unplaced: `namespace ${svc.NamespaceId ?? '?'} of Cloud Map service ${id} was not observed` };
  if (tagsChanged) caches.forgetTags(svc.Arn);
  let tags = caches.tagsOf(svc.Arn);
  if (!tags) {
    tags = await listTags(clients.serviceDiscovery, svc.Arn, ONE_AT_A_TIME);
    if (!tags) return { absent: true };
    caches.rememberTags(svc.Arn, tags);
  }
  const summary: ServiceSummary = {
    Id: svc.Id,
    Arn: svc.Arn,
    Name: svc.Name,
    Type: svc.Type,
    Description: svc.Description,
    InstanceCount: svc.InstanceCount,
    DnsConfig: svc.DnsConfig,
    HealthCheckConfig: svc.HealthCheckConfig,
    HealthCheckCustomConfig: svc.HealthCheckCustomConfig,
    CreateDate: svc.CreateDate,
  };
  const converted = convertCloudMapService(summary, { id: namespace.id, name: namespace.name, type: namespace.spec.type }, { ...tags });
  return converted ? { found: converted } : { absent: true };
}
