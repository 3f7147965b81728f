/**
 * One serialization shared by every scrape of a burst: while a render runs, callers get the
 * same promise; after it ends, its text is reused for `cacheMs`. A flood of concurrent
 * `GET /metrics` therefore costs one `registry.metrics()` call, not one per connection.
 */
export interface SharedRenderOptions {
  /** How long a finished render is reused (default 1000 ms; 0 = only the in-flight one is shared). */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

export class SharedRender {
  private readonly cacheMs: number;
  private readonly now: () => number;
  private inFlight: Promise<string> | undefined;
  private cached: { readonly text: string; readonly at: number } | undefined;
  private count = 0;

  constructor(
    private readonly render: () => Promise<string>,
    options: SharedRenderOptions = {},
  ) {
    this.cacheMs = Math.max(0, options.cacheMs ?? 1_000);
    this.now = options.now ?? Date.now;
  }

  /** Serializations performed so far. */
  get renders(): number {
    return this.count;
  }

  /** The exposition: the in-flight render, a fresh cached one, or a new render. */
  get(): Promise<string> {
    if (this.inFlight) return this.inFlight;
    const c = this.cached;
    if (c && this.now() - c.at < this.cacheMs) return Promise.resolve(c.text);
    this.count++;
    const run = (async () => {
      try {
        const text = await this.render();
        this.cached = { text, at: this.now() };
        return text;
      } finally {
        this.inFlight = undefined;
      }
    })();
    this.inFlight = run;
    return run;
  }
}
