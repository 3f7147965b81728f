/** JSON pointers (RFC 6901) as paths of keys and indexes. */

/** `/spec/containers/0/image` -> ['spec', 'containers', '0', 'image'] (tokens unescaped, indexes kept as text). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The JSON value at `tokens`, or undefined when a step is missing. */
export function valueAt(root: unknown, tokens: readonly string[]): unknown {
  let node: unknown = root;
  for (const t of tokens) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(t)) return undefined;
      node = node[Number(t)];
    } else if (isObject(node) && Object.hasOwn(node, t)) {
      node = node[t];
    } else {
      return undefined;
    }
  }
  return node;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Document path of tokens: list indexes become numbers where the value at that step is a list. */
export function docPathOf(root: unknown, tokens: readonly string[]): (string | number)[] {
  const out: (string | number)[] = [];
  let node: unknown = root;
  for (const t of tokens) {
    if (Array.isArray(node)) {
      const i = t === '-' ? node.length : Number(t);
      out.push(Number.isInteger(i) ? i : t);
      node = node[i];
    } else {
      out.push(t);
      node = isObject(node) ? node[t] : undefined;
    }
  }
  return out;
}
