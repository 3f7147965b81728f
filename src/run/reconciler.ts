/**
 * Reconciles one resource key from the newest snapshot: noop -> Ready; blocked -> drift
 * reported or Stalled; otherwise applyPlan on a one-resource plan. Level-triggered: after
 * every write a rescan is requested, and a key is never written again from a snapshot that
 * was observed before its last write.
 */
import type { AwsClients } from '../aws/clients.js';
import type { ObserveCaches } from '../observe/index.js';
import type { Reconciler, ReconcileResult } from '../controller/controller.js';
import { StalledError, WaitingError } from '../controller/errors.js';
import { OBSERVATION_STALE, type StatusStore } from '../controller/status.js';
import type { ApplyOperation, ControllerMetrics, PruneBlockedReason } from '../observability/metrics.js';
import { PRUNE_BLOCKED_REASONS } from '../observability/metrics.js';
import { applyPlan } from '../reconcile/apply.js';
import { APPLY_ERROR_CODES } from '../kit/apply-codes.js';
import { PendingError } from '../kit/apply-errors.js';
import type { ApplyActionEvent, ApplyResult, ApplyWaits, ResourceOutcome } from '../kit/apply-types.js';
import { realWaitSeams, untilAborted } from '../kit/apply-wait.js';
import { CLUSTER_MISSING, CLUSTER_UNREADABLE } from '../kinds/ecs-service/plan-cluster.js';
import { waitForOperation } from '../kit/operations.js';
import type { ResourcePlan } from '../kit/types.js';
import { driftOf, observedAtOf, writableFrom, type Snapshot } from './scanner.js';
import type { RolloutEntry } from './rollouts.js';
import { describeRollout } from '../kinds/ecs-service/rollout-gate.js';
import type { ServiceRollout } from '../kinds/ecs-service/rollout.js';
import { qualifiedName, type DriftedField, type RolloutStatus } from '../controller/status.js';
import type { DeliveryEvent, DeliveryEvents, EventResource } from '../controller/delivery-events.js';
import { boundedFields } from '../util/bounded-value.js';
import { DriftEpisodes } from './drift-episodes.js';

/** Requeue delays of the reconciler (ms). */
export interface ReconcileDelays {
  /** A Cloud Map operation or a drain is still running. */
  readonly pendingMs: number;
  /** A dependency (namespace, Cloud Map service) is not live yet, or AWS must be observed again. */
  readonly dependencyMs: number;
  /**
   * AWS could not be read for longer than the stale-after time (default 30 s). The first
   * successful observe enqueues every key anyway, so this only bounds the wait.
   */
  readonly staleMs?: number;
  /** An ECS deployment of the desired revision is under way: look again after this long (default 10 s). */
  readonly rolloutPollMs?: number;
}

const DEFAULT_STALE_REQUEUE_MS = 30_000;
const DEFAULT_ROLLOUT_POLL_MS = 10_000;

export const DEFAULT_RECONCILE_DELAYS: ReconcileDelays = { pendingMs: 2_000, dependencyMs: 1_500 };
/** The longest retry delay of a resource that keeps waiting for a dependency. */
export const MAX_DEPENDENCY_WAIT_MS = 30_000;

/**
 * Bounds of the waits apply may do inside one reconcile: short, so a worker is never held by
 * a slow asynchronous operation; what is not done by then is requeued as pending.
 */
export const CONTROLLER_APPLY_WAITS: ApplyWaits = {
  operation: { initialDelayMs: 100, maxDelayMs: 1_000, factor: 2, timeoutMs: 5_000 },
  instances: { initialDelayMs: 250, maxDelayMs: 2_000, factor: 2, timeoutMs: 10_000 },
  ecsInactive: { initialDelayMs: 250, maxDelayMs: 2_000, factor: 2, timeoutMs: 15_000 },
  inUse: { initialDelayMs: 250, maxDelayMs: 2_000, factor: 2, timeoutMs: 10_000 },
};

