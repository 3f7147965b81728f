/**
 * Rollout health of the owned ECS services of a scan (kinds/ecs-service/health.ts): judged
 * from the DescribeServices answer the scan already has, at no cost. Only for a service whose
 * rollout is failing (Degraded) are stopped tasks read for ECS's stopped reason: one ListTasks
 * (desiredStatus STOPPED) and one DescribeTasks, at most once a minute per failed deployment.
 */
import { DescribeTasksCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import type { AwsClients } from '../aws/clients.js';
import { call } from '../aws/errors.js';
import type { LiveEcsService, Plan, ResourcePlan } from '../kit/types.js';
import { deploymentIdOfRevision, ecsRolloutHealth, type EcsRolloutHealth } from '../kinds/ecs-service/health.js';
import { mapLimit } from '../util/map-limit.js';
import type { RolloutEntry } from './rollouts.js';

/** How long a stopped reason read for a failed deployment is reused. */
const REASON_REFRESH_MS = 60_000;

export interface RolloutHealthReaderOptions {
  readonly clients: AwsClients;
  /** A rollout turned Degraded (not a held rollback, which the reconciler reports): once per failed deployment. */
  readonly onFailed?: (key: string, health: EcsRolloutHealth, revision: string | undefined) => void;
  readonly now?: () => number;
}

export class RolloutHealthReader {
  /** Failed deployment id -> the stopped reason read, and when. */
  private readonly reasons = new Map<string, { at: number; reason: string | undefined }>();
  private readonly failedSent = new Set<string>();
  private readonly now: () => number;
  /** ListTasks + DescribeTasks calls made for stopped reasons (for tests and the scan log). */
  calls = 0;

  constructor(private readonly options: RolloutHealthReaderOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The health of every owned ECS service of the source in `plan`, by key. */
  async assess(plan: Plan, gates: ReadonlyMap<string, RolloutEntry>, revision?: string): Promise<Map<string, EcsRolloutHealth>> {
    const services = plan.resources.filter(isJudged);
    const judged = await mapLimit(services, 4, (rp) => this.judge(rp, gates.get(rp.key), revision));
    const out = new Map<string, EcsRolloutHealth>();
    services.forEach((rp, i) => {
      const h = judged[i];
      if (h) out.set(rp.key, h);
    });
    for (const [id, r] of this.reasons) if (this.now() - r.at > 10 * REASON_REFRESH_MS) this.reasons.delete(id);
    return out;
  }

  private async judge(rp: ResourcePlan, gate: RolloutEntry | undefined, revision: string | undefined): Promise<EcsRolloutHealth | undefined> {
    const live = rp.live as LiveEcsService;
    const state = live.deploymentState;
    if (!state) return undefined;
    const held =
      gate?.state === 'held'
        ? {
            ...(deploymentIdOfRevision(gate.rollout.targetRevisionArn) ? { deploymentId: deploymentIdOfRevision(gate.rollout.targetRevisionArn)! } : {}),
            ...(gate.rollout.reason ? { reason: gate.rollout.reason } : {}),
          }
        : undefined;
    const first = ecsRolloutHealth(state, held);
    if (first.state !== 'Degraded' || !first.failedDeployment) return first;
    const reason = await this.stoppedReason(live.cluster, live.name, first.failedDeployment);
    const health = ecsRolloutHealth(state, held, reason);
    if (!held && !this.failedSent.has(first.failedDeployment)) {
      this.failedSent.add(first.failedDeployment);
      this.options.onFailed?.(rp.key, health, revision);
    }
    return health;
  }

  /** ECS's reason of the newest stopped task of `deploymentId`, read at most once a minute. */
  private async stoppedReason(cluster: string, service: string, deploymentId: string): Promise<string | undefined> {
    const known = this.reasons.get(deploymentId);
    if (known && this.now() - known.at < REASON_REFRESH_MS) return known.reason;
    let reason: string | undefined;
    try {
      const ecs = this.options.clients.ecs;
      this.calls++;
      const listed = await call('ecs', 'ListTasks', () =>
        ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: 100 })),
      );
      const arns = listed.taskArns ?? [];
      if (arns.length > 0) {
        this.calls++;
        const described = await call('ecs', 'DescribeTasks', () => ecs.send(new DescribeTasksCommand({ cluster, tasks: arns })));
        reason = newestReason((described.tasks ?? []).filter((t) => t.startedBy === deploymentId));
      }
    } catch {
      // A failed read leaves the reason out; the health is Degraded either way.
      reason = known?.reason;
    }
    this.reasons.set(deploymentId, { at: this.now(), reason });
    return reason;
  }
}

/**
 * ECS's own reason for stopping the tasks of a deployment it scales in or replaces: a task
 * stopped so is no failure (after a rollback, the newest stopped tasks are these).
 */
const SCHEDULER_STOP = /^Scaling activity initiated by /;

/**
 * The stopped reason of the newest failed task (one stopped for another reason than ECS's
 * scaling), with the failing container's reason or exit code; the newest stopped task when
 * none failed.
 */
export function newestReason(tasks: readonly Task[]): string | undefined {
  const byNewest = [...tasks].filter((t) => t.stoppedReason).sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
  const newest = byNewest.find((t) => !SCHEDULER_STOP.test(t.stoppedReason!)) ?? byNewest[0];
  if (!newest?.stoppedReason) return undefined;
  const own = (c: NonNullable<Task['containers']>[number]) => (c.reason !== undefined && c.reason !== newest.stoppedReason ? c.reason : undefined);
  const container = newest.containers?.find((c) => own(c) !== undefined || (c.exitCode !== undefined && c.exitCode !== 0));
  const detail = container ? ` (container ${container.name ?? '?'}: ${own(container) ?? `exit code ${container.exitCode}`})` : '';
  return `${newest.stoppedReason}${detail}`;
}

/** An owned ECS service of the source that ECS reports. */
function isJudged(rp: ResourcePlan): boolean {
  return rp.kind === 'EcsService' && rp.desired !== undefined && rp.live?.kind === 'EcsService' && rp.live.owner !== undefined;
}
