/**
 * The batched scan behind every resync: one observe of AWS (scope from the desired set plus
 * the configured clusters), one plan, then status and drift metrics for every resource. The
 * reconciler works from the newest snapshot; it never observes on its own.
 */
import type { Logger } from 'pino';
import type { AwsClients } from '../aws/clients.js';
import { AwsError } from '../aws/errors.js';
import { observe, ownersOf, scopeFromDesired, type ObserveCaches } from '../observe/index.js';
import type { StatusStore, DriftedField, SyncMode } from '../controller/status.js';
import type { Artifact } from '../sources/artifact.js';
import { computePlan, isDrift, replanKeys, type PlanOptions } from '../reconcile/plan.js';
import type { LiveResource, LiveSet, Plan, ResourcePlan } from '../kit/types.js';
import { desiredStateOf, loadDesiredState, type DesiredState, type InvalidManifest } from './desired-state.js';
import { loadManifests, type LoadResult } from '../reconcile/load.js';
import { revisionWithValues, valuesDigest, type ReadValues } from '../reconcile/overlay-values.js';
import type { ExternalValueRef } from '../manifests/overlay/values.js';
import { mayHoldOverlays } from '../manifests/overlay/compose.js';
import type { RolloutEntry, RolloutReader } from './rollouts.js';
import type { RolloutHealthReader } from './rollout-health.js';
import type { EcsRolloutHealth } from '../kinds/ecs-service/health.js';
import { keepEqual, reuseUnchanged } from './reuse-live.js';
import { errorMessage } from '../util/errors.js';

/** Plan and prune settings of the scan. */
export interface ScanSettings {
  readonly controllerId: string;
  readonly defaultMode: SyncMode;
  /** Most deletions per pass; 0 disables pruning. */
  readonly maxDeletions: number;
  readonly maxPercent: number;
  /** Extra clusters to read (owned services whose manifests were removed may live there). */
  readonly clusters: readonly string[];
  /** AWS calls in flight at once within one observe. */
  readonly observeConcurrency?: number;
}

/** The newest complete picture: what the source wants, what AWS has, what to do. */
export interface Snapshot {
  /** Increases by one per scan. */
  readonly seq: number;
  readonly revision: string;
  readonly state: DesiredState;
  readonly live: LiveSet;
  readonly plan: Plan;
  readonly byKey: ReadonlyMap<string, ResourcePlan>;
  /** Status keys of invalid manifests, with the manifest. */
  readonly invalidKeys: ReadonlyMap<string, InvalidManifest>;
  /** When the observe began (ms epoch): writes after this moment are not in `live`. */
  readonly observeStartedAt: number;
  /** Every key the controller reconciles: desired, owned live and invalid ones. */
  readonly keys: readonly string[];
  /**
   * ECS services whose deployment is under way or was rolled back (see rollouts.ts): they are
   * not reported as drifted by the scan, and the reconciler consults the gate before writing.
   */
  readonly rollouts?: ReadonlyMap<string, RolloutEntry>;
  /** Rollout health of the owned ECS services (see rollout-health.ts). */
  readonly health?: ReadonlyMap<string, EcsRolloutHealth>;
  /**
   * Keys re-observed on their own (a change event) after `observeStartedAt`, with when that
   * read began: their live state is newer than the rest of the snapshot.
   */
  readonly observedAt?: ReadonlyMap<string, number>;
  /**
   * Set while the live state is a checkpoint of an earlier observe (see Scanner.restore), until
   * the first full scan: drift is reported from it, but only keys re-observed since (in
   * `observedAt`) may be written, and nothing is pruned.
   */
  readonly restored?: { readonly observedAt: number; readonly location: string };
}

/** Whether `key` may be written from `snap`: not while its live state comes only from a checkpoint. */
export function writableFrom(snap: Snapshot, key: string): boolean {
  return snap.restored === undefined || snap.observedAt?.has(key) === true;
}

/** When the live state of `key` in `snap` was read (ms epoch): its own re-observe, else the scan's. */
export function observedAtOf(snap: Snapshot, key: string): number {
  return Math.max(snap.observeStartedAt, snap.observedAt?.get(key) ?? 0);
}

