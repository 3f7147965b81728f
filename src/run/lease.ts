/**
 * Opens the writer lease of `run` and `apply`: the lease table's DynamoDB client (with the
 * process's per-attempt hooks), the table itself (created on-demand when missing), the
 * account and region that key the lease, and a LeaseKeeper for it.
 */
import { hostname } from 'node:os';
import type { AwsClientHooks, AwsClientsConfig } from '../aws/clients.js';
import { createDynamoDbClient, LeaseTable } from '../aws/lease-table.js';
import { callerAccount, createStsClient } from '../aws/sts-client.js';
import type { LeaseSettings } from '../config/lease-options.js';
import { LeaseKeeper, leaseKey, type LeaseKeeperOptions } from '../controller/lease.js';

/** Who this process is in the lease table: `<command>:<host>:<pid>`. */
export function holderId(command: string): string {
  return `${command}:${hostname()}:${process.pid}`;
}

export interface OpenLeaseOptions {
  readonly settings: LeaseSettings;
  readonly controllerId: string;
  readonly holder: string;
  readonly aws: AwsClientsConfig;
  /** Rate limiter and call observer (never the write guard: the lease's own writes must pass). */
  readonly hooks: AwsClientHooks;
  /** The account of the lease; default: the caller's (STS GetCallerIdentity). */
  readonly account?: string;
  readonly onChange?: LeaseKeeperOptions['onChange'];
  readonly onError?: LeaseKeeperOptions['onError'];
  readonly clock?: LeaseKeeperOptions['clock'];
}

/** An open lease: the keeper and what names it. */
export interface OpenLease {
  readonly keeper: LeaseKeeper;
  readonly table: LeaseTable;
  readonly account: string;
  readonly region: string;
  /** Whether the table was created by this process. */
  readonly created: boolean;
  /** Closes the clients (stop the keeper first). */
  close(): void;
}

export async function openLease(options: OpenLeaseOptions): Promise<OpenLease> {
  const { settings, hooks } = options;
  const { writeGuard: _unused, ...leaseHooks } = hooks;
  // A renew that hangs must not outlive its use: the fence closes by time anyway, and the next
  // attempt needs the socket back.
  const client = createDynamoDbClient({ ...options.aws, requestTimeoutMs: Math.max(1_000, Math.floor(settings.durationMs / 3)) }, leaseHooks);
  const sts = options.account === undefined ? createStsClient(options.aws, leaseHooks) : undefined;
  try {
    const region = options.aws.region ?? (await client.config.region());
    const account = options.account ?? (await callerAccount(sts!));
    const table = new LeaseTable(client, settings.table);
    const created = (await table.ensure()) === 'created';
    const keeper = new LeaseKeeper({
      store: table,
      pk: options.controllerId,
      sk: leaseKey(account, region),
      holder: options.holder,
      durationMs: settings.durationMs,
      ...(options.onChange ? { onChange: options.onChange } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    return {
      keeper,
      table,
      account,
      region,
      created,
      close: () => {
        client.destroy();
        sts?.destroy();
      },
    };
  } catch (err) {
    client.destroy();
    sts?.destroy();
    throw err;
  }
}
