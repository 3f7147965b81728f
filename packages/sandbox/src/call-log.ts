import type { SandboxServiceName } from './types.js';

/** One recorded call. */
export interface CallRecord {
  readonly time: number;
  readonly service: SandboxServiceName;
  readonly operation: string;
  /** A few identifying input fields (names, ids, cluster), never the whole body. */
  readonly input: Readonly<Record<string, unknown>>;
  /** `ok`, or the AWS error code returned (e.g. `ThrottlingException`), or `dropped`. */
  readonly outcome: string;
  readonly status: number;
  /** The account the call acted in (the assumed role's for STS-issued credentials). */
  readonly account?: string;
  /** The access key id of the request's signature, telling callers apart. */
  readonly accessKeyId?: string;
}

/** Who made a call, as the call log records it. */
export interface CallerTag {
  readonly account: string;
  readonly accessKeyId: string | undefined;
}

export interface CallCounter {
  ok: number;
  error: number;
  throttled: number;
}

const THROTTLE_CODES = new Set(['ThrottlingException', 'RequestLimitExceeded', 'Throttling', 'SlowDown']);
const KEY_FIELDS = [
  'cluster',
  'service',
  'services',
  'serviceName',
  'family',
  'taskDefinition',
  'resourceArn',
  'Name',
  'Id',
  'NamespaceId',
  'ServiceId',
  'InstanceId',
  'OperationId',
  'ResourceARN',
  'CreatorRequestId',
  'clientToken',
  'path',
  'Bucket',
  'Key',
  'TableName',
  'RoleArn',
  'RoleSessionName',
];

/** Records every call the sandbox answers, with per-operation counters. */
export class CallLog {
  private records: CallRecord[] = [];
  private counters = new Map<string, CallCounter>();
  /** Upper bound on kept records; counters are unbounded. */
  constructor(private readonly maxRecords = 100_000) {}

  record(
    service: SandboxServiceName,
    operation: string,
    input: Record<string, unknown>,
    outcome: string,
    status: number,
    time: number,
    caller?: CallerTag,
  ): void {
    const picked: Record<string, unknown> = {};
    for (const k of KEY_FIELDS) if (input[k] !== undefined) picked[k] = input[k];
    this.records.push({
      time,
      service,
      operation,
      input: picked,
      outcome,
      status,
      ...(caller ? { account: caller.account, ...(caller.accessKeyId !== undefined ? { accessKeyId: caller.accessKeyId } : {}) } : {}),
    });
    if (this.records.length > this.maxRecords) this.records.splice(0, this.records.length - this.maxRecords);
    const key = `${service}:${operation}`;
    const c = this.counters.get(key) ?? { ok: 0, error: 0, throttled: 0 };
    if (outcome === 'ok') c.ok++;
    else if (THROTTLE_CODES.has(outcome)) c.throttled++;
    else c.error++;
    this.counters.set(key, c);
  }

  /** Calls recorded so far, oldest first; optionally only those after `since` (ms epoch). */
  calls(since = 0): readonly CallRecord[] {
    return since ? this.records.filter((r) => r.time >= since) : [...this.records];
  }

  /** Counters keyed `service:Operation`. */
  counts(): Record<string, CallCounter> {
    return Object.fromEntries([...this.counters].map(([k, v]) => [k, { ...v }]));
  }

  /** Total calls (all outcomes) of one operation, or of all when omitted. */
  total(service?: SandboxServiceName, operation?: string): number {
    let n = 0;
    for (const [k, c] of this.counters) {
      const [s, op] = k.split(':');
      if ((service === undefined || s === service) && (operation === undefined || op === operation)) n += c.ok + c.error + c.throttled;
    }
    return n;
  }

  reset(): void {
    this.records = [];
    this.counters.clear();
  }
}
