/**
 * The lease table in DynamoDB: one item per lease, written only with conditional writes, so
 * two controllers can never both believe a write of theirs took the lease. Only this module
 * speaks DynamoDB; the timing (renew, fence, takeover) lives in src/controller/lease.ts.
 *
 * Table: HASH `pk` (S, the controller id), RANGE `sk` (S: `lease#<account>#<region>`, or
 * `member#<holder>` for the sharding membership), on-demand billing. A lease item holds
 * `holder`, `expiresAt` (ms epoch, the holder's clock), `token` (the fencing token: +1 on
 * every takeover, never reset, kept when released) and `acquiredAt`.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateItemCommand,
  DeleteItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { installAttemptMiddleware, type AwsClientHooks } from './attempt-middleware.js';
import { baseClientConfig, type AwsClientsConfig } from './clients.js';

/** The DynamoDB client of the lease table, with the controller's per-attempt hooks (family `dynamodb`). */
export function createDynamoDbClient(config: AwsClientsConfig = {}, hooks: AwsClientHooks = {}): DynamoDBClient {
  const endpoint = config.endpoints?.dynamodb ?? config.endpoints?.default;
  const client = new DynamoDBClient({ ...baseClientConfig(config), ...(endpoint ? { endpoint } : {}) });
  installAttemptMiddleware(client.middlewareStack, 'dynamodb', hooks);
  return client;
}

/** A lease as stored. */
export interface LeaseRecord {
  /** Absent once released. */
  readonly holder: string | undefined;
  /** ms epoch; 0 once released. */
  readonly expiresAt: number;
  readonly token: number;
  /** ms epoch the holder took it. */
  readonly acquiredAt: number | undefined;
}

