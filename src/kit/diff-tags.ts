import { OWNER_TAGS } from './types.js';
import { sortedRecord } from '../util/deep-equal.js';

const MANAGED_TAG_KEYS: ReadonlySet<string> = new Set(Object.values(OWNER_TAGS));

/**
 * Tags as compared by diff: `aws:*` tags (set by AWS) and the ecs-gitops ownership tags
 * (OWNER_TAGS, written by the controller itself) removed, keys sorted. Absent = no tags.
 */
export function normalizeTags(tags: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags ?? {})) {
    if (k.startsWith('aws:') || MANAGED_TAG_KEYS.has(k)) continue;
    out[k] = v;
  }
  return sortedRecord(out);
}
