import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isManifestPath, isSkippedDirectory, makeArtifact, type Artifact, type SourceFile } from './artifact.js';
import { SourceError, toSourceError } from './errors.js';
import { LimitCounter } from './limits.js';
import type { Source, SourceLimits } from './source.js';

export interface DirectorySourceOptions {
  readonly limits?: SourceLimits;
  readonly now?: () => number;
}

/**
 * Manifests from a local directory (recursively; `.yaml`/`.yml`; dot-directories and
 * node_modules are skipped, see isManifestPath). Symbolic links to files are followed, links
 * to directories are not (no loops). Revision = digest.
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
      const files: SourceFile[] = [];
      await this.walk('', new LimitCounter(this.url, this.options.limits), files, signal);
      return makeArtifact(this.url, undefined, files, this.now());
    } catch (err) {
      throw toSourceError(err, this.url, signal);
    }
  }

  private async walk(rel: string, limits: LimitCounter, out: SourceFile[], signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const entries = await readdir(join(this.root, rel), { withFileTypes: true });
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      const full = join(this.root, path);
      if (e.isDirectory()) {
        if (!isSkippedDirectory(e.name)) await this.walk(path, limits, out, signal);
        continue;
      }
      if (!isManifestPath(path)) continue;
      if (e.isSymbolicLink()) {
        const target = await stat(full).catch(() => undefined);
        if (!target?.isFile()) continue;
        limits.add(path, target.size);
      } else if (e.isFile()) {
        limits.add(path, (await stat(full)).size);
      } else {
        continue;
      }
      out.push({ path, content: await readFile(full, 'utf8') });
    }
  }
}
