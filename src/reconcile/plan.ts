/**
 * The plan, pure: what to do with every desired and every owned live resource.
 *
 * Decisions, in this order, for a desired resource:
 * - no live resource (an ECS service that is not ACTIVE counts as gone) -> create, except an
 *   ECS service whose cluster does not exist or could not be read -> `blocked`
 *   (`cluster-missing` / `cluster-unreadable`, naming the cluster; see plan-cluster.ts);
 * - `mode: observe` -> the diff is reported as `blocked` (`observe-mode`) and never written;
 *   ownership does not matter because nothing is written;
 * - live and created by an AWS service that owns it (a Cloud Map service of ECS Service
 *   Connect) -> `blocked` (`not-owned`), never diffed, never adopted;
 * - live but not tagged by this controller id -> `blocked` (`not-owned`), unless the manifest
 *   says `adopt` and the resource carries no owner tags at all (a resource owned by another
 *   ecs-gitops controller is never taken over);
 * - owned, but its `ecs-gitops.io/resource` tag names another identity than the key it was
 *   found under -> `blocked` (`identity-conflict`): never written (see plan-owner.ts);
 * - otherwise the diff decides: noop / update / update-redeploys / replace, where replace
 *   needs `allowReplace` (else `blocked`, `replace-not-allowed`, with the reasons);
 * - a write that would drop live settings the manifest cannot express -> `blocked`
 *   (`unexpressible-fields`, see plan-strip.ts).
 * Owned live resources not in the source are pruned (see plan-prune.ts), except those an AWS
 * service owns (never pruned, whatever their tags), those whose
 * owner tag names another identity (`identity-conflict`) and those still in use (plan-in-use.ts).
 */
import { KINDS } from '../kinds/registry.js';
import { UNEXPRESSIBLE_FIELDS, type KindRegistry } from '../kit/kind-module.js';
import type { DesiredResource, ManifestKind } from '../manifests/types.js';
import type { FieldChange, LiveResource, LiveSet, Plan, PlanAction, ResourcePlan, TidyPlan } from '../kit/types.js';
import { diffResource, strongestEffect } from './diff.js';
import { identityConflict, ownerTagChange } from '../kit/plan-owner.js';
import { planPrune } from './plan-prune.js';
import { ECS_MANAGED_TAG } from '../kit/ownership.js';

/** Options of computePlan. */
export interface PlanOptions {
  /** This controller's id, compared with the `ecs-gitops.io/controller` tag. */
  controllerId: string;
  /** Whether owned resources missing from the source are deleted. */
  pruneEnabled: boolean;
  /** Refuse all deletions when more than this many would be pruned. */
  maxPruneCount?: number;
  /** Refuse all deletions when they exceed this share (0-100) of the owned resources. */
  maxPrunePercent?: number;
  /** The source produced no manifests (also assumed when `desired` is empty). */
  sourceIsEmpty?: boolean;
  /**
   * Owned live resources missing from `desired` for which this returns true are kept out of
   * the plan (never pruned): e.g. their manifest is in the source but invalid in this revision.
   */
  retain?: (kind: ManifestKind, name: string) => boolean;
  /** The kinds to plan with (default: the product's registry; tests add kinds). */
  kinds?: KindRegistry;
  /** Leftovers kept per resource by the kinds' tidy parts (`--keep-revisions`, default 5). */
  keepRevisions?: number;
}

/** Default of `--keep-revisions`. */
export const DEFAULT_KEEP_REVISIONS = 5;

type ActiveAction = Exclude<PlanAction, 'blocked' | 'delete' | 'create'>;

/** Actions that write to AWS. */
export const WRITE_ACTIONS: ReadonlySet<PlanAction> = new Set(['create', 'update', 'update-redeploys', 'replace', 'delete']);

function isPresent(live: LiveResource | undefined, kinds: KindRegistry): live is LiveResource {
  if (live === undefined) return false;
  return kinds.get(live.kind).isPresent?.(live) ?? true;
}

function actionFor(changes: readonly FieldChange[]): ActiveAction {
  switch (strongestEffect(changes)) {
    case undefined:
      return 'noop';
    case 'in-place':
      return 'update';
    case 'redeploy':
      return 'update-redeploys';
    case 'replace':
      return 'replace';
  }
}

