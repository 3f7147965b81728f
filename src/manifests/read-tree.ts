import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { SourceFile } from '../sources/artifact.js';

const YAML_FILE = /\.ya?ml$/i;
const SKIPPED_DIRS = new Set(['node_modules']);
const READ_CONCURRENCY = 16;

/** Files read from a local path, with the root their paths are relative to. */
export interface LocalTree {
  /** Directory the file paths are relative to (the path itself, or a file's directory). */
  readonly root: string;
  readonly files: SourceFile[];
}

/**
 * Reads a directory tree (every `*.yaml` / `*.yml`, sorted by path, skipping directories whose
 * name starts with a dot and node_modules) or a single file into SourceFiles. Symbolic links
 * to files are read, links to directories are not (so a link loop cannot hang the walk), as
 * the controller's directory source does.
 */
export async function readManifestTree(path: string): Promise<LocalTree> {
  const info = await stat(path);
  if (!info.isDirectory()) {
    return { root: dirname(path), files: [{ path: basename(path), content: await readFile(path, 'utf8') }] };
  }
  const found: string[] = [];
  await walk(path, found);
  const files = await readAll(found, (full) => relative(path, full).split(sep).join('/'));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root: path, files };
}

/** Collects the manifest files under `dir` (paths only; reading them is a separate step). */
async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
      await walk(full, out);
    } else if (YAML_FILE.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && (await isLinkToFile(full))))) {
      out.push(full);
    }
  }
}

/** Reads files a few at a time: one by one is slow on big trees, all at once runs out of file handles. */
async function readAll(paths: readonly string[], pathOf: (full: string) => string): Promise<SourceFile[]> {
  const files: SourceFile[] = new Array<SourceFile>(paths.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++, full = paths[i]; full !== undefined; i = next++, full = paths[i]) {
      files[i] = { path: pathOf(full), content: await readFile(full, 'utf8') };
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, worker));
  return files;
}

async function isLinkToFile(path: string): Promise<boolean> {
  const target = await stat(path).catch(() => undefined);
  return target?.isFile() ?? false;
}
