/**
 * The AWS API model as the SDK ships it at runtime: every client exports its shapes as
 * schema tuples (`RegisterTaskDefinitionRequest$`, `ContainerDefinition$`, ...). This module
 * reads them into a small tree and checks a FieldModel table (src/kit/unexpressed.ts) against
 * it, so a member AWS adds is noticed the day the SDK is upgraded.
 *
 * Schema tuples (smithy "schema" serde, as of SDK v3.9xx+):
 *  - a number: a simple type (0 string, 1 number, 2 boolean, 4 timestamp, 21 blob);
 *    `64 | t` a list of t, `128 | t` a map of string to t;
 *  - [0, ns, name, traits, t]: a named simple type (e.g. SensitiveString);
 *  - [1, ns, name, traits, member]: a list; [2, ns, name, traits, key, value]: a map;
 *  - [3, ns, name, traits, memberNames, memberSchemas, requiredCount?]: a structure;
 *  - [4, ns, name, traits, memberNames, memberSchemas]: a union (read as a structure whose
 *    members are the alternatives, e.g. ResourceRequirement's SharingStrategy);
 *  - a member schema may be a thunk `() => schema` or `[thunk, memberTraits]`.
 */
import type { FieldModel } from '../../src/kit/unexpressed.js';

export type Shape =
  | { readonly type: 'scalar'; readonly name: string }
  | { readonly type: 'list'; readonly member: () => Shape }
  | { readonly type: 'map'; readonly value: () => Shape }
  | { readonly type: 'structure'; readonly name: string; readonly members: ReadonlyArray<readonly [string, () => Shape]> };

const SIMPLE: Readonly<Record<number, string>> = { 0: 'string', 1: 'number', 2: 'boolean', 4: 'timestamp', 21: 'blob', 15: 'document' };

/** A schema tuple (or member schema) as a Shape. */
export function shapeOf(schema: unknown): Shape {
  if (typeof schema === 'function') return shapeOf((schema as () => unknown)());
  if (typeof schema === 'number') {
    if (schema & 64) return { type: 'list', member: () => shapeOf(schema & ~64) };
    if (schema & 128) return { type: 'map', value: () => shapeOf(schema & ~128) };
    return { type: 'scalar', name: SIMPLE[schema] ?? `simple(${schema})` };
  }
  if (!Array.isArray(schema)) throw new Error(`not a schema: ${String(schema)}`);
  // A member schema with traits: [thunk, traits], or [simple type, traits] (e.g. an idempotency token).
  if (typeof schema[0] === 'function' || (schema.length === 2 && typeof schema[0] === 'number')) return shapeOf(schema[0]);
  const [tag, , name] = schema as [number, string, string];
  switch (tag) {
    case 0:
      return shapeOf(schema[4]);
    case 1:
      return { type: 'list', member: () => shapeOf(schema[4]) };
    case 2:
      return { type: 'map', value: () => shapeOf(schema[5]) };
    case 3:
    case 4: {
      const names = schema[4] as string[];
      const types = schema[5] as unknown[];
      return { type: 'structure', name, members: names.map((n, i) => [n, () => shapeOf(types[i])] as const) };
    }
    default:
      throw new Error(`unknown schema tag ${String(tag)} in ${String(name)}`);
  }
}

/** The structure of a list or map member, or the shape itself. */
function elementOf(shape: Shape): Shape {
  if (shape.type === 'list') return elementOf(shape.member());
  if (shape.type === 'map') return elementOf(shape.value());
  return shape;
}

/** How one member of one shape is covered by the manifest model. */
export interface CoverageRow {
  /** Path from the root shape, lists as `[]` (e.g. `containerDefinitions[].ulimits`). */
  readonly path: string;
  /** The structure the member belongs to (e.g. `ContainerDefinition`). */
  readonly shape: string;
  readonly member: string;
  readonly status: 'modelled' | 'read-only' | 'default-only' | 'unsupported' | 'unclassified';
  /** Why it is not modelled (default-only and unsupported). */
  readonly reason?: string;
}

function statusOf(model: FieldModel | undefined): Pick<CoverageRow, 'status' | 'reason'> {
  if (model === undefined) return { status: 'unclassified' };
  if (model === 'modelled' || model === 'identity') return { status: 'modelled' };
  if (model === 'read-only') return { status: 'read-only' };
  if ('unsupported' in model) return { status: 'unsupported', reason: model.unsupported };
  if ('isDefault' in model) return { status: 'default-only', ...(model.reason ? { reason: model.reason } : {}) };
  return { status: 'modelled' };
}

/**
 * One row per member of every structure under `root` (depth first, in the model's order),
 * classified by `model`. A member the model walks into (`fields`/`items`) is modelled as
 * far as its own members are; a member marked `modelled` as a whole covers its subtree, whose
 * members are listed as modelled too. `aliases` maps a member name of the shape to the name
 * the model uses (a request's `cluster` is the response's `clusterArn`).
 */
export function coverage(root: Shape, model: FieldModel, aliases: Readonly<Record<string, string>> = {}, path = ''): CoverageRow[] {
  const shape = elementOf(root);
  if (shape.type !== 'structure') return [];
  const rows: CoverageRow[] = [];
  const fields =
    typeof model === 'object' && 'fields' in model
      ? model.fields
      : typeof model === 'object' && 'items' in model && typeof model.items === 'object' && 'fields' in model.items
        ? model.items.fields
        : undefined;
  for (const [member, memberShape] of shape.members) {
    const memberPath = path === '' ? member : `${path}.${member}`;
    const sub = model === 'modelled' ? 'modelled' : fields?.[aliases[memberPath] ?? aliases[member] ?? member];
    const element = memberShape();
    const listPath = element.type === 'list' ? `${memberPath}[]` : memberPath;
    rows.push({ path: memberPath, shape: shape.name, member, ...statusOf(sub) });
    if (sub === 'modelled' || (typeof sub === 'object' && ('fields' in sub || 'items' in sub))) {
      rows.push(...coverage(element, typeof sub === 'object' && 'items' in sub ? sub.items : sub, aliases, listPath));
    }
  }
  return rows;
}

/** Per structure: how many of its members are modelled, of how many. */
export function countsByShape(rows: readonly CoverageRow[]): Map<string, { modelled: number; total: number }> {
  const out = new Map<string, { modelled: number; total: number }>();
  for (const r of rows) {
    const c = out.get(r.shape) ?? { modelled: 0, total: 0 };
    c.total += 1;
    if (r.status === 'modelled' || r.status === 'read-only') c.modelled += 1;
    out.set(r.shape, c);
  }
  return out;
}

/** The rows as a Markdown table (path, status, reason). */
export function markdownTable(rows: readonly CoverageRow[]): string {
  const lines = ['| member | status | reason |', '|---|---|---|'];
  for (const r of rows) lines.push(`| \`${r.path}\` | ${r.status} | ${(r.reason ?? '').replace(/\|/g, '\\|')} |`);
  return lines.join('\n');
}
