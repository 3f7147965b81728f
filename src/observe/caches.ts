import type { LiveTaskDefinition } from '../kit/types.js';

/** Upper bound on cached task definition revisions (least recently used evicted first). */
const DEFAULT_MAX_TASK_DEFINITIONS = 10_000;
/** How long an ARN the tagging API listed without an owner tag counts as unowned without asking again. */
export const UNOWNED_MEMORY_MS = 60 * 60 * 1000;

/**
 * What observe keeps between scans, so a warm scan makes only the calls it must:
 * - task definitions by ARN (revisions are immutable), at most `maxTaskDefinitions`, least
 *   recently used evicted first: every scan touches the revisions in use, so only revisions no
 *   service runs any more (read for tidying) age out;
 * - tags of Cloud Map namespaces and services by ARN (one call per ARN otherwise; ownership
 *   rarely changes). Whoever changes tags (the apply engine) calls `forgetTags(arn)`;
 * - Cloud Map ARNs the tagging API did not list with an owner tag and that no manifest names
 *   (unowned, tags not read: nothing is decided from their tags), for UNOWNED_MEMORY_MS or
 *   until `forgetTags(arn)`;
 * - the VPC of each private hosted zone (a Cloud Map namespace cannot change its VPC), while
 *   its namespace exists.
 * Every map is bounded by what exists (a full scan drops what it no longer sees) or by a size.
 * One instance per controller; not shared between accounts or regions.
 */
export class ObserveCaches {
  private readonly taskDefinitions = new Map<string, LiveTaskDefinition>();
  private readonly tags = new Map<string, Readonly<Record<string, string>>>();
  private readonly zoneVpcs = new Map<string, string>();
  /** ARN -> when the tagging API was found not to list it with an owner tag. */
  private readonly unowned = new Map<string, number>();

  constructor(
    private readonly maxTaskDefinitions = DEFAULT_MAX_TASK_DEFINITIONS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached revision; a hit makes it the most recently used (evicted last). */
  taskDefinition(arn: string): LiveTaskDefinition | undefined {
    const td = this.taskDefinitions.get(arn);
    if (td !== undefined) {
      this.taskDefinitions.delete(arn);
      this.taskDefinitions.set(arn, td);
    }
    return td;
  }

  rememberTaskDefinition(td: LiveTaskDefinition): void {
    this.taskDefinitions.delete(td.arn);
    this.taskDefinitions.set(td.arn, td);
    while (this.taskDefinitions.size > this.maxTaskDefinitions) {
      const oldest = this.taskDefinitions.keys().next();
      if (oldest.done) break;
      this.taskDefinitions.delete(oldest.value);
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
    this.unowned.delete(arn);
  }

  /** Whether the tagging API found no owner tag on this ARN (and its tags were not read). */
  isUnowned(arn: string): boolean {
    const since = this.unowned.get(arn);
    if (since === undefined) return false;
    if (this.now() - since < UNOWNED_MEMORY_MS) return true;
    this.unowned.delete(arn);
    return false;
  }

  rememberUnowned(arn: string): void {
    this.unowned.set(arn, this.now());
  }

  /** Drops cached tags of every ARN not in `seen` (resources that no longer exist). */
  retainTags(seen: ReadonlySet<string>): void {
    for (const arn of [...this.tags.keys()]) if (!seen.has(arn)) this.tags.delete(arn);
    for (const arn of [...this.unowned.keys()]) if (!seen.has(arn)) this.unowned.delete(arn);
  }

  zoneVpc(zoneId: string): string | undefined {
    return this.zoneVpcs.get(zoneId);
  }

  rememberZoneVpc(zoneId: string, vpc: string): void {
    this.zoneVpcs.set(zoneId, vpc);
  }

  /** Drops the VPC of every hosted zone not in `zones` (namespaces that no longer exist). */
  retainZones(zones: ReadonlySet<string>): void {
    for (const zone of [...this.zoneVpcs.keys()]) if (!zones.has(zone)) this.zoneVpcs.delete(zone);
  }

  /** Entry counts (for logs and tests). */
  sizes(): { taskDefinitions: number; tags: number; zoneVpcs: number; unowned: number } {
    return { taskDefinitions: this.taskDefinitions.size, tags: this.tags.size, zoneVpcs: this.zoneVpcs.size, unowned: this.unowned.size };
  }
}

export function createObserveCaches(maxTaskDefinitions?: number, now?: () => number): ObserveCaches {
  return new ObserveCaches(maxTaskDefinitions, now);
}
