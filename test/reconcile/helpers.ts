import type { PlanOptions } from '../../src/reconcile/plan.js';
import type { LiveResource, LiveSet } from '../../src/kit/types.js';

/** Plan options of the plan tests: this controller is `ecs-gitops`, prune is on. */
export const PLAN_OPTIONS: PlanOptions = { controllerId: 'ecs-gitops', pruneEnabled: true };

/** A live set holding the given resources. */
export function liveSet(...resources: LiveResource[]): LiveSet {
  return { resources: new Map(resources.map((r) => [r.key, r])), calls: {}, unreadable: [] };
}
