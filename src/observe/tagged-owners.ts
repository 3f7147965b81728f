import { GetResourcesCommand, type ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { AwsError, call } from '../aws/errors.js';
import { tagMap } from '../kit/ownership.js';
import { OWNER_TAGS } from '../kit/types.js';
import type { CallLimit } from '../util/map-limit.js';

/** Most resources GetResources returns per page (API reference, ResourcesPerPage: 1-100). */
const RESOURCES_PER_PAGE = 100;

/**
 * Every resource of `resourceTypes` (e.g. `servicediscovery:service`) that carries the
 * `ecs-gitops.io/controller` tag, whatever its value (this controller's resources and other
 * controllers'), with all its tags, by ARN: GetResources filtered on the tag key, all pages.
 *
 * The answer is an index AWS keeps apart from the services (docs/aws-behaviour.md, "Finding
 * owned resources in pages"): a tag written seconds ago may be missing from it, and a deleted
 * resource may still be in it. Callers intersect it with what the services list and read a
 * resource's own tags where a wrong answer would matter. Resolves to undefined when the
 * caller may not call GetResources (no `tag:GetResources` in its policy): callers then read
 * tags one ARN at a time, as without this API.
 */
export async function readTaggedOwners(
  tagging: ResourceGroupsTaggingAPIClient,
  resourceTypes: readonly string[],
  limit: CallLimit,
): Promise<Map<string, Record<string, string>> | undefined> {
  const out = new Map<string, Record<string, string>>();
  let token: string | undefined;
  try {
    do {
      const from = token;
      const page = await limit(() =>
        call('tagging', 'GetResources', () =>
          tagging.send(
            new GetResourcesCommand({
              TagFilters: [{ Key: OWNER_TAGS.controller }],
              ResourceTypeFilters: [...resourceTypes],
              ResourcesPerPage: RESOURCES_PER_PAGE,
              ...(from ? { PaginationToken: from } : {}),
            }),
          ),
        ),
      );
      for (const mapping of page.ResourceTagMappingList ?? []) {
        if (mapping.ResourceARN) out.set(mapping.ResourceARN, tagMap(mapping.Tags));
      }
      // An empty string ends the listing like an absent token (the CLI's paginator does the same).
      token = page.PaginationToken || undefined;
    } while (token);
  } catch (err) {
    if (err instanceof AwsError && err.category === 'access-denied') return undefined;
    throw err;
  }
  return out;
}
