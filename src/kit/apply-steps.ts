import { ApplyError } from './apply-errors.js';
import type { ResourcePlan } from './types.js';

/**
 * What one kind's executor does for each plan action. Each step receives the desired and
 * live resource it needs; other actions (noop, blocked) do nothing.
 */
export interface KindSteps<D, L> {
  /** `live` is present when a resource of that name still exists (e.g. an ECS service draining). */
  create(desired: D, live: L | undefined): Promise<unknown>;
  /** Both `update` and `update-redeploys`. */
  update(desired: D, live: L): Promise<unknown>;
  replace(desired: D, live: L): Promise<unknown>;
  delete(live: L): Promise<unknown>;
}

/**
 * Runs the step for `plan.action`. A plan that lacks the desired or live resource its action
 * needs fails with EGO_APPLY_PLAN_INCOMPLETE before anything is written.
 */
export async function applyByAction<D, L>(plan: ResourcePlan, steps: KindSteps<D, L>): Promise<void> {
  const desired = (): D => need(plan.desired as D | undefined, plan);
  const live = (): L => need(plan.live as L | undefined, plan);
  switch (plan.action) {
    case 'create':
      await steps.create(desired(), plan.live as L | undefined);
      return;
    case 'update':
    case 'update-redeploys':
      await steps.update(desired(), live());
      return;
    case 'replace':
      await steps.replace(desired(), live());
      return;
    case 'delete':
      await steps.delete(live());
      return;
    default:
      return;
  }
}

function need<T>(value: T | undefined, plan: ResourcePlan): T {
  if (value === undefined) throw new ApplyError('EGO_APPLY_PLAN_INCOMPLETE', `${plan.key}: ${plan.action} without the resource it needs`);
  return value;
}