export interface GitOpsReconcilerDeps {
  readonly latest: () => Snapshot | undefined;
  readonly clients: AwsClients;
  readonly caches: ObserveCaches;
  readonly controllerId: string;
  readonly status: StatusStore;
  readonly metrics: ControllerMetrics;
  /** Asks for a debounced re-observe (after writes, or when a dependency is missing). */
  readonly requestRescan: () => void;
  readonly waits?: Partial<ApplyWaits>;
  readonly delays?: ReconcileDelays;
  readonly now?: () => number;
  /** The backoff sleep of apply's bounded waits (tests drive it with a fake clock). */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Told the family of every RegisterTaskDefinition a reconcile attempted, whatever the answer
   * (a lost response leaves a revision behind): revision tidying looks at it on the next pass.
   */
  readonly onRegisterAttempt?: (family: string) => void;
  /** Where drift, rollout-failed and prune-blocked events go (absent: nowhere). */
  readonly events?: DeliveryEvents;
  /**
   * Whether this process may write now (the writer lease; absent: always). A standby plans
   * and reports drift, like observe mode, and writes nothing; the adapter's write guard
   * refuses any write that gets past this anyway.
   */
  readonly mayWrite?: () => boolean;
}

/** The identity of a resource in delivery events (`name` qualified, as in the metrics). */
export function eventResource(key: string): EventResource {
  return { key, kind: key.split('/')[0] ?? key, name: qualifiedName(key) };
}

const STALLED_CATEGORIES: Readonly<Record<string, string>> = { 'access-denied': 'AccessDenied', invalid: 'InvalidRequest', quota: 'QuotaExceeded' };
/**
 * AWS error codes that no retry can fix although their category alone would retry: a write
 * into a cluster that does not exist (deleted after the observe that planned it).
 */
const STALLED_CODES: Readonly<Record<string, string>> = { ClusterNotFoundException: 'ClusterNotFound' };
const APPLY_OPERATIONS: ReadonlySet<string> = new Set(['create', 'update', 'update-redeploys', 'replace', 'delete']);
/** Plan actions whose write starts a new ECS deployment. */
const STARTS_DEPLOYMENT: ReadonlySet<string> = new Set(['create', 'update-redeploys', 'replace']);

function describeAction(e: ApplyActionEvent, key: string): string {
  return `${e.operation}${e.key !== key ? ` ${e.key}` : ''}${e.detail ? `: ${e.detail}` : ''}`;
}

export class GitOpsReconciler implements Reconciler {
  private readonly writes = new Map<string, number>();
  private readonly pendingOperations = new Map<string, string>();
  /** Rolled-back service deployments already counted in rollbacks_total (by ARN). */
  private readonly rollbacksSeen = new Set<string>();
  private readonly writing = new Set<string>();
  private readonly episodes = new DriftEpisodes();
  /** Keys whose prune-blocked event was sent, with the reason (again only after the key was reconciled otherwise). */
  private readonly pruneBlockedSent = new Map<string, string>();
  private readonly delays: ReconcileDelays;
  private readonly now: () => number;
  /** Keys waiting for a dependency, with how many times in a row (their retry backs off). */
  private readonly dependencyWaits = new Map<string, number>();

  constructor(private readonly deps: GitOpsReconcilerDeps) {
    this.delays = deps.delays ?? DEFAULT_RECONCILE_DELAYS;
    this.now = deps.now ?? Date.now;
  }

  /** When this controller last wrote the resource (ms epoch). */
  lastWriteAt(key: string): number | undefined {
    return this.writes.get(key);
  }

  /** Keys being written now, or written at or after `since` (ms epoch). */
  busyKeys(since: number): Set<string> {
    const busy = new Set(this.writing);
    for (const [key, at] of this.writes) if (at >= since) busy.add(key);
    return busy;
  }

  /**
   * Reconciles one key. A resource that keeps waiting for a dependency (a namespace not created
   * yet) is retried after twice the delay each time, up to MAX_DEPENDENCY_WAIT_MS: the rescan
   * that follows every write queues it again at once, so the backoff only spares the retries
   * that cannot succeed (10,000 resources created from scratch retried every 1.5 s kept both
   * cores busy and held back the scans that would have let them proceed).
   */
  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult | void> {
    try {
      const result = await this.reconcileKey(key, signal);
      this.dependencyWaits.delete(key);
      return result;
    } catch (err) {
      if (err instanceof WaitingError && err.reason === 'DependencyNotReady') throw this.backedOff(key, err);
      this.dependencyWaits.delete(key);
      throw err;
    }
  }

  private backedOff(key: string, err: WaitingError): WaitingError {
    const times = (this.dependencyWaits.get(key) ?? 0) + 1;
    this.dependencyWaits.set(key, times);
    const ms = Math.min(err.requeueAfterMs * 2 ** (times - 1), Math.max(MAX_DEPENDENCY_WAIT_MS, err.requeueAfterMs));
    return ms === err.requeueAfterMs ? err : new WaitingError(err.reason, err.message, ms, { cause: err.cause });
  }

