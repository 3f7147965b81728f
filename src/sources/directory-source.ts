import { lstat, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { makeArtifact, type Artifact, type SourceFile } from './artifact.js';
import { SourceError, toSourceError } from './errors.js';
import { LimitCounter } from './limits.js';
import { fileFromBytes, isManifestPath, isSkippedDirectory, unreadableFile } from './manifest-files.js';
import type { Source, SourceLimits } from './source.js';

export interface DirectorySourceOptions {
  readonly limits?: SourceLimits;
  readonly now?: () => number;
}

/** Files read at once: one by one is slow on big trees, all at once runs out of file handles. */
const READ_CONCURRENCY = 16;

/** A counted file found by the walk: to be read from `full`, or already refused. */
type Found = { readonly path: string; readonly full: string } | SourceFile;

/**
 * Manifests from a local directory (recursively, by the rule of manifest-files.ts). Symbolic
 * links to files are followed, links to directories are not (no loops); a file that counts
 * but cannot be read (a dangling link, a link to a directory, a FIFO, a read error) is
 * refused, never skipped. Revision = digest.
 */
export class DirectorySource implements Source {
  readonly kind = 'directory' as const;
  private readonly now: () => number;

  constructor(
    private readonly root: string,
    readonly url: string,
    private readonly options: DirectorySourceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  async fetch(signal?: AbortSignal): Promise<Artifact> {
    try {
      const st = await stat(this.root).catch(() => undefined);
      if (!st?.isDirectory()) throw new SourceError('not_found', `${this.url} is not a directory`, this.url);
      const found: Found[] = [];
      await walk(this.root, '', new LimitCounter(this.url, this.options.limits), found, signal);
      return makeArtifact(this.url, undefined, await readAll(found, signal), this.now());
    } catch (err) {
      throw toSourceError(err, this.url, signal);
    }
  }
}

/**
 * Reads one local file as a source of its own (`validate file.yaml`), by the same rules and
 * limits as a directory: decoded or refused, never skipped.
 */
export async function readSingleFile(full: string, path: string, url: string, limits?: SourceLimits): Promise<SourceFile> {
  const counter = new LimitCounter(url, limits);
  const st = await stat(full);
  const found = classify(full, path, st.isFile(), st.size, counter);
  return 'content' in found ? found : readOne(found);
}

function classify(full: string, path: string, isFile: boolean, size: number, limits: LimitCounter): Found {
  if (!isFile) {
    limits.add(path, 0);
    return unreadableFile(path, 'is not a regular file (a FIFO, socket or device); not read');
  }
  const refusal = limits.add(path, size);
  return refusal ? { path, content: '', refused: refusal } : { path, full };
}

async function walk(root: string, rel: string, limits: LimitCounter, out: Found[], signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  for (const e of entries) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    const full = join(root, path);
    if (e.isDirectory()) {
      if (!isSkippedDirectory(e.name)) await walk(root, path, limits, out, signal);
      continue;
    }
    if (!isManifestPath(path)) continue;
    if (e.isSymbolicLink()) {
      const target = await stat(full).catch((err: NodeJS.ErrnoException) => err);
      if (target instanceof Error) {
        limits.add(path, 0);
        out.push(unreadableFile(path, `is a symbolic link whose target cannot be read (${target.code ?? target.message}); not read`));
      } else if (target.isDirectory()) {
        limits.add(path, 0);
        out.push(unreadableFile(path, 'is a symbolic link to a directory (links to directories are never followed); not read'));
      } else {
        out.push(classify(full, path, target.isFile(), target.size, limits));
      }
    } else {
      const st = e.isFile() ? await lstat(full) : undefined;
      out.push(classify(full, path, st !== undefined, st?.size ?? 0, limits));
    }
  }
}

async function readOne(f: { path: string; full: string }): Promise<SourceFile> {
  try {
    return fileFromBytes(f.path, await readFile(f.full));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return unreadableFile(f.path, `cannot be read (${e.code ?? e.message}); not read`);
  }
}

async function readAll(found: readonly Found[], signal?: AbortSignal): Promise<SourceFile[]> {
  const files = new Array<SourceFile>(found.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < found.length; i = next++) {
      signal?.throwIfAborted();
      const f = found[i]!;
      files[i] = 'content' in f ? f : await readOne(f);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, found.length) }, worker));
  return files;
}
