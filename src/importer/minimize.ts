/**
 * Minimal manifests, generically: start from the live spec in manifest shape and drop every
 * member whose removal leaves what the kind compares unchanged. No field is named here, so a
 * field a kind starts to model is covered as soon as its convert and normalize know it.
 */
import { isPlainObject, stableStringify } from '../util/deep-equal.js';

/** Whether a candidate (the value with some members removed) may replace the current value. */
export type Acceptable<T> = (candidate: T) => boolean;

type Segment = string | number;

function childAt(value: unknown, path: readonly Segment[]): unknown {
  let node = value;
  for (const s of path) {
    if (Array.isArray(node) && typeof s === 'number') node = node[s];
    else if (isPlainObject(node) && typeof s === 'string') node = node[s];
    else return undefined;
  }
  return node;
}

/** A deep copy of `root` without the member at `path` (key order of the rest kept). */
function without(root: unknown, path: readonly Segment[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return root;
  if (Array.isArray(root) && typeof head === 'number') {
    if (rest.length === 0) return root.filter((_, i) => i !== head);
    return root.map((item, i) => (i === head ? without(item, rest) : item));
  }
  if (isPlainObject(root) && typeof head === 'string') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(root)) {
      if (k !== head) out[k] = v;
      else if (rest.length > 0) out[k] = without(v, rest);
    }
    return out;
  }
  return root;
}

/**
 * Drops members of `value` (object members and list items, depth first, in document order)
 * while `accept` says the smaller value is still equivalent. A member that must stay is
 * walked into, so its own optional members can go. Deterministic: the same input gives the
 * same output. `value` is not modified.
 */
export function minimize<T>(value: T, accept: Acceptable<T>): T {
  let current: unknown = value;
  const visit = (path: Segment[]): void => {
    const node = childAt(current, path);
    const members: Segment[] = Array.isArray(node)
      ? node.map((_, i) => i).reverse() // from the end, so earlier indexes stay valid
      : isPlainObject(node)
        ? Object.keys(node)
        : [];
    for (const m of members) {
      const candidate = without(current, [...path, m]);
      if (accept(candidate as T)) {
        current = candidate;
        continue;
      }
      visit([...path, m]);
    }
  };
  visit([]);
  return current as T;
}

/**
 * The usual acceptance test: the kind's normalized form (AWS defaults filled in) is the same
 * as the original's, and `valid` (the schema) still holds when it held for the original. A
 * normalizer that throws on a candidate (a required member gone) rejects it.
 */
export function sameNormalized<T>(original: T, normalize: (value: T) => unknown, valid: (value: T) => boolean = () => true): Acceptable<T> {
  const target = stableStringify(normalize(original));
  const mustStayValid = valid(original);
  return (candidate) => {
    try {
      if (stableStringify(normalize(candidate)) !== target) return false;
    } catch {
      return false;
    }
    return !mustStayValid || valid(candidate);
  };
}
