import { cloudMapServiceKey, namespaceKey } from '../manifests/keys.js';
import { GetHostedZoneCommand, type Route53Client } from '@aws-sdk/client-route-53';
import {
  ListNamespacesCommand,
  ListServicesCommand,
  type NamespaceSummary,
  type ServiceDiscoveryClient,
  type ServiceSummary,
} from '@aws-sdk/client-servicediscovery';
import { AwsError, call, callOrUndefined } from '../aws/errors.js';
import type { ObserveCaches } from './caches.js';
import type { CallLimit } from '../util/map-limit.js';
import { resolveCloudMapTags, type ListedResource, type OwnerScan } from './cloudmap-tags.js';

const PAGE_SIZE = 100;

/** One namespace with its services (raw summaries) and the tags of both, as read in one scan. */
export interface NamespaceScan {
  namespace: NamespaceSummary;
  tags: Record<string, string>;
  /** VPC of a private DNS namespace (from its hosted zone), when it could be read. */
  vpc?: string;
  services: { summary: ServiceSummary; tags: Record<string, string> }[];
}

export interface CloudMapScan {
  namespaces: NamespaceScan[];
  unreadable: { scope: string; reason: string }[];
}

/**
 * Reads all Cloud Map namespaces (ListNamespaces, all pages) and, for each one in `only`
 * (all when absent), its services (ListServices filtered by NAMESPACE_ID, all pages: a
 * filtered page can be empty and still carry a NextToken). Tags come from the cache, one
 * ListTagsForResource per ARN, or (with `owners`) the tagging API's pages of owned resources
 * (resolveCloudMapTags); resources that vanish between the list and the tag read are left out. Private DNS namespaces get their VPC from the hosted zone (cached). When Cloud Map
 * may not be listed at all, the scan is empty and says so in `unreadable`.
 */
export async function scanCloudMap(
  sd: ServiceDiscoveryClient,
  route53: Route53Client,
  caches: ObserveCaches,
  limit: CallLimit,
  only?: ReadonlySet<string>,
  owners?: OwnerScan,
): Promise<CloudMapScan> {
  const unreadable: CloudMapScan['unreadable'] = [];
  const summaries: NamespaceSummary[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const token = nextToken;
      const page = await limit(() =>
        call('servicediscovery', 'ListNamespaces', () => sd.send(new ListNamespacesCommand({ MaxResults: PAGE_SIZE, ...(token ? { NextToken: token } : {}) }))),
      );
      summaries.push(...(page.Namespaces ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (err) {
    if (err instanceof AwsError && err.category === 'access-denied') {
      return { namespaces: [], unreadable: [{ scope: 'CloudMap', reason: `${err.code}: ${err.message}` }] };
    }
    throw err;
  }
  const wanted = summaries.filter((n) => n.Id && n.Arn && n.Name && (!only || only.has(n.Name)));

  const listed = await Promise.all(wanted.map(async (ns) => ({ ns, services: await listServices(sd, ns.Id as string, limit) })));
  const present = listed.filter((l): l is { ns: NamespaceSummary; services: ServiceSummary[] } => l.services !== undefined);

  const listedResources: ListedResource[] = present.flatMap(({ ns, services }) => [
    { arn: ns.Arn as string, key: namespaceKey(ns.Name as string) },
    ...services.flatMap((s) => (s.Arn && s.Name ? [{ arn: s.Arn, key: cloudMapServiceKey(ns.Name as string, s.Name) }] : [])),
  ]);
  const tags = await resolveCloudMapTags(sd, caches, listedResources, limit, owners);
  if (!only) {
    caches.retainTags(new Set(tags.keys()));
    caches.retainZones(new Set(summaries.flatMap((n) => n.Properties?.DnsProperties?.HostedZoneId ?? [])));
  }

  const namespaces = await Promise.all(
    present.map(async ({ ns, services }): Promise<NamespaceScan | undefined> => {
      const nsTags = tags.get(ns.Arn as string);
      if (nsTags === undefined) return undefined; // deleted between list and tag read
      const scan: NamespaceScan = {
        namespace: ns,
        tags: nsTags,
        services: services.flatMap((summary) => {
          const t = summary.Arn ? tags.get(summary.Arn) : undefined;
          return t === undefined ? [] : [{ summary, tags: t }];
        }),
      };
      const zone = ns.Properties?.DnsProperties?.HostedZoneId;
      if (ns.Type === 'DNS_PRIVATE' && zone) {
        const vpc = await zoneVpc(route53, caches, zone, ns.Name as string, unreadable, limit);
        if (vpc) scan.vpc = vpc;
      }
      return scan;
    }),
  );
  return { namespaces: namespaces.filter((n) => n !== undefined), unreadable };
}

async function listServices(sd: ServiceDiscoveryClient, namespaceId: string, limit: CallLimit): Promise<ServiceSummary[] | undefined> {
  const out: ServiceSummary[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await limit(() =>
      callOrUndefined('servicediscovery', 'ListServices', () =>
        sd.send(
          new ListServicesCommand({
            MaxResults: PAGE_SIZE,
            Filters: [{ Name: 'NAMESPACE_ID', Values: [namespaceId], Condition: 'EQ' }],
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      ),
    );
    if (page === undefined) return undefined;
    out.push(...(page.Services ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return out;
}

async function zoneVpc(
  route53: Route53Client,
  caches: ObserveCaches,
  zoneId: string,
  namespace: string,
  unreadable: CloudMapScan['unreadable'],
  limit: CallLimit,
): Promise<string | undefined> {
  const cached = caches.zoneVpc(zoneId);
  if (cached) return cached;
  try {
    const out = await limit(() => call('route53', 'GetHostedZone', () => route53.send(new GetHostedZoneCommand({ Id: zoneId }))));
    const vpc = out.VPCs?.[0]?.VPCId;
    if (vpc) caches.rememberZoneVpc(zoneId, vpc);
    return vpc;
  } catch (err) {
    // Without the VPC the namespace's vpc is unknown, not changed: report the scope as unreadable.
    if (err instanceof AwsError && !err.retryable) {
      unreadable.push({ scope: `${namespaceKey(namespace)}/vpc`, reason: `${err.code}: ${err.message}` });
      return undefined;
    }
    throw err;
  }
}
