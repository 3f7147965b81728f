import { TokenBucket } from '../util/token-bucket.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';

/**
 * AWS API families that share one throttling bucket on the AWS side. ECS documents its
 * buckets (docs/aws-behaviour.md); Cloud Map and Route 53 do not, so theirs are conservative.
 */
export const API_FAMILIES = [
  'ecs-read',
  'ecs-write',
  'ecs-taskdef-read',
  'ecs-taskdef-register',
  'ecs-tags-read',
  'ecs-tags-write',
  'servicediscovery',
  'servicediscovery-discover',
  'route53',
  'tagging',
  's3',
  'sqs',
  'ssm',
  'cloudformation',
  'dynamodb',
  'sts',
  'other',
] as const;

export type ApiFamily = (typeof API_FAMILIES)[number];

/** A token bucket size: `burst` tokens, refilled at `perSecond`. */
export interface BucketLimit {
  readonly burst: number;
  readonly perSecond: number;
}

/**
 * Defaults: about half of AWS's documented bucket, because the account's bucket is shared
 * with everyone else in it (ECS itself calls Cloud Map, CI pipelines call ECS).
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<ApiFamily, BucketLimit>> = {
  'ecs-read': { burst: 50, perSecond: 10 }, // AWS: 100, 20/s
  'ecs-write': { burst: 20, perSecond: 2.5 }, // AWS: 50, 5/s
  'ecs-taskdef-read': { burst: 25, perSecond: 10 }, // AWS: 50, 20/s
  'ecs-taskdef-register': { burst: 10, perSecond: 0.5 }, // AWS: 20, 1/s
  'ecs-tags-read': { burst: 25, perSecond: 10 }, // AWS: 50, 20/s
  'ecs-tags-write': { burst: 10, perSecond: 5 }, // AWS: 20, 10/s
  servicediscovery: { burst: 20, perSecond: 5 }, // undocumented; ECS shares it
  'servicediscovery-discover': { burst: 500, perSecond: 250 }, // AWS: 2000, 1000/s
  route53: { burst: 5, perSecond: 3 }, // AWS: 5/s per account (older docs)
  tagging: { burst: 10, perSecond: 5 }, // Resource Groups Tagging API GetResources: rate undocumented
  s3: { burst: 100, perSecond: 50 },
  sqs: { burst: 20, perSecond: 10 }, // the events queue: one long poll and one delete batch per 10 events
  ssm: { burst: 20, perSecond: 10 }, // Overlay values: GetParameters (AWS: 40/s standard throughput, shared)
  cloudformation: { burst: 5, perSecond: 2 }, // Overlay values: ListExports (rate undocumented)
  dynamodb: { burst: 20, perSecond: 10 }, // the lease table: a few conditional writes per lease duration
  sts: { burst: 5, perSecond: 1 }, // AssumeRole per target, once per credential lifetime
  other: { burst: 20, perSecond: 5 },
};

/** What the AWS adapter calls before every request (through SDK middleware). */
export interface AwsRateLimiter {
  /**
   * Resolves when a token for the (service, operation)'s family is taken; rejects with the
   * signal's reason when `signal` aborts first.
   */
  acquire(service: string, operation: string, signal?: AbortSignal): Promise<void>;
}

