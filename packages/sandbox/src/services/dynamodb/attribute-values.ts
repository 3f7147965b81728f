import { SandboxError } from '../../errors.js';

/** A DynamoDB AttributeValue as it travels on the wire: exactly one type key. */
export type AttributeValue = Readonly<Record<string, unknown>>;
export type Item = Readonly<Record<string, AttributeValue>>;

const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

export function validationError(message: string): SandboxError {
  return new SandboxError('ValidationException', message);
}

/** The single type key of a value (`S`, `N`, ...); throws ValidationException when malformed. */
export function typeOf(v: AttributeValue): string {
  const keys = Object.keys(v);
  if (keys.length !== 1 || !TYPES.has(keys[0]!)) {
    throw validationError('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  }
  return keys[0]!;
}

/** Checks an item (or key) from a request: every value well formed, numbers numeric. */
export function checkItem(item: unknown, what: string): Item {
  if (!item || typeof item !== 'object' || Array.isArray(item))
    throw validationError(`1 validation error detected: Value null at '${what}' failed to satisfy constraint: Member must not be null`);
  for (const [name, v] of Object.entries(item as Record<string, unknown>)) checkValue(v, name);
  return item as Item;
}

export function checkValue(v: unknown, name: string): AttributeValue {
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw validationError(`Supplied AttributeValue is empty, must contain exactly one of the supported datatypes (attribute ${name})`);
  const av = v as AttributeValue;
  const t = typeOf(av);
  if (t === 'N' && (typeof av['N'] !== 'string' || !Number.isFinite(Number(av['N'])) || (av['N'] as string).trim() === '')) {
    throw validationError(`The parameter cannot be converted to a numeric value: ${String(av['N'])}`);
  }
  if (t === 'S' && typeof av['S'] !== 'string') throw validationError(`Attribute ${name}: S must be a string`);
  if (t === 'M') for (const [k, inner] of Object.entries(av['M'] as Record<string, unknown>)) checkValue(inner, `${name}.${k}`);
  if (t === 'L') (av['L'] as unknown[]).forEach((inner, i) => checkValue(inner, `${name}[${i}]`));
  return av;
}

/** Deep equality of two values (numbers compared numerically; sets as sets). */
export function equalValues(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  const va = a[ta];
  const vb = b[ta];
  switch (ta) {
    case 'N':
      return Number(va) === Number(vb);
    case 'S':
    case 'B':
    case 'BOOL':
    case 'NULL':
      return va === vb;
    case 'SS':
    case 'BS':
    case 'NS': {
      const norm = (x: unknown): string[] => (x as string[]).map((s) => (ta === 'NS' ? String(Number(s)) : s)).sort();
      return JSON.stringify(norm(va)) === JSON.stringify(norm(vb));
    }
    case 'L': {
      const la = va as AttributeValue[];
      const lb = vb as AttributeValue[];
      return la.length === lb.length && la.every((x, i) => equalValues(x, lb[i]!));
    }
    default: {
      const ma = va as Record<string, AttributeValue>;
      const mb = vb as Record<string, AttributeValue>;
      const ka = Object.keys(ma);
      return ka.length === Object.keys(mb).length && ka.every((k) => mb[k] !== undefined && equalValues(ma[k]!, mb[k]!));
    }
  }
}

/** Ordering of two scalars of the same type N, S or B; undefined when not comparable. */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return undefined;
  if (ta === 'N') return Math.sign(Number(a['N']) - Number(b['N']));
  if (ta === 'S' || ta === 'B') {
    const x = a[ta] as string;
    const y = b[ta] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return undefined;
}

/** A stable text form of a key's values, for the item map. */
export function keyText(values: readonly AttributeValue[]): string {
  return JSON.stringify(values.map((v) => (typeOf(v) === 'N' ? { N: String(Number(v['N'])) } : v)));
}

/** Approximate item size in bytes (names plus values), for TableSizeBytes. */
export function itemSize(item: Item): number {
  return Buffer.byteLength(JSON.stringify(item));
}
