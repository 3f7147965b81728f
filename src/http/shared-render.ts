/**
 * One serialization shared by every scrape of a burst: while a render runs, callers get the
 * same promise; after it ends, its result is reused for `cacheMs`. A flood of concurrent
 * `GET /metrics` therefore costs one render, not one per connection.
 *
 * The render comes in pieces and is kept gzip-compressed: with thousands of resources the
 * text is several MB, and holding it (and the copies made on the way to the socket) grew the
 * process by tens of MiB per scrape. Compressed it is a few hundred KB; Prometheus asks for
 * gzip, and other clients get it decompressed as a stream. It is let go when `cacheMs` is over.
 */
import { gzipPieces } from './gzip-pieces.js';

export interface SharedRenderOptions {
  /** How long a finished render is reused (default 1000 ms; 0 = only the in-flight one is shared). */
  readonly cacheMs?: number;
  readonly now?: () => number;
  /** Runs `release` after `ms` without keeping the process alive (default: an unref'd setTimeout). */
  readonly schedule?: (release: () => void, ms: number) => void;
}

interface Cached {
  readonly gzip: Buffer;
  readonly at: number;
}

function unrefTimeout(release: () => void, ms: number): void {
  setTimeout(release, ms).unref();
}

export class SharedRender {
  private readonly cacheMs: number;
  private readonly now: () => number;
  private readonly schedule: (release: () => void, ms: number) => void;
  private inFlight: Promise<Buffer> | undefined;
  private cached: Cached | undefined;
  private count = 0;

  constructor(
    private readonly render: () => AsyncIterable<string> | Iterable<string>,
    options: SharedRenderOptions = {},
  ) {
    this.cacheMs = Math.max(0, options.cacheMs ?? 1_000);
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? unrefTimeout;
  }

  /** Serializations performed so far. */
  get renders(): number {
    return this.count;
  }

  /** Whether a finished render is held for reuse. */
  get holding(): boolean {
    return this.cached !== undefined;
  }

  /** The exposition, gzip-compressed: the in-flight render, a fresh cached one, or a new render. */
  get(): Promise<Buffer> {
    if (this.inFlight) return this.inFlight;
    const c = this.cached;
    if (c && this.now() - c.at < this.cacheMs) return Promise.resolve(c.gzip);
    this.cached = undefined;
    this.count++;
    const run = (async () => {
      try {
        const gzip = await gzipPieces(this.render());
        this.keep(gzip);
        return gzip;
      } finally {
        this.inFlight = undefined;
      }
    })();
    this.inFlight = run;
    return run;
  }

  /** Holds `gzip` for `cacheMs`, then lets it go (unless a newer render replaced it). */
  private keep(gzip: Buffer): void {
    if (this.cacheMs === 0) return;
    const entry: Cached = { gzip, at: this.now() };
    this.cached = entry;
    this.schedule(() => {
      if (this.cached === entry) this.cached = undefined;
    }, this.cacheMs);
  }
}
