/**
 * JSON pointers (RFC 6901) and the dotted paths shown to users, built from the same segments.
 * `["spec", "dns", "records", 0, "ttl"]` is `/spec/dns/records/0/ttl` and
 * `spec.dns.records[0].ttl`; a map key that is not an identifier is quoted in the dotted
 * form: `spec.tags["team.name"]`.
 */

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number;

/** Escapes one reference token (`~` -> `~0`, `/` -> `~1`). */
export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Reverses escapeToken. */
export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Segments -> JSON pointer. The empty list is the whole document, `""`. */
export function toPointer(segments: readonly PathSegment[]): string {
  return segments.map((s) => `/${escapeToken(String(s))}`).join('');
}

/** JSON pointer -> reference tokens (as strings; array indexes stay numeric strings). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new SyntaxError(`invalid JSON pointer "${pointer}": must start with "/"`);
  return pointer.slice(1).split('/').map(unescapeToken);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Segments -> dotted path, e.g. `spec.dns.records[0].ttl`. */
export function toDottedPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
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
