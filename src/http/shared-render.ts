/**
 * One serialization shared by every scrape of a burst: while a render runs, callers get the
 * same promise; after it ends, its text is reused for `cacheMs`. A flood of concurrent
 * `GET /metrics` therefore costs one `registry.metrics()` call, not one per connection. The
 * text (several MB with thousands of resources) is let go when `cacheMs` is over, so it is
 * not held between scrapes.
 */
export interface SharedRenderOptions {
  /** How long a finished render is reused (default 1000 ms; 0 = only the in-flight one is shared). */
  readonly cacheMs?: number;
  readonly now?: () => number;
  /** Runs `release` after `ms` without keeping the process alive (default: an unref'd setTimeout). */
  readonly schedule?: (release: () => void, ms: number) => void;
}

interface Cached {
  readonly text: string;
  readonly at: number;
}

function unrefTimeout(release: () => void, ms: number): void {
  setTimeout(release, ms).unref();
}

export class SharedRender {
  private readonly cacheMs: number;
  private readonly now: () => number;
  private readonly schedule: (release: () => void, ms: number) => void;
  private inFlight: Promise<string> | undefined;
  private cached: Cached | undefined;
  private count = 0;

  constructor(
    private readonly render: () => Promise<string>,
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

  /** Whether a finished render's text is held for reuse. */
  get holding(): boolean {
    return this.cached !== undefined;
  }

  /** The exposition: the in-flight render, a fresh cached one, or a new render. */
  get(): Promise<string> {
    if (this.inFlight) return this.inFlight;
    const c = this.cached;
    if (c && this.now() - c.at < this.cacheMs) return Promise.resolve(c.text);
    this.cached = undefined;
    this.count++;
    const run = (async () => {
      try {
        const text = await this.render();
        this.keep(text);
        return text;
      } finally {
        this.inFlight = undefined;
      }
    })();
    this.inFlight = run;
    return run;
  }

  /** Holds `text` for `cacheMs`, then lets it go (unless a newer render replaced it). */
  private keep(text: string): void {
    if (this.cacheMs === 0) return;
    const entry: Cached = { text, at: this.now() };
    this.cached = entry;
    this.schedule(() => {
      if (this.cached === entry) this.cached = undefined;
    }, this.cacheMs);
  }
}
