/**
 * JSON patch (RFC 6902) on plain JSON data: add, remove, replace, move, copy, test. Pure: the
 * input is never changed, a new document comes back. An operation that cannot apply (a
 * missing path, an index out of range, a failed test) throws JsonPatchError, naming the
 * operation, so that nothing is half patched.
 */
import { isDeepStrictEqual } from 'node:util';
import { isObject, parsePointer, valueAt } from './json-pointer.js';

export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly from?: string;
  readonly value?: unknown;
}

export class JsonPatchError extends Error {
  constructor(
    message: string,
    /** Index of the failing operation. */
    readonly index: number,
  ) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

/** Applies the operations in order to a copy of `doc`. */
export function applyJsonPatch(doc: unknown, operations: readonly JsonPatchOperation[]): unknown {
  let out: unknown = structuredClone(doc);
  operations.forEach((op, index) => {
    try {
      out = applyOne(out, op);
    } catch (err) {
      throw new JsonPatchError(`${op.op} ${op.path}: ${(err as Error).message}`, index);
    }
  });
  return out;
}

function applyOne(doc: unknown, op: JsonPatchOperation): unknown {
  const path = parsePointer(op.path);
  switch (op.op) {
    case 'add':
      return add(doc, path, structuredClone(op.value));
    case 'remove':
      return remove(doc, path).doc;
    case 'replace':
      if (valueAt(doc, path) === undefined) throw new Error('there is no value at the path');
      return add(remove(doc, path).doc, path, structuredClone(op.value), true);
    case 'move': {
      const from = parsePointer(op.from ?? '');
      if (op.from === undefined) throw new Error('"from" is required');
      if (path.length > from.length && from.every((t, i) => path[i] === t)) throw new Error('cannot move a value into itself');
      const removed = remove(doc, from);
      return add(removed.doc, path, removed.value);
    }
    case 'copy': {
      if (op.from === undefined) throw new Error('"from" is required');
      const value = valueAt(doc, parsePointer(op.from));
      if (value === undefined) throw new Error(`there is no value at "from" ${op.from}`);
      return add(doc, path, structuredClone(value));
    }
    case 'test': {
      const actual = valueAt(doc, path);
      if (actual === undefined) throw new Error('there is no value at the path');
      if (!isDeepStrictEqual(actual, op.value)) throw new Error(`test failed: the value is ${JSON.stringify(actual)}, not ${JSON.stringify(op.value)}`);
      return doc;
    }
  }
}

function parentOf(doc: unknown, path: readonly string[]): unknown {
  const parent = valueAt(doc, path.slice(0, -1));
  if (parent === undefined) throw new Error(`the parent ${pointerOf(path.slice(0, -1))} does not exist`);
  return parent;
}

function add(doc: unknown, path: readonly string[], value: unknown, replacing = false): unknown {
  if (path.length === 0) return value;
  const parent = parentOf(doc, path);
  const last = path[path.length - 1] as string;
  if (Array.isArray(parent)) {
    const i = last === '-' && !replacing ? parent.length : Number(last);
    if (!/^(0|[1-9][0-9]*|-)$/.test(last) || !Number.isInteger(i) || i > parent.length)
      throw new Error(`index ${last} is out of range (the list has ${parent.length} items)`);
    parent.splice(i, 0, value);
  } else if (isObject(parent)) {
    parent[last] = value;
  } else {
    throw new Error(`${pointerOf(path.slice(0, -1))} is not a map or a list`);
  }
  return doc;
}

function remove(doc: unknown, path: readonly string[]): { doc: unknown; value: unknown } {
  if (path.length === 0) return { doc: undefined, value: doc };
  const parent = parentOf(doc, path);
  const last = path[path.length - 1] as string;
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^(0|[1-9][0-9]*)$/.test(last) || i >= parent.length) throw new Error(`index ${last} is out of range (the list has ${parent.length} items)`);
    return { doc, value: parent.splice(i, 1)[0] };
  }
  if (isObject(parent) && Object.hasOwn(parent, last)) {
    const value = parent[last];
    delete parent[last];
    return { doc, value };
  }
  throw new Error('there is no value at the path');
}

function pointerOf(tokens: readonly string[]): string {
  return tokens.length === 0 ? '(the document)' : `/${tokens.map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}
