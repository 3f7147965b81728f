import { ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-servicediscovery';
import type { ApplyRun } from '../../kit/apply-run.js';
import type { ApplyKind } from '../../kit/apply-types.js';
import { applyTagDelta, ownedBy, toAwsTagList, type TagDelta } from '../../kit/apply-tags.js';

/**
 * Writes a tag delta on a Cloud Map namespace or service. `adopting`: the owner tags are
 * being put on a resource for the first time, reported as `adopt`.
 */
export async function applyCloudMapTags(run: ApplyRun, kind: ApplyKind, key: string, arn: string, delta: TagDelta, adopting: boolean): Promise<void> {
  const sd = run.clients.serviceDiscovery;
  await applyTagDelta(run, kind, key, arn, delta, adopting, {
    tag: (add) => sd.send(new TagResourceCommand({ ResourceARN: arn, Tags: toAwsTagList(add) })),
    untag: (keys) => sd.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: keys })),
  });
}

/** True when the Cloud Map namespace or service `arn` carries this controller's owner tags for `key`. */
export async function cloudMapOwnedByUs(run: ApplyRun, key: string, arn: string): Promise<boolean> {
  const { Tags } = await run.clients.serviceDiscovery.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
  return ownedBy(Object.fromEntries((Tags ?? []).map((t) => [t.Key, t.Value])), run.controllerId, key);
}