  private async reconcileKey(key: string, signal: AbortSignal): Promise<ReconcileResult | void> {
    const { status } = this.deps;
    // Nothing is reported Synced, and nothing written, from an observation that is too old.
    if (status.isStale()) throw new WaitingError(OBSERVATION_STALE, status.staleMessage(), this.delays.staleMs ?? DEFAULT_STALE_REQUEUE_MS);
    const snap = this.deps.latest();
    if (!snap) throw new WaitingError('NotObserved', 'the source has not been read or AWS not observed yet', this.delays.dependencyMs);
    const revision = snap.revision;
    const invalid = snap.invalidKeys.get(key);
    if (invalid) {
      throw new StalledError(
        'InvalidManifest',
        `the manifest is invalid in revision ${revision}; its live resource is kept as is: ${invalid.problems.join('; ')}`,
      );
    }
    const rp = snap.byKey.get(key);
    if (!rp) {
      this.forgetKey(key);
      this.deps.status.remove(key);
      return;
    }
    const operationId = this.pendingOperations.get(key);
    if (operationId !== undefined) await this.checkPending(key, operationId, signal);
    const wrote = this.writes.get(key);
    if (wrote !== undefined && observedAtOf(snap, key) <= wrote) {
      this.deps.requestRescan();
      throw new WaitingError('AwaitingObserve', 'written; waiting for AWS to be observed again', this.delays.dependencyMs);
    }
    if (rp.kind === 'EcsService') this.deps.metrics.initRollbacks(key);
    const gate = snap.rollouts?.get(key);
    if (gate && !(gate.state === 'held' && rp.action === 'noop')) return this.gated(rp, gate, snap);
    this.deps.metrics.setRollout(key, undefined);
    if (rp.action !== 'noop' && !writableFrom(snap, key)) {
      // Drift seen in a checkpoint is reported (by the scanner), never written: AWS may have moved on.
      throw new WaitingError('AwaitingFirstScan', 'seen in the checkpoint of an earlier observe; written once AWS is read again', this.delays.dependencyMs);
    }
    if (rp.action !== 'blocked') this.pruneBlockedSent.delete(key);
    switch (rp.action) {
      case 'noop':
        this.inSync(rp, revision, false);
        this.deps.status.reconciled(key, { revision, driftedFields: [], actions: [] });
        return;
      case 'blocked':
        return this.blocked(rp, revision);
      default:
        if (this.deps.mayWrite && !this.deps.mayWrite()) {
          // A standby: drift is reported, the lease holder writes (it is enqueued again on takeover).
          this.deps.status.reconciled(key, { revision, driftedFields: driftOf(rp), actions: [] });
          return;
        }
        return this.write(rp, snap, signal);
    }
  }

  /**
   * A rollout is not drift and a rollback is not a loop: while ECS deploys the revision the
   * source asks for, nothing is written (Progressing, polled again); once ECS rolled that
   * revision back, it is held (RolledBack) until the source asks for another one or
   * `rollout retry` lifts the hold. An unreadable deployment writes nothing either.
   */
  private gated(rp: ResourcePlan, gate: RolloutEntry, snap: Snapshot): ReconcileResult | void {
    const { status, metrics } = this.deps;
    if (gate.state === 'unreadable') throw new WaitingError('RolloutUnknown', gate.message, this.delays.dependencyMs);
    const rollout = rolloutStatus(gate.rollout);
    const message = describeRollout(gate.rollout);
    if (gate.state === 'progressing') {
      metrics.setRollout(rp.key, gate.rollout.stage ?? gate.rollout.status);
      status.progressing(rp.key, { revision: snap.revision, rollout, message });
      const pollMs = this.delays.rolloutPollMs ?? DEFAULT_ROLLOUT_POLL_MS;
      if (this.now() - snap.observeStartedAt >= pollMs) this.deps.requestRescan();
      return { requeueAfter: pollMs };
    }
    metrics.setRollout(rp.key, undefined);
    const why = gate.rollout.reason ? `: ${gate.rollout.reason}` : '';
    if (!this.rollbacksSeen.has(gate.rollout.arn)) {
      this.rollbacksSeen.add(gate.rollout.arn);
      metrics.recordRollback(rp.key);
      this.emit({ type: 'rollout-failed', resource: eventResource(rp.key), reason: `ECS rolled back ${message}${why}`, revision: snap.revision });
    }
    status.rolledBack(rp.key, {
      revision: snap.revision,
      rollout,
      driftedFields: driftOf(rp),
      message: `ECS rolled back ${message}${why}; held until the source asks for another revision or \`ecs-gitops rollout retry\``,
    });
  }

