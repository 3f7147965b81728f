/**
 * The generic part of every kind's diff: walks the fields a manifest declares and compares
 * the normalized desired value with the normalized live value. Pure, no I/O.
 *
 * Three values travel together: `declared` (the manifest as written, plus the defaults the
 * manifest format itself documents), which decides WHAT is compared, and `desired` / `live`
 * (both normalized, AWS defaults filled), which decide whether it differs. A field the
 * manifest leaves out is never compared, so AWS-side values nobody declared (a desired count
 * owned by autoscaling, a field a newer API version added) never show up as drift.
 */
import type { ChangeEffect, FieldChange } from './types.js';
import { deepEqual, isPlainObject } from '../util/deep-equal.js';
import { plainSegment, toDottedPath, toPointer, type ChangeSegment, type PathSegment } from '../util/json-pointer.js';

/** How a change at a path is carried out. */
export interface Classification {
  effect: ChangeEffect;
  reason?: string;
}

/** Per-kind knowledge the walker needs. */
export interface WalkRules {
  /** Effect of a change at `segments` (manifest path, starting with "spec"). */
  classify(segments: readonly PathSegment[], from: unknown, to: unknown): Classification;
  /** Objects compared as one value (maps such as tags or environment). Arrays are always atomic unless keyed. */
  isAtomic?(segments: readonly PathSegment[]): boolean;
  /**
   * Arrays whose elements are matched by identity (containers by name) instead of compared
   * whole. Changes inside such an element are shown with `[field=value]` in the path.
   */
  arrayKey?(segments: readonly PathSegment[]): ArrayKey | undefined;
}

/** How the elements of a keyed array are identified. */
export interface ArrayKey {
  /** The identifying field, as shown in paths (`name` in `containers[name=web]`). */
  readonly field: string;
  /** The identity of one element. */
  keyOf(item: unknown): string;
}

/** Builds a FieldChange for the given path and values, classified by `rules`. */
export function fieldChange(segments: readonly ChangeSegment[], from: unknown, to: unknown, classification: Classification): FieldChange {
  const change: FieldChange = {
    path: toDottedPath(segments),
    pointer: toPointer(segments),
    from,
    to,
    effect: classification.effect,
  };
  if (classification.reason !== undefined) change.reason = classification.reason;
  return change;
}

/**
 * Compares `desired` with `live` at every field present in `declared`, below `base`.
 * Returns the changes in declaration order.
 */
export function diffDeclared(declared: unknown, desired: unknown, live: unknown, base: readonly PathSegment[], rules: WalkRules): FieldChange[] {
  const out: FieldChange[] = [];
  walk(declared, desired, live, [...base], rules, out);
  return out;
}

function walk(declared: unknown, desired: unknown, live: unknown, segs: ChangeSegment[], rules: WalkRules, out: FieldChange[]): void {
  if (declared === undefined) return;
  const plain = segs.map(plainSegment);
  const whole = (): void => {
    if (!deepEqual(desired, live)) out.push(fieldChange(segs, live, desired, rules.classify(plain, live, desired)));
  };
  if (isPlainObject(declared) && !rules.isAtomic?.(plain)) {
    if (!isPlainObject(desired) || !isPlainObject(live)) return whole();
    for (const key of Object.keys(declared)) {
      walk(declared[key], desired[key], live[key], [...segs, key], rules, out);
    }
    return;
  }
  const key = Array.isArray(declared) ? rules.arrayKey?.(plain) : undefined;
  if (key && Array.isArray(declared)) {
    if (!Array.isArray(desired) || !Array.isArray(live)) return whole();
    walkKeyed(declared, desired, live, segs, key, rules, out);
    return;
  }
  whole();
}

function walkKeyed(
  declared: readonly unknown[],
  desired: readonly unknown[],
  live: readonly unknown[],
  segs: ChangeSegment[],
  arrayKey: ArrayKey,
  rules: WalkRules,
  out: FieldChange[],
): void {
  const { field, keyOf } = arrayKey;
  const declaredKeys = new Set<string>();
  declared.forEach((item, i) => {
    const key = keyOf(item);
    declaredKeys.add(key);
    const d = desired.find((x) => keyOf(x) === key);
    const l = live.find((x) => keyOf(x) === key);
    const at: ChangeSegment[] = [...segs, { index: i, field, value: key }];
    if (l === undefined) out.push(fieldChange(at, undefined, d, rules.classify(at.map(plainSegment), undefined, d)));
    else walk(item, d, l, at, rules, out);
  });
  // Live elements the manifest no longer lists get pointer indexes after the declared ones.
  let extra = declared.length;
  for (const l of live) {
    const key = keyOf(l);
    if (declaredKeys.has(key)) continue;
    const at: ChangeSegment[] = [...segs, { index: extra++, field, value: key }];
    out.push(fieldChange(at, l, undefined, rules.classify(at.map(plainSegment), l, undefined)));
  }
}
