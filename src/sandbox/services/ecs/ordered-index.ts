import { SandboxError } from '../../errors.js';

interface Entry<T> {
  readonly seq: number;
  readonly item: T;
  live: boolean;
}

/** One page of an {@link OrderedIndex}. */
export interface IndexPage<T> {
  readonly items: T[];
  /** Opaque token for the next page; absent on the last page. */
  readonly nextToken?: string;
}

/**
 * Items in insertion order with cheap removal and token paging: a page costs
 * O(log n + page size), whatever the total size, because a token names the last sequence
 * number returned and entries stay sorted by sequence number. Removed entries are skipped
 * and compacted away once they make up half the list.
 */
export class OrderedIndex<T> {
  private entries: Entry<T>[] = [];
  private bySeq = new Map<number, Entry<T>>();
  private nextSeq = 1;
  private dead = 0;

  constructor(private readonly tokenKind: string) {}

  get size(): number {
    return this.bySeq.size;
  }

  /** Appends an item; returns its handle for {@link remove}. */
  add(item: T): number {
    const entry: Entry<T> = { seq: this.nextSeq++, item, live: true };
    this.entries.push(entry);
    this.bySeq.set(entry.seq, entry);
    return entry.seq;
  }

  remove(handle: number): void {
    const entry = this.bySeq.get(handle);
    if (!entry) return;
    entry.live = false;
    this.bySeq.delete(handle);
    this.dead++;
    if (this.dead > 64 && this.dead * 2 > this.entries.length) {
      this.entries = this.entries.filter((e) => e.live);
      this.dead = 0;
    }
  }

  /** Up to `limit` items after the position `token` names, oldest first, that pass `keep`. */
  page(limit: number, token: string | undefined, keep: (item: T) => boolean = () => true): IndexPage<T> {
    const after = token === undefined ? 0 : this.decode(token);
    let i = this.firstAfter(after);
    const items: T[] = [];
    let lastSeq = after;
    for (; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (!e.live || !keep(e.item)) continue;
      if (items.length === limit) return { items, nextToken: this.encode(lastSeq) };
      items.push(e.item);
      lastSeq = e.seq;
    }
    return { items };
  }

  private firstAfter(seq: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private encode(seq: number): string {
    return Buffer.from(JSON.stringify({ k: this.tokenKind, s: seq }), 'utf8').toString('base64url');
  }

  private decode(token: string): number {
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; s?: unknown };
      if (parsed.k === this.tokenKind && typeof parsed.s === 'number' && Number.isInteger(parsed.s)) return parsed.s;
    } catch {
      // fall through to the AWS-style error
    }
    throw new SandboxError('InvalidParameterException', 'Invalid nextToken.');
  }
}
