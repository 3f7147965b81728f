/**
 * The lease options `run` and `apply` share: the same table, duration and variables, so a
 * CI `apply` and the controller take the same lease (docs/operations.md "One writer: leases").
 */
import { formatDuration, parseDuration } from '../util/duration.js';
import { ConfigError, optionLabel, textValue, type OptionSpec, type RawOptions } from './options.js';

/** Default lease duration; renewed every third of it. */
export const DEFAULT_LEASE_DURATION = '30s';
const MIN_LEASE_MS = 2_000;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

export const LEASE_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'lease-table',
    env: 'ECS_GITOPS_LEASE_TABLE',
    type: 'string',
    placeholder: '<name>',
    description: 'DynamoDB table of the writer lease (created on-demand when missing): only the holder of the lease of (controller id, account, region) writes',
  },
  {
    name: 'lease-duration',
    env: 'ECS_GITOPS_LEASE_DURATION',
    type: 'string',
    placeholder: '<duration>',
    default: DEFAULT_LEASE_DURATION,
    description: 'lease lifetime: renewed every third of it; a holder that cannot renew stops writing a fifth of it before expiry',
  },
];

/** `apply` only: how long to wait for a lease someone else holds. */
export const LEASE_WAIT_OPTION: OptionSpec = {
  name: 'lease-wait',
  env: 'ECS_GITOPS_LEASE_WAIT',
  type: 'string',
  placeholder: '<duration>',
  description: 'with --lease-table: wait up to this long for the lease instead of exiting 1 while another holder has it',
};

/** The parsed lease settings; absent when no table is set. */
export interface LeaseSettings {
  readonly table: string;
  readonly durationMs: number;
}

function spec(table: readonly OptionSpec[], name: string): OptionSpec {
  return table.find((s) => s.name === name) ?? LEASE_OPTIONS.find((s) => s.name === name) ?? LEASE_WAIT_OPTION;
}

/** Reads `--lease-table` and `--lease-duration`; undefined without a table. */
export function parseLeaseSettings(raw: RawOptions): LeaseSettings | undefined {
  const table = textValue(raw, 'lease-table');
  const durationText = textValue(raw, 'lease-duration') ?? DEFAULT_LEASE_DURATION;
  const durationMs = durationOf(durationText, spec(LEASE_OPTIONS, 'lease-duration'), MIN_LEASE_MS);
  if (table === undefined) return undefined;
  if (!TABLE_NAME.test(table)) {
    throw new ConfigError(`${optionLabel(spec(LEASE_OPTIONS, 'lease-table'))} must be a DynamoDB table name: 3-255 of letters, digits, _ . - (got "${table}")`);
  }
  return { table, durationMs };
}

/** Reads `--lease-wait` (ms; 0 when unset). */
export function parseLeaseWait(raw: RawOptions): number {
  const t = textValue(raw, 'lease-wait');
  return t === undefined ? 0 : durationOf(t, LEASE_WAIT_OPTION, 0);
}

function durationOf(text: string, s: OptionSpec, minMs: number): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (err) {
    throw new ConfigError(`${optionLabel(s)}: ${(err as Error).message}`);
  }
  if (ms < minMs) throw new ConfigError(`${optionLabel(s)} must be at least ${formatDuration(minMs)} (got "${text}")`);
  return ms;
}