/** `ECS`, `ECSClient`, `Route 53` -> `ecs`, `ecs`, `route53`: one spelling for labels and families. */
export function canonicalService(service: string): string {
  return service
    .toLowerCase()
    .replace(/client$/, '')
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Maps an AWS call to its family. `service` may be the SDK service id (`ECS`,
 * `ServiceDiscovery`, `Route 53`, `S3`) or client name (`ECSClient`); `operation` may
 * carry the `Command` suffix.
 */
export function apiFamilyOf(service: string, operation: string): ApiFamily {
  const svc = canonicalService(service);
  const op = operation.replace(/Command$/, '');
  switch (svc) {
    case 'ecs':
      if (op === 'RegisterTaskDefinition' || op === 'DeregisterTaskDefinition') return 'ecs-taskdef-register';
      if (/^(Describe|List)TaskDefinition/.test(op)) return 'ecs-taskdef-read';
      if (op === 'ListTagsForResource') return 'ecs-tags-read';
      if (op === 'TagResource' || op === 'UntagResource') return 'ecs-tags-write';
      return /^(Describe|List|Get)/.test(op) ? 'ecs-read' : 'ecs-write';
    case 'servicediscovery':
      return op === 'DiscoverInstances' || op === 'DiscoverInstancesRevision' ? 'servicediscovery-discover' : 'servicediscovery';
    case 'route53':
      return 'route53';
    case 's3':
      return 's3';
    case 'tagging':
    case 'resourcegroupstaggingapi':
      return 'tagging';
    case 'sqs':
      return 'sqs';
    case 'ssm':
      return 'ssm';
    case 'cloudformation':
      return 'cloudformation';
    case 'dynamodb':
      return 'dynamodb';
    case 'sts':
      return 'sts';
    default:
      return 'other';
  }
}

export interface RateLimiterOptions {
  /** Overrides per family; missing families use DEFAULT_RATE_LIMITS. */
  readonly limits?: Partial<Record<ApiFamily, BucketLimit>>;
  readonly clock?: Clock;
  /** Called once per acquired token with the time it waited (seconds), e.g. for a histogram. */
  readonly onAcquired?: (family: ApiFamily, waitedSeconds: number) => void;
}

interface Waiter {
  readonly enqueuedAt: number;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

class FamilyGate {
  private readonly waiters: Waiter[] = [];
  private timer: TimerHandle | undefined;

  constructor(
    readonly family: ApiFamily,
    private readonly bucket: TokenBucket,
    private readonly clock: Clock,
    private readonly onAcquired: (family: ApiFamily, waitedSeconds: number) => void,
  ) {}

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.waiters.length === 0 && this.bucket.tryTake()) {
      this.onAcquired(this.family, 0);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        enqueuedAt: this.clock.now(),
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal?.reason);
          this.schedule();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.schedule();
    });
  }

  get queued(): number {
    return this.waiters.length;
  }

  private pump(): void {
    this.timer = undefined;
    // FIFO: only the head may take a token, so a later caller never overtakes.
    while (this.waiters.length > 0 && this.bucket.tryTake()) {
      const w = this.waiters.shift()!;
      w.signal?.removeEventListener('abort', w.onAbort);
      this.onAcquired(this.family, (this.clock.now() - w.enqueuedAt) / 1000);
      w.resolve();
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.waiters.length === 0) return;
    this.timer = this.clock.setTimeout(() => this.pump(), Math.max(1, this.bucket.msUntil()));
  }
}

/** A global token bucket per API family, shared by every worker of the controller. */
export class FamilyRateLimiter implements AwsRateLimiter {
  private readonly gates = new Map<ApiFamily, FamilyGate>();
  readonly limits: Readonly<Record<ApiFamily, BucketLimit>>;

  constructor(options: RateLimiterOptions = {}) {
    const clock = options.clock ?? systemClock;
    const onAcquired = options.onAcquired ?? (() => {});
    this.limits = { ...DEFAULT_RATE_LIMITS, ...options.limits };
    for (const family of API_FAMILIES) {
      const { burst, perSecond } = this.limits[family];
      this.gates.set(family, new FamilyGate(family, new TokenBucket(burst, perSecond, () => clock.now()), clock, onAcquired));
    }
  }

  acquire(service: string, operation: string, signal?: AbortSignal): Promise<void> {
    return this.acquireFamily(apiFamilyOf(service, operation), signal);
  }

  /** Waits for a token of `family` (FIFO per family). */
  acquireFamily(family: ApiFamily, signal?: AbortSignal): Promise<void> {
    return this.gates.get(family)!.acquire(signal);
  }

  /** Callers waiting for a token of `family`. */
  queued(family: ApiFamily): number {
    return this.gates.get(family)!.queued;
  }
}
