import type { Artifact } from './artifact.js';

/**
 * A place manifests come from. `fetch` returns a fresh immutable artifact or throws a
 * SourceError; it never returns a partial artifact. Calls on one source are serialized by
 * the source itself, so callers may fetch concurrently.
 */
export interface Source {
  /** The configured URL with credentials removed (safe to log and to put in metrics). */
  readonly url: string;
  /** What kind of source this is (for logs and the `source` metric label). */
  readonly kind: SourceKind;
  fetch(signal?: AbortSignal): Promise<Artifact>;
}

export type SourceKind = 'directory' | 'git' | 's3';

/** Limits that keep a runaway repository or bucket from exhausting the controller. */
export interface SourceLimits {
  /** Most manifest files one artifact may hold (default 20,000). */
  readonly maxFiles?: number;
  /** Most bytes of manifest content one artifact may hold (default 256 MiB). */
  readonly maxBytes?: number;
  /** Most bytes one manifest file may hold; a bigger file is refused (default 16 MiB). */
  readonly maxFileBytes?: number;
}

/** Time limit of one whole fetch of a remote source (Git, S3) unless configured. */
export const DEFAULT_FETCH_TIMEOUT_MS = 60_000;

/** Sized for 10,000 services (a file each, plus their namespaces and Cloud Map services). */
export const DEFAULT_MAX_FILES = 20_000;
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Logger shape the sources use (pino's Logger satisfies it). Never given secrets. */
export interface SourceLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export const SILENT_LOGGER: SourceLogger = { debug() {}, info() {}, warn() {} };
