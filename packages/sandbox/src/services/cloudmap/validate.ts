import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';

/** Input checks with Cloud Map's error code (`InvalidInput`) and AWS-style messages. */

export function invalid(message: string): SandboxError {
  return new SandboxError('InvalidInput', message);
}

export function requireStr(input: JsonObject, field: string, pattern?: RegExp, max?: number): string {
  const v = input[field];
  if (typeof v !== 'string' || v.length === 0)
    throw invalid(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  checkStr(field, v, pattern, max);
  return v;
}

export function optStr(input: JsonObject, field: string, pattern?: RegExp, max?: number): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`Value at '${field}' must be a string`);
  checkStr(field, v, pattern, max);
  return v;
}

function checkStr(field: string, v: string, pattern?: RegExp, max?: number): void {
  if (max !== undefined && v.length > max) {
    throw invalid(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
  if (pattern && !pattern.test(v)) {
    throw invalid(
      `1 validation error detected: Value '${v}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`,
    );
  }
}

export function optObj(input: JsonObject, field: string): JsonObject | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid(`Value at '${field}' must be an object`);
  return v as JsonObject;
}

export function requireObj(input: JsonObject, field: string): JsonObject {
  const v = optObj(input, field);
  if (!v) throw invalid(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  return v;
}

export function optList(input: JsonObject, field: string): unknown[] | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalid(`Value at '${field}' must be a list`);
  return v;
}

export function optInt(input: JsonObject, field: string, min: number, max: number): number | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalid(
      `1 validation error detected: Value '${String(v)}' at '${field}' failed to satisfy constraint: Member must be an integer between ${min} and ${max}`,
    );
  }
  return v;
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(
      `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  return value as T;
}

/** A string-to-string map (instance attributes, query parameters). */
export function optStringMap(input: JsonObject, field: string): Record<string, string> | undefined {
  const v = optObj(input, field);
  if (!v) return undefined;
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string') throw invalid(`Value at '${field}.${k}' must be a string`);
    out[k] = value;
  }
  return out;
}

const TOKEN_PREFIX = 'sbx1.';

/** Opaque NextToken for a position in an ordered listing. */
export function encodeToken(after: number): string {
  return TOKEN_PREFIX + Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');
}

export function decodeToken(input: JsonObject): number | undefined {
  const raw = optStr(input, 'NextToken');
  if (raw === undefined) return undefined;
  try {
    if (!raw.startsWith(TOKEN_PREFIX)) throw new Error('prefix');
    const parsed = JSON.parse(Buffer.from(raw.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after !== 'number') throw new Error('shape');
    return parsed.after;
  } catch {
    throw invalid('The NextToken value is not valid.');
  }
}

export function maxResults(input: JsonObject, max: number, fallback: number): number {
  return optInt(input, 'MaxResults', 1, max) ?? fallback;
}

/** A filter as ListNamespaces/ListServices/ListOperations take it. */
export interface ListFilter {
  readonly name: string;
  readonly values: readonly string[];
  readonly condition: 'EQ' | 'IN' | 'BETWEEN' | 'BEGINS_WITH';
}

export function parseFilters(input: JsonObject, names: readonly string[]): ListFilter[] {
  const list = optList(input, 'Filters') ?? [];
  return list.map((raw, i) => {
    if (!raw || typeof raw !== 'object') throw invalid(`Value at 'filters.${i + 1}' must be an object`);
    const f = raw as JsonObject;
    const name = oneOf(`filters.${i + 1}.member.name`, f['Name'], names);
    const values = f['Values'];
    if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string')) {
      throw invalid(`1 validation error detected: Value at 'filters.${i + 1}.member.values' failed to satisfy constraint: Member must not be null`);
    }
    const condition =
      f['Condition'] === undefined ? 'EQ' : oneOf(`filters.${i + 1}.member.condition`, f['Condition'], ['EQ', 'IN', 'BETWEEN', 'BEGINS_WITH'] as const);
    if (condition === 'EQ' && values.length !== 1) throw invalid(`Filter ${name} with condition EQ takes exactly one value`);
    if (condition === 'BETWEEN' && values.length !== 2) throw invalid(`Filter ${name} with condition BETWEEN takes exactly two values`);
    return { name, values: values as string[], condition };
  });
}

/** Epoch seconds with milliseconds, as the JSON protocol carries timestamps. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
