import { randomUUID } from 'node:crypto';
import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import type { SandboxWorld } from '../../world.js';
import { checkValue, itemSize, keyText, typeOf, validationError, type AttributeValue, type Item } from './attribute-values.js';

export type KeyType = 'S' | 'N' | 'B';

export interface KeyElement {
  readonly name: string;
  readonly type: KeyType;
}

export type TableStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

/** One table: its key schema, status and items. */
export interface Table {
  readonly name: string;
  readonly arn: string;
  readonly id: string;
  readonly createdAt: number;
  readonly hash: KeyElement;
  readonly range: KeyElement | undefined;
  readonly billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  readonly provisioned: { read: number; write: number };
  /** The request's AttributeDefinitions, echoed by DescribeTable. */
  readonly attributeDefinitions: readonly JsonObject[];
  status: TableStatus;
  readonly items: Map<string, Item>;
}

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
export const MAX_ITEM_BYTES = 400 * 1024;

export function resourceNotFound(message = 'Requested resource not found'): SandboxError {
  return new SandboxError('ResourceNotFoundException', message);
}

/** Tables of one account, with AWS's create/delete timing (CREATING and DELETING take `operationDelayMs`). */
export class TableStore {
  private readonly tables = new Map<string, Table>();

  constructor(private readonly world: SandboxWorld) {}