export interface ScannerDeps {
  readonly clients: AwsClients;
  readonly caches: ObserveCaches;
  readonly settings: ScanSettings;
  readonly status: StatusStore;
  readonly logger: Logger;
  /** Last write time (ms epoch) of a key, so a scan older than the write reports no drift for it. */
  readonly lastWriteAt: (key: string) => number | undefined;
  /** Reads the deployments of ECS services under way or about to be redeployed (absent: no rollout gates). */
  readonly rollouts?: RolloutReader;
  /** Judges the rollout health of ECS services (absent: none reported). */
  readonly health?: RolloutHealthReader;
  /** Reads Overlay values outside the source (absent: such values are errors, never placeholders). */
  readonly readValues?: ReadValues;
  readonly now?: () => number;
  /**
   * Runs after each successful scan (revision tidying), beside the reconciles of that
   * snapshot; the next scan waits for it, so no newer snapshot is published while it runs.
   * Its failure is logged, never the scan's.
   */
  readonly afterScan?: (snapshot: Snapshot) => Promise<void>;
  /** Told every published snapshot (revision events). */
  readonly onSnapshot?: (snapshot: Snapshot) => void;
}

/** Fields that differ, as status reports them. Creates and deletes get one synthetic field. */
export function driftOf(rp: ResourcePlan): DriftedField[] {
  if (rp.changes.length > 0) return rp.changes.map((c) => ({ path: c.path, from: c.from, to: c.to }));
  const action = rp.action === 'blocked' ? rp.wouldBe : rp.action;
  if (action === 'create') return [{ path: '(resource)', from: 'missing', to: 'present' }];
  if (action === 'delete') return [{ path: '(resource)', from: 'present', to: 'not in the source' }];
  return [];
}

/**
 * Holds the artifact in force and runs scans. Scans never overlap: a request during a
 * running scan is served by one follow-up scan (so it sees the newest artifact and AWS).
 */
export class Scanner {
  /**
   * The artifact in force. Its files are let go once its desired state is final (no Overlay
   * value read outside the source, so nothing to render again): at thousands of manifests
   * the text is MBs that nothing reads until the next revision.
   */
  private artifact: Artifact | undefined;
  private filesLetGo = false;
  private state: DesiredState | undefined;
  private snapshot: Snapshot | undefined;
  private seq = 0;
  private running: Promise<Snapshot | undefined> | undefined;
  private queued: Promise<Snapshot | undefined> | undefined;
  /** Single-resource observations (change events), kept until a full observe that began later replaces them. */
  private readonly patches = new Map<string, { at: number; live: LiveResource | undefined }>();
  private readonly now: () => number;
  /** The after-scan work of the newest snapshot. */
  private afterWork: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ScannerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** A new good artifact from the poller; the next scan loads it. */
  setArtifact(artifact: Artifact): void {
    this.artifact = artifact;
    this.filesLetGo = false;
  }

  /** The newest snapshot, if a scan has completed. */
  latest(): Snapshot | undefined {
    return this.snapshot;
  }

  /**
   * Puts single resources re-observed at `observedAt` (undefined: gone) into the newest snapshot
   * and plans again, without reading AWS. A full scan running meanwhile that began earlier keeps
   * them. Returns the new snapshot, or undefined before the first scan.
   */
  patch(updates: ReadonlyMap<string, LiveResource | undefined>, observedAt: number): Snapshot | undefined {
    const snap = this.snapshot;
    if (!snap) return undefined;
    for (const [key, live] of updates) {
      const known = this.patches.get(key);
      if (!known || known.at <= observedAt) this.patches.set(key, { at: observedAt, live });
    }
    const resources = new Map(snap.live.resources);
    const observed = new Map(snap.observedAt ?? []);
    this.applyPatches(resources, observed, snap.observeStartedAt);
    const live = { ...snap.live, resources };
    const before = new Map([...updates.keys()].map((key) => [key, snap.live.resources.get(key)]));
    // Only the changed keys are planned again when nothing else can change with them.
    const incremental = replanKeys(snap.plan, live, before, this.planOptions(snap.state));
    // The rollout gates of the last full scan stay: reading deployments again would make a
    // change event wait on AWS calls (the next scan reads them).
    const options = snap.restored ? { ...this.planOptions(snap.state), pruneEnabled: false } : this.planOptions(snap.state);
    const plan = incremental ?? observeDefault(computePlan(snap.state.desired, live, options), this.deps.settings.defaultMode);
    return this.publish(snap.state, live, plan, snap.observeStartedAt, observed, snap.rollouts ?? new Map(), snap.health ?? new Map(), {
      from: 'patch',
      ...(incremental ? { touched: new Set(before.keys()) } : {}),
      ...(snap.restored ? { restored: snap.restored } : {}),
    });
  }

