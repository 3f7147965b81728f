import { TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-servicediscovery';
import type { ApplyRun } from '../../reconcile/apply-run.js';
import type { ApplyKind } from '../../reconcile/apply-types.js';
import { toAwsTagList, type TagDelta } from '../../reconcile/apply-tags.js';

/**
 * Writes a tag delta on a Cloud Map namespace or service. `adopting`: the owner tags are
 * being put on a resource for the first time, reported as `adopt`.
 */
export async function applyCloudMapTags(run: ApplyRun, kind: ApplyKind, key: string, arn: string, delta: TagDelta, adopting: boolean): Promise<void> {
  const sd = run.clients.serviceDiscovery;
  const keys = Object.keys(delta.add);
  if (keys.length > 0) {
    await run.act(kind, key, adopting ? 'adopt' : 'tag', () => sd.send(new TagResourceCommand({ ResourceARN: arn, Tags: toAwsTagList(delta.add) })), keys.join(', '));
    run.tagsChanged(arn);
  }
  if (delta.remove.length > 0) {
    await run.act(kind, key, 'untag', () => sd.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: delta.remove })), delta.remove.join(', '));
    run.tagsChanged(arn);
  }
}
