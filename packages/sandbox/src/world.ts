import { AlarmStates } from './alarms.js';
import { CallLog } from './call-log.js';
import { Faults } from './faults.js';
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

/** Shared plumbing every simulated service sees. */
export class SandboxWorld {
  readonly scheduler: Scheduler;
  readonly faults: Faults;
  readonly calls = new CallLog();
  /** CloudWatch alarm states (admin-set) that ECS deployments monitor. */
  readonly alarms = new AlarmStates();
  private idCounter = 0;

  constructor(readonly options: ResolvedSandboxOptions) {
    this.scheduler = new Scheduler(options.now);
    this.faults = new Faults(options.now);
  }

  now(): number {
    return this.options.now();
  }

  /** A random-looking, unique lowercase hex id of `length` characters. */
  hexId(length = 32): string {
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