function replaceReason(changes: readonly FieldChange[]): string {
  const reasons = [...new Set(changes.filter((c) => c.effect === 'replace').map((c) => c.reason ?? `${c.path} cannot change in place`))];
  return `${reasons.join('; ')}: replacement required, allowReplace not set`;
}

function planDesired(d: DesiredResource, live: LiveSet, o: PlanOptions, kinds: KindRegistry): ResourcePlan {
  const found = live.resources.get(d.key);
  const base = { kind: d.kind, key: d.key, name: d.name, desired: d };
  const kind = kinds.get(d.kind);
  if (!isPresent(found, kinds)) {
    const cannotCreate = kind.planAbsent?.(d, live);
    if (cannotCreate) return cannotCreate;
    if (d.policy.mode === 'observe') {
      return { ...base, action: 'blocked', blockedBy: 'observe-mode', wouldBe: 'create', reason: 'observe mode: the resource does not exist', changes: [] };
    }
    return { ...base, action: 'create', changes: [] };
  }
  const withLive = { ...base, live: found };
  if (found.managedBy !== undefined) {
    const reason = `a ${d.kind} named ${d.name} exists and belongs to ${found.managedBy} (${ECS_MANAGED_TAG} tag): AWS owns it, ecs-gitops never changes or adopts it`;
    return { ...withLive, action: 'blocked', blockedBy: 'not-owned', wouldBe: 'update', reason, changes: [] };
  }
  const changes = diffResource(d, found, kinds);
  const observed = actionFor(changes);
  if (d.policy.mode === 'observe') {
    if (observed === 'noop') return { ...withLive, action: 'noop', changes };
    return { ...withLive, action: 'blocked', blockedBy: 'observe-mode', wouldBe: observed, reason: 'observe mode: drift is reported, never written', changes };
  }
  const owner = found.owner?.controllerId;
  if (owner !== o.controllerId) {
    const adoptable = owner === undefined && d.policy.adopt;
    if (!adoptable) {
      const reason =
        owner === undefined
          ? `a ${d.kind} named ${d.name} exists and was not created by ecs-gitops: set syncPolicy.adopt to take it over`
          : `a ${d.kind} named ${d.name} is owned by controller "${owner}", not "${o.controllerId}"`;
      return { ...withLive, action: 'blocked', blockedBy: 'not-owned', wouldBe: observed === 'noop' ? 'update' : observed, reason, changes };
    }
  }
  const conflict = owner === o.controllerId ? identityConflict(found) : undefined;
  if (conflict !== undefined) {
    return { ...withLive, action: 'blocked', blockedBy: 'identity-conflict', wouldBe: observed === 'noop' ? 'update' : observed, reason: conflict, changes };
  }
  const ownerChange = ownerTagChange(d, found, o.controllerId, owner === undefined ? 'adopt: owner tags are added' : 'ownership tags updated');
  const all = ownerChange ? [...changes, ownerChange] : changes;
  const action = actionFor(all);
  if (action === 'replace' && !d.policy.allowReplace) {
    return { ...withLive, action: 'blocked', blockedBy: 'replace-not-allowed', wouldBe: 'replace', reason: replaceReason(all), changes: all };
  }
  const stripped = kind.stripped?.(d, found, action, all);
  if (stripped) {
    return {
      ...withLive,
      action: 'blocked',
      blockedBy: UNEXPRESSIBLE_FIELDS,
      wouldBe: action === 'noop' ? 'update' : action,
      reason: stripped.reason,
      unexpressedFields: stripped.fields,
      changes: all,
    };
  }
  const plan: ResourcePlan = { ...withLive, action, changes: all };
  if (action === 'replace') plan.reason = replaceReason(all).replace(/allowReplace not set$/, 'allowReplace set');
  else if (owner === undefined) plan.reason = 'adopt: the resource is taken over';
  return plan;
}

