/**
 * Values for places people and other systems read (drift history, log lines, notifications):
 * short, and never the value of a container environment variable, which may hold a secret.
 */

/** Longest value shown, in characters (JSON for objects and lists). */
export const MAX_SHOWN_VALUE = 200;

export const REDACTED = '(redacted)';

/** Paths whose values are never shown: plain environment variables of a container. */
const HIDDEN_PATH = /(^|\.)environment(\[\d+\]|\.)/;

/** A value as it may be shown for `path`: redacted, or cut to MAX_SHOWN_VALUE characters. */
export function boundedValue(path: string, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (HIDDEN_PATH.test(path) || /(^|\.)environment$/.test(path)) return REDACTED;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text.length <= MAX_SHOWN_VALUE) return value;
  return `${text.slice(0, MAX_SHOWN_VALUE - 1)}…`;
}

/** `{path, from, to}` entries with bounded values. */
export function boundedFields<T extends { readonly path: string; readonly from?: unknown; readonly to?: unknown }>(fields: readonly T[]): T[] {
  return fields.map((f) => ({
    ...f,
    ...(f.from !== undefined ? { from: boundedValue(f.path, f.from) } : {}),
    ...(f.to !== undefined ? { to: boundedValue(f.path, f.to) } : {}),
  }));
}
