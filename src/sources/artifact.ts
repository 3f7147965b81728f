/**
 * An immutable snapshot of a source: what every consumer (validate, plan, apply, the
 * controller) sees. Sources never hand out anything else.
 */
export interface SourceFile {
  /** Path relative to the source root, with forward slashes. */
  readonly path: string;
  readonly content: string;
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
