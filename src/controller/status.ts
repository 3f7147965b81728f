/**
 * Per-resource and controller status, with Kubernetes/Flux-style conditions. The reconciler
 * reports into a StatusStore; `/status` serves `snapshot()` and the CLI prints it.
 */
import { ObservationFreshness } from './freshness.js';

/** Reason of Ready/Drifted while AWS cannot be read for longer than the stale-after time. */
export const OBSERVATION_STALE = 'ObservationStale';

/**
 * Condition types. `Healthy` combines the discovery health checks and, for ECS services, the
 * rollout health (deployments, running vs desired, stopped tasks); reconciles never set it.
 * `Progressing` (an ECS deployment of the desired revision is under way) and `RolledBack`
 * (ECS rolled the desired revision back; held) appear on ECS services only.
 */
export const CONDITION_TYPES = ['Ready', 'Reconciling', 'Stalled', 'Drifted', 'Healthy', 'Progressing', 'RolledBack'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];
export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  readonly type: ConditionType;
  readonly status: ConditionStatus;
  /** Stable CamelCase reason, e.g. `ReconciliationSucceeded`, `DriftDetected`. */
  readonly reason: string;
  readonly message: string;
  /** ISO time of the last change of `status` (not of reason or message). */
  readonly lastTransitionTime: string;
}

/** One field whose live value differs from the manifest. */
export interface DriftedField {
  /** Manifest path, e.g. `spec.dns.records[0].ttl`. */
  readonly path: string;
  /** Live value. */
  readonly from?: unknown;
  /** Desired value. */
  readonly to?: unknown;
}

/** Summary of the conditions (the `sync_status` label of `resource_info`). */
export const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Progressing', 'Failed', 'Stalled', 'Unknown'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];
/**
 * Summary of the Healthy condition (the `health_status` label of `resource_info`), Argo CD's
 * vocabulary: `Progressing` while an ECS service's rollout is under way.
 */
