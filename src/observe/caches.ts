import type { LiveTaskDefinition } from '../kit/types.js';

/** Upper bound on cached task definition revisions (oldest inserted evicted first). */
const DEFAULT_MAX_TASK_DEFINITIONS = 10_000;

/**
 * What observe keeps between scans, so a warm scan makes only the calls it must:
 * - task definitions by ARN, forever (revisions are immutable);
 * - tags of Cloud Map namespaces and services by ARN (one call per ARN otherwise; ownership
 *   rarely changes). Whoever changes tags (the apply engine) calls `forgetTags(arn)`;
 * - the VPC of each private hosted zone (a Cloud Map namespace cannot change its VPC).
 * One instance per controller; not shared between accounts or regions.
 */
export class ObserveCaches {
  private readonly taskDefinitions = new Map<string, LiveTaskDefinition>();
  private readonly tags = new Map<string, Readonly<Record<string, string>>>();
  private readonly zoneVpcs = new Map<string, string>();

  constructor(private readonly maxTaskDefinitions = DEFAULT_MAX_TASK_DEFINITIONS) {}

  taskDefinition(arn: string): LiveTaskDefinition | undefined {
    return this.taskDefinitions.get(arn);
  }

  rememberTaskDefinition(td: LiveTaskDefinition): void {
    this.taskDefinitions.set(td.arn, td);
    if (this.taskDefinitions.size > this.maxTaskDefinitions) {
      const oldest = this.taskDefinitions.keys().next();
      if (!oldest.done) this.taskDefinitions.delete(oldest.value);
    }
  }

  /** Cached tags of a Cloud Map resource, or undefined when they must be read. */
  tagsOf(arn: string): Readonly<Record<string, string>> | undefined {
    return this.tags.get(arn);
  }

  rememberTags(arn: string, tags: Readonly<Record<string, string>>): void {
    this.tags.set(arn, { ...tags });
  }

  /** Drops the cached tags of one ARN; the next scan reads them again. Call after tagging or untagging it. */
  forgetTags(arn: string): void {
    this.tags.delete(arn);
  }

  /** Drops cached tags of every ARN not in `seen` (resources that no longer exist). */
  retainTags(seen: ReadonlySet<string>): void {
    for (const arn of [...this.tags.keys()]) if (!seen.has(arn)) this.tags.delete(arn);
  }

  zoneVpc(zoneId: string): string | undefined {
    return this.zoneVpcs.get(zoneId);
  }

  rememberZoneVpc(zoneId: string, vpc: string): void {
    this.zoneVpcs.set(zoneId, vpc);
  }

  /** Entry counts (for logs and tests). */
  sizes(): { taskDefinitions: number; tags: number; zoneVpcs: number } {
    return { taskDefinitions: this.taskDefinitions.size, tags: this.tags.size, zoneVpcs: this.zoneVpcs.size };
  }
}

export function createObserveCaches(maxTaskDefinitions?: number): ObserveCaches {
  return new ObserveCaches(maxTaskDefinitions);
}
