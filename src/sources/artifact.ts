import { createHash } from 'node:crypto';
import type { FileRefusal } from './manifest-files.js';

export { isManifestPath, isSkippedDirectory } from './manifest-files.js';

/**
 * An immutable snapshot of a source: what every consumer (validate, plan, apply, the
 * controller) sees. Sources never hand out anything else.
 */
export interface SourceFile {
  /** Path relative to the source root, with forward slashes. */
  readonly path: string;
  /** The decoded text ('' when refused). */
  readonly content: string;
  /** Set when the file counts but could not be read (see manifest-files.ts); the loader reports it. */
  readonly refused?: FileRefusal;
}

export interface Artifact {
  /** Source URL as configured (credentials removed). */
  readonly url: string;
  /** Git: commit SHA; S3: sha256 over sorted key+ETag; dir: sha256 over sorted path+content. */
  readonly revision: string;
  /** sha256 over the sorted file paths and contents (`sha256:<hex>`). */
  readonly digest: string;
  readonly files: readonly SourceFile[];
  /** When it was fetched (ms epoch). */
  readonly fetchedAt: number;
}

/**
 * The digest of a file set: sha256 over the files sorted by path, each encoded as
 * `<path>\0<byte length>\0<content>` so that no two different sets can collide by
 * shifting bytes between a path and a content. Returns `sha256:<hex>`.
 */
export function digestFiles(files: readonly SourceFile[]): string {
  const hash = createHash('sha256');
  for (const f of sortFiles(files)) {
    const content = Buffer.from(f.refused ? `${f.refused.code}: ${f.refused.message}` : f.content, 'utf8');
    hash.update(`${f.path}\0${f.refused ? 'refused\0' : ''}${content.length}\0`);
    hash.update(content);
  }
  return `sha256:${hash.digest('hex')}`;
}

/** Files sorted by path (code-unit order, as `git ls-tree` and S3 listings sort). */
export function sortFiles(files: readonly SourceFile[]): SourceFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Builds a frozen artifact; files are sorted by path and the digest is computed here.
 * `revision` undefined makes the digest the revision (sources without their own, e.g. a directory).
 */
export function makeArtifact(url: string, revision: string | undefined, files: readonly SourceFile[], fetchedAt: number): Artifact {
  const sorted = sortFiles(files).map((f) =>
    Object.freeze(f.refused ? { path: f.path, content: f.content, refused: f.refused } : { path: f.path, content: f.content }),
  );
  const digest = digestFiles(sorted);
  return Object.freeze({ url, revision: revision ?? digest, digest, files: Object.freeze(sorted), fetchedAt });
}

/** The same content seen again: a new artifact object with only `fetchedAt` changed. */
export function refetched(artifact: Artifact, fetchedAt: number): Artifact {
  return Object.freeze({ ...artifact, fetchedAt });
}
