/**
 * Loading a source whose Overlays read external values (environment, SSM, CloudFormation
 * exports, Terraform state): a first load finds which values the rendering uses, the caller's
 * reader resolves them, a second load renders with them. The digest of the resolved values
 * becomes part of the revision, so a changed parameter is a new revision.
 */
import { createHash } from 'node:crypto';
import type { SourceFile } from '../sources/artifact.js';
import type { ExternalValueRef, ExternalValues } from '../manifests/overlay/values.js';
import { loadManifests, type LoadOptions, type LoadResult } from './load.js';

/** Resolves external values (src/aws/value-reader.ts in the product; a map in tests). */
export type ReadValues = (refs: readonly ExternalValueRef[]) => Promise<ExternalValues>;

export interface LoadedWithValues {
  readonly result: LoadResult;
  /** `sha256:<hex>` over the resolved values, when the rendering used external values. */
  readonly valuesDigest?: string;
  /** The keys of the external values used (`ssm:/prod/subnets`, ...). */
  readonly valueSources: readonly string[];
}

/** sha256 over the values sorted by key (errors included, so a value that appears is a change). */
export function valuesDigest(values: ExternalValues): string {
  const hash = createHash('sha256');
  for (const key of [...values.keys()].sort()) hash.update(`${key}\0${JSON.stringify(values.get(key))}\0`);
  return `sha256:${hash.digest('hex')}`;
}

/** The revision shown for a rendering: the source's, plus the first 12 hex digits of the values digest. */
export function revisionWithValues(revision: string, digest: string | undefined): string {
  return digest === undefined ? revision : `${revision}+values.${digest.slice('sha256:'.length, 'sha256:'.length + 12)}`;
}

/**
 * Loads with external values: without a reader (validate) or without such values, one plain
 * load. `first` is the plain load when the caller has it already (the controller caches it per revision).
 */
export async function loadWithValues(
  files: readonly SourceFile[],
  options: LoadOptions,
  read: ReadValues | undefined,
  first?: LoadResult,
): Promise<LoadedWithValues> {
  const plain = first ?? loadManifests(files, options);
  const refs = plain.overlays?.externalRefs ?? [];
  if (!read || refs.length === 0) return { result: plain, valueSources: [] };
  const values = await read(refs);
  return { result: loadManifests(files, { ...options, values }), valuesDigest: valuesDigest(values), valueSources: refs.map((r) => r.key) };
}
