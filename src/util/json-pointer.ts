/**
 * JSON pointers (RFC 6901) and the dotted paths shown to users, built from the same segments.
 * `["spec", "dns", "records", 0, "ttl"]` is `/spec/dns/records/0/ttl` and
 * `spec.dns.records[0].ttl`; a map key that is not an identifier is quoted in the dotted
 * form: `spec.tags["team.name"]`.
 */

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * An array element matched by one of its fields (a container by `name`): shown to people as
 * `[name=web]`, while the JSON pointer keeps the element's index in the manifest (`/0`), so
 * pointers stay RFC 6901 pointers into the document (what `syncPolicy.ignore` matches).
 */
export interface KeyedSegment {
  readonly index: number;
  readonly field: string;
  readonly value: string;
}

/** A path step as diffs record it: a plain step or an element matched by a field. */
export type ChangeSegment = PathSegment | KeyedSegment;

/** The plain step of `s` (a keyed element becomes its index). */
export function plainSegment(s: ChangeSegment): PathSegment {
  return typeof s === 'object' ? s.index : s;
}

/** Escapes one reference token (`~` -> `~0`, `/` -> `~1`). */
export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Reverses escapeToken. */
export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Segments -> JSON pointer. The empty list is the whole document, `""`. */
export function toPointer(segments: readonly ChangeSegment[]): string {
  return segments.map((s) => `/${escapeToken(String(plainSegment(s)))}`).join('');
}

/** JSON pointer -> reference tokens (as strings; array indexes stay numeric strings). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new SyntaxError(`invalid JSON pointer "${pointer}": must start with "/"`);
  return pointer.slice(1).split('/').map(unescapeToken);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Key values shown unquoted in `[name=value]` (container names are always of this form). */
const BARE_KEY = /^[A-Za-z0-9_.:-]+$/;

/**
 * Segments -> dotted path, e.g. `spec.dns.records[0].ttl`, and with a keyed element
 * `spec.taskDefinition.containers[name=web].image` (a value of other characters is quoted:
 * `[name="a b"]`).
 */
export function toDottedPath(segments: readonly ChangeSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'object') out += `[${s.field}=${BARE_KEY.test(s.value) ? s.value : JSON.stringify(s.value)}]`;
    else if (typeof s === 'number') out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/**
 * Whether `pointer` is `base` or lies below it (`/spec/tags/team` is below `/spec/tags`,
 * `/spec/tagsX` is not). Tokens are compared after unescaping.
 */
export function isAtOrBelow(pointer: string, base: string): boolean {
  const p = parsePointer(pointer);
  const b = parsePointer(base);
  if (b.length > p.length) return false;
  return b.every((token, i) => token === p[i]);
}
