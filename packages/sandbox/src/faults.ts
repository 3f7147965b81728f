import { TokenBucket } from './token-bucket.js';
import { SandboxError } from './errors.js';
import type { SandboxServiceName } from './types.js';

/**
 * A fault to inject. Matches calls by service and/or operation (absent = any), applies to
 * the next `count` matching calls (absent = until cleared), with optional probability.
 */
export interface FaultRule {
  service?: SandboxServiceName;
  operation?: string;
  /**
   * throttle: answer the service's throttling error; error: answer `code`/`status`;
   * latency: delay the answer by `latencyMs`; drop-response: perform the call, then close
   * the connection without answering (the client sees a timeout/reset and retries);
   * stale-read: reserved for services that can serve an older view.
   */
  kind: 'throttle' | 'error' | 'latency' | 'drop-response';
  count?: number;
  probability?: number;
  status?: number;
  code?: string;
  message?: string;
  latencyMs?: number;
}

interface ActiveRule extends FaultRule {
  id: number;
  remaining: number;
}

/** What the protocol layer must do for one call. */
export interface FaultDecision {
  /** Raise this instead of running the operation. */
  error?: SandboxError;
  latencyMs: number;
  dropResponse: boolean;
}

/** Rate limits as AWS documents them (burst, sustained per second). */
export interface BucketSpec {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

const ECS_BUCKETS: Record<string, string> = {
  DescribeServices: 'service-read',
  ListServices: 'service-read',
  CreateService: 'service-write',
  UpdateService: 'service-write',
  DeleteService: 'service-write',
  DescribeTaskDefinition: 'taskdef-read',
  ListTaskDefinitions: 'taskdef-read',
  RegisterTaskDefinition: 'taskdef-register',
  ListTagsForResource: 'tag-read',
  TagResource: 'tag-write',
  UntagResource: 'tag-write',
};

/** AWS's documented ECS buckets (see docs/aws-behaviour.md); other ECS calls share a generous default. */
export const DEFAULT_RATE_LIMITS: Record<string, BucketSpec> = {
  'ecs:service-read': { capacity: 100, refillPerSecond: 20 },
  'ecs:service-write': { capacity: 50, refillPerSecond: 5 },
  'ecs:taskdef-read': { capacity: 50, refillPerSecond: 20 },
  'ecs:taskdef-register': { capacity: 20, refillPerSecond: 1 },
  'ecs:tag-read': { capacity: 50, refillPerSecond: 20 },
  'ecs:tag-write': { capacity: 20, refillPerSecond: 10 },
  'ecs:other': { capacity: 50, refillPerSecond: 20 },
  'route53:all': { capacity: 5, refillPerSecond: 5 },
  // Cloud Map documents no control-plane rate: this is a configurable guess.
  'servicediscovery:all': { capacity: 50, refillPerSecond: 10 },
  's3:all': { capacity: 3500, refillPerSecond: 3500 },
  // The Resource Groups Tagging API documents no GetResources rate either: a configurable guess.
  'tagging:all': { capacity: 20, refillPerSecond: 10 },
};

export function bucketName(service: SandboxServiceName, operation: string): string {
  if (service === 'ecs') return `ecs:${ECS_BUCKETS[operation] ?? 'other'}`;
  return `${service}:all`;
}

const THROTTLE: Record<SandboxServiceName, { code: string; status: number; message: string }> = {
  ecs: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  servicediscovery: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  route53: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
  s3: { code: 'SlowDown', status: 503, message: 'Please reduce your request rate.' },
  tagging: { code: 'ThrottledException', status: 400, message: 'Rate exceeded' },
  sqs: { code: 'RequestThrottled', status: 400, message: 'Rate exceeded' },
  ssm: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  cloudformation: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
  dynamodb: { code: 'ThrottlingException', status: 400, message: 'Rate of requests exceeds the allowed throughput.' },
  sts: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
};

export function throttleError(service: SandboxServiceName): SandboxError {
  const t = THROTTLE[service];
  return new SandboxError(t.code, t.message, t.status);
}

/** Injected faults plus optional enforcement of AWS's token buckets. */
export class Faults {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  private buckets: Map<string, TokenBucket> | undefined;
  private limits: Record<string, BucketSpec> = { ...DEFAULT_RATE_LIMITS };

  constructor(
    private readonly now: () => number,
    private readonly random: () => number = Math.random,
  ) {}

  /** Adds a rule; returns its id. */
  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.rules.push({ ...rule, id, remaining: rule.count ?? Number.POSITIVE_INFINITY });
    return id;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  list(): readonly FaultRule[] {
    return this.rules.map(({ id: _id, remaining, ...r }) => ({ ...r, count: Number.isFinite(remaining) ? remaining : undefined }));
  }

  /** Turns AWS token-bucket enforcement on (optionally overriding some buckets) or off. */
  enforceRateLimits(on: boolean, overrides: Record<string, BucketSpec> = {}): void {
    this.limits = { ...DEFAULT_RATE_LIMITS, ...overrides };
    this.buckets = on ? new Map() : undefined;
  }

  rateLimitsEnforced(): boolean {
    return this.buckets !== undefined;
  }

  clear(): void {
    this.rules = [];
    this.buckets = undefined;
    this.limits = { ...DEFAULT_RATE_LIMITS };
  }

  /** Decides the fate of one call; consumes rule counts and bucket tokens. */
  decide(service: SandboxServiceName, operation: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, dropResponse: false };
    if (this.buckets) {
      const name = bucketName(service, operation);
      const spec = this.limits[name];
      if (spec) {
        let bucket = this.buckets.get(name);
        if (!bucket) {
          bucket = new TokenBucket(spec.capacity, spec.refillPerSecond, this.now);
          this.buckets.set(name, bucket);
        }
        if (!bucket.tryTake()) {
          decision.error = throttleError(service);
          return decision;
        }
      }
    }
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.service && rule.service !== service) continue;
      if (rule.operation && rule.operation !== operation) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.remaining--;
      switch (rule.kind) {
        case 'throttle':
          decision.error ??= rule.code ? new SandboxError(rule.code, rule.message ?? 'Rate exceeded', rule.status ?? 400) : throttleError(service);
          break;
        case 'error':
          decision.error ??= new SandboxError(rule.code ?? 'InternalFailure', rule.message ?? 'injected fault', rule.status ?? 500);
          break;
        case 'latency':
          decision.latencyMs += rule.latencyMs ?? 0;
          break;
        case 'drop-response':
          decision.dropResponse = true;
          break;
      }
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return decision;
  }
}