export const HEALTH_STATUSES = ['Healthy', 'Progressing', 'Degraded', 'Unknown'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export type SyncMode = 'enforce' | 'observe';

/** Identity of a tracked resource. */
export interface ResourceRef {
  /** Manifest identity, e.g. `CloudMapService/internal/name`. */
  readonly key: string;
  readonly kind: string;
  readonly name: string;
  readonly mode: SyncMode;
}

/** The ECS service deployment behind a `Progressing` or `RolledBack` condition. */
export interface RolloutStatus {
  /** Service deployment ARN. */
  readonly deployment: string;
  /** ServiceDeployment.status, e.g. IN_PROGRESS, ROLLBACK_SUCCESSFUL. */
  readonly status: string;
  /** ROLLING, BLUE_GREEN, LINEAR or CANARY. */
  readonly strategy: string;
  /** ServiceDeployment.lifecycleStage, e.g. BAKE_TIME. */
  readonly stage?: string;
  /** Production traffic on the new revision (native strategies). */
  readonly productionTrafficPercent?: number;
  readonly bakeTimeLeftSeconds?: number;
  /** ECS's reason (rollback reason or status reason). */
  readonly reason?: string;
}

/** A rollout under way, or a rollback that holds the resource. */
export interface RolloutReport {
  readonly revision?: string;
  readonly rollout: RolloutStatus;
  /** One line for the condition message. */
  readonly message: string;
  /** With a rollback: what differs from the source (the revision ECS went back to). */
  readonly driftedFields?: readonly DriftedField[];
}

/** Rollout health of an ECS service, from its deployments, task counts and stopped tasks. */
export interface RolloutHealth {
  readonly state: 'Healthy' | 'Progressing' | 'Degraded';
  /** Stable CamelCase reason, e.g. `RolloutCompleted`, `RolloutInProgress`, `RolloutFailed`, `TasksFailing`. */
  readonly reason: string;
  /** One line: deployment, running/desired, and for Degraded ECS's stopped reason. */
  readonly message: string;
  /** With Degraded: ECS's stopped reason of the newest failed task, when it was read. */
  readonly stoppedReason?: string;
}

/** One drift episode of a resource, as `/status` lists it (newest first, bounded). */
export interface DriftRecord {
  /** ISO time the drift was seen. */
  readonly detectedAt: string;
  readonly mode: SyncMode;
  /** Revision in force when it was seen. */
  readonly revision?: string;
  /** The fields: live value (`from`) and the source's value (`to`), bounded for display. */
  readonly fields: readonly DriftedField[];
  /** True once the controller wrote the source's values back. */
  readonly reverted: boolean;
  readonly revertedAt?: string;
}

/** Most drift records kept per resource. */
export const DRIFT_HISTORY_LIMIT = 10;

export interface ResourceStatus extends ResourceRef {
  readonly conditions: readonly Condition[];
  /** Newest first, at most DRIFT_HISTORY_LIMIT; absent until a drift was seen. */
  readonly driftHistory?: readonly DriftRecord[];
  /** The ECS service deployment while Progressing or RolledBack is True. */
  readonly rollout?: RolloutStatus;
  readonly syncStatus: SyncStatus;
  readonly healthStatus: HealthStatus;
  readonly driftedFields: readonly DriftedField[];
  /**
   * Revision whose desired state is live (set when a reconcile ends without drift; for an ECS
   * service once the rollout of that revision completed).
   */
  readonly lastAppliedRevision?: string;
  /** Revision of the last reconcile attempt. */
  readonly lastAttemptedRevision?: string;
  readonly lastError?: { readonly reason: string; readonly message: string; readonly time: string };
  /** Writes done by the last successful reconcile, e.g. `update`, `create`. */
  readonly lastActions?: readonly string[];
  readonly lastReconcileTime?: string;
}

export interface SourceStatus {
  /** Source URL without credentials. */
  readonly url?: string;
  readonly revision?: string;
  readonly lastFetchTime?: string;
  readonly lastFetchError?: { readonly message: string; readonly time: string };
  /**
   * Errors of the revision in force that name no resource (a refused file, a YAML syntax
   * error): while any is listed, no prune runs. Absent when there are none.
   */
  readonly fileErrors?: readonly SourceFileError[];
}

/** One error of a source file that names no resource. */
export interface SourceFileError {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

export interface ControllerStatus {
  readonly controllerId?: string;
  readonly ready: boolean;
  /** Why not ready, when not. */
  readonly readyReason?: string;
  readonly source: SourceStatus;
  /** The last successful observe of AWS. */
  readonly lastObserveTime?: string;
  /** The last failed observe, while no observe succeeded since. */
  readonly lastObserveError?: { readonly message: string; readonly time: string };
  /** True while AWS could not be read for longer than the stale-after time: nothing is reported Synced. */
  readonly observationStale: boolean;
  /**
   * Until the first full observe after a start: the checkpoint the controller reports from
   * (when its observe began and where it was read). Nothing is written from it.
   */
  readonly restoredFrom?: { readonly observedTime: string; readonly location: string };
}

/** The writer lease as `/status` shows it (docs/operations.md "One writer: leases"). */
export interface LeaseStatus {
  readonly table: string;
  readonly account: string;
  readonly region: string;
  /** This process's holder id. */
  readonly self: string;
  /** Whether this process holds the lease and may write. */
  readonly leader: boolean;
  /** The holder as last seen (absent: nobody holds it). */
  readonly holder?: string;
  /** ISO time the holder took the lease. */
  readonly since?: string;
  /** The fencing token: +1 on every takeover. */
  readonly token?: number;
  /** ISO expiry as last seen (the holder's clock). */
  readonly expiresAt?: string;
  /** The last failed acquire or renew. */
  readonly lastError?: string;
}

/** What `GET /status` returns. */
export interface StatusSnapshot {
  readonly generatedAt: string;
  readonly controller: ControllerStatus;
  /** Sorted by key. */
  readonly resources: readonly ResourceStatus[];
  /** The last pass of task definition revision tidying, once one ran. */
  readonly revisionTidy?: RevisionTidyStatus;
  /** The last discovery health check, once one ran. */
  readonly discovery?: DiscoveryStatus;
  /** The writer lease, with `--lease-table`. */
  readonly lease?: LeaseStatus;
}

/** What the last revision tidying pass did (docs/operations.md "Task definition revisions"). */
export interface RevisionTidyStatus {
  /** ISO time the pass started. */
  readonly checkedAt: string;
  /** Whether the pass was the periodic sweep of every family (else only families just registered into). */
  readonly sweep: boolean;
  /** Families whose revisions were read. */
  readonly families: readonly string[];
  /** `TaskDefinition/<family>:<revision>` deregistered by the pass. */
  readonly deregistered: readonly string[];
  /** Deregistrations refused (a prune guard) or failed, with the reason. */
  readonly refused: readonly { readonly key: string; readonly reason: string }[];
  readonly failed: readonly { readonly key: string; readonly reason: string }[];
  /** Families (or `*` for the whole pass) left alone, and why. */
  readonly skipped: readonly { readonly family: string; readonly reason: string }[];
}

/**
 * One health finding as the status store keeps it. The discovery checks (src/discovery, a layer
 * above) produce them; the store only holds and serves them, so it names no check's types.
 */
export interface HealthFinding {
  /** Stable reason code (docs/discovery.md). */
  readonly reason: string;
  readonly kind: string;
  /** Resource key, e.g. `CloudMapService/internal/name`. */
  readonly key: string;
  /** Resource name (the last segment of the key). */
  readonly name: string;
  /** One line for people: names the service, the instance or task, and the IP. */
  readonly message: string;
  readonly instanceId?: string;
  readonly taskArn?: string;
  readonly ip?: string;
  /** The record set concerned: `name type [setIdentifier]`. */
  readonly record?: string;
}

/** A scope a health check could not read, and why. */
export interface UnreadableScope {
  /** Resource key, with `/zone` or `/records` for a namespace's hosted zone. */
  readonly scope: string;
  readonly reason: string;
}

/** Summary of the last discovery health check. Health, not drift: never fixed by applying. */
export interface DiscoveryStatus {
  /** ISO time the check started. */
  readonly checkedAt: string;
  readonly services: number;
  /** As the checks report them (src/discovery/types.ts, docs/discovery.md). */
  readonly findings: readonly HealthFinding[];
  readonly remediations: number;
  readonly unreadable: readonly UnreadableScope[];
}

/** Outcome of a reconcile that completed. */
export interface ReconciledReport {
  readonly revision?: string;
  /** Drift that remains after this reconcile (observe mode, blocked changes). */
  readonly driftedFields?: readonly DriftedField[];
  /** Writes done (empty when nothing had to change). */
  readonly actions?: readonly string[];
}

/** A failed, stalled or waiting reconcile. */
export interface ProblemReport {
  readonly revision?: string;
  readonly reason: string;
  readonly message: string;
}

/**
 * What a change listener is told of a resource: the few fields metrics and revision events
 * read, without the conditions list and its ISO times (a change is told after every
 * reconcile, so at the first scan of 10,000 resources a full view each was tens of MB made
 * to be thrown away).
 */
export interface ResourceSummary {
  readonly key: string;
  readonly mode: SyncMode;
  readonly syncStatus: SyncStatus;
  readonly healthStatus: HealthStatus;
  readonly driftedFields: readonly DriftedField[];
  /** False while the observation is stale (the Drifted condition says ObservationStale). */
  readonly driftKnown: boolean;
  /** The Reconciling condition is True. */
  readonly reconciling: boolean;
  /** The RolledBack condition is True. */
  readonly rolledBack: boolean;
  /** The reason of the Healthy condition (absent: the resource has none). */
  readonly healthyReason?: string;
  readonly lastAttemptedRevision?: string;
  readonly lastActions?: readonly string[];
}

type Listener = (key: string, status: ResourceSummary | undefined) => void;

/** What a condition says (its type is its slot; when it changed is kept beside it). */
interface ConditionState {
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
}

/**
 * Most resources say the same things ("in sync", "reconciliation finished"): each distinct
 * (status, reason, message) is one shared object. Bounded: when full it starts over, and what
 * resources already hold stays theirs.
 */
const STATES = new Map<string, ConditionState>();
const MAX_STATES = 2_000;

function conditionState(status: ConditionStatus, reason: string, message: string): ConditionState {
  const id = `${status}\u0000${reason}\u0000${message}`;
  let state = STATES.get(id);
  if (state === undefined) {
    if (STATES.size >= MAX_STATES) STATES.clear();
    state = Object.freeze({ status, reason, message });
    STATES.set(id, state);
  }
  return state;
}

/**
 * The conditions of one resource: one slot per condition type, in CONDITION_TYPES order, with
 * the last transition time of each (ms epoch) in a list of plain numbers. A resource holds
 * these for as long as it is managed, so they are two small arrays, not a Map of objects with
 * ISO strings (those are made when a view is asked for).
 */
class Conditions {
  // Sized once: an array grown by assignment keeps room for 17 entries.
  private readonly slots = new Array<ConditionState | undefined>(CONDITION_TYPES.length);
  // Numbers only, so V8 keeps them unboxed.
  private readonly times = CONDITION_TYPES.map(() => 0.5);

  get(type: ConditionType): ConditionState | undefined {
    return this.slots[CONDITION_INDEX[type]];
  }

  has(type: ConditionType): boolean {
    return this.slots[CONDITION_INDEX[type]] !== undefined;
  }

  /** Sets what the condition says; its transition time moves only when its status changes. */
  set(type: ConditionType, status: ConditionStatus, reason: string, message: string, now: () => number): void {
    const i = CONDITION_INDEX[type];
    const prev = this.slots[i];
    if (prev && prev.status === status && prev.reason === reason && prev.message === message) return;
    if (!prev || prev.status !== status) this.times[i] = now();
    this.slots[i] = conditionState(status, reason, message);
  }

  delete(type: ConditionType): void {
    this.slots[CONDITION_INDEX[type]] = undefined;
  }

  /** The conditions in CONDITION_TYPES order, as the API shows them. */
  list(): Condition[] {
    const out: Condition[] = [];
    this.slots.forEach((c, i) => {
      const type = CONDITION_TYPES[i];
      if (c !== undefined && type !== undefined) {
        out.push({ type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: new Date(this.times[i] ?? 0).toISOString() });
      }
    });
    return out;
  }
}

const CONDITION_INDEX = Object.fromEntries(CONDITION_TYPES.map((t, i) => [t, i])) as Record<ConditionType, number>;

/** One empty list shared by every resource without drift or actions (most of them). */
const NONE: readonly never[] = Object.freeze([]);

interface MutableResource {
  ref: ResourceRef;
  conditions: Conditions;
  /** The Healthy condition as the discovery checks set it, and the rollout health of an ECS service. */
  discoveryHealth?: { status: ConditionStatus; reason: string; message: string };
  rolloutHealth?: RolloutHealth;
  driftHistory?: DriftRecord[];
  rollout?: RolloutStatus;
  driftedFields: readonly DriftedField[];
  lastAppliedRevision?: string;
  lastAttemptedRevision?: string;
  lastError?: { reason: string; message: string; time: string };
  lastActions?: readonly string[];
  /** ms epoch */
  lastReconcileTime?: number;
}

/**
 * The identity without the kind: `internal/api` for `CloudMapService/internal/api`,
 * `prod/web` for `EcsService/prod/web`, `internal` for `CloudMapNamespace/internal`. Unlike
 * `name`, it tells apart same-named services in two namespaces or clusters, so it is what
 * the CLI table and the metrics' `name` label show.
 */
export function qualifiedName(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(slash + 1);
}

/** Kind and name from a key `Kind/.../name`. */
export function refFromKey(key: string, mode: SyncMode = 'enforce'): ResourceRef {
  const parts = key.split('/');
  return { key, kind: parts[0] ?? key, name: parts[parts.length - 1] ?? key, mode };
}

/**
 * Summarizes conditions: Stalled wins, then a stale observation (Unknown), a rollback (Failed),
 * a rollout (Progressing), Ready, Drifted, a failed Ready, Reconciling.
 */
export function syncStatusOf(conditions: readonly Condition[]): SyncStatus {
  return syncStatusFrom((t) => conditions.find((c) => c.type === t));
}

/** syncStatusOf, from what each condition type says (undefined: the resource has none). */
function syncStatusFrom(condition: (t: ConditionType) => Pick<Condition, 'status' | 'reason'> | undefined): SyncStatus {
  const get = (t: ConditionType): ConditionStatus | undefined => condition(t)?.status;
  if (get('Stalled') === 'True') return 'Stalled';
  if (condition('Ready')?.reason === OBSERVATION_STALE) return 'Unknown';
  if (get('RolledBack') === 'True') return 'Failed';
  if (get('Progressing') === 'True') return 'Progressing';
  if (get('Ready') === 'True') return 'Synced';
  if (get('Drifted') === 'True') return 'OutOfSync';
  if (get('Ready') === 'False') return 'Failed';
  if (get('Reconciling') === 'True') return 'Progressing';
  return 'Unknown';
}

/** Options of a StatusStore. */
export interface StatusStoreOptions {
  readonly now?: () => number;
  readonly controllerId?: string;
  /** AWS reads failing for longer than this make the observation stale (absent: never stale). */
  readonly staleAfterMs?: number;
  /** Whether readiness fails while the observation is stale (default true). */
  readonly readyFailWhenStale?: boolean;
  /** Whether readiness fails while a lease is set and this process does not hold it (default false). */
  readonly readyRequireLeader?: boolean;
}

/** Resources per piece of `snapshotJson()`. */
const STATUS_PIECE = 200;
/** Where the resources go in the text of a snapshot without them (no status text holds a NUL). */
const RESOURCES_MARK = '\u0000resources\u0000';
const RESOURCES_MARK_JSON = JSON.stringify(RESOURCES_MARK);

/** The status every part of the controller reports into. */
export class StatusStore {
  private readonly resources = new Map<string, MutableResource>();
  private readonly listeners: Listener[] = [];
  private source: {
    url?: string;
    revision?: string;
    lastFetchTime?: string;
    lastFetchError?: { message: string; time: string };
    fileErrors?: readonly SourceFileError[];
  } = {};
  private lastObserveTime: string | undefined;
  private restoredFrom: ControllerStatus['restoredFrom'];
  private discovery: DiscoveryStatus | undefined;
  private revisionTidy: RevisionTidyStatus | undefined;
  private readonly freshness: ObservationFreshness | undefined;
  private stale = false;
  private lease: LeaseStatus | undefined;

  constructor(private readonly options: StatusStoreOptions = {}) {
    this.freshness = options.staleAfterMs !== undefined ? new ObservationFreshness(options.staleAfterMs, this.nowMs()) : undefined;
  }

  private nowMs(): number {
    return (this.options.now ?? Date.now)();
  }

  private iso(): string {
    return new Date((this.options.now ?? Date.now)()).toISOString();
  }

  // ------------------------------------------------------------------ controller level

  /** The writer lease as last seen (absent without `--lease-table`). */
  setLease(lease: LeaseStatus | undefined): void {
    this.lease = lease;
  }

  setSourceUrl(url: string): void {
    this.source.url = url;
  }

  /** A fetch succeeded (the revision may be unchanged). Clears the last fetch error. */
  recordFetch(revision: string): void {
    this.source.revision = revision;
    this.source.lastFetchTime = this.iso();
    delete this.source.lastFetchError;
  }

  /** The errors naming no resource of the revision in force (empty: none, and prunes may run). */
  setFileErrors(errors: readonly SourceFileError[]): void {
    if (errors.length === 0) delete this.source.fileErrors;
    else this.source.fileErrors = [...errors];
  }

  /** A fetch failed; the last good revision stays. */
  recordFetchError(message: string): void {
    this.source.lastFetchError = { message, time: this.iso() };
  }

  /** A full observe of AWS finished. Ends a stale observation. */
  recordObserve(): void {
    this.lastObserveTime = this.iso();
    this.restoredFrom = undefined;
    this.freshness?.recordSuccess(this.nowMs());
    this.refreshStaleness();
  }

  /**
   * The controller reports from a checkpoint of an earlier observe until its own first full
   * observe (which ends this): ready, since drift is reported, though nothing is written yet.
   */
  recordRestored(observedAtMs: number, location: string): void {
    if (this.lastObserveTime !== undefined) return;
    this.restoredFrom = { observedTime: new Date(observedAtMs).toISOString(), location };
  }

  /** An observe of AWS failed (after the SDK's retries); the last good observation stays in use. */
  recordObserveError(message: string): void {
    this.freshness?.recordFailure(this.nowMs(), message);
    this.refreshStaleness();
  }

  /** True while the observation of AWS is stale (see freshness.ts). */
  isStale(): boolean {
    this.refreshStaleness();
    return this.stale;
  }

  /** Last successful observe of AWS (ms epoch), if any. */
  lastObserveAt(): number | undefined {
    return this.lastObserveTime === undefined ? undefined : Date.parse(this.lastObserveTime);
  }

  /** Why the observation is stale: the last successful read and the error, for conditions and /readyz. */
  staleMessage(): string {
    const f = this.freshness?.state(this.nowMs());
    const last = f?.lastSuccessAt !== undefined ? `since ${new Date(f.lastSuccessAt).toISOString()}` : 'since the start (never read)';
    const after = this.freshness ? Math.round(this.freshness.staleAfterMs / 1000) : 0;
    return `AWS could not be read ${last}, longer than the stale-after time (${after}s); last error: ${f?.lastFailure?.message ?? 'unknown'}`;
  }

  /**
   * Re-evaluates staleness now. On turning stale every resource's Ready and Drifted become
   * Unknown (ObservationStale): what was Synced is no longer known to be. On turning fresh
   * nothing changes here; the reconciles that follow report each resource again.
   * Returns the transition, if one happened.
   */
  refreshStaleness(): 'stale' | 'fresh' | undefined {
    const stale = this.freshness?.state(this.nowMs()).stale ?? false;
    if (stale === this.stale) return undefined;
    this.stale = stale;
    if (!stale) return 'fresh';
    const message = this.staleMessage();
    for (const [key, r] of this.resources) {
      this.set(r, 'Ready', 'Unknown', OBSERVATION_STALE, message);
      this.set(r, 'Drifted', 'Unknown', OBSERVATION_STALE, message);
      this.emit(key);
    }
    return 'stale';
  }

  /**
   * Ready once the source was read and AWS observed at least once (or a checkpoint of an
   * earlier observe restored), and (unless configured otherwise) while the observation is not stale.
   */
  readiness(): { ok: boolean; reason?: string } {
    if (this.source.lastFetchTime === undefined) return { ok: false, reason: 'source not read yet' };
    if (this.lastObserveTime === undefined && this.restoredFrom === undefined) return { ok: false, reason: 'AWS not observed yet' };
    if (this.isStale() && this.options.readyFailWhenStale !== false) return { ok: false, reason: `observation stale: ${this.staleMessage()}` };
    if (this.options.readyRequireLeader && this.lease && !this.lease.leader) {
      return { ok: false, reason: `not the leader: ${this.lease.holder !== undefined ? `${this.lease.holder} holds the lease` : 'the lease is not held yet'}` };
    }
    return { ok: true };
  }

  // ------------------------------------------------------------------ per resource

  /** Registers a resource or updates its kind/name/mode. */
  track(ref: ResourceRef): void {
    const r = this.resources.get(ref.key);
    if (r) {
      r.ref = ref;
    } else {
      this.resources.set(ref.key, { ref, conditions: new Conditions(), driftedFields: NONE });
    }
    this.emit(ref.key);
  }

  /** A reconcile of `key` started. */
  reconciling(key: string, revision?: string): void {
    const r = this.ensure(key);
    if (revision !== undefined) r.lastAttemptedRevision = revision;
    this.set(r, 'Reconciling', 'True', 'Progressing', `reconciling${revision ? ` revision ${revision}` : ''}`);
    if (!r.conditions.has('Ready')) this.set(r, 'Ready', 'Unknown', 'Progressing', 'reconciliation in progress');
    this.emit(key);
  }

  /** A reconcile completed; remaining drift (if any) makes the resource OutOfSync. */
  reconciled(key: string, report: ReconciledReport): void {
    const r = this.ensure(key);
    const drift = nonEmpty(report.driftedFields);
    const actions = nonEmpty(report.actions);
    if (report.revision !== undefined) r.lastAttemptedRevision = report.revision;
    r.lastReconcileTime = this.nowMs();
    r.driftedFields = drift;
    r.lastActions = actions;
    delete r.lastError;
    this.endRollout(r);
    this.set(r, 'Reconciling', 'False', 'ReconciliationSucceeded', 'reconciliation finished');
    this.set(r, 'Stalled', 'False', 'ReconciliationSucceeded', '');
    if (drift.length > 0) {
      const fields = drift.map((d) => d.path).join(', ');
      const why = r.ref.mode === 'observe' ? 'observe mode: not reverted' : 'not reverted';
      this.set(r, 'Drifted', 'True', 'DriftDetected', `${drift.length} field(s) differ from the source (${why}): ${fields}`);
      this.set(r, 'Ready', 'False', 'DriftDetected', `live state differs from the source in ${drift.length} field(s)`);
    } else {
      // A revision counts as deployed once its ECS rollout completed (setRolloutHealth records it then).
      if (report.revision !== undefined && (r.rolloutHealth === undefined || r.rolloutHealth.state === 'Healthy')) r.lastAppliedRevision = report.revision;
      const corrected = actions.length > 0;
      this.set(r, 'Drifted', 'False', corrected ? 'DriftCorrected' : 'NoDrift', corrected ? `applied: ${actions.join(', ')}` : 'live state matches the source');
      this.set(r, 'Ready', 'True', 'ReconciliationSucceeded', corrected ? `applied: ${actions.join(', ')}` : 'in sync');
    }
    this.emit(key);
  }

  /**
   * An observe found drift before any reconcile ran on it: records the fields and marks the
   * resource OutOfSync. The reconcile that follows reports whether it was reverted.
   */
  driftDetected(key: string, report: { readonly driftedFields: readonly DriftedField[] }): void {
    const r = this.ensure(key);
    if (report.driftedFields.length === 0) return;
    r.driftedFields = report.driftedFields;
    const fields = report.driftedFields.map((d) => d.path).join(', ');
    const next = r.ref.mode === 'observe' ? 'observe mode: not reverted' : 'to be reverted';
    this.set(r, 'Drifted', 'True', 'DriftDetected', `${report.driftedFields.length} field(s) differ from the source (${next}): ${fields}`);
    if (r.conditions.get('Stalled')?.status !== 'True') {
      this.set(r, 'Ready', 'False', 'DriftDetected', `live state differs from the source in ${report.driftedFields.length} field(s)`);
    }
    this.emit(key);
  }

  /**
   * ECS is rolling out (or back) the revision the source asks for: nothing is written and
   * what looks different meanwhile is not drift.
   */
  progressing(key: string, report: RolloutReport): void {
    const r = this.ensure(key);
    if (report.revision !== undefined) r.lastAttemptedRevision = report.revision;
    r.rollout = report.rollout;
    r.driftedFields = NONE;
    delete r.lastError;
    this.set(r, 'RolledBack', 'False', 'RolloutInProgress', '');
    this.set(r, 'Progressing', 'True', 'RolloutInProgress', report.message);
    this.set(r, 'Reconciling', 'False', 'RolloutInProgress', '');
    this.set(r, 'Stalled', 'False', 'RolloutInProgress', '');
    this.set(r, 'Drifted', 'False', 'RolloutInProgress', 'an ECS deployment of the source revision is under way: not drift');
    this.set(r, 'Ready', 'Unknown', 'RolloutInProgress', report.message);
    this.emit(key);
  }

  /**
   * ECS rolled back the revision the source asks for: it is held (not applied again) until
   * the source asks for another one or `ecs-gitops rollout retry` lifts the hold.
   */
  rolledBack(key: string, report: RolloutReport): void {
    const r = this.ensure(key);
    if (report.revision !== undefined) r.lastAttemptedRevision = report.revision;
    r.rollout = report.rollout;
    r.driftedFields = nonEmpty(report.driftedFields);
    this.set(r, 'Progressing', 'False', 'RolledBack', '');
    this.set(r, 'RolledBack', 'True', 'RolledBack', report.message);
    this.set(r, 'Reconciling', 'False', 'RolledBack', '');
    this.set(r, 'Stalled', 'False', 'RolledBack', '');
    this.set(r, 'Drifted', 'True', 'RolledBack', 'ECS returned to the previous revision; held, not reverted');
    this.set(r, 'Ready', 'False', 'RolledBack', report.message);
    this.emit(key);
  }

  /** Something is in progress (async operation); the reconcile will be retried. */
  waiting(key: string, report: ProblemReport): void {
    const r = this.ensure(key);
    this.endRollout(r);
    if (report.revision !== undefined) r.lastAttemptedRevision = report.revision;
    this.set(r, 'Reconciling', 'True', report.reason, report.message);
    this.set(r, 'Ready', 'Unknown', report.reason, report.message);
    this.set(r, 'Stalled', 'False', report.reason, '');
    this.emit(key);
  }

  /** A transient failure; the reconcile is retried with backoff. */
  failed(key: string, report: ProblemReport): void {
    const r = this.ensure(key);
    this.endRollout(r);
    if (report.revision !== undefined) r.lastAttemptedRevision = report.revision;
    r.lastError = { reason: report.reason, message: report.message, time: this.iso() };
    this.set(r, 'Ready', 'False', report.reason, report.message);
    this.set(r, 'Reconciling', 'True', 'RetryingAfterFailure', report.message);
    this.set(r, 'Stalled', 'False', report.reason, '');
    this.emit(key);
  }

  /** Needs a human: not retried until the next revision or resync. */
  stalled(key: string, report: ProblemReport): void {
    const r = this.ensure(key);
    this.endRollout(r);
    if (report.revision !== undefined) r.lastAttemptedRevision = report.revision;
    r.lastError = { reason: report.reason, message: report.message, time: this.iso() };
    this.set(r, 'Stalled', 'True', report.reason, report.message);
    this.set(r, 'Ready', 'False', report.reason, report.message);
    this.set(r, 'Reconciling', 'False', report.reason, '');
    this.emit(key);
  }

  /** Health from discovery checks (e.g. registered instances vs running tasks). */
  setHealth(key: string, status: ConditionStatus, reason: string, message: string): void {
    const r = this.ensure(key);
    r.discoveryHealth = { status, reason, message };
    this.setHealthy(r);
    this.emit(key);
  }

  /** Rollout health of an ECS service (undefined: not known); combined with discovery health. */
  setRolloutHealth(key: string, health: RolloutHealth | undefined): void {
    const r = this.resources.get(key);
    if (!r) return;
    const prev = r.rolloutHealth;
    if (prev?.state === health?.state && prev?.reason === health?.reason && prev?.message === health?.message) return;
    if (health) r.rolloutHealth = health;
    else delete r.rolloutHealth;
    this.setHealthy(r);
    if (health?.state === 'Healthy' && r.conditions.get('Ready')?.status === 'True' && r.lastAttemptedRevision !== undefined) {
      r.lastAppliedRevision = r.lastAttemptedRevision;
    }
    this.emit(key);
  }

  /** The current rollout health of a resource, if any. */
  rolloutHealth(key: string): RolloutHealth | undefined {
    return this.resources.get(key)?.rolloutHealth;
  }

  /** A drift was seen: a new record heads the resource's history (the oldest beyond the limit go). */
  recordDrift(key: string, record: Omit<DriftRecord, 'reverted' | 'revertedAt'>): void {
    const r = this.resources.get(key);
    if (!r) return;
    r.driftHistory = [{ ...record, reverted: false }, ...(r.driftHistory ?? [])].slice(0, DRIFT_HISTORY_LIMIT);
    this.emit(key);
  }

  /** The newest drift record of the resource was reverted at `at` (ISO). */
  recordDriftReverted(key: string, at: string): void {
    const r = this.resources.get(key);
    const newest = r?.driftHistory?.[0];
    if (!r || !newest || newest.reverted) return;
    r.driftHistory = [{ ...newest, reverted: true, revertedAt: at }, ...(r.driftHistory ?? []).slice(1)];
    this.emit(key);
  }

  /**
   * The Healthy condition from both sources: a failing rollout or a discovery finding makes it
   * False (the rollout's reason first), a rollout under way Unknown, otherwise either source's True.
   */
  private setHealthy(r: MutableResource): void {
    const d = r.discoveryHealth;
    const h = r.rolloutHealth;
    if (h?.state === 'Degraded') this.set(r, 'Healthy', 'False', h.reason, h.message);
    else if (d?.status === 'False') this.set(r, 'Healthy', 'False', d.reason, d.message);
    else if (h?.state === 'Progressing') this.set(r, 'Healthy', 'Unknown', h.reason, h.message);
    else if (d?.status === 'True') this.set(r, 'Healthy', 'True', d.reason, h ? `${d.message}; ${h.message}` : d.message);
    else if (h) this.set(r, 'Healthy', 'True', h.reason, h.message);
    else if (d) this.set(r, 'Healthy', d.status, d.reason, d.message);
    else r.conditions.delete('Healthy');
  }

  /** The result of the last discovery health check (served in the snapshot's `discovery`). */
  setDiscovery(discovery: DiscoveryStatus): void {
    this.discovery = discovery;
  }

  /** The result of the last revision tidying pass (served in the snapshot's `revisionTidy`). */
  setRevisionTidy(result: RevisionTidyStatus): void {
    this.revisionTidy = result;
  }

  remove(key: string): void {
    if (this.resources.delete(key)) this.emit(key);
  }

  /** Removes every resource whose key is not in `keys`. */
  retain(keys: Iterable<string>): void {
    const keep = new Set(keys);
    for (const key of [...this.resources.keys()]) if (!keep.has(key)) this.remove(key);
  }

  get(key: string): ResourceStatus | undefined {
    const r = this.resources.get(key);
    return r ? view(r) : undefined;
  }

  /** What change listeners are told of the resource (cheaper than `get`: no conditions list). */
  summary(key: string): ResourceSummary | undefined {
    const r = this.resources.get(key);
    return r ? summary(r) : undefined;
  }

  /** Called after every change of a resource (status undefined = removed). Returns an unsubscribe. */
  onChange(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  snapshot(): StatusSnapshot {
    return this.snapshotWith(() => this.sorted().map(view));
  }

  /** Every resource as change listeners are told of it, one at a time, in no particular order. */
  *summaries(): Generator<ResourceSummary> {
    for (const r of this.resources.values()) yield summary(r);
  }

  /**
   * `snapshot()` as the text `JSON.stringify(snapshot(), null, 2)` makes, in pieces of at most
   * `STATUS_PIECE` resources: at 10,000 resources the text is tens of MB, and building it whole
   * (and the buffer a socket write copies it into) grew the process by ~80 MiB per request.
   */
  *snapshotJson(): Generator<string> {
    // The snapshot without its resources, with a marker where they go.
    const text = JSON.stringify(
      this.snapshotWith(() => RESOURCES_MARK),
      null,
      2,
    );
    const at = text.indexOf(RESOURCES_MARK_JSON);
    const head = text.slice(0, at);
    const tail = text.slice(at + RESOURCES_MARK_JSON.length);
    const sorted = this.sorted();
    if (sorted.length === 0) {
      yield `${head}[]${tail}`;
      return;
    }
    // The array's items are two levels in: each line of an item is indented by four spaces.
    let piece = `${head}[`;
    for (let i = 0; i < sorted.length; i++) {
      const item = JSON.stringify(view(sorted[i] as MutableResource), null, 2).replaceAll('\n', '\n    ');
      piece += `${i === 0 ? '' : ','}\n    ${item}`;
      if ((i + 1) % STATUS_PIECE === 0) {
        yield piece;
        piece = '';
      }
    }
    yield `${piece}\n  ]${tail}`;
  }

  /** The resources sorted by key. */
  private sorted(): MutableResource[] {
    return [...this.resources.values()].sort((a, b) => (a.ref.key < b.ref.key ? -1 : 1));
  }

  /** The snapshot with `resources()` as its resources, made after readiness (which may mark them stale). */
  private snapshotWith<R>(resources: () => R): Omit<StatusSnapshot, 'resources'> & { resources: R } {
    const ready = this.readiness();
    const failure = this.freshness?.state(this.nowMs()).lastFailure;
    return {
      generatedAt: this.iso(),
      controller: {
        ...(this.options.controllerId !== undefined ? { controllerId: this.options.controllerId } : {}),
        ready: ready.ok,
        ...(ready.reason !== undefined ? { readyReason: ready.reason } : {}),
        source: { ...this.source },
        ...(this.lastObserveTime !== undefined ? { lastObserveTime: this.lastObserveTime } : {}),
        ...(failure !== undefined ? { lastObserveError: { message: failure.message, time: new Date(failure.at).toISOString() } } : {}),
        observationStale: this.stale,
        ...(this.restoredFrom !== undefined ? { restoredFrom: this.restoredFrom } : {}),
      },
      resources: resources(),
      ...(this.revisionTidy !== undefined ? { revisionTidy: this.revisionTidy } : {}),
      ...(this.discovery !== undefined ? { discovery: this.discovery } : {}),
      ...(this.lease !== undefined ? { lease: this.lease } : {}),
    };
  }

  /** A reconcile that ends the normal way ends a rollout or a hold. */
  private endRollout(r: MutableResource): void {
    if (r.conditions.get('Progressing')?.status === 'True') this.set(r, 'Progressing', 'False', 'RolloutFinished', 'the ECS deployment finished');
    if (r.conditions.get('RolledBack')?.status === 'True')
      this.set(r, 'RolledBack', 'False', 'HoldLifted', 'the source asks for another revision, or a retry was requested');
    delete r.rollout;
  }

  private ensure(key: string): MutableResource {
    let r = this.resources.get(key);
    if (!r) {
      r = { ref: refFromKey(key), conditions: new Conditions(), driftedFields: NONE };
      this.resources.set(key, r);
    }
    return r;
  }

  private set(r: MutableResource, type: ConditionType, status: ConditionStatus, reason: string, message: string): void {
    r.conditions.set(type, status, reason, message, () => this.nowMs());
  }

  private emit(key: string): void {
    const r = this.resources.get(key);
    const status = r ? summary(r) : undefined;
    for (const l of this.listeners) {
      try {
        l(key, status);
      } catch {
        // Listeners are observers (metrics); never let one break status reporting.
      }
    }
  }
}

function healthStatusOf(r: MutableResource): HealthStatus {
  const healthy = r.conditions.get('Healthy')?.status;
  const progressing = r.rolloutHealth?.state === 'Progressing' || r.conditions.get('Progressing')?.status === 'True';
  return healthy === 'False' ? 'Degraded' : progressing ? 'Progressing' : healthy === 'True' ? 'Healthy' : 'Unknown';
}

function summary(r: MutableResource): ResourceSummary {
  return {
    key: r.ref.key,
    mode: r.ref.mode,
    syncStatus: syncStatusFrom((t) => r.conditions.get(t)),
    healthStatus: healthStatusOf(r),
    driftedFields: r.driftedFields,
    driftKnown: r.conditions.get('Drifted')?.reason !== OBSERVATION_STALE,
    reconciling: r.conditions.get('Reconciling')?.status === 'True',
    rolledBack: r.conditions.get('RolledBack')?.status === 'True',
    ...(r.conditions.has('Healthy') ? { healthyReason: r.conditions.get('Healthy')?.reason } : {}),
    ...(r.lastAttemptedRevision !== undefined ? { lastAttemptedRevision: r.lastAttemptedRevision } : {}),
    ...(r.lastActions !== undefined ? { lastActions: r.lastActions } : {}),
  };
}

function view(r: MutableResource): ResourceStatus {
  const conditions = r.conditions.list();
  return {
    ...r.ref,
    conditions,
    ...(r.driftHistory !== undefined ? { driftHistory: r.driftHistory.map((d) => ({ ...d })) } : {}),
    ...(r.rollout !== undefined ? { rollout: { ...r.rollout } } : {}),
    syncStatus: syncStatusOf(conditions),
    healthStatus: healthStatusOf(r),
    driftedFields: r.driftedFields,
    ...(r.lastAppliedRevision !== undefined ? { lastAppliedRevision: r.lastAppliedRevision } : {}),
    ...(r.lastAttemptedRevision !== undefined ? { lastAttemptedRevision: r.lastAttemptedRevision } : {}),
    ...(r.lastError !== undefined ? { lastError: { ...r.lastError } } : {}),
    ...(r.lastActions !== undefined ? { lastActions: r.lastActions } : {}),
    ...(r.lastReconcileTime !== undefined ? { lastReconcileTime: new Date(r.lastReconcileTime).toISOString() } : {}),
  };
}

/** The list, or the shared empty one. */
function nonEmpty<T>(list: readonly T[] | undefined): readonly T[] {
  return list === undefined || list.length === 0 ? NONE : list;
}
