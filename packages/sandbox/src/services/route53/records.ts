/** A Route 53 resource record set as the sandbox stores and lists it. */
export interface RecordSet {
  /** Fully qualified, lower case, with the trailing dot (`web.internal.`). */
  readonly name: string;
  readonly type: string;
  readonly setIdentifier?: string;
  readonly weight?: number;
  readonly multiValueAnswer?: boolean;
  readonly healthCheckId?: string;
  ttl: number;
  readonly values: readonly string[];
}

/** Where a listing starts (inclusive), as ListResourceRecordSets' name/type/identifier. */
export interface RecordStart {
  readonly name: string;
  readonly type?: string;
  readonly setIdentifier?: string;
}

/** Lower case with exactly one trailing dot. */
export function fqdn(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

function reversedLabels(name: string): string[] {
  return fqdn(name).slice(0, -1).split('.').reverse();
}

/**
 * Route 53's listing order: DNS name with the labels reversed (`com.example.www`), then
 * record type, then set identifier.
 */
export function compareRecordKeys(a: RecordStart, b: RecordStart): number {
  const la = reversedLabels(a.name);
  const lb = reversedLabels(b.name);
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    const c = compareText(la[i]!, lb[i]!);
    if (c !== 0) return c;
  }
  if (la.length !== lb.length) return la.length - lb.length;
  if (a.type === undefined || b.type === undefined) return a.type === b.type ? 0 : a.type === undefined ? -1 : 1;
  const t = compareText(a.type, b.type);
  if (t !== 0) return t;
  if (a.setIdentifier === b.setIdentifier) return 0;
  if (a.setIdentifier === undefined) return -1;
  if (b.setIdentifier === undefined) return 1;
  return compareText(a.setIdentifier, b.setIdentifier);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function recordKey(name: string, type: string, setIdentifier?: string): string {
  return `${fqdn(name)}|${type}|${setIdentifier ?? ''}`;
}

/** The record sets of one zone, kept in listing order (binary-search inserts and deletes). */
export class RecordTable {
  private readonly byKey = new Map<string, RecordSet>();
  private readonly sorted: RecordSet[] = [];

  get size(): number {
    return this.sorted.length;
  }

  get(name: string, type: string, setIdentifier?: string): RecordSet | undefined {
    return this.byKey.get(recordKey(name, type, setIdentifier));
  }

  /** Inserts or replaces the record set with the same name/type/identifier. */
  upsert(record: RecordSet): void {
    const normalized: RecordSet = { ...record, name: fqdn(record.name) };
    const key = recordKey(normalized.name, normalized.type, normalized.setIdentifier);
    const at = this.lowerBound(normalized);
    if (this.byKey.has(key)) this.sorted[at] = normalized;
    else this.sorted.splice(at, 0, normalized);
    this.byKey.set(key, normalized);
  }

  delete(name: string, type: string, setIdentifier?: string): boolean {
    const existing = this.get(name, type, setIdentifier);
    if (!existing) return false;
    this.sorted.splice(this.lowerBound(existing), 1);
    this.byKey.delete(recordKey(name, type, setIdentifier));
    return true;
  }

  /** Up to `limit` record sets from `start` (inclusive) on, and the one after them, if any. */
  page(start: RecordStart | undefined, limit: number): { records: RecordSet[]; next?: RecordSet } {
    const from = start ? this.lowerBound(start) : 0;
    return { records: this.sorted.slice(from, from + limit), next: this.sorted[from + limit] };
  }

  all(): readonly RecordSet[] {
    return this.sorted;
  }

  private lowerBound(key: RecordStart): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareRecordKeys(this.sorted[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