function byKindThenKey(direction: 1 | -1, kinds: KindRegistry) {
  return (a: ResourcePlan, b: ResourcePlan): number => direction * (kinds.rank(a.kind) - kinds.rank(b.kind)) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Whether a resource plan counts as drift: anything but noop, except resources kept on purpose. */
export function isDrift(r: ResourcePlan): boolean {
  return r.action !== 'noop' && r.blockedBy !== 'prune-disabled';
}

/**
 * Computes the plan for `desired` against `live`. Pure: no I/O, inputs are not modified.
 * Resources come in apply order: creates/updates/noops by KIND_ORDER (then key), deletions
 * in reverse KIND_ORDER.
 */
export function computePlan(desired: readonly DesiredResource[], live: LiveSet, options: PlanOptions): Plan {
  const kinds = options.kinds ?? KINDS;
  const forward = desired.map((d) => planDesired(d, live, options, kinds)).sort(byKindThenKey(1, kinds));
  const desiredKeys = new Set(desired.map((d) => d.key));
  const owned = [...live.resources.values()].filter((l) => ownedBy(l, options.controllerId, kinds));
  const orphans = owned.filter((l) => !desiredKeys.has(l.key) && !(options.retain?.(l.kind, l.name) ?? false));
  const usage = {
    live: [...live.resources.values()],
    forward,
    references: (rp: ResourcePlan) => (rp.desired ? kinds.get(rp.desired.kind).references(rp.desired) : []),
  };
  const deletions = planPrune(
    orphans,
    owned.length,
    usage,
    {
      pruneEnabled: options.pruneEnabled,
      ...(options.maxPruneCount !== undefined ? { maxPruneCount: options.maxPruneCount } : {}),
      ...(options.maxPrunePercent !== undefined ? { maxPrunePercent: options.maxPrunePercent } : {}),
      sourceIsEmpty: options.sourceIsEmpty === true || desired.length === 0,
    },
    kinds,
  ).sort(byKindThenKey(-1, kinds));
  const resources = [...forward, ...deletions];
  const tidy = live.revisions ? planTidy(desired, live, options) : undefined;
  return {
    resources,
    ...(tidy ? { tidy } : {}),
    hasChanges: resources.some((r) => WRITE_ACTIONS.has(r.action)) || (tidy ?? []).some((t) => t.action === 'deregister'),
    hasDrift: resources.some(isDrift),
  };
}

/** Whether `live` is one of this controller's own, present resources (what pruning counts). */
function ownedBy(live: LiveResource | undefined, controllerId: string, kinds: KindRegistry): boolean {
  return isPresent(live, kinds) && live.owner?.controllerId === controllerId && live.managedBy === undefined;
}

/**
 * `plan` again after single live resources changed (`before`: their previous live state, by
 * key), re-planning only those keys: the same entries as computePlan over the whole set would
 * give, in the same order. Returns undefined where one changed key could change other entries
 * (a plan that prunes or keeps an orphan, a key no manifest names, a resource that appeared,
 * vanished or changed owner): then the caller plans everything.
 */
export function replanKeys(plan: Plan, live: LiveSet, before: ReadonlyMap<string, LiveResource | undefined>, options: PlanOptions): Plan | undefined {
  const kinds = options.kinds ?? KINDS;
  if (plan.resources.some((r) => r.desired === undefined)) return undefined;
  const byKey = new Map(plan.resources.map((r) => [r.key, r]));
  for (const [key, old] of before) {
    const now = live.resources.get(key);
    if (!byKey.has(key) || isPresent(old, kinds) !== isPresent(now, kinds)) return undefined;
    if (ownedBy(old, options.controllerId, kinds) !== ownedBy(now, options.controllerId, kinds)) return undefined;
  }
  const resources = plan.resources.map((r) => (r.desired && before.has(r.key) ? planDesired(r.desired, live, options, kinds) : r));
  return {
    ...plan,
    resources,
    hasChanges: resources.some((r) => WRITE_ACTIONS.has(r.action)) || (plan.tidy ?? []).some((t) => t.action === 'deregister'),
    hasDrift: resources.some(isDrift),
  };
}

/**
 * The kinds' tidy entries (unused task definition revisions) for the revisions in `live`, with
 * the same guards as computePlan: `computePlan` adds them to `plan.tidy`; the controller plans
 * only the families its own guards let through (src/run/revision-tidy.ts).
 */
export function planTidy(desired: readonly DesiredResource[], live: LiveSet, options: PlanOptions): TidyPlan[] {
  const kinds = options.kinds ?? KINDS;
  const context = {
    live,
    desired,
    controllerId: options.controllerId,
    keepRevisions: options.keepRevisions ?? DEFAULT_KEEP_REVISIONS,
    pruneEnabled: options.pruneEnabled,
    maxDeletions: options.maxPruneCount ?? Number.POSITIVE_INFINITY,
    sourceIsEmpty: options.sourceIsEmpty === true || desired.length === 0,
  };
  return kinds.modules.flatMap((k) => k.tidy?.plan(context) ?? []);
}
