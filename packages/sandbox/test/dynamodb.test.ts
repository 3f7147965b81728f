import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { startSandbox, type SandboxHandle } from '../src/index.js';
import { FAST_SANDBOX } from '../src/testing.js';
import { ManualClock } from './cloudmap-helpers.js';

const TABLE = 'leases';
const key = (sk: string) => ({ pk: { S: 'ctl' }, sk: { S: sk } });

async function rejects<T extends Error>(p: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error).name}: ${(err as Error).message}`);
    return err;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}

describe('sandbox DynamoDB (JSON 1.0)', () => {
  let sandbox: SandboxHandle;
  let ddb: DynamoDBClient;
  const clock = new ManualClock();

  before(async () => {
    sandbox = await startSandbox({ ...FAST_SANDBOX, now: clock.now });
    ddb = new DynamoDBClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
  });
  after(async () => {
    ddb.destroy();
    await sandbox.stop();
  });

  it('CreateTable (on-demand) is CREATING, then ACTIVE; item calls meanwhile are ResourceNotFound; a second create is ResourceInUse', async () => {
    const created = await ddb.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    assert.equal(created.TableDescription?.TableStatus, 'CREATING');
    assert.equal(created.TableDescription?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.equal(created.TableDescription?.TableArn, `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}`);
    await rejects(ddb.send(new GetItemCommand({ TableName: TABLE, Key: key('a') })), ResourceNotFoundException);
    await rejects(
      ddb.send(
        new CreateTableCommand({
          TableName: TABLE,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      ),
      ResourceInUseException,
    );
    clock.advance(FAST_SANDBOX.operationDelayMs);
    const described = await ddb.send(new DescribeTableCommand({ TableName: TABLE }));
    assert.equal(described.Table?.TableStatus, 'ACTIVE');
    assert.deepEqual(described.Table?.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const missing = await rejects(ddb.send(new DescribeTableCommand({ TableName: 'nope' })), ResourceNotFoundException);
    assert.match(missing.message, /Table: nope not found/);
  });

  it('PAY_PER_REQUEST with ProvisionedThroughput, and a KeySchema attribute missing from AttributeDefinitions, are ValidationExceptions', async () => {
    const bad = ddb.send(
      new CreateTableCommand({
        TableName: 'bad',
        BillingMode: 'PAY_PER_REQUEST',
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await assert.rejects(bad, (e: Error) => e.name === 'ValidationException' && /PAY_PER_REQUEST/.test(e.message));
    const undefinedKey = ddb.send(
      new CreateTableCommand({
        TableName: 'bad',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    await assert.rejects(undefinedKey, (e: Error) => e.name === 'ValidationException');
  });

  it('PutItem with attribute_not_exists: the first wins, the second is ConditionalCheckFailed (with the old item on request)', async () => {
    const put = (holder: string) =>
      ddb.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { ...key('lease'), holder: { S: holder }, token: { N: '1' }, expiresAt: { N: '1000' } },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': 'pk' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    await put('a');
    const err = await rejects(put('b'), ConditionalCheckFailedException);
    assert.equal(err.message, 'The conditional request failed');
    assert.equal(err.Item?.['holder']?.S, 'a');
    const got = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: key('lease'), ConsistentRead: true }));
    assert.equal(got.Item?.['holder']?.S, 'a');
    const call = sandbox.world.calls
      .calls()
      .filter((c) => c.operation === 'PutItem')
      .at(-1);
    assert.equal(call?.outcome, 'ConditionalCheckFailedException');
  });

  it('UpdateItem takes over an expired lease with < , OR and parentheses, increments the token, and returns ALL_NEW / UPDATED_OLD', async () => {
    const takeover = (now: number, holder: string) =>
      ddb.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: key('lease'),
          UpdateExpression: 'SET #h = :me, #e = :exp, #t = if_not_exists(#t, :zero) + :one',
          ConditionExpression: 'attribute_not_exists(#h) OR (#e < :now AND #h <> :me) OR #h = :me',
          ExpressionAttributeNames: { '#h': 'holder', '#e': 'expiresAt', '#t': 'token' },
          ExpressionAttributeValues: {
            ':me': { S: holder },
            ':exp': { N: String(now + 1000) },
            ':now': { N: String(now) },
            ':zero': { N: '0' },
            ':one': { N: '1' },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
    // Not yet expired (expiresAt 1000 > 500): refused.
    await rejects(takeover(500, 'b'), ConditionalCheckFailedException);
    const taken = await takeover(2000, 'b');
    assert.equal(taken.Attributes?.['holder']?.S, 'b');
    assert.equal(taken.Attributes?.['token']?.N, '2');
    assert.equal(taken.Attributes?.['expiresAt']?.N, '3000');
    // The holder renews its own lease at any time.
    const renewed = await ddb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: key('lease'),
        UpdateExpression: 'SET expiresAt = :exp',
        ConditionExpression: 'holder = :me AND #t = :tok',
        ExpressionAttributeNames: { '#t': 'token' },
        ExpressionAttributeValues: { ':me': { S: 'b' }, ':tok': { N: '2' }, ':exp': { N: '9000' } },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    assert.deepEqual(renewed.Attributes, { expiresAt: { N: '3000' } });
  });

  it('refuses unused or undefined expression names and values, bad syntax, and updates of key attributes', async () => {
    const base = { TableName: TABLE, Key: key('lease') };
    await assert.rejects(
      ddb.send(new UpdateItemCommand({ ...base, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' }, ':b': { S: 'y' } } })),
      (e: Error) => e.name === 'ValidationException' && /unused in expressions: keys: \{:b\}/.test(e.message),
    );
    await assert.rejects(
      ddb.send(new UpdateItemCommand({ ...base, UpdateExpression: 'SET a = :missing', ExpressionAttributeValues: { ':a': { S: 'x' } } })),
      (e: Error) => e.name === 'ValidationException' && /not defined; attribute value: :missing/.test(e.message),
    );
    await assert.rejects(
      ddb.send(new UpdateItemCommand({ ...base, UpdateExpression: 'SET a = = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } })),
      (e: Error) => e.name === 'ValidationException' && /Syntax error/.test(e.message),
    );
    await assert.rejects(
      ddb.send(new UpdateItemCommand({ ...base, UpdateExpression: 'SET pk = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } })),
      (e: Error) => e.name === 'ValidationException' && /part of the key/.test(e.message),
    );
    await assert.rejects(
      ddb.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'ctl' } } })),
      (e: Error) => e.name === 'ValidationException' && /does not match the schema/.test(e.message),
    );
  });

  it('DeleteItem is conditional too; Query by hash key (and begins_with on the range key) and Scan page with Limit', async () => {
    await rejects(
      ddb.send(
        new DeleteItemCommand({ TableName: TABLE, Key: key('lease'), ConditionExpression: 'holder = :me', ExpressionAttributeValues: { ':me': { S: 'a' } } }),
      ),
      ConditionalCheckFailedException,
    );
    for (const id of ['m1', 'm2', 'm3']) {
      await ddb.send(new PutItemCommand({ TableName: TABLE, Item: { ...key(`member#${id}`), heartbeat: { N: '5' } } }));
    }
    const members = await ddb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :m)',
        ExpressionAttributeValues: { ':p': { S: 'ctl' }, ':m': { S: 'member#' } },
        ConsistentRead: true,
      }),
    );
    assert.deepEqual(
      members.Items?.map((i) => i['sk']?.S),
      ['member#m1', 'member#m2', 'member#m3'],
    );
    await assert.rejects(
      ddb.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'begins_with(sk, :m)', ExpressionAttributeValues: { ':m': { S: 'member#' } } })),
      (e: Error) => e.name === 'ValidationException' && /missed key schema element: pk/.test(e.message),
    );
    const first = await ddb.send(new ScanCommand({ TableName: TABLE, Limit: 2 }));
    assert.equal(first.Items?.length, 2);
    assert.ok(first.LastEvaluatedKey);
    const second = await ddb.send(new ScanCommand({ TableName: TABLE, Limit: 2, ExclusiveStartKey: first.LastEvaluatedKey }));
    assert.equal(second.Items?.length, 2);
    assert.equal(second.LastEvaluatedKey, undefined);
    const deleted = await ddb.send(
      new DeleteItemCommand({
        TableName: TABLE,
        Key: key('lease'),
        ConditionExpression: 'holder = :me',
        ExpressionAttributeValues: { ':me': { S: 'b' } },
        ReturnValues: 'ALL_OLD',
      }),
    );
    assert.equal(deleted.Attributes?.['holder']?.S, 'b');
    const gone = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: key('lease') }));
    assert.equal(gone.Item, undefined);
  });

  it('DeleteTable: DELETING, then gone', async () => {
    const d = await ddb.send(new DeleteTableCommand({ TableName: TABLE }));
    assert.equal(d.TableDescription?.TableStatus, 'DELETING');
    clock.advance(FAST_SANDBOX.operationDelayMs);
    await rejects(ddb.send(new DescribeTableCommand({ TableName: TABLE })), ResourceNotFoundException);
  });
});
