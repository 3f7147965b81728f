/**
 * Creation-ordered indexes behind the sandbox's paged listings (ECS ListClusters/ListServices/
 * ListTasks, Cloud Map ListNamespaces/ListServices/ListInstances/ListOperations). A page after
 * a position costs O(log n + page size) whatever the total size. Tokens are not encoded here:
 * each service turns a position (`nextAfter`) into its own opaque NextToken.
 */

interface Entry<T> {
  readonly seq: number;
  item: T;
  live: boolean;
}

/**
 * When a page that stopped at its limit hands out a continuation:
 * - `unexamined`: whenever items remain that the page did not look at, so a later page can
 *   come back empty (Cloud Map's filtered listings behave like this);
 * - `matching`: only when another item passing the filter remains (ECS listings).
 */
export type ContinueWhen = 'unexamined' | 'matching';

/** Options of {@link OrderedIndex.page}. */
export interface PageOptions<T> {
  /** Items that fail it are skipped and do not count toward the page. */
  readonly filter?: (item: T) => boolean;
  /** Default `unexamined`. */
  readonly continueWhen?: ContinueWhen;
}

/** One page of an ordered listing. */
export interface IndexPage<T> {
  readonly items: T[];
  /** Position to continue after; absent when the listing is complete. */
  readonly nextAfter?: number;
}

/** Removed entries are compacted away once there are more than this many and they make up half the list. */
const COMPACT_AFTER_DEAD = 64;

/**
 * Items in ascending sequence-number order with O(1) removal by sequence number. Removal
 * leaves a tombstone that paging skips; tombstones are compacted in bulk, so a position
 * handed out before a removal still resumes right after the item it named.
 */
export class OrderedIndex<T> {
  private entries: Entry<T>[] = [];
  private readonly bySeq = new Map<number, Entry<T>>();
  private lastSeq = 0;
  private dead = 0;

  get size(): number {
    return this.bySeq.size;
  }

  /**
   * Appends an item and returns its sequence number, the handle for {@link remove}. Without
   * `seq` the index numbers items itself; a given `seq` must exceed every one added before.
   */
  add(item: T, seq: number = this.lastSeq + 1): number {
    if (seq <= this.lastSeq) throw new Error(`OrderedIndex.add: seq ${seq} is not after ${this.lastSeq}`);
    const entry: Entry<T> = { seq, item, live: true };
    this.entries.push(entry);
    this.bySeq.set(seq, entry);
    this.lastSeq = seq;
    return seq;
  }

  get(seq: number): T | undefined {
    return this.bySeq.get(seq)?.item;
  }

  /** Replaces the item at `seq` in place; false when nothing is there. */
  set(seq: number, item: T): boolean {
    const entry = this.bySeq.get(seq);
    if (!entry) return false;
    entry.item = item;
    return true;
  }

  remove(seq: number): boolean {
    const entry = this.bySeq.get(seq);
    if (!entry) return false;
    entry.live = false;
    this.bySeq.delete(seq);
    this.dead++;
    if (this.dead > COMPACT_AFTER_DEAD && this.dead * 2 > this.entries.length) {
      this.entries = this.entries.filter((e) => e.live);
      this.dead = 0;
    }
    return true;
  }

  /** Live items, oldest first. */
  values(): T[] {
    const out: T[] = [];
    for (const e of this.entries) if (e.live) out.push(e.item);
    return out;
  }

  /** Up to `limit` items with a sequence number after `after` (from the start when undefined), oldest first. */
  page(after: number | undefined, limit: number, options: PageOptions<T> = {}): IndexPage<T> {
    const { filter, continueWhen = 'unexamined' } = options;
    const items: T[] = [];
    let resumeAfter = after;
    for (let i = after === undefined ? 0 : this.firstAfter(after); i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (!e.live) continue;
      const keep = !filter || filter(e.item);
      if (items.length >= limit) {
        if (continueWhen === 'unexamined' || keep) return { items, nextAfter: resumeAfter };
        continue;
      }
      if (keep) items.push(e.item);
      if (keep || continueWhen === 'unexamined') resumeAfter = e.seq;
    }
    return { items };
  }

  /** First position whose seq is greater than `seq`. */
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
}

/** Anything kept in creation order under a unique id. */
export interface Sequenced {
  readonly id: string;
  readonly seq: number;
}

/** An {@link OrderedIndex} of records that carry their own id and sequence number, looked up by id. */
export class KeyedOrderedIndex<T extends Sequenced> {
  private readonly byId = new Map<string, T>();
  private readonly order = new OrderedIndex<T>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** Adds an item; its seq must be greater than every seq already added. */
  add(item: T): void {
    this.order.add(item, item.seq);
    this.byId.set(item.id, item);
  }

  /** Replaces an item in place (same id and seq). */
  replace(item: T): void {
    if (this.byId.get(item.id)?.seq !== item.seq || !this.order.set(item.seq, item)) {
      throw new Error(`KeyedOrderedIndex.replace: ${item.id} not present`);
    }
    this.byId.set(item.id, item);
  }

  delete(id: string): boolean {
    const item = this.byId.get(id);
    if (!item) return false;
    this.byId.delete(id);
    return this.order.remove(item.seq);
  }

  values(): T[] {
    return this.order.values();
  }

  page(after: number | undefined, limit: number, options?: PageOptions<T>): IndexPage<T> {
    return this.order.page(after, limit, options);
  }
}
