/**
 * Revision tidying in the controller: after a scan, the unused task definition revisions of
 * the families that are due are deregistered with the rules of `plan` and `apply`
 * (src/kinds/ecs-service/task-definition/tidy.ts, docs/plan.md "Task definition revisions").
 *
 * A family is due after a reconcile attempted a RegisterTaskDefinition in it (so the orphan a
 * lost response leaves is found on the next pass), and every family the desired state names is
 * due at the sweep: at the first scan, then once per `sweepMs` (default 1 h). Only due families
 * cost AWS calls (one ListTaskDefinitions each, describes for revisions never seen), so an
 * ordinary resync reads no revision. Off with `--default-mode observe`, `--no-prune` or
 * `--prune-max-deletions 0`; the pass and family guards are in tidy-scope.ts. The pass runs
 * after its scan (Scanner `afterScan`) beside the reconciles; the next scan waits for it, so
 * no newer snapshot is published meanwhile.
 */
import type { Logger } from 'pino';
import type { AwsClients } from '../aws/clients.js';
import { CallCounter, countCalls } from '../aws/call-counter.js';
import type { RevisionTidyStatus, StatusStore } from '../controller/status.js';
import type { LiveRevisionFamily } from '../kit/types.js';
import type { ControllerMetrics } from '../observability/metrics.js';
import { revisionFamiliesOf, scanRevisionFamily, type ObserveCaches } from '../observe/index.js';
import { familyOf } from '../kinds/ecs-service/task-definition/revisions.js';
import { applyPlan } from '../reconcile/apply.js';
import { planTidy } from '../reconcile/plan.js';
import { createLimit } from '../util/map-limit.js';
import type { Snapshot } from './scanner.js';
import { passRefusal, tidyScope } from './tidy-scope.js';

/** Default time between two sweeps of every family of the desired state. */
export const DEFAULT_REVISION_SWEEP_MS = 60 * 60 * 1000;
/** Families read at once. */
const READ_CONCURRENCY = 4;

export interface RevisionTidySettings {
  readonly controllerId: string;
  /** False with `--default-mode observe`, `--no-prune` or `--prune-max-deletions 0`: nothing is read or deregistered. */
  readonly enabled: boolean;
  readonly keepRevisions: number;
  /** `--prune-max-deletions`: more deregistrations in one pass are all refused. */
  readonly maxDeletions: number;
  readonly sweepMs: number;
}

export interface RevisionTidierDeps {
  readonly clients: AwsClients;
  readonly caches: ObserveCaches;
  readonly status: StatusStore;
  readonly metrics: ControllerMetrics;
  readonly logger: Logger;
  readonly settings: RevisionTidySettings;
  /** Keys being written now or written at or after `since` (the reconciler's). */
  readonly busyKeys: (since: number) => ReadonlySet<string>;
  readonly now?: () => number;
}

export class RevisionTidier {
  /** Due families, with the generation at which each became due. */
  private readonly due = new Map<string, number>();
  private generation = 0;
  private lastSweepAt: number | undefined;
  private readonly abort = new AbortController();
  private readonly now: () => number;

