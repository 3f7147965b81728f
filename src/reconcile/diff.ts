/**
 * Diff, pure: the field changes between one desired resource and its live counterpart,
 * normalized on both sides, declared fields only, each classified (in place / redeploy /
 * replace), with the resource's `syncPolicy.ignore` pointers applied.
 */
import type { DesiredResource } from '../manifests/types.js';
import type { ChangeEffect, FieldChange, LiveResource } from '../kit/types.js';
import { KINDS } from '../kinds/registry.js';
import type { KindRegistry } from '../kit/kind-module.js';
import { isAtOrBelow } from '../util/json-pointer.js';

/** Thrown when desired and live are of different kinds (a caller bug, keys include the kind). */
export class KindMismatchError extends Error {
  override readonly name = 'KindMismatchError';
}

/** Changes without the ignore filter (every declared field compared). */
export function diffUnfiltered(desired: DesiredResource, live: LiveResource, kinds: KindRegistry = KINDS): FieldChange[] {
  if (desired.kind !== live.kind) throw new KindMismatchError(`cannot diff ${desired.key} against live ${live.key}`);
  return kinds.get(desired.kind).diff(desired, live);
}

/**
 * Drops every change at or below one of the ignore pointers (pointers into the manifest,
 * e.g. `/spec/desiredCount`, `/spec/taskDefinition/containers/0/image`). An invalid pointer
 * ignores nothing (validation reports it).
 */
export function applyIgnore(changes: readonly FieldChange[], ignore: readonly string[]): FieldChange[] {
  if (ignore.length === 0) return [...changes];
  return changes.filter((c) => !ignore.some((p) => safeIsAtOrBelow(c.pointer, p)));
}

function safeIsAtOrBelow(pointer: string, base: string): boolean {
  try {
    return isAtOrBelow(pointer, base);
  } catch {
    return false;
  }
}

/** The changes that matter for `desired`: normalized, declared fields only, ignore pointers applied. */
export function diffResource(desired: DesiredResource, live: LiveResource, kinds: KindRegistry = KINDS): FieldChange[] {
  return applyIgnore(diffUnfiltered(desired, live, kinds), desired.policy.ignore);
}

const EFFECT_RANK: Record<ChangeEffect, number> = { 'in-place': 0, redeploy: 1, replace: 2 };

/** The strongest effect among the changes (replace > redeploy > in-place); undefined when none. */
export function strongestEffect(changes: readonly FieldChange[]): ChangeEffect | undefined {
  let best: ChangeEffect | undefined;
  for (const c of changes) if (best === undefined || EFFECT_RANK[c.effect] > EFFECT_RANK[best]) best = c.effect;
  return best;
}
