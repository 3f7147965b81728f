import { AlarmStates } from './alarms.js';
import { CallLog } from './call-log.js';
import { Faults } from './faults.js';
import { Principals } from './principals.js';
import { Scheduler } from './scheduler.js';
import type { ResolvedSandboxOptions } from './types.js';

/**
 * What ECS task simulation needs from Cloud Map: ECS registers one instance per running
 * task (instance id = task id) in each service registry of the ECS service.
 */
export interface CloudMapInstanceRegistry {
  /** Whether a Cloud Map service with this ARN exists (ECS validates serviceRegistries). */
  hasService(registryArn: string): boolean;
  /** Upsert, as RegisterInstance does; also writes the Route 53 records of DNS namespaces. */
  registerInstance(registryArn: string, instanceId: string, attributes: Record<string, string>): void;
  /** Removes the instance and its Route 53 records; a no-op when absent. */
  deregisterInstance(registryArn: string, instanceId: string): void;
}

/** A Cloud Map namespace as Service Connect refers to it. */
export interface ServiceConnectNamespace {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
}

/** A Cloud Map service in a namespace, and whether ECS created it (tag `AmazonECSManaged`). */
export interface ServiceConnectDiscovery {
  readonly arn: string;
  readonly managed: boolean;
}

/**
 * What ECS Service Connect needs from Cloud Map besides instance registration: namespaces
 * by name or ARN, the namespace ECS creates for a cluster default, and the Cloud Map
 * service ECS creates per `discoveryName`.
 */
export interface ServiceConnectRegistry {
  /** The namespace with this name or ARN (one still being created included), else undefined. */
  findNamespace(nameOrArn: string): ServiceConnectNamespace | undefined;
  /** Starts creating an HTTP namespace tagged `AmazonECSManaged=true`, as CreateCluster does for a new name. */
  createManagedNamespace(name: string): ServiceConnectNamespace;
  /** The Cloud Map service with this name in the namespace, else undefined. */
  findDiscovery(namespaceId: string, name: string): ServiceConnectDiscovery | undefined;
  /** Creates an API-only (HTTP) service tagged `AmazonECSManaged=true`; returns its ARN. */
  createManagedDiscovery(namespaceId: string, name: string, description: string): string;
}

/**
 * Shared plumbing every simulated service sees. One world per account: the default
 * account's world is the root; {@link forAccount} gives another account's world, which has
 * its own `options.accountId` (so its ARNs name it) and shares the clock, scheduler, faults,
 * call log, alarms and the principals STS issued.
 */
export class SandboxWorld {
  readonly scheduler: Scheduler;
  readonly faults: Faults;
  readonly calls: CallLog;
  /** CloudWatch alarm states (admin-set) that ECS deployments monitor. */
  readonly alarms: AlarmStates;
  /** Credentials STS issued, and the account each belongs to (shared by every account). */
  readonly principals: Principals;
  private idCounter = 0;
  private readonly stopper: AbortController;
  /** Aborted when the sandbox stops: long polls answer at once. */
  readonly closing: AbortSignal;
  private ownEndpoint = '';
  private readonly accounts = new Map<string, SandboxWorld>();

  constructor(
    readonly options: ResolvedSandboxOptions,
    private readonly root?: SandboxWorld,
  ) {
    this.scheduler = root?.scheduler ?? new Scheduler(options.now);
    this.faults = root?.faults ?? new Faults(options.now);
    this.calls = root?.calls ?? new CallLog();
    this.alarms = root?.alarms ?? new AlarmStates();
    this.principals = root?.principals ?? new Principals(options.now);
    this.stopper = root?.stopper ?? new AbortController();
    this.closing = this.stopper.signal;
  }

  /** Base URL the sandbox listens on (set once listening; queue URLs are built from it). */
  get endpoint(): string {
    return this.root ? this.root.endpoint : this.ownEndpoint;
  }
  set endpoint(url: string) {
    if (this.root) this.root.endpoint = url;
    else this.ownEndpoint = url;
  }

  /** The world of another account (the default account's is the root itself). */
  forAccount(accountId: string): SandboxWorld {
    const root = this.root ?? this;
    if (accountId === root.options.accountId) return root;
    let w = root.accounts.get(accountId);
    if (!w) {
      w = new SandboxWorld({ ...root.options, accountId }, root);
      root.accounts.set(accountId, w);
    }
    return w;
  }

  /** Ends waiting long polls (the server is stopping). */
  close(): void {
    this.stopper.abort();
  }

  now(): number {
    return this.options.now();
  }

  /** A random-looking, unique lowercase hex id of `length` characters. */
  hexId(length = 32): string {
    if (this.root) return this.root.hexId(length);
    this.idCounter++;
    let s = '';
    while (s.length < length)
      s += Math.floor(Math.random() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    const counter = this.idCounter.toString(16);
    return (s.slice(0, length - counter.length) + counter).slice(0, length);
  }

  arn(service: string, resource: string): string {
    return `arn:aws:${service}:${this.options.region}:${this.options.accountId}:${resource}`;
  }
}
