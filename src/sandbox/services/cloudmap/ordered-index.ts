/** Anything kept in creation order. */
export interface Sequenced {
  readonly id: string;
  readonly seq: number;
}

/** One page of an `OrderedIndex` listing. */
export interface IndexPage<T> {
  readonly items: T[];
  /** Sequence number to continue after; absent when the listing is complete. */
  readonly nextAfter?: number;
}

/**
 * Items by id plus creation order, so a page after a given sequence number costs
 * O(log n + page) instead of a scan. Deletes are a binary search and a splice.
 */
export class OrderedIndex<T extends Sequenced> {
  private readonly byId = new Map<string, T>();
  private readonly order: T[] = [];

  get size(): number {
    return this.order.length;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** Adds an item; its seq must be greater than every seq already present. */
  add(item: T): void {
    this.byId.set(item.id, item);
    this.order.push(item);
  }

  /** Replaces an item in place (same id and seq). */
  replace(item: T): void {
    const at = this.indexOfSeq(item.seq);
    if (this.order[at]?.id !== item.id) throw new Error(`OrderedIndex.replace: ${item.id} not present`);
    this.order[at] = item;
    this.byId.set(item.id, item);
  }

  delete(id: string): boolean {
    const item = this.byId.get(id);
    if (!item) return false;
    this.byId.delete(id);
    this.order.splice(this.indexOfSeq(item.seq), 1);
    return true;
  }

  values(): readonly T[] {
    return this.order;
  }

  /**
   * Up to `limit` items with seq > `after` that pass `filter`. With a filter, at most
   * `scanLimit` items are examined, so a page can come back short (even empty) with a
   * continuation, as AWS's filtered listings do.
   */
  page(after: number | undefined, limit: number, filter?: (item: T) => boolean, scanLimit = Number.POSITIVE_INFINITY): IndexPage<T> {
    const items: T[] = [];
    let i = after === undefined ? 0 : this.indexOfSeq(after + 1);
    let scanned = 0;
    for (; i < this.order.length && items.length < limit && scanned < scanLimit; i++, scanned++) {
      const item = this.order[i]!;
      if (!filter || filter(item)) items.push(item);
    }
    if (i >= this.order.length) return { items };
    const last = this.order[i - 1];
    return { items, nextAfter: last ? last.seq : after };
  }

  /** First position whose seq is >= `seq`. */
  private indexOfSeq(seq: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
