/**
 * DynamoDB expressions: condition (ConditionExpression, KeyConditionExpression,
 * FilterExpression), update (UpdateExpression) and projection, over
 * ExpressionAttributeNames (`#n`) and ExpressionAttributeValues (`:v`). Supported: the
 * comparators `= <> < <= > >=`, `BETWEEN`, `IN`, `AND`, `OR`, `NOT`, parentheses, the
 * functions `attribute_exists`, `attribute_not_exists`, `attribute_type`, `begins_with`,
 * `contains`, `size`; updates `SET` (with `+`, `-`, `if_not_exists`, `list_append`),
 * `REMOVE`, `ADD` (numbers and sets) and `DELETE` (sets). Document paths: names, `.` into
 * maps and `[n]` into lists. Reserved words are not checked (AWS refuses them unquoted).
 */
import { compareValues, equalValues, typeOf, validationError, type AttributeValue, type Item } from './attribute-values.js';

type Token =
  | { kind: 'name'; text: string }
  | { kind: 'alias'; text: string }
  | { kind: 'value'; text: string }
  | { kind: 'index'; value: number }
  | { kind: 'punct'; text: string };

const PUNCT = ['<>', '<=', '>=', '=', '<', '>', '(', ')', ',', '.', '[', ']', '+', '-'];

function tokenize(expr: string, what: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const word = /^[#:]?[A-Za-z0-9_]+/.exec(expr.slice(i));
    if (word) {
      const text = word[0];
      if (text.startsWith('#')) out.push({ kind: 'alias', text });
      else if (text.startsWith(':')) out.push({ kind: 'value', text });
      else if (/^\d+$/.test(text) && out.at(-1)?.kind === 'punct' && (out.at(-1) as { text: string }).text === '[')
        out.push({ kind: 'index', value: Number(text) });
      else if (/^[A-Za-z_]/.test(text)) out.push({ kind: 'name', text });
      else throw validationError(`Invalid ${what}: Syntax error; token: "${text}", near: "${expr.slice(Math.max(0, i - 5), i + 5)}"`);
      i += text.length;
      continue;
    }
    const p = PUNCT.find((x) => expr.startsWith(x, i));
    if (!p) throw validationError(`Invalid ${what}: Syntax error; token: "${c}", near: "${expr.slice(Math.max(0, i - 5), i + 5)}"`);
    out.push({ kind: 'punct', text: p });
    i += p.length;
  }
  return out;
}

/** A document path: attribute names and list indexes. */
export type Path = readonly (string | number)[];

type Operand = { kind: 'path'; path: Path } | { kind: 'value'; name: string } | { kind: 'size'; path: Path };

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'compare'; op: string; left: Operand; right: Operand }
  | { kind: 'between'; value: Operand; low: Operand; high: Operand }
  | { kind: 'in'; value: Operand; list: Operand[] }
  | { kind: 'fn'; name: string; args: Operand[] };

type SetValue =
  | { kind: 'operand'; operand: Operand }
  | { kind: 'if_not_exists'; path: Path; fallback: SetValue }
  | { kind: 'list_append'; a: SetValue; b: SetValue }
  | { kind: 'arith'; op: '+' | '-'; left: SetValue; right: SetValue };

export interface UpdateActions {
  readonly set: { path: Path; value: SetValue }[];
  readonly remove: Path[];
  readonly add: { path: Path; value: Operand }[];
  readonly del: { path: Path; value: Operand }[];
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const CONDITION_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains']);

/** Names and values an expression may use; records which ones were used. */
export class ExpressionContext {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();
  constructor(
    readonly names: Readonly<Record<string, string>>,
    readonly values: Readonly<Record<string, AttributeValue>>,
  ) {}

  name(alias: string): string {
    const n = this.names[alias];
    if (n === undefined)
      throw validationError(
        `Value provided in ExpressionAttributeNames unused in expressions... ; An expression attribute name used in the document path is not defined; attribute name: ${alias}`,
      );
    this.usedNames.add(alias);
    return n;
  }

  value(name: string): AttributeValue {
    const v = this.values[name];
    if (v === undefined) throw validationError(`Invalid expression: An expression attribute value used in expression is not defined; attribute value: ${name}`);
    this.usedValues.add(name);
    return v;
  }