  constructor(private readonly deps: RevisionTidierDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** A reconcile attempted to register a revision of `family`: the next pass looks at it. */
  registerAttempted(family: string): void {
    if (this.deps.settings.enabled) this.due.set(family, ++this.generation);
  }

  /** Families due now (tests and logs). */
  dueFamilies(): string[] {
    return [...this.due.keys()].sort();
  }

  /** Aborts a running pass: nothing more is deregistered. */
  stop(): void {
    this.abort.abort();
  }

  /** One pass on a fresh snapshot (the Scanner's `afterScan`); quiet once stopped. */
  async afterScan(snap: Snapshot): Promise<void> {
    try {
      await this.pass(snap);
    } catch (err) {
      if (!this.abort.signal.aborted) throw err;
    }
  }

  private async pass(snap: Snapshot): Promise<void> {
    const { settings, status, logger } = this.deps;
    if (!settings.enabled || this.abort.signal.aborted) return;
    const started = this.now();
    const sweep = this.lastSweepAt === undefined || started - this.lastSweepAt >= settings.sweepMs;
    const mark = this.generation;
    const candidates = new Set([...this.due.keys(), ...(sweep ? revisionFamiliesOf(snap.state.desired) : [])]);
    if (candidates.size === 0) return;
    const report = { checkedAt: new Date(started).toISOString(), sweep };

    const refusal = passRefusal(snap, status.isStale());
    if (refusal) {
      // Nothing is forgotten: the due families and the sweep wait for a snapshot that may tidy.
      logger.info({ families: candidates.size, sweep, reason: refusal }, 'revision tidying skipped');
      status.setRevisionTidy({ ...report, families: [], deregistered: [], refused: [], failed: [], skipped: [{ family: '*', reason: refusal }] });
      return;
    }
    const scope = tidyScope(snap, candidates, this.deps.busyKeys(snap.observeStartedAt));
    for (const s of scope.skipped) logger.debug({ family: s.family, reason: s.reason }, 'revision tidying skips a family');

    const counter = new CallCounter();
    const limit = createLimit(READ_CONCURRENCY);
    const revisions: LiveRevisionFamily[] = await countCalls(counter, () =>
      Promise.all(scope.families.map((f) => scanRevisionFamily(this.deps.clients.ecs, f, this.deps.caches, limit))),
    );
    const planned = planTidy(
      snap.state.desired,
      { ...snap.live, revisions },
      { controllerId: settings.controllerId, pruneEnabled: true, maxPruneCount: settings.maxDeletions, keepRevisions: settings.keepRevisions },
    );
    // A write may have begun while the revisions were read: its families wait for the next pass.
    const late = tidyScope(snap, scope.families, this.deps.busyKeys(snap.observeStartedAt));
    const lateSkipped = new Map(late.skipped.map((s) => [s.family, s]));
    const entries = planned.filter((t) => !lateSkipped.has(familyOf(t.key)));

    const result = await countCalls(counter, () =>
      applyPlan(
        { resources: [], tidy: entries, hasChanges: entries.length > 0, hasDrift: false },
        { clients: this.deps.clients, live: snap.live, controllerId: settings.controllerId, signal: this.abort.signal, taskDefinitions: this.deps.caches },
      ),
    );
    const reasons = new Map(entries.map((t) => [t.key, t.reason]));
    const deregistered = result.tidied.filter((t) => t.status === 'applied').map((t) => t.key);
    const failed = result.tidied.filter((t) => t.status === 'failed').map((t) => ({ key: t.key, reason: t.reason ?? 'failed' }));
    const refused = [
      ...entries.filter((t) => t.action === 'blocked').map((t) => ({ key: t.key, reason: t.reason })),
      ...result.tidied.filter((t) => t.status === 'blocked').map((t) => ({ key: t.key, reason: t.reason ?? 'refused' })),
    ];

    // A family with more ACTIVE revisions than one pass reads is read again while passes remove some.
    const retry = new Set(scope.retry);
    for (const r of revisions) if (r.truncated && deregistered.some((k) => familyOf(k) === r.family)) retry.add(r.family);
    this.settle(
      mark,
      scope.families.filter((f) => !lateSkipped.has(f)),
      [...scope.skipped, ...lateSkipped.values()],
      retry,
    );
    if (sweep) this.lastSweepAt = started;
    this.publish(
      { ...report, families: scope.families, deregistered, refused, failed, skipped: [...scope.skipped, ...lateSkipped.values()] },
      reasons,
      counter,
      entries.some((t) => t.blockedBy === 'prune-limit'),
    );
  }

  /**
   * Forgets the families this pass is done with. Stay due: those skipped for a transient
   * reason, those with a service mid-deployment, and those registered into since the pass began.
   */
  private settle(mark: number, tidied: readonly string[], skipped: readonly { family: string; retry: boolean }[], retry: ReadonlySet<string>): void {
    const done = (family: string): void => {
      const at = this.due.get(family);
      if (at !== undefined && at <= mark) this.due.delete(family);
    };
    for (const f of tidied) {
      if (retry.has(f)) this.due.set(f, this.due.get(f) ?? mark);
      else done(f);
    }
    for (const s of skipped) {
      if (s.retry) this.due.set(s.family, this.due.get(s.family) ?? mark);
      else done(s.family);
    }
  }

  private publish(result: RevisionTidyStatus, reasons: ReadonlyMap<string, string>, counter: CallCounter, pruneLimited: boolean): void {
    const { logger, metrics, status } = this.deps;
    for (const key of result.deregistered) logger.info({ key, reason: reasons.get(key) }, 'deregistered an unused task definition revision');
    for (const f of result.failed) logger.warn({ key: f.key, reason: f.reason }, 'could not deregister a task definition revision');
    if (pruneLimited) metrics.recordPruneBlocked('prune-limit');
    if (result.refused.length > 0) {
      logger.warn({ revisions: result.refused.map((r) => r.key), reason: result.refused[0]?.reason }, 'revision tidying refused some deregistrations');
    }
    metrics.recordRevisionsDeregistered(result.deregistered.length);
    logger.info(
      {
        sweep: result.sweep,
        families: result.families.length,
        deregistered: result.deregistered.length,
        refused: result.refused.length,
        failed: result.failed.length,
        skipped: result.skipped.length,
        calls: counter.snapshot(),
      },
      'revision tidying pass finished',
    );
    status.setRevisionTidy(result);
  }
}
