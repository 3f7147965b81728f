/**
 * Which members of a raw AWS object the manifest model cannot express. A write built from
 * the manifest would drop them, so the plan blocks such writes (see docs/plan.md, "Settings
 * the model cannot express").
 *
 * The walk is generic: every member of the raw object is checked against a model that
 * lists what the converter carries, what AWS alone sets, and the values AWS echoes when
 * nothing was asked for. A member the model does not list is reported whenever it is set,
 * so a field AWS adds later is caught without a code change.
 */
import { deepEqual } from '../util/deep-equal.js';

/** How one member of a raw AWS object relates to the manifest model. */
export type FieldModel =
  /** The converter carries it into the manifest shape: any value is expressible. */
  | 'modelled'
  /** Set by AWS (ARNs, revision, status, timestamps, counts): never part of a write. */
  | 'read-only'
  /** Names an item of a list; an item setting nothing else is reported as the item itself. */
  | 'identity'
  /** Not modelled, but these values are what AWS echoes when nothing was asked for. */
  | { readonly isDefault: (value: unknown) => boolean; readonly reason?: string }
  /** Deliberately not modelled (the reason is published in docs/manifests.md): reported whenever set. */
  | { readonly unsupported: string }
  /** An object walked member by member. */
  | { readonly fields: Readonly<Record<string, FieldModel>> }
  /** A list whose items are walked with their index. */
  | { readonly items: FieldModel };

/** A default check accepting exactly these values (deep equality). */
export function oneOf(...values: readonly unknown[]): FieldModel {
  return { isDefault: (value) => values.some((v) => deepEqual(v, value)) };
}

/** A member ecs-gitops deliberately does not model, and why. */
export function unsupported(reason: string): FieldModel {
  return { unsupported: reason };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}

/**
 * Whether a value sets nothing: absent, null, false, "", an empty list, or an object whose
 * members all set nothing (ECS echoes `mountPoints: []`, `alarms: { alarmNames: [], enable:
 * false, rollback: false }` and the like for settings never asked for).
 */
export function isUnset(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.values(value).every(isUnset);
  return false;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Paths (raw AWS member names, list indexes in brackets, e.g. `volumes[0].efsVolumeConfiguration`,
 * `containerDefinitions[1].ulimits`) of the members of `value` that are set but not
 * expressible under `model`. In walk order; the caller sorts.
 */
export function unexpressedPaths(value: unknown, model: FieldModel, path = ''): string[] {
  if (model === 'modelled' || model === 'read-only' || model === 'identity') return [];
  if ('unsupported' in model) return isUnset(value) ? [] : [path];
  if ('isDefault' in model) return isUnset(value) || model.isDefault(value) ? [] : [path];
  if ('items' in model) {
    if (!Array.isArray(value)) return isUnset(value) ? [] : [path];
    return value.flatMap((item, i) => unexpressedPaths(item, model.items, `${path}[${i}]`));
  }
  if (!isPlainObject(value)) return isUnset(value) ? [] : [path];
  const out: string[] = [];
  let onlyIdentity = true;
  let anySet = false;
  for (const [key, member] of Object.entries(value)) {
    if (isUnset(member)) continue;
    anySet = true;
    const memberModel = model.fields[key];
    if (memberModel !== 'identity') onlyIdentity = false;
    if (memberModel === undefined) out.push(join(path, key));
    else out.push(...unexpressedPaths(member, memberModel, join(path, key)));
  }
  // A list item that only names itself (a volume with just a name) is still a setting.
  if (anySet && onlyIdentity && path !== '') out.push(path);
  return out;
}

/** Paths without repeats, sorted. */
export function sortedPaths(paths: readonly string[]): string[] {
  return [...new Set(paths)].sort();
}
