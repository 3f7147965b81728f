/**
 * One source shared by several consumers (the targets of `run --targets`), each seeing only
 * its own paths. Fetches that overlap, or follow one another within `reuseMs`, share one
 * fetch of the underlying source: N targets polling one Git repository clone it once.
 */
import { makeArtifact, type Artifact, type SourceFile } from './artifact.js';
import type { Source } from './source.js';

export interface SharedSourceOptions {
  /** A finished fetch is reused by the fetches that start within this time (default 1 s). */
  readonly reuseMs?: number;
  readonly now?: () => number;
}

/** Whether a file (path relative to the source root) lies under one of `paths` ('' = everything). */
export function inPaths(file: string, paths: readonly string[]): boolean {
  return paths.some((p) => p === '' || file === p || file.startsWith(`${p}/`));
}

export class SharedSource {
  private readonly reuseMs: number;
  private readonly now: () => number;
  private inFlight: Promise<Artifact> | undefined;
  private last: { artifact: Artifact; at: number } | undefined;

  constructor(
    private readonly source: Source,
    options: SharedSourceOptions = {},
  ) {
    this.reuseMs = options.reuseMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** The underlying fetch, shared. */
  fetch(signal?: AbortSignal): Promise<Artifact> {
    if (this.last && this.now() - this.last.at < this.reuseMs) return Promise.resolve(this.last.artifact);
    this.inFlight ??= this.source.fetch(signal).then(
      (artifact) => {
        this.inFlight = undefined;
        this.last = { artifact, at: this.now() };
        return artifact;
      },
      (err: unknown) => {
        this.inFlight = undefined;
        throw err;
      },
    );
    return this.inFlight;
  }

  /**
   * A source of the files under `paths` only (paths stay relative to the source root, so errors
   * name the real file). Its revision is the source's own (a commit, an object version), or
   * for a directory the digest of the files it holds, so a change elsewhere is no new revision.
   */
  view(paths: readonly string[]): Source {
    const parent = this.source;
    return {
      url: parent.url,
      kind: parent.kind,
      fetch: async (signal?: AbortSignal) => {
        const a = await this.fetch(signal);
        const files: SourceFile[] = a.files.filter((f) => inPaths(f.path, paths));
        const own = a.revision !== a.digest ? a.revision : undefined;
        return makeArtifact(a.url, own, files, a.fetchedAt);
      },
    };
  }
}
