import { ListTagsForResourceCommand, type ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { callOrUndefined } from '../aws/errors.js';
import { ownerFromTags, tagMap } from '../kit/ownership.js';
import type { CallLimit } from '../util/map-limit.js';
import type { ObserveCaches } from './caches.js';
import { readTaggedOwners } from './tagged-owners.js';

/** The Cloud Map resource types GetResources is asked about. */
export const CLOUD_MAP_RESOURCE_TYPES = ['servicediscovery:namespace', 'servicediscovery:service'] as const;

/**
 * Below this many ARNs without cached tags, one ListTagsForResource each is cheaper than
 * paging through every owned resource of the account (warm scans, a few new resources).
 */
export const OWNER_SCAN_MIN_UNCACHED = 10;

/**
 * Finding ownership in pages instead of one tag read per ARN (ObserveOptions.owners).
 * Decisions that would be wrong on a lagging tagging index are confirmed with the
 * resource's own tags (see resolveCloudMapTags).
 */
export interface OwnerScan {
  tagging: ResourceGroupsTaggingAPIClient;
  /** This controller's id (the value of `ecs-gitops.io/controller` on what it owns). */
  controllerId: string;
  /** Keys of the desired resources (valid or not): a resource with one of these keys is adopted, updated or collides. */
  desiredKeys: ReadonlySet<string>;
}

/** A Cloud Map resource as listed: its ARN and the key a manifest would name it by. */
export interface ListedResource {
  arn: string;
  key: string;
}

/** Tags by ARN; a resource deleted between the list and a tag read is absent. */
export type ResolvedTags = Map<string, Record<string, string>>;

/**
 * The tags of every listed Cloud Map resource that ownership decisions need:
 * - cached tags are used as they are (ObserveCaches; the apply engine forgets what it retags);
 * - without `owners`, or with fewer than OWNER_SCAN_MIN_UNCACHED uncached ARNs, or when
 *   GetResources is not allowed: one ListTagsForResource per uncached ARN (as before);
 * - otherwise one paged GetResources on the owner tag key gives every owned resource with
 *   its tags. Its answer is trusted only where a lag cannot do harm:
 *   - listed, named by a manifest, or owned by another controller: its tags are used (a
 *     manifest's resource is then updated, adopted or refused as with read tags);
 *   - listed as this controller's but named by no manifest (a prune candidate): confirmed with
 *     ListTagsForResource, so a hand-removed owner tag the index still shows never leads to a delete;
 *   - not listed, named by a manifest (adopt, collision, or created a moment ago and not
 *     indexed yet): ListTagsForResource;
 *   - not listed, named by no manifest: unowned, tags `{}` (never read, never needed: nothing
 *     is written to or deleted from a resource nobody owns and no manifest names). Remembered
 *     in the cache for a while (ObserveCaches.isUnowned) so warm scans do not ask again; a
 *     resource this controller tagged a moment before its manifest was removed is found owned
 *     once that memory expires, and pruned then.
 */
export async function resolveCloudMapTags(
  sd: ServiceDiscoveryClient,
  caches: ObserveCaches,
  resources: readonly ListedResource[],
  limit: CallLimit,
  owners?: OwnerScan,
): Promise<ResolvedTags> {
  const out: ResolvedTags = new Map();
  const uncached: ListedResource[] = [];
  for (const r of resources) {
    const cached = caches.tagsOf(r.arn);
    if (cached) out.set(r.arn, { ...cached });
    else if (owners && caches.isUnowned(r.arn) && !owners.desiredKeys.has(r.key)) out.set(r.arn, {});
    else uncached.push(r);
  }

  const index = owners && uncached.length >= OWNER_SCAN_MIN_UNCACHED ? await readTaggedOwners(owners.tagging, CLOUD_MAP_RESOURCE_TYPES, limit) : undefined;
  const readOne: ListedResource[] = [];
  for (const r of uncached) {
    if (!index || !owners) {
      readOne.push(r);
      continue;
    }
    const desired = owners.desiredKeys.has(r.key);
    const indexed = index.get(r.arn);
    const ours = indexed !== undefined && ownerFromTags(indexed)?.controllerId === owners.controllerId;
    if (indexed ? ours && !desired : desired) {
      readOne.push(r);
    } else if (indexed) {
      out.set(r.arn, indexed);
      caches.rememberTags(r.arn, indexed);
    } else {
      out.set(r.arn, {});
      caches.rememberUnowned(r.arn);
    }
  }

  await Promise.all(
    readOne.map(async (r) => {
      const t = await listTags(sd, r.arn, limit);
      if (t === undefined) return;
      caches.rememberTags(r.arn, t);
      out.set(r.arn, t);
    }),
  );
  return out;
}

/** One resource's tags (ListTagsForResource); undefined when the resource is gone. */
export async function listTags(sd: ServiceDiscoveryClient, arn: string, limit: CallLimit): Promise<Record<string, string> | undefined> {
  const out = await limit(() =>
    callOrUndefined('servicediscovery', 'ListTagsForResource', () => sd.send(new ListTagsForResourceCommand({ ResourceARN: arn }))),
  );
  return out === undefined ? undefined : tagMap(out.Tags);
}
