/**
 * What the Overlays among a source's files read besides the files of the source directory:
 * their bases (directories) and `file:` values. A directory source reads them too, when they
 * are inside its root (docs/environments.md), so that the artifact, its digest and its
 * revision hold everything a rendering uses. The loader checks the Overlays themselves; this
 * only finds the paths, and ignores anything malformed.
 */
import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { SourceFile } from './artifact.js';

export interface OverlayReferences {
  /** Base directories, relative to the artifact root (may start with `../`). */
  readonly dirs: readonly string[];
  /** Files named by `file:` values, relative to the artifact root. */
  readonly files: readonly string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function relativeTo(file: string, written: string): string | undefined {
  if (written.startsWith('/') || written.includes('://')) return undefined;
  const n = posix.normalize(posix.join(posix.dirname(file), written)).replace(/\/+$/, '');
  return n === '.' ? '' : n;
}

/** The bases and value files the Overlay documents in `files` name. */
export function overlayReferences(files: readonly SourceFile[]): OverlayReferences {
  const dirs = new Set<string>();
  const valueFiles = new Set<string>();
  for (const file of files) {
    if (file.refused || !file.content.includes('Overlay') || !file.content.includes('ecs-gitops.io/')) continue;
    const parsed = parseAllDocuments(file.content, { logLevel: 'silent' });
    for (const doc of Array.isArray(parsed) ? parsed : []) {
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch {
        continue;
      }
      if (!isRecord(value) || value['kind'] !== 'Overlay' || !isRecord(value['spec'])) continue;
      const spec = value['spec'];
      for (const b of Array.isArray(spec['bases']) ? spec['bases'] : []) {
        const dir = typeof b === 'string' ? relativeTo(file.path, b) : undefined;
        if (dir !== undefined) dirs.add(dir);
      }
      for (const v of isRecord(spec['values']) ? Object.values(spec['values']) : []) {
        const path = isRecord(v) && typeof v['file'] === 'string' ? relativeTo(file.path, v['file']) : undefined;
        if (path) valueFiles.add(path);
      }
    }
  }
  return { dirs: [...dirs].sort(), files: [...valueFiles].sort() };
}
