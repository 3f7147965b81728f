import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { SourceFile } from '../sources/artifact.js';
import { DirectorySource, readSingleFile } from '../sources/directory-source.js';
import type { SourceLimits } from '../sources/source.js';

/** Files read from a local path, with the root their paths are relative to. */
export interface LocalTree {
  /** Directory the file paths are relative to (the path itself, or a file's directory). */
  readonly root: string;
  readonly files: SourceFile[];
}

/**
 * Reads a directory tree or a single file into SourceFiles through the controller's
 * directory source: the same rule for which files count (src/sources/manifest-files.ts),
 * the same decoding and refusals, the same limits. Files are sorted by path.
 */
export async function readManifestTree(path: string, limits?: SourceLimits): Promise<LocalTree> {
  const info = await stat(path);
  if (!info.isDirectory()) {
    return { root: dirname(path), files: [await readSingleFile(path, basename(path), path, limits)] };
  }
  const artifact = await new DirectorySource(path, path, limits ? { limits } : {}).fetch();
  return { root: path, files: [...artifact.files] };
}
