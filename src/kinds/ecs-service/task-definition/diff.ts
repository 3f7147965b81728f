import { createHash } from 'node:crypto';
import type { InlineTaskDefinition } from '../../../manifests/types.js';
import type { FieldChange, LiveTaskDefinition } from '../../../kit/types.js';
import { diffDeclared, fieldChange, type ArrayKey, type Classification } from '../../../kit/diff-walk.js';
import { isPlainObject, stableStringify } from '../../../util/deep-equal.js';
import type { PathSegment } from '../../../util/json-pointer.js';
import { declaredTaskDefinition, normalizeTaskDefinition } from './normalize.js';
import { CONTAINER_SETTING_NAMES, TASK_SETTING_NAMES } from './settings.js';

/** Any content change registers a new revision, which the service then deploys. */
const REDEPLOY: Classification = { effect: 'redeploy', reason: 'a new task definition revision is deployed' };

/**
 * Maps compared as a whole: an extra live entry is a difference. So are the settings in the
 * AWS shape (settings.ts): a live member the manifest leaves out of, say, linuxParameters is
 * a difference too.
 */
const ATOMIC_KEYS: ReadonlySet<PathSegment> = new Set(['tags', 'environment', 'options', ...CONTAINER_SETTING_NAMES, ...TASK_SETTING_NAMES]);

/** Containers are matched by name: paths read `containers[name=web].image`. */
const CONTAINER_KEY: ArrayKey = {
  field: 'name',
  keyOf: (item) => (isPlainObject(item) && typeof item.name === 'string' ? item.name : ''),
};

/**
 * sha256 (hex) of the normalized content, key order stable: two manifests that differ only
 * in spelling (units, defaults, order of set-like lists) get the same hash. The apply engine
 * stores it in the `ecs-gitops.io/content-hash` tag to reuse a revision with the same content.
 */
export function contentHash(td: InlineTaskDefinition): string {
  return createHash('sha256')
    .update(stableStringify(normalizeTaskDefinition(td)))
    .digest('hex');
}

/**
 * Changes between a declared inline task definition and the revision the service runs,
 * with paths below `spec.taskDefinition`. The content is compared as a whole (a field the
 * manifest leaves out must be unset or ECS's default in the revision, see
 * declaredTaskDefinition); containers are matched by name. `live` undefined (the revision
 * could not be described) is one change.
 */
export function diffTaskDefinition(desired: InlineTaskDefinition, live: LiveTaskDefinition | undefined, liveArn: string): FieldChange[] {
  const base = ['spec', 'taskDefinition'];
  const want = normalizeTaskDefinition(desired);
  if (live === undefined) {
    return [
      fieldChange(base, liveArn === '' ? undefined : liveArn, want, {
        effect: 'redeploy',
        reason: 'the task definition in use could not be described',
      }),
    ];
  }
  return diffDeclared(declaredTaskDefinition(desired), want, normalizeTaskDefinition(live.spec), base, {
    classify: () => REDEPLOY,
    isAtomic: (s) => ATOMIC_KEYS.has(s[s.length - 1] ?? ''),
    arrayKey: (s) => (s.length === 3 && s[2] === 'containers' ? CONTAINER_KEY : undefined),
  });
}
