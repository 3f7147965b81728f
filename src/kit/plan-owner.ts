/**
 * Ownership tags: which tags the controller writes on what it creates or adopts, and the
 * synthetic plan change that brings a live resource's ownership tags up to date.
 */
import type { DesiredResource } from '../manifests/types.js';
import { OWNER_TAGS, type FieldChange, type LiveResource } from './types.js';
import { deepEqual } from '../util/deep-equal.js';
import { ownerTags } from './apply-tags.js';

/**
 * Path of the plan change that writes ownership tags (on adopt, or when `prune: false` is
 * set or cleared). It is not a manifest field, so `ignore` never drops it.
 */
export const OWNER_CHANGE_PATH = 'owner';

function currentOwnerTags(live: LiveResource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [OWNER_TAGS.controller, OWNER_TAGS.resource, OWNER_TAGS.prune]) {
    const value = live.tags[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * Ownership is checked against identity, not only presence: when a resource this controller
 * owns carries an `ecs-gitops.io/resource` tag naming another identity than where the scan
 * found it (a list call that ignored its filter, or tags copied by hand), the reason it is a
 * conflict; undefined when the identities match or the resource has no owner tags.
 */
export function identityConflict(live: LiveResource): string | undefined {
  const tagged = live.owner?.resourceKey;
  if (tagged === undefined || tagged === live.key) return undefined;
  return `identity conflict: found as ${live.key} but tagged ${OWNER_TAGS.resource}=${tagged}; reported, never updated or deleted`;
}

/** Whether a live resource carries `ecs-gitops.io/prune: "false"`. */
export function pruneDisabledByTag(live: LiveResource): boolean {
  return live.tags[OWNER_TAGS.prune] === 'false';
}

/** The change that sets the ownership tags `desired` calls for; undefined when they are already right. */
export function ownerTagChange(desired: DesiredResource, live: LiveResource, controllerId: string, reason: string): FieldChange | undefined {
  const want = ownerTags(controllerId, desired.key, desired.policy);
  const have = currentOwnerTags(live);
  if (deepEqual(want, have)) return undefined;
  return { path: OWNER_CHANGE_PATH, pointer: `/${OWNER_CHANGE_PATH}`, from: have, to: want, effect: 'in-place', reason };
}
