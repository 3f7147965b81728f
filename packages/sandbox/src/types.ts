/** The AWS services the sandbox speaks. */
export type SandboxServiceName = 'ecs' | 'servicediscovery' | 'route53' | 's3' | 'tagging' | 'sqs' | 'ssm' | 'cloudformation' | 'dynamodb' | 'sts';

export type JsonObject = Record<string, unknown>;

/** Timing and identity knobs of a sandbox instance. */
export interface SandboxOptions {
  /** Listen host; default 127.0.0.1. */
  host?: string;
  /** Listen port; 0 (default) picks a free one. */
  port?: number;
  accountId?: string;
  region?: string;
  /** Time for an asynchronous Cloud Map operation to go SUBMITTED -> PENDING -> SUCCESS/FAIL (ms). */
  operationDelayMs?: number;
  /** Time for a new ECS task to go PENDING -> RUNNING and register in Cloud Map (ms). */
  taskStartDelayMs?: number;
  /** Time a deleted ECS service stays DRAINING before INACTIVE (ms). */
  drainDelayMs?: number;
  /** Clock (ms epoch); tests may inject one. */
  now?: () => number;
  /**
   * SQS queue (name) that receives the change events of ECS, Cloud Map and Route 53 writes, as
   * EventBridge rules would deliver them; created at start and after every reset. Absent: no events
   * until `POST /_sandbox/events` names a queue.
   */
  eventsQueue?: string;
  /** Time from an API call to its event becoming receivable (ms, default 500). */
  eventDelayMs?: number;
  /**
   * Longest lifetime of credentials STS AssumeRole issues (ms), below the requested
   * DurationSeconds (at least 900 s on AWS), so tests can watch credentials expire and refresh.
   */
  assumedRoleLifetimeMs?: number;
}

export interface ResolvedSandboxOptions {
  host: string;
  port: number;
  accountId: string;
  region: string;
  operationDelayMs: number;
  taskStartDelayMs: number;
  drainDelayMs: number;
  now: () => number;
  eventsQueue: string | undefined;
  eventDelayMs: number;
  assumedRoleLifetimeMs: number | undefined;
}

export function resolveOptions(o: SandboxOptions = {}): ResolvedSandboxOptions {
  return {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 0,
    accountId: o.accountId ?? '123456789012',
    region: o.region ?? 'us-east-1',
    operationDelayMs: o.operationDelayMs ?? 200,
    taskStartDelayMs: o.taskStartDelayMs ?? 200,
    drainDelayMs: o.drainDelayMs ?? 200,
    now: o.now ?? Date.now,
    eventsQueue: o.eventsQueue,
    eventDelayMs: o.eventDelayMs ?? 500,
    assumedRoleLifetimeMs: o.assumedRoleLifetimeMs,
  };
}
