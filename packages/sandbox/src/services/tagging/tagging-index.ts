/** A tagged resource as the tagging API's index holds it. */
export interface TaggedResource {
  readonly arn: string;
  readonly tags: ReadonlyMap<string, string>;
}

interface Pending {
  /** The new tags; undefined = the resource is gone (or has no tags left). */
  readonly tags: ReadonlyMap<string, string> | undefined;
  readonly since: number;
}

function sameTags(a: ReadonlyMap<string, string> | undefined, b: ReadonlyMap<string, string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/**
 * The tagging API's own copy of every resource's tags, kept apart from the services as AWS
 * keeps it: a change reaches it `lagMs` after the first read that notices it (0 = at once).
 */
export class TaggingIndex {
  lagMs = 0;
  private readonly shown = new Map<string, ReadonlyMap<string, string>>();
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly now: () => number,
    private readonly truth: () => readonly TaggedResource[],
  ) {}

  /** The resources the index shows now, after applying the changes whose lag has passed. */
  visible(): TaggedResource[] {
    const now = this.now();
    const actual = new Map<string, ReadonlyMap<string, string>>();
    for (const r of this.truth()) if (r.tags.size > 0) actual.set(r.arn, new Map(r.tags));
    for (const arn of new Set([...actual.keys(), ...this.shown.keys()])) {
      const want = actual.get(arn);
      if (sameTags(this.shown.get(arn), want)) {
        this.pending.delete(arn);
        continue;
      }
      const p = this.pending.get(arn);
      const change = p && sameTags(p.tags, want) ? p : { tags: want, since: now };
      if (now - change.since >= this.lagMs) {
        if (change.tags) this.shown.set(arn, change.tags);
        else this.shown.delete(arn);
        this.pending.delete(arn);
      } else {
        this.pending.set(arn, change);
      }
    }
    return [...this.shown].map(([arn, tags]) => ({ arn, tags }));
  }
}
