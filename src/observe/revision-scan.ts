/**
 * The ACTIVE revisions of the task definition families whose revisions are tidied: one
 * ListTaskDefinitions page (100, newest first) per family, up to MAX_PAGES pages, then
 * DescribeTaskDefinition with tags for the revisions not in the cache (revisions are
 * immutable: each is described once per process). A family with a single ACTIVE revision has
 * nothing to tidy (the newest revision is always kept) and costs no describe.
 */
import { ListTaskDefinitionsCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { LiveRevisionFamily } from '../kit/types.js';
import { call } from '../aws/errors.js';
import type { ObserveCaches } from './caches.js';
import { describeTaskDefinitions } from './ecs-scan.js';
import type { CallLimit } from '../util/map-limit.js';
import { familyOf } from '../kinds/ecs-service/task-definition/revisions.js';

const PAGE_SIZE = 100;
/** Most revisions read per family and pass; older ones wait for a later pass (`truncated`). */
export const MAX_REVISION_PAGES = 2;

export async function scanRevisionFamily(ecs: ECSClient, family: string, caches: ObserveCaches, limit: CallLimit): Promise<LiveRevisionFamily> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const token = nextToken;
    const page = await limit(() =>
      call('ecs', 'ListTaskDefinitions', () =>
        ecs.send(
          new ListTaskDefinitionsCommand({
            familyPrefix: family,
            status: 'ACTIVE',
            sort: 'DESC',
            maxResults: PAGE_SIZE,
            ...(token ? { nextToken: token } : {}),
          }),
        ),
      ),
    );
    // familyPrefix names the whole family; the filter guards against a wider answer.
    arns.push(...(page.taskDefinitionArns ?? []).filter((a) => familyOf(a) === family));
    nextToken = page.nextToken;
    pages++;
  } while (nextToken && pages < MAX_REVISION_PAGES);
  if (arns.length <= 1) return { family, revisions: [], truncated: false };
  const described = await describeTaskDefinitions(ecs, arns, caches, limit);
  const revisions = arns.flatMap((a) => described.get(a) ?? []).sort((a, b) => b.revision - a.revision);
  return { family, revisions, truncated: nextToken !== undefined };
}
