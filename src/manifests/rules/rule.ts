import type { Reporter } from '../diagnostics.js';
import { shortName } from '../short-name.js';
import type { ManifestKind } from '../types.js';

/** A semantic rule over one manifest: reports what is wrong, returns nothing. */
export type Rule<M> = (manifest: M, reporter: Reporter) => void;

/** A semantic rule over a manifest and a resource it references (already known to be valid). */
export type ReferenceRule<M, R> = (manifest: M, referenced: R, reporter: Reporter) => void;

/** Formats `Kind/name` as used in messages and in Diagnostic.resource (a long name shortened). */
export function resourceLabel(kind: ManifestKind, name: string): string {
  return `${kind}/${shortName(name)}`;
}