  /** Overlays the patches newer than `since` on `resources`; forgets the older ones. */
  private applyPatches(resources: Map<string, LiveResource>, observed: Map<string, number>, since: number): void {
    for (const [key, p] of this.patches) {
      if (p.at <= since) {
        this.patches.delete(key);
        continue;
      }
      if (p.live) resources.set(key, p.live);
      else resources.delete(key);
      observed.set(key, p.at);
    }
  }

  /**
   * Publishes the live set of a checkpoint (an earlier observe) as the first snapshot, before
   * the first scan: drift is reported at once, nothing may be written from it but keys
   * re-observed since (writableFrom), and nothing is pruned. Undefined without an artifact, or
   * once a scan has completed (it is newer).
   */
  async restore(resources: Map<string, LiveResource>, observedAt: number, location: string): Promise<Snapshot | undefined> {
    const artifact = this.artifact;
    if (!artifact || this.snapshot) return undefined;
    const state = await this.desiredState(artifact);
    if (this.snapshot) return undefined;
    reuseUnchanged(undefined, resources);
    const live: LiveSet = { resources, calls: {}, unreadable: [] };
    const plan = observeDefault(computePlan(state.desired, live, { ...this.planOptions(state), pruneEnabled: false }), this.deps.settings.defaultMode);
    this.deps.status.recordRestored(observedAt, location);
    return this.publish(state, live, plan, observedAt, new Map(), new Map(), new Map(), { from: 'checkpoint', restored: { observedAt, location } });
  }

  /** Runs a scan (or joins the follow-up of a running one). Undefined while there is no artifact. */
  scan(): Promise<Snapshot | undefined> {
    if (!this.running) return this.begin();
    this.queued ??= this.running.then(
      () => this.afterRunning(),
      () => this.afterRunning(),
    );
    return this.queued;
  }

  private afterRunning(): Promise<Snapshot | undefined> {
    this.queued = undefined;
    return this.begin();
  }

