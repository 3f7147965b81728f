import { SourceError } from './errors.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_FILES, type SourceLimits } from './source.js';

/** Counts files and bytes against the limits; throws `too_large` with the numbers. */
export class LimitCounter {
  private files = 0;
  private bytes = 0;
  private readonly maxFiles: number;
  private readonly maxBytes: number;

  constructor(private readonly url: string, limits: SourceLimits = {}) {
    this.maxFiles = limits.maxFiles ?? DEFAULT_MAX_FILES;
    this.maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  add(path: string, size: number): void {
    this.files++;
    this.bytes += size;
    if (this.files > this.maxFiles) {
      throw new SourceError('too_large', `${this.url} holds more than ${this.maxFiles} manifest files (limit maxFiles; at ${path})`, this.url);
    }
    if (this.bytes > this.maxBytes) {
      throw new SourceError('too_large', `${this.url} holds more than ${this.maxBytes} bytes of manifests (limit maxBytes; at ${path})`, this.url);
    }
  }
}
