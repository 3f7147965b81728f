/**
 * Which task definition families one controller tidying pass may touch, decided from the
 * snapshot before any revision is read (pure). The rules (docs/operations.md "Task definition
 * revisions"):
 * - a whole pass is left out while the observation is stale, the source has errors that hold
 *   pruning or an invalid EcsService manifest, or an ECS cluster could not be read (a service
 *   there may use any revision);
 * - a family is left out while an EcsService of it is in observe mode or blocked by the plan,
 *   or while a service that names it or uses one of its revisions is being written or was
 *   written after the snapshot's observe began (its write is not in the snapshot); the last
 *   case is transient, so the family stays due;
 * - a family one of whose services is mid-deployment is tidied (the in-use check sees every
 *   deployment and task set) and stays due, so the revision the old deployment drains is
 *   looked at again once the rollout has ended.
 */
import { familyOf } from '../kinds/ecs-service/task-definition/revisions.js';
import type { LiveEcsService } from '../kit/types.js';
import type { Snapshot } from './scanner.js';

/** A family left out of a pass, and whether it stays due (looked at again on the next scan). */
export interface SkippedFamily {
  readonly family: string;
  readonly reason: string;
  readonly retry: boolean;
}

export interface TidyScope {
  /** Families whose revisions are read and tidied, sorted. */
  readonly families: readonly string[];
  readonly skipped: readonly SkippedFamily[];
  /** Families tidied now that stay due (a service of theirs is mid-deployment). */
  readonly retry: ReadonlySet<string>;
}

/** Why no family may be tidied from this snapshot, or undefined. */
export function passRefusal(snap: Snapshot, stale: boolean): string | undefined {
  if (stale) return 'the observation of AWS is stale';
  if (snap.state.unattributedErrors.length > 0) return 'the source has errors outside any resource (pruning is held)';
  const invalid = [...snap.state.invalid.values()].find((i) => i.kind === 'EcsService');
  if (invalid) return `the manifest of EcsService ${invalid.name} is invalid: what it wants is unknown`;
  if (snap.state.desired.length === 0) return 'the source is empty';
  const unread = snap.live.unreadable.find((u) => u.scope.startsWith('EcsCluster/') && u.code !== 'ClusterNotFoundException');
  if (unread) return `${unread.scope} could not be read (${unread.reason}): a service there may use any revision`;
  return undefined;
}

/** Keys of the EcsServices tied to each family: those whose manifest names it and those that use one of its revisions. */
function servicesByFamily(snap: Snapshot): { keys: Map<string, Set<string>>; live: Map<string, LiveEcsService[]> } {
  const keys = new Map<string, Set<string>>();
  const live = new Map<string, LiveEcsService[]>();
  const add = (family: string, key: string): void => {
    const set = keys.get(family) ?? new Set<string>();
    set.add(key);
    keys.set(family, set);
  };
  for (const d of snap.state.desired) if (d.kind === 'EcsService' && d.manifest.spec.taskDefinition) add(d.manifest.spec.taskDefinition.family, d.key);
  for (const r of snap.live.resources.values()) {
    if (r.kind !== 'EcsService') continue;
    const families = new Set((r.taskDefinitionsInUse ?? [r.taskDefinitionArn]).filter((a) => a !== '').map(familyOf));
    for (const f of families) {
      add(f, r.key);
      live.set(f, [...(live.get(f) ?? []), r]);
    }
  }
  return { keys, live };
}

/**
 * Splits `candidates` into the families to tidy and those left out. `busy`: keys being written
 * or written since the snapshot's observe began (a key the snapshot does not know counts for
 * every family).
 */
export function tidyScope(snap: Snapshot, candidates: Iterable<string>, busy: ReadonlySet<string>): TidyScope {
  const { keys, live } = servicesByFamily(snap);
  const unknownBusy = [...busy].find((k) => !snap.byKey.has(k));
  const families: string[] = [];
  const skipped: SkippedFamily[] = [];
  const retry = new Set<string>();
  for (const family of [...new Set(candidates)].sort()) {
    const tied = [...(keys.get(family) ?? [])].sort();
    const observed = tied.find((k) => snap.byKey.get(k)?.desired?.policy.mode === 'observe');
    const blocked = tied.find((k) => snap.byKey.get(k)?.action === 'blocked');
    const written = tied.find((k) => busy.has(k)) ?? unknownBusy;
    if (observed) skipped.push({ family, reason: `${observed} is in observe mode`, retry: false });
    else if (blocked) skipped.push({ family, reason: `${blocked} is blocked (${snap.byKey.get(blocked)?.blockedBy ?? 'blocked'})`, retry: false });
    else if (written) skipped.push({ family, reason: `${written} is being written or was written after this scan's observe`, retry: true });
    else {
      families.push(family);
      if ((live.get(family) ?? []).some((s) => s.deploymentsInProgress > 0)) retry.add(family);
    }
  }
  return { families, skipped, retry };
}
