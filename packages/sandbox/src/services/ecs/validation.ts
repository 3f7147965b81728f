import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import { taskCpuUnits, taskMemoryMiB } from '../../aws-rules/fargate.js';
import type { EcsTag } from './state.js';

const NAME_RE = /^[A-Za-z0-9_-]{1,255}$/;

export const clientError = (message: string): SandboxError => new SandboxError('ClientException', message);
/** Cloud Map namespace named by a Service Connect setting (service or cluster default) that does not exist. */
export const namespaceNotFound = (): SandboxError => new SandboxError('NamespaceNotFoundException', "The specified namespace wasn't found.");
export const invalidParameter = (message: string): SandboxError => new SandboxError('InvalidParameterException', message);

/** Validates a cluster, service or family name: letters, digits, hyphens, underscores, up to 255. */
export function checkName(kind: 'Cluster' | 'Service' | 'Family', name: string): void {
  if (NAME_RE.test(name)) return;
  if (kind === 'Family') throw clientError('Family contains invalid characters.');
  throw invalidParameter(`${kind} name can have up to 255 characters, and can contain letters, numbers, hyphens and underscores.`);
}

export function optString(input: JsonObject, field: string): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParameter(`${field} must be a string.`);
  return v;
}

export function reqString(input: JsonObject, field: string): string {
  const v = optString(input, field);
  if (v === undefined || v === '') throw invalidParameter(`${field} can not be blank.`);
  return v;
}

export function optInt(input: JsonObject, field: string): number | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidParameter(`${field} must be an integer.`);
  return v;
}

export function optBool(input: JsonObject, field: string): boolean | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidParameter(`${field} must be a boolean.`);
  return v;
}

export function optObject(input: JsonObject, field: string): JsonObject | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${field} must be an object.`);
  return v as JsonObject;
}

export function optArray(input: JsonObject, field: string): unknown[] | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalidParameter(`${field} must be a list.`);
  return v;
}

export function objectList(input: JsonObject, field: string): JsonObject[] {
  return (optArray(input, field) ?? []).map((v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${field} must be a list of objects.`);
    return v as JsonObject;
  });
}

export function stringList(input: JsonObject, field: string): string[] {
  return (optArray(input, field) ?? []).map((v) => {
    if (typeof v !== 'string') throw invalidParameter(`${field} must be a list of strings.`);
    return v;
  });
}

/** maxResults within [1, max], else AWS's InvalidParameterException. */
export function pageSize(input: JsonObject, defaultSize: number, max: number): number {
  const n = optInt(input, 'maxResults');
  if (n === undefined) return defaultSize;
  if (n < 1 || n > max) throw invalidParameter(`maxResults must be between 1 and ${max}.`);
  return n;
}

/** Validates ECS tags (at most 50, key 1-128, value up to 256, no `aws:` prefix). */
export function parseTags(raw: unknown): EcsTag[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalidParameter('tags must be a list.');
  if (raw.length > 50) throw invalidParameter('Tags can not be more than 50.');
  return raw.map((t: unknown) => {
    const o = (t ?? {}) as JsonObject;
    const key = o['key'];
    const value = o['value'] ?? '';
    if (typeof key !== 'string' || key.length < 1 || key.length > 128) throw invalidParameter('Tag key must be between 1 and 128 characters.');
    if (typeof value !== 'string' || value.length > 256) throw invalidParameter('Tag value must be at most 256 characters.');
    if (key.toLowerCase().startsWith('aws:')) throw invalidParameter('Tag keys starting with aws: are reserved.');
    return { key, value };
  });
}

/** Merges `add` into `tags` (same key replaces). */
export function mergeTags(tags: EcsTag[], add: EcsTag[]): EcsTag[] {
  const byKey = new Map(tags.map((t) => [t.key, t]));
  for (const t of add) byKey.set(t.key, t);
  if (byKey.size > 50) throw invalidParameter('Tags can not be more than 50.');
  return [...byKey.values()];
}

/** Task-level cpu: integer units or "<n> vCPU"; returns units as a string. */
export function normalizeCpu(raw: string): string {
  const units = taskCpuUnits(raw);
  if (units === undefined) throw clientError(`Invalid 'cpu' setting for task.`);
  return String(Math.round(units));
}

/** Task-level memory: integer MiB or "<n> GB"; returns MiB as a string. */
export function normalizeMemory(raw: string): string {
  const mib = taskMemoryMiB(raw);
  if (mib === undefined) throw clientError(`Invalid 'memory' setting for task.`);
  return String(Math.round(mib));
}

/** Sorted-key JSON, so equal requests compare equal whatever their member order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as JsonObject).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
