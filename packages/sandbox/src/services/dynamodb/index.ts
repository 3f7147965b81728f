import { SandboxError } from '../../errors.js';
import type { AdminRoutes, JsonService } from '../../protocol/types.js';
import type { JsonObject } from '../../types.js';
import type { SandboxWorld } from '../../world.js';
import { checkItem, compareValues, validationError, type AttributeValue, type Item } from './attribute-values.js';
import {
  applyUpdate,
  evaluate,
  ExpressionContext,
  getPath,
  parseCondition,
  parseProjection,
  parseUpdate,
  updatedNames,
  type Condition,
  type Path,
} from './expressions.js';
import { checkSize, describeTable, keyOf, TableStore, type Table } from './tables.js';

const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'];
const LEGACY = ['Expected', 'AttributeUpdates', 'KeyConditions', 'QueryFilter', 'ScanFilter', 'AttributesToGet', 'ConditionalOperator'];
/** Items per Query/Scan page when no Limit is given (AWS pages by 1 MB; the sandbox by count). */
const DEFAULT_PAGE = 1000;

function conditionalCheckFailed(old: Item | undefined, input: JsonObject): SandboxError {
  const withItem = input['ReturnValuesOnConditionCheckFailure'] === 'ALL_OLD' && old !== undefined;
  return new SandboxError('ConditionalCheckFailedException', 'The conditional request failed', 400, withItem ? { Item: old } : {});
}

function context(input: JsonObject): ExpressionContext {
  const names = input['ExpressionAttributeNames'];
  const values = input['ExpressionAttributeValues'];
  if (names !== undefined && (typeof names !== 'object' || names === null || Object.keys(names).length === 0)) {
    throw validationError('ExpressionAttributeNames must not be empty');
  }
  if (values !== undefined && (typeof values !== 'object' || values === null || Object.keys(values).length === 0)) {
    throw validationError('ExpressionAttributeValues must not be empty');
  }
  const checked = values !== undefined ? checkItem(values, 'expressionAttributeValues') : {};
  return new ExpressionContext((names ?? {}) as Record<string, string>, checked);
}

function refuseLegacy(input: JsonObject): void {
  const legacy = LEGACY.find((k) => input[k] !== undefined);
  if (legacy) throw validationError(`The ecs-gitops sandbox does not support the legacy parameter ${legacy}; use expressions`);
}

function returnValues(input: JsonObject, allowed: readonly string[]): string {
  const rv = (input['ReturnValues'] as string | undefined) ?? 'NONE';
  if (!RETURN_VALUES.includes(rv))
    throw validationError(
      `1 validation error detected: Value '${rv}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [${RETURN_VALUES.join(', ')}]`,
    );
  if (!allowed.includes(rv)) throw validationError('Return values set to invalid value');
  return rv;
}

function project(item: Item, paths: Path[] | undefined): Item {
  if (!paths) return item;
  const out: Record<string, AttributeValue> = {};
  for (const p of paths) {
    if (p.some((s) => typeof s === 'number')) throw validationError('The ecs-gitops sandbox does not support list indexes in ProjectionExpression');
    const v = getPath(item, p);
    if (v === undefined) continue;
    // Rebuild the nested maps down to the projected value.
    let node: Record<string, AttributeValue> = out;
    for (let i = 0; i < p.length - 1; i++) {
      const seg = p[i] as string;
      const existing = node[seg]?.['M'] as Record<string, AttributeValue> | undefined;
      const next: Record<string, AttributeValue> = existing ?? {};
      node[seg] = { M: next };
      node = next;
    }
    node[p[p.length - 1] as string] = v;
  }
  return out;
}

function consumed(input: JsonObject, table: Table, units: number): JsonObject {
  const mode = input['ReturnConsumedCapacity'];
  return mode === 'TOTAL' || mode === 'INDEXES' ? { ConsumedCapacity: { TableName: table.name, CapacityUnits: units } } : {};
}

/**
 * Amazon DynamoDB over AWS JSON 1.0 (`X-Amz-Target: DynamoDB_20120810.<Operation>`): tables
 * (on-demand or provisioned, with CREATING/DELETING taking `operationDelayMs`) and the item
 * calls with condition, update and projection expressions (see expressions.ts). Reads are
 * always strongly consistent (ConsistentRead is accepted either way).
 */