  private begin(): Promise<Snapshot | undefined> {
    const run = this.scanOnce().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  /** External values the artifact's Overlays use, found once per revision. */
  private valueRefs: { revision: string; refs: readonly ExternalValueRef[] } | undefined;

  /**
   * The desired state of the artifact. Overlay values read outside the source (SSM,
   * CloudFormation exports, Terraform state) are read again on every scan: a changed value
   * changes the revision (its digest is part of it) and the source is rendered again.
   */
  private async desiredState(artifact: Artifact): Promise<DesiredState> {
    if (this.filesLetGo && this.artifact === artifact) {
      // Let go only once this revision's state was final: it is that state.
      if (this.state?.revision === artifact.revision && this.state.url === artifact.url) return this.state;
      throw new Error(`internal: the files of ${artifact.url} at ${artifact.revision} were let go before its desired state was kept`);
    }
    // A source that can hold an Overlay is loaded first without values, to learn which it reads
    // outside the source; when it reads none, that load is the desired state (no second load).
    let loaded: LoadResult | undefined;
    if (this.valueRefs?.revision !== artifact.revision) {
      loaded = mayHoldOverlays(artifact.files) ? loadManifests(artifact.files, { logger: this.deps.logger, values: new Map() }) : undefined;
      this.valueRefs = { revision: artifact.revision, refs: loaded?.overlays?.externalRefs ?? [] };
    }
    const refs = this.valueRefs.refs;
    const read = this.deps.readValues;
    const values = refs.length > 0 && read ? await read(refs) : undefined;
    const revision = revisionWithValues(artifact.revision, values ? valuesDigest(values) : undefined);
    if (this.state?.revision === revision && this.state.url === artifact.url) return this.state;
    const { defaultMode, controllerId } = this.deps.settings;
    const state =
      loaded && refs.length === 0
        ? desiredStateOf(artifact, loaded, defaultMode, revision, controllerId)
        : loadDesiredState(artifact, defaultMode, this.deps.logger, values ? { values, revision } : undefined, controllerId);
    if (refs.length > 0) this.deps.logger.info({ revision, values: refs.map((r) => r.key) }, 'rendered overlay values');
    const errors = state.diagnostics.filter((d) => d.severity === 'error').length;
    this.deps.logger.info({ revision: artifact.revision, resources: state.desired.length, invalid: state.invalid.size, errors }, 'loaded source revision');
    for (const d of state.unattributedErrors) {
      this.deps.logger.warn(
        { revision: artifact.revision, file: d.file, line: d.line, code: d.code },
        `manifest error outside any resource, pruning is held: ${d.message}`,
      );
    }
    this.deps.status.setFileErrors(state.unattributedErrors.map((d) => ({ file: d.file, line: d.line, code: d.code, message: d.message })));
    this.state = state;
    if (refs.length === 0 && this.artifact === artifact) {
      this.artifact = { ...artifact, files: [] };
      this.filesLetGo = true;
    }
    return state;
  }

  private async scanOnce(): Promise<Snapshot | undefined> {
    const artifact = this.artifact;
    if (!artifact) return undefined;
    await this.afterWork;
    const state = await this.desiredState(artifact);
    const { settings, status } = this.deps;
    const observeStartedAt = this.now();
    let live: LiveSet;
    const retainedKeys = retainedKeysOf(state);
    try {
      live = await observe(this.deps.clients, scopeFromDesired(state.desired, settings.clusters), this.deps.caches, {
        ...(settings.observeConcurrency !== undefined ? { concurrency: settings.observeConcurrency } : {}),
        owners: ownersOf(settings.controllerId, state.desired, retainedKeys),
        ...(this.snapshot ? { previous: this.snapshot.live.resources } : {}),
        compact: true,
      });
    } catch (err) {
      // The last good snapshot stays in use; failing longer than --stale-after makes it stale.
      status.recordObserveError(err instanceof AwsError ? `${err.service}:${err.operation} ${err.code}: ${err.message}` : errorMessage(err));
      throw err;
    }
    status.recordObserve();
    for (const u of live.unreadable) this.deps.logger.warn({ scope: u.scope, reason: u.reason }, 'could not read a scope');
    const observed = new Map<string, number>();
    this.applyPatches(live.resources, observed, observeStartedAt);
    const plan = this.planOf(state, live);
    const rollouts = this.deps.rollouts ? await this.deps.rollouts.gates(plan) : new Map<string, RolloutEntry>();
    const health = this.deps.health ? await this.deps.health.assess(plan, rollouts, state.revision) : new Map<string, EcsRolloutHealth>();
    keepEqual(this.snapshot?.health, health);
    const snapshot = this.publish(state, live, plan, observeStartedAt, observed, rollouts, health);
    this.startAfterScan(snapshot);
    return snapshot;
  }

  /** Plans `live` against the desired state (invalid manifests' resources retained, never pruned). */
  private planOf(state: DesiredState, live: LiveSet): Plan {
    return observeDefault(computePlan(state.desired, live, this.planOptions(state)), this.deps.settings.defaultMode);
  }

  private planOptions(state: DesiredState): PlanOptions {
    const { settings } = this.deps;
    const holdAll = state.unattributedErrors.length > 0;
    const retained = new Set(retainedKeysOf(state));
    return {
      controllerId: settings.controllerId,
      pruneEnabled: settings.maxDeletions > 0,
      maxPruneCount: settings.maxDeletions,
      maxPrunePercent: settings.maxPercent,
      sourceIsEmpty: state.desired.length === 0 && state.invalid.size === 0,
      retain: (kind, name) => holdAll || retained.has(`${kind}/${name}`),
    };
  }

  /** Reports drift of `plan` and makes it the newest snapshot. */
  private publish(
    state: DesiredState,
    live: LiveSet,
    plan: Plan,
    observeStartedAt: number,
    observedAt: ReadonlyMap<string, number>,
    rollouts: ReadonlyMap<string, RolloutEntry>,
    health: ReadonlyMap<string, EcsRolloutHealth>,
    how: PublishOptions = { from: 'scan' },
  ): Snapshot {
    const { settings, status } = this.deps;
    const byKey = new Map(plan.resources.map((r) => [r.key, r]));
    const invalidKeys = invalidStatusKeys(state, live, settings.controllerId, byKey);
    const touched = how.touched;
    for (const rp of touched ? plan.resources.filter((r) => touched.has(r.key)) : plan.resources) {
      status.track({ key: rp.key, kind: rp.kind, name: rp.name, mode: rp.desired?.policy.mode ?? settings.defaultMode });
      const wrote = this.deps.lastWriteAt(rp.key);
      const seen = Math.max(observeStartedAt, observedAt.get(rp.key) ?? 0);
      // Rollout health from an observation older than the controller's last write would undo the write's "started".
      if (rp.kind === 'EcsService' && (wrote === undefined || wrote < seen)) {
        const h = health.get(rp.key);
        status.setRolloutHealth(
          rp.key,
          h && { state: h.state, reason: h.reason, message: h.message, ...(h.stoppedReason ? { stoppedReason: h.stoppedReason } : {}) },
        );
      }
      // A rollout under way is not drift; a rollback is reported by the reconcile (RolledBack).
      if (isDrift(rp) && !rollouts.has(rp.key) && (wrote === undefined || wrote < seen)) {
        status.driftDetected(rp.key, { driftedFields: driftOf(rp) });
      }
    }
    for (const [key, inv] of invalidKeys) status.track({ key, kind: inv.kind, name: inv.name, mode: settings.defaultMode });
    const keys = [...byKey.keys(), ...invalidKeys.keys()];
    status.retain(keys);
    const snapshot: Snapshot = {
      seq: ++this.seq,
      revision: state.revision,
      state,
      live,
      plan,
      byKey,
      invalidKeys,
      observeStartedAt,
      keys,
      rollouts,
      health,
      ...(observedAt.size > 0 ? { observedAt } : {}),
      ...(how.restored ? { restored: how.restored } : {}),
    };
    this.snapshot = snapshot;
    this.deps.onSnapshot?.(snapshot);
    // One line per scan at info: what was read, how long it took and what drifted.
    this.deps.logger.info(
      {
        revision: state.revision,
        from: how.from,
        resources: keys.length,
        drifted: plan.resources.filter(isDrift).length,
        calls: live.calls,
        ms: this.now() - observeStartedAt,
      },
      'scan finished',
    );
    return snapshot;
  }

  /** Starts the after-scan work (revision tidying) of a full scan; a change-event patch runs none. */
  private startAfterScan(snapshot: Snapshot): void {
    const afterScan = this.deps.afterScan;
    if (!afterScan) return;
    this.afterWork = afterScan(snapshot).catch((err: unknown) => {
      this.deps.logger.warn({ error: errorMessage(err) }, 'after-scan work failed');
    });
  }
}

/** How a snapshot came about, for `publish`. */
interface PublishOptions {
  /** A full scan, single resources re-observed into the last one (its `calls` are the scan's), or a checkpoint. */
  readonly from: 'scan' | 'patch' | 'checkpoint';
  /** The live state is a checkpoint's (Snapshot.restored). */
  readonly restored?: Snapshot['restored'];
  /** Only these keys' plans changed since the last snapshot (absent: any may have). */
  readonly touched?: ReadonlySet<string>;
}

/** Keys (`Kind/name`) of the invalid manifests: their live resources are kept, never pruned. */
function retainedKeysOf(state: DesiredState): string[] {
  return [...state.invalid.values()].map((i) => `${i.kind}/${i.name}`);
}

/**
 * With `--default-mode observe` the controller writes nothing, deletions included: owned
 * resources missing from the source are reported (blocked, observe-mode), never pruned.
 */
function observeDefault(plan: Plan, defaultMode: SyncMode): Plan {
  if (defaultMode !== 'observe') return plan;
  const resources = plan.resources.map(
    (r): ResourcePlan =>
      r.action === 'delete'
        ? { ...r, action: 'blocked', blockedBy: 'observe-mode', wouldBe: 'delete', reason: 'observe mode: not in the source, reported, never deleted' }
        : r,
  );
  return { ...plan, resources, hasChanges: resources.some((r) => r.action !== 'noop' && r.action !== 'blocked') };
}

/**
 * Status keys of invalid manifests: the key of the owned live resource of that kind and name
 * when there is one (so its status entry is the resource's own), else `Kind/name`.
 */
function invalidStatusKeys(state: DesiredState, live: LiveSet, controllerId: string, planned: ReadonlyMap<string, ResourcePlan>): Map<string, InvalidManifest> {
  const out = new Map<string, InvalidManifest>();
  for (const inv of state.invalid.values()) {
    const matches = [...live.resources.values()].filter(
      (l) => l.kind === inv.kind && l.name === inv.name && l.owner?.controllerId === controllerId && !planned.has(l.key),
    );
    if (matches.length === 0) out.set(`${inv.kind}/${inv.name}`, inv);
    for (const l of matches) out.set(l.key, inv);
  }
  return out;
}