  /** AWS refuses names and values given but used by no expression of the request. */
  checkAllUsed(): void {
    const unusedNames = Object.keys(this.names).filter((k) => !this.usedNames.has(k));
    if (unusedNames.length > 0) throw validationError(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
    const unusedValues = Object.keys(this.values).filter((k) => !this.usedValues.has(k));
    if (unusedValues.length > 0) throw validationError(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  }
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];

  constructor(
    private readonly expr: string,
    private readonly what: string,
    private readonly ctx: ExpressionContext,
  ) {
    this.tokens = tokenize(expr, what);
    if (this.tokens.length === 0) throw validationError(`Invalid ${what}: The expression can not be empty;`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private fail(): never {
    const t = this.peek();
    const text = t === undefined ? '<EOF>' : t.kind === 'index' ? String(t.value) : t.text;
    throw validationError(`Invalid ${this.what}: Syntax error; token: "${text}", near: "${this.expr}"`);
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === text;
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t?.kind === 'name' && t.text.toUpperCase() === word;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.fail();
    this.pos++;
  }

  end(): void {
    if (this.pos !== this.tokens.length) this.fail();
  }

  condition(): Condition {
    let left = this.andCondition();
    while (this.isWord('OR')) {
      this.pos++;
      left = { kind: 'or', left, right: this.andCondition() };
    }
    return left;
  }

  private andCondition(): Condition {
    let left = this.notCondition();
    while (this.isWord('AND')) {
      this.pos++;
      left = { kind: 'and', left, right: this.notCondition() };
    }
    return left;
  }

  private notCondition(): Condition {
    if (this.isWord('NOT')) {
      this.pos++;
      return { kind: 'not', inner: this.notCondition() };
    }
    return this.atom();
  }

  private atom(): Condition {
    if (this.isPunct('(')) {
      this.pos++;
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    const t = this.peek();
    if (t?.kind === 'name' && CONDITION_FUNCTIONS.has(t.text)) {
      this.pos++;
      this.expectPunct('(');
      const args = [this.operand()];
      while (this.isPunct(',')) {
        this.pos++;
        args.push(this.operand());
      }
      this.expectPunct(')');
      const arity = t.text === 'attribute_exists' || t.text === 'attribute_not_exists' ? 1 : 2;
      if (args.length !== arity || args[0]!.kind !== 'path') {
        throw validationError(
          `Invalid ${this.what}: Incorrect number of operands for operator or function; operator or function: ${t.text}, number of operands: ${args.length}`,
        );
      }
      return { kind: 'fn', name: t.text, args };
    }
    const left = this.operand();
    if (this.isWord('BETWEEN')) {
      this.pos++;
      const low = this.operand();
      if (!this.isWord('AND')) this.fail();
      this.pos++;
      return { kind: 'between', value: left, low, high: this.operand() };
    }
    if (this.isWord('IN')) {
      this.pos++;
      this.expectPunct('(');
      const list = [this.operand()];
      while (this.isPunct(',')) {
        this.pos++;
        list.push(this.operand());
      }
      this.expectPunct(')');
      return { kind: 'in', value: left, list };
    }
    const op = this.peek();
    if (op?.kind !== 'punct' || !['=', '<>', '<', '<=', '>', '>='].includes(op.text)) this.fail();
    this.pos++;
    return { kind: 'compare', op: op.text, left, right: this.operand() };
  }

  private operand(): Operand {
    const t = this.peek();
    if (t?.kind === 'value') {
      this.pos++;
      this.ctx.value(t.text);
      return { kind: 'value', name: t.text };
    }
    if (
      t?.kind === 'name' &&
      t.text === 'size' &&
      this.tokens[this.pos + 1]?.kind === 'punct' &&
      (this.tokens[this.pos + 1] as { text: string }).text === '('
    ) {
      this.pos += 2;
      const path = this.path();
      this.expectPunct(')');
      return { kind: 'size', path };
    }
    return { kind: 'path', path: this.path() };
  }

  path(): Path {
    const out: (string | number)[] = [this.pathName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.pos++;
        out.push(this.pathName());
      } else if (this.isPunct('[')) {
        this.pos++;
        const t = this.peek();
        if (t?.kind !== 'index') this.fail();
        this.pos++;
        out.push(t.value);
        this.expectPunct(']');
      } else return out;
    }
  }

  private pathName(): string {
    const t = this.peek();
    if (t?.kind === 'alias') {
      this.pos++;
      return this.ctx.name(t.text);
    }
    if (t?.kind === 'name' && !KEYWORDS.has(t.text.toUpperCase())) {
      this.pos++;
      return t.text;
    }
    return this.fail();
  }

  projection(): Path[] {
    const out = [this.path()];
    while (this.isPunct(',')) {
      this.pos++;
      out.push(this.path());
    }
    return out;
  }

  update(): UpdateActions {
    const actions: UpdateActions = { set: [], remove: [], add: [], del: [] };
    const seen = new Set<string>();
    while (this.peek() !== undefined) {
      const t = this.peek();
      const clause = t?.kind === 'name' ? t.text.toUpperCase() : '';
      if (!['SET', 'REMOVE', 'ADD', 'DELETE'].includes(clause)) this.fail();
      if (seen.has(clause)) throw validationError(`Invalid UpdateExpression: The "${clause}" section can only be used once in an update expression;`);
      seen.add(clause);
      this.pos++;
      do {
        const path = this.path();
        if (clause === 'SET') {
          this.expectPunct('=');
          actions.set.push({ path, value: this.setValue() });
        } else if (clause === 'REMOVE') actions.remove.push(path);
        else if (clause === 'ADD') actions.add.push({ path, value: this.operand() });
        else actions.del.push({ path, value: this.operand() });
        if (!this.isPunct(',')) break;
        this.pos++;
      } while (this.peek() !== undefined);
    }
    return actions;
  }

  private setValue(): SetValue {
    const left = this.setOperand();
    if (this.isPunct('+') || this.isPunct('-')) {
      const op = (this.peek() as { text: '+' | '-' }).text;
      this.pos++;
      return { kind: 'arith', op, left, right: this.setOperand() };
    }
    return left;
  }

  private setOperand(): SetValue {
    const t = this.peek();
    if (t?.kind === 'name' && (t.text === 'if_not_exists' || t.text === 'list_append')) {
      this.pos++;
      this.expectPunct('(');
      if (t.text === 'if_not_exists') {
        const path = this.path();
        this.expectPunct(',');
        const fallback = this.setOperand();
        this.expectPunct(')');
        return { kind: 'if_not_exists', path, fallback };
      }
      const a = this.setOperand();
      this.expectPunct(',');
      const b = this.setOperand();
      this.expectPunct(')');
      return { kind: 'list_append', a, b };
    }
    return { kind: 'operand', operand: this.operand() };
  }
}

export function parseCondition(expr: string, what: string, ctx: ExpressionContext): Condition {
  const p = new Parser(expr, what, ctx);
  const c = p.condition();
  p.end();
  return c;
}

export function parseUpdate(expr: string, ctx: ExpressionContext): UpdateActions {
  const p = new Parser(expr, 'UpdateExpression', ctx);
  return p.update();
}

/** ProjectionExpression: a comma list of paths. */
export function parseProjection(expr: string, ctx: ExpressionContext): Path[] {
  const p = new Parser(expr, 'ProjectionExpression', ctx);
  const out = p.projection();
  p.end();
  return out;
}

/** The value at a document path, or undefined. */
export function getPath(item: Item | undefined, path: Path): AttributeValue | undefined {
  let cur: AttributeValue | undefined = item?.[path[0] as string];
  for (const seg of path.slice(1)) {
    if (cur === undefined) return undefined;
    if (typeof seg === 'number') cur = (cur['L'] as AttributeValue[] | undefined)?.[seg];
    else cur = (cur['M'] as Record<string, AttributeValue> | undefined)?.[seg];
  }
  return cur;
}

function operandValue(o: Operand, item: Item | undefined, ctx: ExpressionContext): AttributeValue | undefined {
  if (o.kind === 'value') return ctx.value(o.name);
  const v = getPath(item, o.path);
  if (o.kind === 'path' || v === undefined) return v;
  const t = typeOf(v);
  const inner = v[t];
  const n =
    t === 'S'
      ? (inner as string).length
      : t === 'B'
        ? Buffer.from(inner as string, 'base64').length
        : Array.isArray(inner)
          ? inner.length
          : t === 'M'
            ? Object.keys(inner as object).length
            : undefined;
  return n === undefined ? undefined : { N: String(n) };
}

/** Evaluates a condition against an item (undefined: no item). */
export function evaluate(c: Condition, item: Item | undefined, ctx: ExpressionContext): boolean {
  switch (c.kind) {
    case 'and':
      return evaluate(c.left, item, ctx) && evaluate(c.right, item, ctx);
    case 'or':
      return evaluate(c.left, item, ctx) || evaluate(c.right, item, ctx);
    case 'not':
      return !evaluate(c.inner, item, ctx);
    case 'compare': {
      const a = operandValue(c.left, item, ctx);
      const b = operandValue(c.right, item, ctx);
      if (a === undefined || b === undefined) return c.op === '<>' && (a !== undefined || b !== undefined);
      if (c.op === '=') return equalValues(a, b);
      if (c.op === '<>') return !equalValues(a, b);
      const cmp = compareValues(a, b);
      if (cmp === undefined) return false;
      return c.op === '<' ? cmp < 0 : c.op === '<=' ? cmp <= 0 : c.op === '>' ? cmp > 0 : cmp >= 0;
    }
    case 'between': {
      const v = operandValue(c.value, item, ctx);
      const lo = operandValue(c.low, item, ctx);
      const hi = operandValue(c.high, item, ctx);
      if (!v || !lo || !hi) return false;
      const a = compareValues(v, lo);
      const b = compareValues(v, hi);
      return a !== undefined && b !== undefined && a >= 0 && b <= 0;
    }
    case 'in': {
      const v = operandValue(c.value, item, ctx);
      return (
        v !== undefined &&
        c.list.some((o) => {
          const x = operandValue(o, item, ctx);
          return x !== undefined && equalValues(v, x);
        })
      );
    }
    case 'fn': {
      const first = c.args[0] as Extract<Operand, { kind: 'path' }>;
      const v = getPath(item, first.path);
      const arg = c.args[1] ? operandValue(c.args[1], item, ctx) : undefined;
      switch (c.name) {
        case 'attribute_exists':
          return v !== undefined;
        case 'attribute_not_exists':
          return v === undefined;
        case 'attribute_type':
          return v !== undefined && arg !== undefined && typeOf(arg) === 'S' && typeOf(v) === arg['S'];
        case 'begins_with': {
          if (!v || !arg) return false;
          const t = typeOf(v);
          return t === typeOf(arg) && (t === 'S' || t === 'B') && (v[t] as string).startsWith(arg[t] as string);
        }
        default: {
          if (!v || !arg) return false;
          const t = typeOf(v);
          if (t === 'S' && typeOf(arg) === 'S') return (v['S'] as string).includes(arg['S'] as string);
          if (t === 'L') return (v['L'] as AttributeValue[]).some((x) => equalValues(x, arg));
          if (t === 'SS' || t === 'NS' || t === 'BS') return (v[t] as string[]).some((x) => equalValues({ [t.slice(0, 1)]: x }, arg));
          return false;
        }
      }
    }
  }
}

function setValueOf(v: SetValue, item: Item | undefined, ctx: ExpressionContext): AttributeValue {
  switch (v.kind) {
    case 'operand': {
      const out = operandValue(v.operand, item, ctx);
      if (out === undefined) throw validationError('The provided expression refers to an attribute that does not exist in the item');
      return out;
    }
    case 'if_not_exists':
      return getPath(item, v.path) ?? setValueOf(v.fallback, item, ctx);
    case 'list_append': {
      const a = setValueOf(v.a, item, ctx);
      const b = setValueOf(v.b, item, ctx);
      if (typeOf(a) !== 'L' || typeOf(b) !== 'L') throw validationError('An operand in the update expression has an incorrect data type');
      return { L: [...(a['L'] as AttributeValue[]), ...(b['L'] as AttributeValue[])] };
    }
    case 'arith': {
      const a = setValueOf(v.left, item, ctx);
      const b = setValueOf(v.right, item, ctx);
      if (typeOf(a) !== 'N' || typeOf(b) !== 'N') throw validationError('An operand in the update expression has an incorrect data type');
      const n = v.op === '+' ? Number(a['N']) + Number(b['N']) : Number(a['N']) - Number(b['N']);
      return { N: String(n) };
    }
  }
}

/** A copy of `item` with `value` at `path` (undefined: removed). Maps and lists on the way must exist. */
function withPath(item: Record<string, AttributeValue>, path: Path, value: AttributeValue | undefined): Record<string, AttributeValue> {
  const [head, ...rest] = path;
  const out = { ...item };
  if (rest.length === 0) {
    if (value === undefined) delete out[head as string];
    else out[head as string] = value;
    return out;
  }
  const parent = out[head as string];
  if (parent === undefined) throw validationError('The document path provided in the update expression is invalid for update');
  out[head as string] = withInner(parent, rest, value);
  return out;
}

function withInner(container: AttributeValue, path: Path, value: AttributeValue | undefined): AttributeValue {
  const [seg, ...rest] = path;
  if (typeof seg === 'number') {
    const list = [...((container['L'] as AttributeValue[] | undefined) ?? [])];
    if (container['L'] === undefined) throw validationError('The document path provided in the update expression is invalid for update');
    if (rest.length === 0) {
      if (value === undefined) list.splice(seg, 1);
      else if (seg >= list.length) list.push(value);
      else list[seg] = value;
    } else {
      const inner = list[seg];
      if (inner === undefined) throw validationError('The document path provided in the update expression is invalid for update');
      list[seg] = withInner(inner, rest, value);
    }
    return { L: list };
  }
  const map = container['M'] as Record<string, AttributeValue> | undefined;
  if (map === undefined) throw validationError('The document path provided in the update expression is invalid for update');
  return { M: withPath(map, [seg as string, ...rest], value) };
}

/** Applies update actions to an item (undefined: a new item with only the key). */
export function applyUpdate(actions: UpdateActions, item: Item, ctx: ExpressionContext): Record<string, AttributeValue> {
  let out: Record<string, AttributeValue> = { ...item };
  // All values are computed from the item as it was before the update, as DynamoDB does.
  const sets = actions.set.map((s) => ({ path: s.path, value: setValueOf(s.value, item, ctx) }));
  for (const s of sets) out = withPath(out, s.path, s.value);
  for (const p of actions.remove) if (getPath(out, p) !== undefined) out = withPath(out, p, undefined);
  for (const a of actions.add) {
    const add = operandValue(a.value, item, ctx)!;
    const cur = getPath(item, a.path);
    const t = typeOf(add);
    if (t === 'N') {
      if (cur !== undefined && typeOf(cur) !== 'N') throw validationError('An operand in the update expression has an incorrect data type');
      out = withPath(out, a.path, { N: String(Number(cur?.['N'] ?? 0) + Number(add['N'])) });
    } else if (t === 'SS' || t === 'NS' || t === 'BS') {
      if (cur !== undefined && typeOf(cur) !== t) throw validationError('An operand in the update expression has an incorrect data type');
      const merged = [...new Set([...((cur?.[t] as string[] | undefined) ?? []), ...(add[t] as string[])])];
      out = withPath(out, a.path, { [t]: merged });
    } else throw validationError('Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: ' + t);
  }
  for (const d of actions.del) {
    const del = operandValue(d.value, item, ctx)!;
    const cur = getPath(out, d.path);
    const t = typeOf(del);
    if (cur === undefined) continue;
    if (typeOf(cur) !== t) throw validationError('An operand in the update expression has an incorrect data type');
    const left = (cur[t] as string[]).filter((x) => !(del[t] as string[]).includes(x));
    out = withPath(out, d.path, left.length > 0 ? { [t]: left } : undefined);
  }
  return out;
}

/** The top-level attribute names an update touches (for UPDATED_OLD / UPDATED_NEW and key checks). */
export function updatedNames(actions: UpdateActions): Set<string> {
  return new Set([
    ...actions.set.map((s) => s.path[0]),
    ...actions.remove.map((p) => p[0]),
    ...actions.add.map((a) => a.path[0]),
    ...actions.del.map((d) => d.path[0]),
  ] as string[]);
}
