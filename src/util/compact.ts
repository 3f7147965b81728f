/**
 * Compact copies of plain data the controller keeps for long: the desired state of a revision
 * and the live resources of the newest scan. At 10,000 resources the per-resource overhead of
 * how that data was built is most of the controller's memory:
 * - an array filled by `push` (the YAML parser's, the AWS SDK's) keeps room for 17 elements,
 *   ~150 bytes for a list of one subnet; the copy is exactly as long as the list;
 * - equal strings (a cluster name, `FARGATE`, the API version, a namespace) are one string,
 *   not one per file or AWS answer they were read from;
 * - the same subtree written in thousands of manifests (a network configuration, a task
 *   definition's containers, `healthCheck: { custom: {} }`) or read from thousands of services
 *   is one frozen object, shared, instead of thousands of equal copies.
 *
 * Only plain objects, arrays and primitives are copied and shared. Anything else (a Date, a
 * Map, a class instance) is kept as it is, and so is every object that holds one. Shared
 * subtrees are frozen, so a write into one (which would change every holder) throws instead.
 */

export class SubtreePool {
  /** Shared subtrees by their key: the tokens of their parts (hash-consing), never their whole text. */
  private readonly pool = new Map<string, Pooled>();
  /** Each distinct string once, with its number (for keys). */
  private readonly strings = new Map<string, { readonly value: string; readonly id: number }>();

  /**
   * `ownStrings`: strings are copied out of the text they were cut from. A parser's strings
   * are slices of its input (V8 keeps a slice of 13 characters or more as a view into the
   * whole text), so a few names from each manifest would keep every file of the source alive
   * for as long as the desired state lives.
   */
  constructor(private readonly options: { readonly ownStrings?: boolean } = {}) {}

  /** How many distinct subtrees are pooled. */
  get size(): number {
    return this.pool.size;
  }

  /**
   * A compact copy of `value`: arrays of exact length, identical subtrees shared and frozen.
   * The value itself is frozen only when it is shared (equal to an earlier one).
   */
  share<T>(value: T): T {
    return this.walk(value).value as T;
  }

  /**
   * A compact copy of an object whose subtrees are shared, the object itself a new unfrozen one
   * with the same properties (a resource: unique by its key, and its holder may add to it).
   */
  shareFields<T>(value: T): T {
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.walk(v).value;
    return { ...out } as T;
  }

  /**
   * The copy and its token (undefined: not plain data, never shared). A subtree's key is made
   * of its parts' tokens (`#12` for a pooled subtree, `s3` for a string), so it is a few bytes
   * per field however deep the subtree: keys that spelled out whole subtrees made the pool of
   * 10,000 manifests weigh more than the manifests.
   */
  private walk(value: unknown): Walked {
    if (typeof value === 'string') {
      const s = this.string(value);
      return { value: s.value, token: `s${s.id}` };
    }
    if (value === null || typeof value !== 'object') return { value, token: primitiveToken(value) };
    if (Array.isArray(value)) {
      const items = value.map((v: unknown) => this.walk(v));
      const copy = items.map((i) => i.value);
      if (items.some((i) => i.token === undefined)) return { value: copy, token: undefined };
      return this.pooled(`[${items.map((i) => i.token).join(',')}]`, copy);
    }
    if (!isPlainObject(value)) return { value, token: undefined };
    const entries = Object.entries(value).map(([k, v]) => [k, this.walk(v)] as const);
    const fields: Record<string, unknown> = {};
    for (const [k, w] of entries) fields[k] = w.value;
    // Spread: an object filled by computed names past a dozen properties is a slow (dictionary) one.
    const copy = { ...fields };
    if (entries.some(([, w]) => w.token === undefined)) return { value: copy, token: undefined };
    return this.pooled(`{${entries.map(([k, w]) => `${this.string(k).id}:${w.token}`).join(',')}}`, copy);
  }

  /** The first string seen with this content, and its number. */
  private string(s: string): { readonly value: string; readonly id: number } {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    const entry = { value: this.options.ownStrings ? ownCopy(s) : s, id: this.strings.size };
    this.strings.set(s, entry);
    return entry;
  }

  private pooled(key: string, copy: unknown): Walked {
    const known = this.pool.get(key);
    if (known !== undefined) return known;
    const entry: Pooled = { value: Object.freeze(copy), token: `#${this.pool.size}` };
    this.pool.set(key, entry);
    return { value: copy, token: entry.token };
  }
}

/** A string with the same content that is not a view into another (a JSON round trip makes a new flat string). */
function ownCopy(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** A walked value: its compact copy and its token in keys (undefined: not plain data). */
interface Walked {
  readonly value: unknown;
  readonly token: string | undefined;
}

interface Pooled {
  readonly value: unknown;
  readonly token: string;
}

/** The token of a primitive that is not a string; no string, subtree or other primitive has it. */
function primitiveToken(value: unknown): string | undefined {
  switch (typeof value) {
    case 'number':
      // -0 and NaN are kept distinct from 0 and from each other.
      return Object.is(value, -0) ? '-0' : Number.isNaN(value) ? 'NaN' : String(value);
    case 'boolean':
      return value ? 'T' : 'F';
    case 'undefined':
      return 'U';
    case 'bigint':
      return undefined;
    default:
      return value === null ? 'N' : undefined;
  }
}

/** An object literal's kind of object, with no symbol keys (those a copy would lose). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  return Object.getPrototypeOf(value) === Object.prototype && Object.getOwnPropertySymbols(value).length === 0;
}
