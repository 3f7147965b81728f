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

/** A key that no JSON text produces, for a property whose value is `undefined`. */
const UNDEFINED = '~u';

export class SubtreePool {
  private readonly pool = new Map<string, unknown>();
  private readonly strings = new Map<string, string>();

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
  shareFields<T extends object>(value: T): T {
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.walk(v).value;
    return { ...out } as T;
  }

  /** The copy and its canonical text (undefined: not plain data, never shared). */
  private walk(value: unknown): { value: unknown; text: string | undefined } {
    if (typeof value === 'string') return { value: this.string(value), text: primitiveText(value) };
    if (value === null || typeof value !== 'object') return { value, text: primitiveText(value) };
    if (Array.isArray(value)) {
      const items = value.map((v: unknown) => this.walk(v));
      const copy = items.map((i) => i.value);
      if (items.some((i) => i.text === undefined)) return { value: copy, text: undefined };
      return this.pooled(`[${items.map((i) => i.text).join(',')}]`, copy);
    }
    if (!isPlainObject(value)) return { value, text: undefined };
    const entries = Object.entries(value).map(([k, v]) => [k, this.walk(v)] as const);
    const fields: Record<string, unknown> = {};
    for (const [k, w] of entries) fields[k] = w.value;
    // Spread: an object filled by computed names past a dozen properties is a slow (dictionary) one.
    const copy = { ...fields };
    if (entries.some(([, w]) => w.text === undefined)) return { value: copy, text: undefined };
    return this.pooled(`{${entries.map(([k, w]) => `${JSON.stringify(k)}:${w.text}`).join(',')}}`, copy);
  }

  /** The first string seen with this content. */
  private string(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    this.strings.set(s, s);
    return s;
  }

  private pooled(text: string, copy: unknown): { value: unknown; text: string } {
    const known = this.pool.get(text);
    if (known !== undefined) return { value: known, text };
    this.pool.set(text, Object.freeze(copy));
    return { value: copy, text };
  }
}

function primitiveText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // -0 and NaN would read as 0 and null in JSON; they are kept distinct.
      return Object.is(value, -0) ? '-0' : Number.isNaN(value) ? 'NaN' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return UNDEFINED;
    default:
      return value === null ? 'null' : undefined;
  }
}

/** An object literal's kind of object, with no symbol keys (those a copy would lose). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  return Object.getPrototypeOf(value) === Object.prototype && Object.getOwnPropertySymbols(value).length === 0;
}
