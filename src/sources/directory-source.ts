import { lstat, readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { makeArtifact, type Artifact, type SourceFile } from './artifact.js';
import { SourceError, toSourceError } from './errors.js';
import { LimitCounter } from './limits.js';
import { fileFromBytes, isManifestPath, isSkippedDirectory, unreadableFile } from './manifest-files.js';
import { overlayReferences } from './overlay-references.js';
import type { Source, SourceLimits } from './source.js';

export interface DirectorySourceOptions {
  readonly limits?: SourceLimits;
  readonly now?: () => number;
  /**
   * The source root: Overlay bases and value files outside the directory are read when they
   * are inside it. Default: the enclosing Git work tree (the nearest directory up holding
   * `.git`), else the directory itself.
   */
  readonly root?: string;
}

/** The nearest directory at or above `dir` holding `.git` (a work tree's top), else `dir`. */
export async function findSourceRoot(dir: string): Promise<string> {
  const start = resolve(dir);
  for (let d = start; ; d = dirname(d)) {
    if (
      await lstat(join(d, '.git')).then(
        () => true,
        () => false,
      )
    )
      return d;
    if (dirname(d) === d) return start;
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
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
      const limits = new LimitCounter(this.url, this.options.limits);
      await walk(this.root, '', limits, found, signal);
      const files = await readAll(found, signal);
      files.push(...(await readOverlayReferences(this.root, this.options.root, files, limits, signal)));
      return makeArtifact(this.url, undefined, files, this.now());
    } catch (err) {
      throw toSourceError(err, this.url, signal);
    }
  }
}

/**
 * What Overlays name outside the directory (bases, value files), read with paths relative to
 * it (`../base/app.yaml`), repeated for the Overlays found there. Outside the source root
 * nothing is read: the loader then reports the base as missing.
 */
async function readOverlayReferences(
  dir: string,
  rootOption: string | undefined,
  files: readonly SourceFile[],
  limits: LimitCounter,
  signal?: AbortSignal,
): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  const base = resolve(dir);
  let root: string | undefined;
  const readDirs: string[] = [];
  const have = new Set(files.map((f) => f.path));
  for (let pending: readonly SourceFile[] = files; pending.length > 0; ) {
    const refs = overlayReferences(pending);
    const found: Found[] = [];
    for (const rel of refs.dirs) {
      if (rel !== '..' && !rel.startsWith('../')) continue; // inside the directory: read already
      const abs = resolve(base, rel);
      root ??= resolve(rootOption ?? (await findSourceRoot(dir)));
      if (inside(base, abs) || !inside(root, abs) || readDirs.some((d) => inside(d, abs))) continue;
      readDirs.push(abs);
      if (
        !(await stat(abs).then(
          (st) => st.isDirectory(),
          () => false,
        ))
      )
        continue;
      const below: Found[] = [];
      await walk(abs, '', limits, below, signal);
      for (const f of below) {
        const path = posixJoin(rel, f.path);
        if (have.has(path)) continue;
        have.add(path);
        found.push({ ...f, path });
      }
    }
    for (const rel of refs.files) {
      const abs = resolve(base, rel);
      root ??= resolve(rootOption ?? (await findSourceRoot(dir)));
      if (have.has(rel) || !inside(root, abs)) continue;
      const st = await stat(abs).catch(() => undefined);
      if (!st?.isFile()) continue;
      have.add(rel);
      found.push(classify(abs, rel, true, st.size, limits));
    }
    const read = await readAll(found, signal);
    out.push(...read);
    pending = read;
  }
  return out;
}

function posixJoin(dir: string, path: string): string {
  return `${dir}/${path}`;
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
