import { SourceError } from './errors.js';
import type { FileRefusal } from './manifest-files.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, type SourceLimits } from './source.js';

/**
 * Counts files and bytes against the limits (the same for every source kind and command).
 * Over `maxFiles` or `maxBytes` the whole fetch fails with `too_large`; one file over
 * `maxFileBytes` is refused (EGO_FILE_TOO_LARGE) without being read, and its bytes are not counted.
 */
export class LimitCounter {
  private files = 0;
  private bytes = 0;
  private readonly maxFiles: number;
  private readonly maxBytes: number;
  private readonly maxFileBytes: number;

  constructor(
    private readonly url: string,
    limits: SourceLimits = {},
  ) {
    this.maxFiles = limits.maxFiles ?? DEFAULT_MAX_FILES;
    this.maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxFileBytes = limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  /** Counts one manifest file of `size` bytes; returns a refusal when the file alone is over its limit. */
  add(path: string, size: number): FileRefusal | undefined {
    this.files++;
    if (this.files > this.maxFiles) {
      throw new SourceError(
        'too_large',
        `${this.url} holds more than ${this.maxFiles} manifest files (limit --source-max-files / ECS_GITOPS_SOURCE_MAX_FILES; at ${path})`,
        this.url,
      );
    }
    if (size > this.maxFileBytes) {
      return {
        code: 'EGO_FILE_TOO_LARGE',
        message: `is ${size} bytes, over the limit of ${this.maxFileBytes} bytes per file (--source-max-file-bytes / ECS_GITOPS_SOURCE_MAX_FILE_BYTES); not read`,
      };
    }
    this.bytes += size;
    if (this.bytes > this.maxBytes) {
      throw new SourceError(
        'too_large',
        `${this.url} holds more than ${this.maxBytes} bytes of manifests (limit --source-max-bytes / ECS_GITOPS_SOURCE_MAX_BYTES; at ${path})`,
        this.url,
      );
    }
    return undefined;
  }
}