  create(input: JsonObject): Table {
    const name = tableName(input);
    const defs = input['AttributeDefinitions'];
    const schema = input['KeySchema'];
    if (!Array.isArray(defs) || defs.length === 0)
      throw validationError("1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null");
    if (!Array.isArray(schema) || schema.length < 1 || schema.length > 2) {
      throw validationError(
        "1 validation error detected: Value at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2 and greater than or equal to 1",
      );
    }
    const types = new Map<string, KeyType>();
    for (const d of defs as JsonObject[]) {
      const t = d['AttributeType'];
      if (typeof d['AttributeName'] !== 'string' || (t !== 'S' && t !== 'N' && t !== 'B')) {
        throw validationError(
          "1 validation error detected: Value at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
        );
      }
      types.set(d['AttributeName'], t);
    }
    const elements = (schema as JsonObject[]).map((k) => ({ name: String(k['AttributeName']), keyType: String(k['KeyType']) }));
    if (elements[0]!.keyType !== 'HASH' || (elements[1] !== undefined && elements[1].keyType !== 'RANGE')) {
      throw validationError('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
    }
    for (const e of elements) {
      if (!types.has(e.name))
        throw validationError(
          'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [' +
            e.name +
            '], AttributeDefinitions: [' +
            [...types.keys()].join(', ') +
            ']',
        );
    }
    if (types.size !== elements.length) {
      throw validationError(
        'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
      );
    }
    const billing = input['BillingMode'] ?? 'PROVISIONED';
    const pt = input['ProvisionedThroughput'] as JsonObject | undefined;
    if (billing === 'PAY_PER_REQUEST' && pt !== undefined) {
      throw validationError(
        'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      );
    }
    if (billing === 'PROVISIONED' && (typeof pt?.['ReadCapacityUnits'] !== 'number' || typeof pt['WriteCapacityUnits'] !== 'number')) {
      throw validationError(
        'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
      );
    }
    if (billing !== 'PAY_PER_REQUEST' && billing !== 'PROVISIONED') {
      throw validationError(
        "1 validation error detected: Value at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
      );
    }
    if (this.tables.has(name)) throw new SandboxError('ResourceInUseException', `Table already exists: ${name}`);
    const table: Table = {
      name,
      arn: this.world.arn('dynamodb', `table/${name}`),
      id: randomUUID(),
      createdAt: this.world.now(),
      hash: { name: elements[0]!.name, type: types.get(elements[0]!.name)! },
      range: elements[1] ? { name: elements[1].name, type: types.get(elements[1].name)! } : undefined,
      billingMode: billing,
      provisioned: billing === 'PROVISIONED' ? { read: pt!['ReadCapacityUnits'] as number, write: pt!['WriteCapacityUnits'] as number } : { read: 0, write: 0 },
      attributeDefinitions: defs as JsonObject[],
      status: 'CREATING',
      items: new Map(),
    };
    this.tables.set(name, table);
    this.world.scheduler.after(this.world.options.operationDelayMs, () => {
      if (this.tables.get(name) === table && table.status === 'CREATING') table.status = 'ACTIVE';
    });
    return table;
  }

  /** The table in any status (DescribeTable); ResourceNotFoundException when absent. */
  describe(input: JsonObject): Table {
    const name = tableName(input);
    const t = this.tables.get(name);
    if (!t) throw resourceNotFound(`Requested resource not found: Table: ${name} not found`);
    return t;
  }

  /** An ACTIVE table for item operations; CREATING and DELETING ones are not found, as on AWS. */
  active(input: JsonObject): Table {
    const t = this.tables.get(tableName(input));
    if (!t || t.status !== 'ACTIVE') throw resourceNotFound();
    return t;
  }

  delete(input: JsonObject): Table {
    const t = this.describe(input);
    if (t.status !== 'ACTIVE')
      throw new SandboxError(
        'ResourceInUseException',
        `Attempt to change a resource which is still in use: Table is being ${t.status === 'CREATING' ? 'created' : 'deleted'}: ${t.name}`,
      );
    t.status = 'DELETING';
    this.world.scheduler.after(this.world.options.operationDelayMs, () => {
      if (this.tables.get(t.name) === t) this.tables.delete(t.name);
    });
    return t;
  }

  names(): string[] {
    return [...this.tables.keys()].sort();
  }
}

function tableName(input: JsonObject): string {
  const name = input['TableName'];
  if (typeof name !== 'string')
    throw validationError("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
  if (!TABLE_NAME.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`,
    );
  }
  return name;
}

/** The key values of an item or Key parameter, checked against the schema; throws ValidationException. */
export function keyOf(table: Table, key: Item, exact: boolean): { text: string; key: Item } {
  const elements = table.range ? [table.hash, table.range] : [table.hash];
  if (exact && Object.keys(key).length !== elements.length) throw validationError('The provided key element does not match the schema');
  const values: AttributeValue[] = [];
  const out: Record<string, AttributeValue> = {};
  for (const e of elements) {
    const v = key[e.name];
    if (v === undefined)
      throw validationError(
        exact ? 'The provided key element does not match the schema' : `One or more parameter values were invalid: Missing the key ${e.name} in the item`,
      );
    checkValue(v, e.name);
    if (typeOf(v) !== e.type) {
      throw validationError(
        exact
          ? 'The provided key element does not match the schema'
          : `One or more parameter values were invalid: Type mismatch for key ${e.name} expected: ${e.type} actual: ${typeOf(v)}`,
      );
    }
    if (e.type === 'S' && (v['S'] as string) === '')
      throw validationError(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${e.name}`,
      );
    values.push(v);
    out[e.name] = v;
  }
  return { text: keyText(values), key: out };
}

export function checkSize(item: Item): void {
  if (itemSize(item) > MAX_ITEM_BYTES) throw validationError('Item size has exceeded the maximum allowed size');
}

/** The TableDescription shape of DescribeTable, CreateTable and DeleteTable. */
export function describeTable(t: Table): JsonObject {
  let size = 0;
  for (const item of t.items.values()) size += itemSize(item);
  const created = t.createdAt / 1000;
  return {
    TableName: t.name,
    TableArn: t.arn,
    TableId: t.id,
    TableStatus: t.status,
    CreationDateTime: created,
    AttributeDefinitions: t.attributeDefinitions,
    KeySchema: [{ AttributeName: t.hash.name, KeyType: 'HASH' }, ...(t.range ? [{ AttributeName: t.range.name, KeyType: 'RANGE' }] : [])],
    ItemCount: t.items.size,
    TableSizeBytes: size,
    ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: t.provisioned.read, WriteCapacityUnits: t.provisioned.write },
    ...(t.billingMode === 'PAY_PER_REQUEST' ? { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: created } } : {}),
    DeletionProtectionEnabled: false,
  };
}