  /** Forgets per-key memory of a resource that is gone. */
  private forgetKey(key: string): void {
    this.writes.delete(key);
    this.pendingOperations.delete(key);
    this.episodes.forget(key);
    this.pruneBlockedSent.delete(key);
    this.dependencyWaits.delete(key);
  }

  private emit(event: DistributiveOmit<DeliveryEvent, 'at'>): void {
    this.deps.events?.emit({ ...event, at: new Date(this.now()).toISOString() });
  }

  /** Sends drift-detected when `fields` of `rp` begin a drift episode. */
  private driftSeen(rp: ResourcePlan, fields: readonly DriftedField[], mode: 'enforce' | 'observe', revision: string): void {
    if (!this.episodes.detect(rp, fields)) return;
    this.emit({ type: 'drift-detected', resource: eventResource(rp.key), fields: boundedFields(fields), mode, revision });
  }

  /** The resource is in sync: ends a drift episode, reverted when the controller wrote. */
  private inSync(rp: ResourcePlan, revision: string, wrote: boolean): void {
    const fields = this.episodes.inSync(rp);
    if (fields && wrote) this.emit({ type: 'drift-reverted', resource: eventResource(rp.key), fields: boundedFields(fields), revision });
  }

  /** Polls a Cloud Map operation left pending by an earlier reconcile, once. */
  private async checkPending(key: string, operationId: string, signal: AbortSignal): Promise<void> {
    const once = { initialDelayMs: 1, maxDelayMs: 1, factor: 1, timeoutMs: 0 };
    try {
      await untilAborted(waitForOperation(this.deps.clients.serviceDiscovery, operationId, once, realWaitSeams), signal);
    } catch (err) {
      if (err instanceof PendingError) {
        throw new WaitingError('OperationPending', `Cloud Map operation ${operationId} is still in progress`, this.delays.pendingMs);
      }
      if (signal.aborted) throw err;
      this.pendingOperations.delete(key);
      this.writes.set(key, this.now());
      this.deps.requestRescan();
      throw err;
    }
    this.pendingOperations.delete(key);
    this.writes.set(key, this.now());
    this.deps.requestRescan();
    throw new WaitingError('AwaitingObserve', `Cloud Map operation ${operationId} succeeded; waiting for AWS to be observed again`, this.delays.dependencyMs);
  }

  private blocked(rp: ResourcePlan, revision: string): void {
    const { status, metrics } = this.deps;
    const reason = rp.reason ?? rp.blockedBy ?? 'blocked by the plan';
    switch (rp.blockedBy) {
      case 'observe-mode': {
        const fields = driftOf(rp);
        this.driftSeen(rp, fields, 'observe', revision);
        status.reconciled(rp.key, { revision, driftedFields: fields, actions: [] });
        return;
      }
      case 'prune-disabled':
        status.reconciled(rp.key, { revision, driftedFields: [], actions: [] });
        return;
      case 'not-owned':
        throw new StalledError('NotOwned', reason);
      case 'replace-not-allowed':
        throw new StalledError('ReplaceNotAllowed', reason);
      case 'identity-conflict':
        throw new StalledError('IdentityConflict', reason);
      case 'unexpressible-fields':
        throw new StalledError('UnexpressibleFields', reason);
      case CLUSTER_MISSING:
        throw new StalledError('ClusterNotFound', reason);
      case CLUSTER_UNREADABLE:
        throw new StalledError('ClusterUnreadable', reason);
      default: {
        if ((PRUNE_BLOCKED_REASONS as readonly string[]).includes(rp.blockedBy ?? '')) {
          metrics.recordPruneBlocked(rp.blockedBy as PruneBlockedReason);
          if (this.pruneBlockedSent.get(rp.key) !== rp.blockedBy) {
            this.pruneBlockedSent.set(rp.key, rp.blockedBy ?? '');
            this.emit({ type: 'prune-blocked', reason: `${rp.blockedBy}: ${reason}`, resources: [eventResource(rp.key)], revision });
          }
          throw new StalledError('PruneBlocked', reason);
        }
        throw new StalledError('Blocked', reason);
      }
    }
  }