export class DynamoDbService implements JsonService, AdminRoutes {
  readonly name = 'dynamodb' as const;
  readonly targetPrefix = 'DynamoDB_20120810';
  readonly contentType = 'application/x-amz-json-1.0';
  readonly errorTypePrefix = 'com.amazonaws.dynamodb.v20120810#';
  readonly operations: Readonly<Record<string, (input: JsonObject) => unknown>>;
  readonly tables: TableStore;

  constructor(world: SandboxWorld) {
    this.tables = new TableStore(world);
    this.operations = {
      CreateTable: (i) => ({ TableDescription: describeTable(this.tables.create(i)) }),
      DescribeTable: (i) => ({ Table: describeTable(this.tables.describe(i)) }),
      DeleteTable: (i) => ({ TableDescription: describeTable(this.tables.delete(i)) }),
      ListTables: () => ({ TableNames: this.tables.names() }),
      GetItem: (i) => this.getItem(i),
      PutItem: (i) => this.putItem(i),
      UpdateItem: (i) => this.updateItem(i),
      DeleteItem: (i) => this.deleteItem(i),
      Query: (i) => this.query(i),
      Scan: (i) => this.scan(i),
    };
  }

  /** Admin: GET /_sandbox/dynamodb/tables/<name> lists a table's items. */
  admin(method: string, path: string): unknown {
    const m = /^tables\/(.+)$/.exec(path);
    if (method === 'GET' && m) return [...this.tables.describe({ TableName: m[1] }).items.values()];
    if (method === 'GET' && path === 'tables') return this.tables.names();
    return undefined;
  }

  private getItem(input: JsonObject): JsonObject {
    refuseLegacy(input);
    const table = this.tables.active(input);
    const { text } = keyOf(table, checkItem(input['Key'], 'key'), true);
    const ctx = context(input);
    const projection = typeof input['ProjectionExpression'] === 'string' ? parseProjection(input['ProjectionExpression'], ctx) : undefined;
    ctx.checkAllUsed();
    const item = table.items.get(text);
    return { ...(item ? { Item: project(item, projection) } : {}), ...consumed(input, table, input['ConsistentRead'] === true ? 1 : 0.5) };
  }

  /** Parses ConditionExpression (when given) and checks it against the current item. */
  private checkCondition(input: JsonObject, ctx: ExpressionContext, old: Item | undefined, extra?: () => void): void {
    const expr = input['ConditionExpression'];
    const condition: Condition | undefined = typeof expr === 'string' ? parseCondition(expr, 'ConditionExpression', ctx) : undefined;
    extra?.();
    ctx.checkAllUsed();
    if (condition && !evaluate(condition, old, ctx)) throw conditionalCheckFailed(old, input);
  }

  private putItem(input: JsonObject): JsonObject {
    refuseLegacy(input);
    const table = this.tables.active(input);
    const item = checkItem(input['Item'], 'item');
    const { text } = keyOf(table, item, false);
    checkSize(item);
    const rv = returnValues(input, ['NONE', 'ALL_OLD']);
    const ctx = context(input);
    const old = table.items.get(text);
    this.checkCondition(input, ctx, old);
    table.items.set(text, item);
    return { ...(rv === 'ALL_OLD' && old ? { Attributes: old } : {}), ...consumed(input, table, 1) };
  }

