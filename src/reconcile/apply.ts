/**
 * applyPlan: carries out a Plan against AWS in dependency order (namespace -> Cloud Map
 * service -> task definition -> ECS service; deletes in reverse), writing only resources this
 * controller owns. A failure in one resource does not stop unrelated ones; its dependents are
 * skipped with a reason. Re-running after a partial failure converges: creates carry
 * idempotency tokens and every step tolerates having been done already.
 */
import { cloudMapServiceKey, namespaceKey } from '../manifests/keys.js';
import { applyNamespace } from '../kinds/cloudmap-namespace/apply.js';
import { applyCloudMapService } from '../kinds/cloudmap-service/apply.js';
import { applyEcsService } from '../kinds/ecs-service/apply.js';
import { KIND_ORDER, type DesiredOf, type ManifestKind } from '../manifests/types.js';
import { PendingError, toErrorInfo } from '../kit/apply-errors.js';
import { identityConflict, pruneDisabledByTag } from '../kit/plan-owner.js';
import { ApplyRun } from '../kit/apply-run.js';
import type { ApplyContext, ApplyResult, ResourceOutcome, ResourceOutcomeStatus } from '../kit/apply-types.js';
import { OWNER_TAGS, type LiveCloudMapService, type Plan, type ResourcePlan } from '../kit/types.js';

export type { ApplyContext, ApplyResult } from '../kit/apply-types.js';

const EXECUTORS: Record<ManifestKind, (run: ApplyRun, plan: ResourcePlan) => Promise<void>> = {
  CloudMapNamespace: applyNamespace,
  CloudMapService: applyCloudMapService,
  EcsService: applyEcsService,
};

/** Outcomes a dependent cannot proceed after. */
const UNFINISHED: ReadonlySet<ResourceOutcomeStatus> = new Set(['failed', 'skipped', 'pending']);

/** Creates/updates by KIND_ORDER, then deletes in reverse; stable within a group. */
export function applyOrder(resources: readonly ResourcePlan[]): ResourcePlan[] {
  const rank = (r: ResourcePlan): number => {
    const i = KIND_ORDER.indexOf(r.kind);
    return r.action === 'delete' ? KIND_ORDER.length * 2 - i : i;
  };
  return resources.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map(({ r }) => r);
}

/**
 * Applies `plan` in dependency order and reports one outcome per resource (see ApplyResult).
 * Rejects only when `ctx.signal` aborts, with its reason.
 */
export async function applyPlan(plan: Plan, ctx: ApplyContext): Promise<ApplyResult> {
  const run = new ApplyRun(ctx);
  const outcomes = new Map<string, ResourceOutcome>();
  const ordered = applyOrder(plan.resources);
  const byKey = new Map(ordered.map((r) => [r.key, r]));

  for (const rp of ordered) {
    run.throwIfAborted();
    const base = { kind: rp.kind, key: rp.key, action: rp.action === 'blocked' ? (rp.wouldBe ?? 'blocked') : rp.action };
    const outcome = await applyOne(run, rp, byKey, outcomes, base);
    outcomes.set(rp.key, outcome);
  }

  const resources = plan.resources.map((r) => outcomes.get(r.key)!);
  const summary: Record<ResourceOutcomeStatus, number> = { applied: 0, unchanged: 0, blocked: 0, skipped: 0, pending: 0, failed: 0 };
  for (const o of resources) summary[o.status]++;
  return { resources, actions: run.actions, summary, ok: summary.failed + summary.skipped + summary.pending === 0 };
}

async function applyOne(
  run: ApplyRun,
  rp: ResourcePlan,
  byKey: ReadonlyMap<string, ResourcePlan>,
  outcomes: ReadonlyMap<string, ResourceOutcome>,
  base: Pick<ResourceOutcome, 'kind' | 'key' | 'action'>,
): Promise<ResourceOutcome> {
  if (rp.action === 'noop') return { ...base, status: 'unchanged' };
  if (rp.action === 'blocked') return { ...base, status: 'blocked', reason: rp.reason ?? rp.blockedBy ?? 'blocked by the plan' };
  const refusal = refuse(run, rp);
  if (refusal) return { ...base, status: 'blocked', reason: refusal };

  for (const depKey of dependencies(run, rp)) {
    const dep = outcomes.get(depKey);
    const depPlan = byKey.get(depKey);
    if (dep && UNFINISHED.has(dep.status)) {
      return { ...base, status: 'skipped', reason: `${depKey} is ${dep.status}${dep.reason ? ` (${dep.reason})` : ''}` };
    }
    if (dep?.status === 'blocked' && depPlan && (depPlan.wouldBe === 'create' || depPlan.wouldBe === 'replace' || depPlan.blockedBy === 'not-owned')) {
      return { ...base, status: 'skipped', reason: `${depKey} is blocked (${dep.reason ?? depPlan.blockedBy ?? 'blocked'})` };
    }
  }

  try {
    await EXECUTORS[rp.kind](run, rp);
    return { ...base, status: 'applied' };
  } catch (err) {
    // An aborted run has no outcome to report: applyPlan rejects with the abort reason.
    run.throwIfAborted();
    if (err instanceof PendingError) {
      return { ...base, status: 'pending', reason: err.message, ...(err.operationId ? { pendingOperationId: err.operationId } : {}) };
    }
    const error = toErrorInfo(err);
    return { ...base, status: 'failed', reason: error.message, error };
  }
}

/**
 * Last line of defence, whatever the plan says: never write in observe mode, never change
 * or delete a resource another owner (or nobody) tagged, unless the manifest adopts it, nor
 * one whose owner tag names another identity than its key.
 */
function refuse(run: ApplyRun, rp: ResourcePlan): string | undefined {
  if (rp.desired?.policy.mode === 'observe') return 'observe mode: never written';
  if (rp.action === 'create' || !rp.live) return undefined;
  const owned = rp.live.owner?.controllerId === run.controllerId;
  const adopting = rp.desired?.policy.adopt === true && (rp.action === 'update' || rp.action === 'update-redeploys');
  if (!owned && !adopting) return `not owned by ecs-gitops controller ${run.controllerId}: never written`;
  const conflict = owned ? identityConflict(rp.live) : undefined;
  if (conflict !== undefined) return conflict;
  if (rp.action === 'delete' && pruneDisabledByTag(rp.live)) return `prune disabled (${OWNER_TAGS.prune}: "false")`;
  return undefined;
}

/** Keys of the planned resources this one must wait for. */
function dependencies(run: ApplyRun, rp: ResourcePlan): string[] {
  if (rp.action !== 'delete') {
    if (rp.desired?.kind === 'CloudMapService') return [namespaceKey(rp.desired.manifest.spec.namespace)];
    if (rp.desired?.kind === 'EcsService') {
      const d = (rp.desired as DesiredOf<'EcsService'>).manifest.spec.discovery;
      return d ? [cloudMapServiceKey(d.namespace, d.service)] : [];
    }
    return [];
  }
  const live = rp.live;
  if (live?.kind === 'CloudMapService') {
    return run.liveEcsServices().filter((s) => s.serviceRegistryArns.includes(live.arn)).map((s) => s.key);
  }
  if (live?.kind === 'CloudMapNamespace') {
    return run.liveCloudMapServices().filter((s: LiveCloudMapService) => s.namespaceId === live.id).map((s) => s.key);
  }
  return [];
}
