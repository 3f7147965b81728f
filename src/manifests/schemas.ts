import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { CRDS_DIR } from '../paths.js';
import type { ManifestKind } from './types.js';

/** The schema file in crds/ of each kind. */
export const SCHEMA_FILES: Readonly<Record<ManifestKind, string>> = {
  CloudMapNamespace: 'cloud-map-namespace.schema.json',
  CloudMapService: 'cloud-map-service.schema.json',
  EcsService: 'ecs-service.schema.json',
};

/** Schema of the Overlay document (not a resource kind: the loader renders it). */
export const OVERLAY_SCHEMA_FILE = 'overlay.schema.json';

/** Schema of documents of any kind (dispatches on `kind`), for files that mix kinds. */
export const ANY_KIND_SCHEMA_FILE = 'manifest.schema.json';

/** A JSON Schema node, as far as this module reads it. */
export interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean | SchemaNode;
  readonly items?: SchemaNode;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly description?: string;
  readonly pattern?: string;
  readonly patternErrorMessage?: string;
  readonly $ref?: string;
  readonly definitions?: Readonly<Record<string, SchemaNode>>;
}

interface Compiled {
  readonly ajv: Ajv;
  /** `$id` of each kind's schema: ajv compiles it on its first getSchema, so only kinds in use cost time. */
  readonly ids: ReadonlyMap<ManifestKind, string>;
  readonly schemas: ReadonlyMap<ManifestKind, SchemaNode>;
}

/** Compiled on first use: most sources hold no Overlay, and the any-kind schema serves tools. */
let overlayValidator: ValidateFunction | undefined;
let anyKindValidator: ValidateFunction | undefined;

let compiled: Compiled | undefined;

function readSchema(file: string): SchemaNode {
  return JSON.parse(readFileSync(join(CRDS_DIR, file), 'utf8')) as SchemaNode;
}

/** Reads every schema once per process; ajv compiles each on first use (compilation is the expensive part). */
function load(): Compiled {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true });
  // Editors (yaml-language-server) show this message instead of the raw pattern; so do we.
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  const ids = new Map<ManifestKind, string>();
  const schemas = new Map<ManifestKind, SchemaNode>();
  for (const [kind, file] of Object.entries(SCHEMA_FILES) as [ManifestKind, string][]) {
    const schema = readSchema(file);
    const id = (schema as { $id?: string }).$id;
    if (!id) throw new Error(`schema ${file} has no $id`);
    ajv.addSchema(schema as object);
    schemas.set(kind, schema);
    ids.set(kind, id);
  }
  // Added, not compiled: the any-kind schema refers to it, and compiling waits for a first Overlay.
  ajv.addSchema(readSchema(OVERLAY_SCHEMA_FILE) as object, OVERLAY_SCHEMA_FILE);
  compiled = { ajv, ids, schemas };
  return compiled;
}

/** Validates a document against its kind's schema; returns ajv's errors (empty when valid). */
export function validateAgainstSchema(kind: ManifestKind, value: unknown): readonly ErrorObject[] {
  const { ajv, ids } = load();
  const id = ids.get(kind);
  const validate = id !== undefined ? ajv.getSchema(id) : undefined;
  if (!validate) throw new Error(`no schema for kind ${kind}`);
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** Validates an Overlay document against crds/overlay.schema.json; returns ajv's errors (empty when valid). */
export function validateOverlay(value: unknown): readonly ErrorObject[] {
  overlayValidator ??= load().ajv.getSchema(OVERLAY_SCHEMA_FILE);
  const validate = overlayValidator;
  if (!validate) throw new Error(`no schema ${OVERLAY_SCHEMA_FILE}`);
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** The raw JSON Schema of a kind (as in crds/). */
export function kindSchema(kind: ManifestKind): SchemaNode {
  const schema = load().schemas.get(kind);
  if (!schema) throw new Error(`no schema for kind ${kind}`);
  return schema;
}

/** Validates any value against the any-kind schema (crds/manifest.schema.json). */
export function validateAnyKind(value: unknown): boolean {
  anyKindValidator ??= load().ajv.compile(readSchema(ANY_KIND_SCHEMA_FILE) as object);
  return anyKindValidator(value) === true;
}

/** Follows a local `$ref` (`#/definitions/...`) inside a kind's schema. */
export function deref(root: SchemaNode, node: SchemaNode): SchemaNode {
  let current = node;
  for (let i = 0; i < 16 && current.$ref?.startsWith('#/definitions/'); i++) {
    const target = root.definitions?.[current.$ref.slice('#/definitions/'.length)];
    if (!target) break;
    current = target;
  }
  return current;
}

/**
 * The schema node a path leads to in a kind's schema (map keys, list indexes), or undefined
 * when the kind has no such field. Free-form maps (tags, environment) accept any key.
 */
export function schemaAt(kind: ManifestKind, path: readonly string[]): SchemaNode | undefined {
  const root = kindSchema(kind);
  let node: SchemaNode | undefined = root;
  for (const segment of path) {
    if (!node) return undefined;
    node = deref(root, node);
    if (node.properties && Object.hasOwn(node.properties, segment)) node = node.properties[segment];
    else if (node.items && /^(0|[1-9][0-9]*)$/.test(segment)) node = node.items;
    else if (typeof node.additionalProperties === 'object') node = node.additionalProperties;
    else return undefined;
  }
  return node ? deref(root, node) : undefined;
}
