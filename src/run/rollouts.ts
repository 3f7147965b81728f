/**
 * The rollout gates of one scan: for each owned ECS service whose deployment is under way, or
 * whose plan would deploy another task definition, the newest service deployment is read and
 * judged (kinds/ecs-service/rollout-gate.ts). Only those services cost calls: one
 * ListServiceDeployments and one DescribeServiceDeployments each, plus DescribeServiceRevisions
 * and DescribeTaskDefinition for revisions not seen before (both immutable, cached).
 */
import type { AwsClients } from '../aws/clients.js';
import { AwsError } from '../aws/errors.js';
import type { ObserveCaches } from '../observe/index.js';
import type { DesiredOf } from '../manifests/types.js';
import type { LiveEcsService, Plan, ResourcePlan } from '../kit/types.js';
import { readServiceRollouts } from '../kinds/ecs-service/rollout.js';
import { describedTaskDefinition } from '../kinds/ecs-service/task-definition/revisions.js';
import { ROLLOUT_RETRY_TAG, rolloutGate, wantsTarget, type RolloutGate } from '../kinds/ecs-service/rollout-gate.js';
import { mapLimit } from '../util/map-limit.js';
import { errorMessage } from '../util/errors.js';

/** A gate, or the reason the deployment could not be read (the service is not written meanwhile). */
export type RolloutEntry = RolloutGate | { readonly state: 'unreadable'; readonly message: string };

/** Plan actions the gate may stop (a write that would deploy) or annotate (noop: a rollout in progress). */
const GATED_ACTIONS: ReadonlySet<string> = new Set(['noop', 'update', 'update-redeploys']);

/** Reads the deployments of the candidates (4 at a time). */
export class RolloutReader {
  /** Service revision ARN -> task definition ARN (revisions are immutable). */
  private readonly revisions = new Map<string, string>();

  constructor(
    private readonly clients: AwsClients,
    private readonly caches: ObserveCaches,
    private readonly now: () => number = Date.now,
  ) {}

  async gates(plan: Plan): Promise<Map<string, RolloutEntry>> {
    const candidates = plan.resources.filter(isCandidate);
    const out = new Map<string, RolloutEntry>();
    const entries = await mapLimit(candidates, 4, (rp) => this.gateOf(rp));
    candidates.forEach((rp, i) => {
      const e = entries[i];
      if (e) out.set(rp.key, e);
    });
    return out;
  }

  private async gateOf(rp: ResourcePlan): Promise<RolloutEntry | undefined> {
    const live = rp.live as LiveEcsService;
    const desired = rp.desired as DesiredOf<'EcsService'>;
    try {
      const [latest] = await readServiceRollouts(this.clients.ecs, live.cluster, live.name, { max: 1, now: this.now(), revisions: this.revisions });
      if (!latest) return undefined;
      const td =
        latest.targetTaskDefinitionArn !== undefined && desired.manifest.spec.taskDefinition !== undefined
          ? await describedTaskDefinition(this.clients.ecs, latest.targetTaskDefinitionArn, this.caches)
          : undefined;
      return rolloutGate(latest, wantsTarget(desired, latest, td), live.tags[ROLLOUT_RETRY_TAG]);
    } catch (err) {
      const message = err instanceof AwsError ? `${err.operation} ${err.code}: ${err.message}` : errorMessage(err);
      return { state: 'unreadable', message: `the service's deployments could not be read: ${message}` };
    }
  }
}

/**
 * An owned ECS service of the source, written or left alone by the plan, whose deployment is
 * under way or whose plan deploys another task definition.
 */
function isCandidate(rp: ResourcePlan): boolean {
  if (rp.kind !== 'EcsService' || !rp.desired || rp.live?.kind !== 'EcsService' || !rp.live.owner) return false;
  if (!GATED_ACTIONS.has(rp.action)) return false;
  if (rp.live.deploymentsInProgress > 0) return true;
  return rp.changes.some((c) => c.path.startsWith('spec.taskDefinition'));
}
