/**
 * Revision events: a new source revision taken into force (revision-started), its writes done
 * (revision-applied), then either every resource Synced and Healthy at it (revision-succeeded)
 * or one that cannot get there as it is (revision-failed: stalled, rolled back, a failed ECS
 * rollout). Each is sent once per revision, judged from the status store after every change;
 * a revision that succeeds after a later fix is the next revision.
 */
import type { DeliveryEvent, DeliveryEvents, FailingResource } from '../controller/delivery-events.js';
import type { ResourceSummary, StatusStore } from '../controller/status.js';
import { eventResource } from './reconciler.js';

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Tracked {
  readonly revision: string;
  keys: readonly string[];
  /** Keys a reconcile at this revision wrote to, in the order seen (a later no-op reconcile clears lastActions). */
  readonly changed: Set<string>;
  applied: boolean;
  done: boolean;
}

export interface RevisionEventsDeps {
  readonly events: DeliveryEvents;
  readonly status: StatusStore;
  readonly now?: () => number;
}

export class RevisionEvents {
  private current: Tracked | undefined;
  private scheduled = false;
  private readonly now: () => number;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: RevisionEventsDeps) {
    this.now = deps.now ?? Date.now;
    this.unsubscribe = deps.status.onChange((key, r) => {
      this.noteWrite(key, r);
      this.schedule();
    });
  }

  /** A scan published `keys` at `revision` (a new revision starts it). */
  onSnapshot(revision: string, keys: readonly string[]): void {
    if (this.current?.revision !== revision) {
      this.current = { revision, keys, changed: new Set(), applied: false, done: false };
      this.emit({ type: 'revision-started', revision });
    } else {
      this.current.keys = keys;
    }
    this.schedule();
  }

  stop(): void {
    this.unsubscribe();
  }

  /**
   * Remembers a reconcile at the revision in force that wrote, at the change itself: judging
   * waits for a burst to end, and by then a second reconcile of the key (on the live state
   * already read) may have cleared its lastActions.
   */
  private noteWrite(key: string, r: ResourceSummary | undefined): void {
    const c = this.current;
    if (c && r && r.lastAttemptedRevision === c.revision && !r.reconciling && (r.lastActions?.length ?? 0) > 0) c.changed.add(key);
  }

  /** Judges once per burst of status changes (a scan changes every resource). */
  private schedule(): void {
    if (this.scheduled || !this.current || this.current.done) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.evaluate();
    });
  }

  /**
   * Judges the revision in force now (tests call it directly). It runs after every burst of
   * status changes, so it reads each resource's summary, not a full status view (at 10,000
   * resources a list of views was ~15 MB made again after every burst of a convergence).
   */
  evaluate(): void {
    const c = this.current;
    if (!c || c.done) return;
    let atRevision = 0;
    let allApplied = true;
    let allSucceeded = true;
    const failing: FailingResource[] = [];
    for (const key of c.keys) {
      const r = this.deps.status.summary(key);
      if (!r) return;
      if (r.syncStatus !== 'Synced' && r.syncStatus !== 'Progressing') allApplied = false;
      if (r.syncStatus !== 'Synced' || r.healthStatus === 'Degraded' || r.healthStatus === 'Progressing') allSucceeded = false;
      if (r.lastAttemptedRevision !== c.revision || r.reconciling) continue;
      atRevision++;
      const f = failure(r, this.deps.status);
      if (f) failing.push({ ...eventResource(r.key), ...f });
    }
    if (failing.length > 0) {
      c.done = true;
      const first = failing[0]!;
      const more = failing.length > 1 ? ` (and ${failing.length - 1} more)` : '';
      this.emit({ type: 'revision-failed', revision: c.revision, reason: `${first.key}: ${first.reason}${more}`, failing });
      return;
    }
    if (atRevision < c.keys.length) return;
    if (!c.applied && allApplied) {
      c.applied = true;
      const changed = c.keys.filter((k) => c.changed.has(k)).map((k) => eventResource(k));
      this.emit({ type: 'revision-applied', revision: c.revision, changed });
    }
    if (c.applied && allSucceeded) {
      c.done = true;
      this.emit({ type: 'revision-succeeded', revision: c.revision });
    }
  }

  private emit(event: Without<DeliveryEvent, 'at'>): void {
    this.deps.events.emit({ ...event, at: new Date(this.now()).toISOString() });
  }
}

/** Why a resource keeps the revision from succeeding, if it does: stalled, rolled back, a failed rollout. */
function failure(r: ResourceSummary, status: StatusStore): Pick<FailingResource, 'reason' | 'stoppedReason'> | undefined {
  // The full view only for the few that fail: their conditions say why.
  const cond = (t: string) => status.get(r.key)?.conditions.find((c) => c.type === t);
  if (r.syncStatus === 'Stalled') {
    const stalled = cond('Stalled');
    return { reason: `stalled (${stalled?.reason}): ${stalled?.message ?? ''}` };
  }
  const rollout = status.rolloutHealth(r.key);
  if (rollout?.state === 'Degraded') {
    return { reason: `${rollout.reason}: ${rollout.message}`, ...(rollout.stoppedReason ? { stoppedReason: rollout.stoppedReason } : {}) };
  }
  if (r.rolledBack) return { reason: `RolledBack: ${cond('RolledBack')?.message ?? ''}` };
  return undefined;
}