/** The lease could not be taken or renewed: someone else holds it (or took it over). */
export class LeaseHeldError extends Error {
  override readonly name = 'LeaseHeldError';
  constructor(
    readonly current: LeaseRecord | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** A member's heartbeat item (sharding). */
export interface MemberRecord {
  readonly holder: string;
  /** ms epoch, the member's clock. */
  readonly heartbeatAt: number;
  readonly expiresAt: number;
}

/** Everything stored under one controller id. */
export interface LeaseGroup {
  readonly leases: ReadonlyMap<string, LeaseRecord>;
  readonly members: readonly MemberRecord[];
}

const N = (n: number): AttributeValue => ({ N: String(Math.round(n)) });
const S = (s: string): AttributeValue => ({ S: s });
const NAMES = { '#h': 'holder', '#e': 'expiresAt', '#t': 'token', '#a': 'acquiredAt' };
const TABLE_POLL_MS = 500;

function leaseOf(item: Record<string, AttributeValue> | undefined): LeaseRecord | undefined {
  if (!item) return undefined;
  const num = (k: string): number | undefined => (item[k]?.N !== undefined ? Number(item[k].N) : undefined);
  return { holder: item['holder']?.S, expiresAt: num('expiresAt') ?? 0, token: num('token') ?? 0, acquiredAt: num('acquiredAt') };
}

/** Conditional reads and writes of lease items in one table. */
export class LeaseTable {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
  ) {}

  /**
   * Creates the table (on-demand) when it does not exist and waits until it is ACTIVE (at
   * most `timeoutMs`). Two controllers creating it at once is fine: the loser sees
   * ResourceInUseException and waits like the winner.
   */
  async ensure(timeoutMs = 120_000, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Promise<'existed' | 'created'> {
    let outcome: 'existed' | 'created' = 'existed';
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const d = await this.client.send(new DescribeTableCommand({ TableName: this.tableName }));
        if (d.Table?.TableStatus === 'ACTIVE') return outcome;
      } catch (err) {
        if (!(err instanceof ResourceNotFoundException)) throw err;
        try {
          await this.client.send(
            new CreateTableCommand({
              TableName: this.tableName,
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
          outcome = 'created';
        } catch (createErr) {
          if (!(createErr instanceof ResourceInUseException)) throw createErr;
        }
      }
      if (Date.now() >= deadline) throw new Error(`DynamoDB table ${this.tableName} did not become ACTIVE within ${Math.round(timeoutMs / 1000)}s`);
      await sleep(TABLE_POLL_MS);
    }
  }

  /** The lease item, read strongly consistent. */
  async read(pk: string, sk: string): Promise<LeaseRecord | undefined> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: S(pk), sk: S(sk) }, ConsistentRead: true }));
    return leaseOf(out.Item);
  }

  /**
   * Takes the lease when it is free (never held, released, or expired by `now`): the token
   * goes up by one. Throws LeaseHeldError with the current holder otherwise.
   */
  async acquire(pk: string, sk: string, holder: string, now: number, durationMs: number): Promise<LeaseRecord> {
    return this.conditional(
      pk,
      sk,
      {
        UpdateExpression: 'SET #h = :me, #e = :exp, #a = :now, #t = if_not_exists(#t, :zero) + :one',
        ConditionExpression: 'attribute_not_exists(#h) OR #e < :now',
        ExpressionAttributeValues: { ':me': S(holder), ':exp': N(now + durationMs), ':now': N(now), ':zero': N(0), ':one': N(1) },
      },
      'held by another holder',
    );
  }

  /** Extends the lease while `holder` still holds it with `token` (nobody took it over meanwhile). */
  async renew(pk: string, sk: string, holder: string, token: number, now: number, durationMs: number): Promise<LeaseRecord> {
    return this.conditional(
      pk,
      sk,
      {
        UpdateExpression: 'SET #e = :exp',
        ConditionExpression: '#h = :me AND #t = :tok',
        ExpressionAttributeValues: { ':me': S(holder), ':tok': N(token), ':exp': N(now + durationMs) },
      },
      'taken over',
    );
  }

  /** Gives the lease up (holder removed, expired at once, token kept); a no-op when it is no longer ours. */
  async release(pk: string, sk: string, holder: string, token: number): Promise<boolean> {
    try {
      await this.conditional(
        pk,
        sk,
        {
          UpdateExpression: 'SET #e = :zero REMOVE #h',
          ConditionExpression: '#h = :me AND #t = :tok',
          ExpressionAttributeValues: { ':me': S(holder), ':tok': N(token), ':zero': N(0) },
        },
        'not ours',
      );
      return true;
    } catch (err) {
      if (err instanceof LeaseHeldError) return false;
      throw err;
    }
  }

  /** Writes this member's heartbeat (sharding). */
  async heartbeat(pk: string, holder: string, now: number, ttlMs: number): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: S(pk), sk: S(`member#${holder}`) },
        UpdateExpression: 'SET #h = :me, #b = :now, #e = :exp',
        ExpressionAttributeNames: { '#h': 'holder', '#b': 'heartbeatAt', '#e': 'expiresAt' },
        ExpressionAttributeValues: { ':me': S(holder), ':now': N(now), ':exp': N(now + ttlMs) },
      }),
    );
  }

  /** Removes this member's heartbeat (it leaves). */
  async leave(pk: string, holder: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: { pk: S(pk), sk: S(`member#${holder}`) } }));
  }

  /** Every lease and member item of a controller id (one Query per page). */
  async group(pk: string): Promise<LeaseGroup> {
    const leases = new Map<string, LeaseRecord>();
    const members: MemberRecord[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': S(pk) },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        const sk = item['sk']?.S ?? '';
        if (sk.startsWith('lease#')) leases.set(sk, leaseOf(item)!);
        else if (sk.startsWith('member#') && item['holder']?.S)
          members.push({ holder: item['holder'].S, heartbeatAt: Number(item['heartbeatAt']?.N ?? 0), expiresAt: Number(item['expiresAt']?.N ?? 0) });
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return { leases, members };
  }

  private async conditional(
    pk: string,
    sk: string,
    input: { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Record<string, AttributeValue> },
    refused: string,
  ): Promise<LeaseRecord> {
    const used = (alias: string): boolean => input.UpdateExpression.includes(alias) || input.ConditionExpression.includes(alias);
    try {
      const out = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: S(pk), sk: S(sk) },
          ...input,
          ExpressionAttributeNames: Object.fromEntries(Object.entries(NAMES).filter(([alias]) => used(alias))),
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return leaseOf(out.Attributes)!;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        const current = leaseOf(err.Item);
        throw new LeaseHeldError(current, `lease ${pk}/${sk} ${refused}${current?.holder ? `: ${current.holder}` : ''}`);
      }
      throw err;
    }
  }
}
