/**
 * applyPlan: carries out a Plan against AWS in dependency order (namespace -> Cloud Map
 * service -> task definition -> ECS service; deletes in reverse), writing only resources this
 * controller owns. A failure in one resource does not stop unrelated ones; its dependents are
 * skipped with a reason. Re-running after a partial failure converges: creates carry
 * idempotency tokens and every step tolerates having been done already.
 */
import { KINDS } from '../kinds/registry.js';
import type { KindRegistry } from '../kit/kind-module.js';
import { PendingError, toErrorInfo } from '../kit/apply-errors.js';
import { identityConflict, pruneDisabledByTag } from '../kit/plan-owner.js';
import { ApplyRun } from '../kit/apply-run.js';
import type { ApplyContext, ApplyResult, ResourceOutcome, ResourceOutcomeStatus, TidyOutcome } from '../kit/apply-types.js';
import { OWNER_TAGS, type Plan, type ResourcePlan } from '../kit/types.js';

export type { ApplyContext, ApplyResult } from '../kit/apply-types.js';

/** Outcomes a dependent cannot proceed after. */
const UNFINISHED: ReadonlySet<ResourceOutcomeStatus> = new Set(['failed', 'skipped', 'pending']);

/** Creates/updates in registry (dependency) order, then deletes in reverse; stable within a group. */
export function applyOrder(resources: readonly ResourcePlan[], kinds: KindRegistry = KINDS): ResourcePlan[] {
  const rank = (r: ResourcePlan): number => {
    const i = kinds.rank(r.kind);
    return r.action === 'delete' ? kinds.order.length * 2 - i : i;
  };
  return resources
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map(({ r }) => r);
}

/**
 * Applies `plan` in dependency order and reports one outcome per resource (see ApplyResult).
 * Rejects only when `ctx.signal` aborts, with its reason.
 */
export async function applyPlan(plan: Plan, ctx: ApplyContext, kinds: KindRegistry = KINDS): Promise<ApplyResult> {
  const run = new ApplyRun(ctx);
  for (const live of ctx.live.resources.values()) if (kinds.has(live.kind)) kinds.get(live.kind).seed?.(run, live);
  const outcomes = new Map<string, ResourceOutcome>();
  const ordered = applyOrder(plan.resources, kinds);
  const byKey = new Map(ordered.map((r) => [r.key, r]));

  for (const rp of ordered) {
    run.throwIfAborted();
    const base = { kind: rp.kind, key: rp.key, action: rp.action === 'blocked' ? (rp.wouldBe ?? 'blocked') : rp.action };
    const outcome = await applyOne(run, kinds, rp, byKey, outcomes, base);
    outcomes.set(rp.key, outcome);
  }

  const tidied = await applyTidy(run, plan, kinds);
  const resources = plan.resources.map((r) => outcomes.get(r.key)!);
  const summary: Record<ResourceOutcomeStatus, number> = { applied: 0, unchanged: 0, blocked: 0, skipped: 0, pending: 0, failed: 0 };
  for (const o of resources) summary[o.status]++;
  const ok = summary.failed + summary.skipped + summary.pending === 0 && tidied.every((t) => t.status !== 'failed');
  return { resources, actions: run.actions, summary, ok, tidied };
}

/**
 * The plan's `deregister` tidy entries, after every resource (a revision the apply just moved a
 * service away from is still used by its draining deployment, and one it moved a service to
 * is refused by the kind's own check). Each entry is independent: a failure is reported and
 * the next one is tried.
 */
async function applyTidy(run: ApplyRun, plan: Plan, kinds: KindRegistry): Promise<TidyOutcome[]> {
  const out: TidyOutcome[] = [];
  for (const entry of plan.tidy ?? []) {
    if (entry.action !== 'deregister') continue;
    run.throwIfAborted();
    const part = kinds.has(entry.owner) ? kinds.get(entry.owner).tidy : undefined;
    if (!part) {
      out.push({ key: entry.key, status: 'blocked', reason: `${entry.owner} tidies nothing` });
      continue;
    }
    try {
      const refused = await part.apply(run, entry);
      out.push(refused === undefined ? { key: entry.key, status: 'applied' } : { key: entry.key, status: 'blocked', reason: refused });
    } catch (err) {
      run.throwIfAborted();
      out.push({ key: entry.key, status: 'failed', reason: toErrorInfo(err).message });
    }
  }
  return out;
}

async function applyOne(
  run: ApplyRun,
  kinds: KindRegistry,
  rp: ResourcePlan,
  byKey: ReadonlyMap<string, ResourcePlan>,
  outcomes: ReadonlyMap<string, ResourceOutcome>,
  base: Pick<ResourceOutcome, 'kind' | 'key' | 'action'>,
): Promise<ResourceOutcome> {
  if (rp.action === 'noop') return { ...base, status: 'unchanged' };
  if (rp.action === 'blocked') return { ...base, status: 'blocked', reason: rp.reason ?? rp.blockedBy ?? 'blocked by the plan' };
  const refusal = refuse(run, rp);
  if (refusal) return { ...base, status: 'blocked', reason: refusal };

  for (const depKey of dependencies(run, kinds, rp)) {
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
    await kinds.get(rp.kind).apply(run, rp);
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
  if (rp.live.managedBy !== undefined) return `belongs to ${rp.live.managedBy}: never written`;
  const owned = rp.live.owner?.controllerId === run.controllerId;
  const adopting = rp.desired?.policy.adopt === true && (rp.action === 'update' || rp.action === 'update-redeploys');
  if (!owned && !adopting) return `not owned by ecs-gitops controller ${run.controllerId}: never written`;
  const conflict = owned ? identityConflict(rp.live) : undefined;
  if (conflict !== undefined) return conflict;
  if (rp.action === 'delete' && pruneDisabledByTag(rp.live)) return `prune disabled (${OWNER_TAGS.prune}: "false")`;
  return undefined;
}

/** Keys of the planned resources this one must wait for: what it references; on delete, what must go first. */
function dependencies(run: ApplyRun, kinds: KindRegistry, rp: ResourcePlan): string[] {
  const kind = kinds.get(rp.kind);
  if (rp.action !== 'delete') return rp.desired ? kind.references(rp.desired) : [];
  return rp.live ? (kind.deleteAfter?.(run, rp.live) ?? []) : [];
}
