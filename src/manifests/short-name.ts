/** Names up to this many characters are printed whole. */
const SHOWN_WHOLE = 64;
/** How much of a longer name is printed. */
const SHOWN_PREFIX = 40;

/**
 * A name as printed in a message: whole when short, else its first 40 characters, "…" and its
 * length (`aaaa…(300 characters)`), so a 1,000-character name does not fill every line it is on.
 */
export function shortName(name: string): string {
  return name.length <= SHOWN_WHOLE ? name : `${name.slice(0, SHOWN_PREFIX)}…(${name.length} characters)`;
}