  private async write(rp: ResourcePlan, snap: Snapshot, signal: AbortSignal): Promise<ReconcileResult | void> {
    const { status, metrics } = this.deps;
    const actions: string[] = [];
    let attempted = false;
    let result: ApplyResult;
    this.driftSeen(rp, driftOf(rp), 'enforce', snap.revision);
    this.writing.add(rp.key);
    try {
      result = await untilAborted(
        applyPlan(
          { resources: [rp], hasChanges: true, hasDrift: true },
          {
            clients: this.deps.clients,
            live: snap.live,
            controllerId: this.deps.controllerId,
            signal,
            waits: { ...CONTROLLER_APPLY_WAITS, ...this.deps.waits },
            ...(this.deps.sleep ? { sleep: this.deps.sleep } : {}),
            onAction: (e) => {
              attempted = true;
              if (e.result === 'ok') actions.push(describeAction(e, rp.key));
              if (e.kind === 'TaskDefinition' && e.operation === 'register') this.deps.onRegisterAttempt?.(e.key.slice(e.key.indexOf('/') + 1));
            },
            onTagsChanged: (arn) => this.deps.caches.forgetTags(arn),
            taskDefinitions: this.deps.caches,
          },
        ),
        signal,
      );
    } finally {
      // Once a write was attempted AWS may have changed, whatever the answer: never act on
      // the old observation again. Without one (a dependency missing) only a rescan is due.
      if (attempted || signal.aborted) this.writes.set(rp.key, this.now());
      this.writing.delete(rp.key);
      this.deps.requestRescan();
    }
    const outcome = result.resources.find((r) => r.key === rp.key);
    if (!outcome) throw new Error(`apply returned no outcome for ${rp.key}`);
    const operation = APPLY_OPERATIONS.has(rp.action) ? (rp.action as ApplyOperation) : undefined;
    switch (outcome.status) {
      case 'applied':
      case 'unchanged':
        if (operation) metrics.recordApply(rp.kind, operation, 'success');
        this.inSync(rp, snap.revision, true);
        if (rp.kind === 'EcsService' && outcome.status === 'applied' && STARTS_DEPLOYMENT.has(rp.action)) {
          // The next scan tells how the new deployment goes; until then it is not deployed.
          status.setRolloutHealth(rp.key, { state: 'Progressing', reason: 'RolloutStarted', message: `${rp.action}: a new ECS deployment was started` });
        }
        status.reconciled(rp.key, { revision: snap.revision, driftedFields: [], actions });
        return;
      case 'pending':
        if (outcome.pendingOperationId) this.pendingOperations.set(rp.key, outcome.pendingOperationId);
        throw new WaitingError('OperationPending', outcome.reason ?? 'an asynchronous step is still running', this.delays.pendingMs);
      case 'skipped':
        throw new WaitingError('DependencyNotReady', outcome.reason ?? 'a dependency is not ready', this.delays.dependencyMs);
      case 'blocked':
        throw new StalledError('Refused', outcome.reason ?? 'apply refused to write');
      case 'failed':
        return this.failed(rp, outcome, operation);
    }
  }

  private failed(rp: ResourcePlan, outcome: ResourceOutcome, operation: ApplyOperation | undefined): never {
    const message = outcome.reason ?? outcome.error?.message ?? 'apply failed';
    const own = outcome.error?.applyCode;
    if (own !== undefined && APPLY_ERROR_CODES[own].waitsForDependency) {
      throw new WaitingError('DependencyNotReady', message, this.delays.dependencyMs);
    }
    if (operation) this.deps.metrics.recordApply(rp.kind, operation, 'error');
    const stalled = STALLED_CODES[outcome.error?.code ?? ''] ?? STALLED_CATEGORIES[outcome.error?.category ?? ''];
    if (stalled) throw new StalledError(stalled, `${outcome.error?.code ?? 'Error'}: ${message}`);
    throw new Error(`${outcome.error?.code ?? 'Error'}: ${message}`);
  }
}

/** Omit over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function rolloutStatus(r: ServiceRollout): RolloutStatus {
  return {
    deployment: r.arn,
    status: r.status,
    strategy: r.strategy,
    ...(r.stage !== undefined ? { stage: r.stage } : {}),
    ...(r.productionTrafficPercent !== undefined ? { productionTrafficPercent: r.productionTrafficPercent } : {}),
    ...(r.bakeTimeLeftSeconds !== undefined ? { bakeTimeLeftSeconds: r.bakeTimeLeftSeconds } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
  };
}
