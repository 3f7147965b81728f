import type { ResolvedSyncPolicy } from '../manifests/types.js';
import type { ApplyRun } from './apply-run.js';
import type { ApplyKind } from './apply-types.js';
import { OWNER_TAGS, type ResourcePlan } from './types.js';

/** The tags that mark a resource as created (or adopted) by this controller for this manifest. */
export function ownerTags(controllerId: string, key: string, policy?: ResolvedSyncPolicy): Record<string, string> {
  const tags: Record<string, string> = {
    [OWNER_TAGS.controller]: controllerId,
    [OWNER_TAGS.resource]: key,
  };
  // Prune reads this tag because the manifest of a pruned resource is gone by then.
  if (policy && !policy.prune) tags[OWNER_TAGS.prune] = 'false';
  return tags;
}

/** Tags to add (or overwrite) and keys to remove on a live resource. */
export interface TagDelta {
  add: Record<string, string>;
  remove: string[];
}

function decodePointer(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * What to write so the live tags equal the manifest's tags plus the owner tags. Keys are
 * removed only when the plan reports them as changes (a manifest-managed tag that went away,
 * or our prune marker that no longer applies): tags other people put on the resource stay.
 */
export function tagDelta(plan: ResourcePlan, manifestTags: Record<string, string> | undefined, owner: Record<string, string>): TagDelta {
  const live = plan.live?.tags ?? {};
  const desired: Record<string, string> = { ...(manifestTags ?? {}), ...owner };
  const add: Record<string, string> = {};
  for (const [k, v] of Object.entries(desired)) if (live[k] !== v) add[k] = v;

  const remove = new Set<string>();
  for (const change of plan.changes) {
    const segments = decodePointer(change.pointer);
    if (segments[0] !== 'spec' || segments[1] !== 'tags') continue;
    if (segments.length === 3 && change.to === undefined) remove.add(segments[2]!);
    if (segments.length === 2) {
      const from = (change.from ?? {}) as Record<string, unknown>;
      const to = (change.to ?? {}) as Record<string, unknown>;
      for (const k of Object.keys(from)) if (!(k in to)) remove.add(k);
    }
  }
  if (live[OWNER_TAGS.prune] !== undefined && owner[OWNER_TAGS.prune] === undefined) remove.add(OWNER_TAGS.prune);
  for (const k of Object.keys(desired)) remove.delete(k);
  for (const k of [...remove]) if (k.startsWith('aws:') || live[k] === undefined) remove.delete(k);
  return { add, remove: [...remove].sort() };
}

/** How one AWS service writes tags on a resource. */
export interface TagWriter {
  tag(add: Record<string, string>): Promise<unknown>;
  untag(keys: string[]): Promise<unknown>;
}

/**
 * Writes a tag delta on the resource `arn` as reported actions. `adopting`: the owner tags are
 * being put on a resource for the first time, reported as `adopt`.
 */
export async function applyTagDelta(
  run: ApplyRun,
  kind: ApplyKind,
  key: string,
  arn: string,
  delta: TagDelta,
  adopting: boolean,
  writer: TagWriter,
): Promise<void> {
  const keys = Object.keys(delta.add);
  if (keys.length > 0) {
    await run.act(kind, key, adopting ? 'adopt' : 'tag', () => writer.tag(delta.add), keys.join(', '));
    run.tagsChanged(arn);
  }
  if (delta.remove.length > 0) {
    await run.act(kind, key, 'untag', () => writer.untag(delta.remove), delta.remove.join(', '));
    run.tagsChanged(arn);
  }
}

/** True when `tags` carry this controller's owner tags for the resource `key`. */
export function ownedBy(tags: Readonly<Record<string, string | undefined>>, controllerId: string, key: string): boolean {
  return tags[OWNER_TAGS.controller] === controllerId && tags[OWNER_TAGS.resource] === key;
}

/** Top-level spec fields (`desiredCount`, `dns`, ...) the plan's changes touch. */
export function changedSpecFields(plan: ResourcePlan): Set<string> {
  const fields = new Set<string>();
  for (const c of plan.changes) {
    const segments = decodePointer(c.pointer);
    if (segments[0] === 'spec' && segments[1] !== undefined) fields.add(segments[1]);
    else if (segments[0] !== undefined) fields.add(segments[0]);
  }
  return fields;
}

export function toAwsTagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([Key, Value]) => ({ Key, Value }));
}

export function toEcsTagList(tags: Record<string, string>): { key: string; value: string }[] {
  return Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, value]) => ({ key, value }));
}