  private updateItem(input: JsonObject): JsonObject {
    refuseLegacy(input);
    const table = this.tables.active(input);
    const { text, key } = keyOf(table, checkItem(input['Key'], 'key'), true);
    const rv = returnValues(input, RETURN_VALUES);
    const ctx = context(input);
    const old = table.items.get(text);
    const expr = input['UpdateExpression'];
    let actions: ReturnType<typeof parseUpdate> | undefined;
    this.checkCondition(input, ctx, old, () => {
      if (typeof expr === 'string') actions = parseUpdate(expr, ctx);
    });
    const touched = actions ? updatedNames(actions) : new Set<string>();
    for (const k of Object.keys(key)) {
      if (touched.has(k)) throw validationError(`One or more parameter values were invalid: Cannot update attribute ${k}. This attribute is part of the key`);
    }
    const next = actions ? applyUpdate(actions, old ?? key, ctx) : { ...(old ?? key) };
    checkSize(next);
    table.items.set(text, next);
    const pick = (item: Item | undefined): Item | undefined => item && Object.fromEntries(Object.entries(item).filter(([k]) => touched.has(k)));
    const attributes = rv === 'ALL_OLD' ? old : rv === 'ALL_NEW' ? next : rv === 'UPDATED_OLD' ? pick(old) : rv === 'UPDATED_NEW' ? pick(next) : undefined;
    return { ...(attributes && Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}), ...consumed(input, table, 1) };
  }

  private deleteItem(input: JsonObject): JsonObject {
    refuseLegacy(input);
    const table = this.tables.active(input);
    const { text } = keyOf(table, checkItem(input['Key'], 'key'), true);
    const rv = returnValues(input, ['NONE', 'ALL_OLD']);
    const ctx = context(input);
    const old = table.items.get(text);
    this.checkCondition(input, ctx, old);
    table.items.delete(text);
    return { ...(rv === 'ALL_OLD' && old ? { Attributes: old } : {}), ...consumed(input, table, 1) };
  }

  private query(input: JsonObject): JsonObject {
    refuseLegacy(input);
    const table = this.tables.active(input);
    if (input['IndexName'] !== undefined) throw validationError('The ecs-gitops sandbox does not support secondary indexes');
    const ctx = context(input);
    const kce = input['KeyConditionExpression'];
    if (typeof kce !== 'string') throw validationError('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    const keyCondition = parseCondition(kce, 'KeyConditionExpression', ctx);
    if (!hasHashEquality(keyCondition, table.hash.name)) throw validationError(`Query condition missed key schema element: ${table.hash.name}`);
    const forward = input['ScanIndexForward'] !== false;
    const rangeName = table.range?.name;
    const matches = [...table.items.values()]
      .filter((item) => evaluate(keyCondition, item, ctx))
      .sort((a, b) => {
        const c = rangeName ? (compareValues(a[rangeName]!, b[rangeName]!) ?? 0) : 0;
        return forward ? c : -c;
      });
    return this.page(input, table, ctx, matches);
  }

  private scan(input: JsonObject): JsonObject {
    refuseLegacy(input);
    const table = this.tables.active(input);
    if (input['IndexName'] !== undefined) throw validationError('The ecs-gitops sandbox does not support secondary indexes');
    const ctx = context(input);
    const items = [...table.items.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
    return this.page(input, table, ctx, items);
  }

  /** Limit, ExclusiveStartKey/LastEvaluatedKey, FilterExpression (after Limit, as AWS), projection, Select COUNT. */
  private page(input: JsonObject, table: Table, ctx: ExpressionContext, items: Item[]): JsonObject {
    const fe = input['FilterExpression'];
    const filter = typeof fe === 'string' ? parseCondition(fe, 'FilterExpression', ctx) : undefined;
    const projection = typeof input['ProjectionExpression'] === 'string' ? parseProjection(input['ProjectionExpression'], ctx) : undefined;
    ctx.checkAllUsed();
    const limit = input['Limit'];
    if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)) {
      throw validationError("1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    }
    let start = 0;
    const esk = input['ExclusiveStartKey'];
    if (esk !== undefined) {
      const { text } = keyOf(table, checkItem(esk, 'exclusiveStartKey'), true);
      const at = items.findIndex((item) => keyOf(table, item, false).text === text);
      start = at < 0 ? items.length : at + 1;
    }
    const size = (limit as number | undefined) ?? DEFAULT_PAGE;
    const scanned = items.slice(start, start + size);
    const more = start + size < items.length;
    const kept = filter ? scanned.filter((item) => evaluate(filter, item, ctx)) : scanned;
    const last = scanned.at(-1);
    return {
      Count: kept.length,
      ScannedCount: scanned.length,
      ...(input['Select'] === 'COUNT' ? {} : { Items: kept.map((item) => project(item, projection)) }),
      ...(more && last ? { LastEvaluatedKey: keyOf(table, last, false).key } : {}),
      ...consumed(input, table, Math.max(0.5, scanned.length / 2)),
    };
  }
}

/** Whether a key condition has `hash = :v` at its top level (alone or in an AND). */
function hasHashEquality(c: Condition, hash: string): boolean {
  if (c.kind === 'and') return hasHashEquality(c.left, hash) || hasHashEquality(c.right, hash);
  if (c.kind !== 'compare' || c.op !== '=') return false;
  const isHash = (o: typeof c.left): boolean => o.kind === 'path' && o.path.length === 1 && o.path[0] === hash;
  return isHash(c.left) || isHash(c.right);
}
