/**
 * JSON merge patch (RFC 7386): maps merge key by key, `null` removes a key, anything else
 * (a scalar, a list) replaces. Pure; it also lists the paths the patch wrote, so that a
 * problem in a patched field is reported where the overlay wrote it.
 */
import { isObject } from './json-pointer.js';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

/** The paths a merge patch sets (leaves: scalars, lists and removals), in patch order. */
export function mergePatchPaths(patch: unknown, prefix: readonly string[] = []): string[][] {
  if (!isObject(patch)) return [[...prefix]];
  return Object.entries(patch).flatMap(([key, value]) => (isObject(value) ? mergePatchPaths(value, [...prefix, key]) : [[...prefix, key]]));
}
