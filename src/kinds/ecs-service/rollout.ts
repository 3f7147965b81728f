/**
 * ECS service deployments (ListServiceDeployments, DescribeServiceDeployments,
 * DescribeServiceRevisions) read into one small shape: what the controller needs to tell a
 * rollout from drift and a rollback from a change, and what `ecs-gitops rollout status` shows.
 */
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { nameFromArn } from '../../kit/ownership.js';

/** Service deployment statuses of a deployment ECS is still working on (a rollback included). */
export const ACTIVE_DEPLOYMENT_STATUSES: ReadonlySet<string> = new Set([
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
]);

/** Statuses of a deployment ECS rolled back (the service runs the revision before it again). */
export const ROLLED_BACK_STATUSES: ReadonlySet<string> = new Set(['ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

/** A lifecycle hook waiting for ContinueServiceDeployment. */
export interface WaitingHook {
  readonly hookId: string;
  readonly targetType?: string;
}

/** One service deployment, as the controller and the CLI use it. */
export interface ServiceRollout {
  readonly arn: string;
  /** The last segment of the ARN (what `rollout retry` records). */
  readonly id: string;
  /** ServiceDeployment.status, e.g. IN_PROGRESS, SUCCESSFUL, ROLLBACK_SUCCESSFUL. */
  readonly status: string;
  /** ROLLING (the default), BLUE_GREEN, LINEAR or CANARY. */
  readonly strategy: string;
  /** ServiceDeployment.lifecycleStage, e.g. SCALE_UP, BAKE_TIME. */
  readonly stage?: string;
  /** Production traffic on the target (new) revision, percent; absent under ROLLING. */
  readonly productionTrafficPercent?: number;
  readonly testTrafficPercent?: number;
  /** Seconds of bake time left (BAKE_TIME only), estimated from the last stage change. */
  readonly bakeTimeLeftSeconds?: number;
  /** ECS's reason: the rollback reason, else the status reason. */
  readonly reason?: string;
  readonly targetRevisionArn?: string;
  /** Task definition of the target revision, when it could be read. */
  readonly targetTaskDefinitionArn?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Hooks waiting for ContinueServiceDeployment. */
  readonly waitingHooks: readonly WaitingHook[];
}

/** True while ECS is still working on the deployment. */
export function isActive(r: ServiceRollout): boolean {
  return ACTIVE_DEPLOYMENT_STATUSES.has(r.status);
}

/** True when ECS rolled the deployment back. */
export function isRolledBack(r: ServiceRollout): boolean {
  return ROLLED_BACK_STATUSES.has(r.status);
}

/** Reads and converts a service's newest deployments (newest first). */
export async function readServiceRollouts(
  ecs: ECSClient,
  cluster: string,
  service: string,
  options: { readonly max: number; readonly now?: number; readonly revisions?: Map<string, string> },
): Promise<ServiceRollout[]> {
  const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, maxResults: options.max }));
  const arns = (listed.serviceDeployments ?? []).flatMap((d) => (d.serviceDeploymentArn ? [d.serviceDeploymentArn] : []));
  if (arns.length === 0) return [];
  const described = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }));
  const byArn = new Map((described.serviceDeployments ?? []).map((d) => [d.serviceDeploymentArn ?? '', d]));
  const ordered = arns.flatMap((a) => {
    const d = byArn.get(a);
    return d ? [d] : [];
  });
  const revisions = options.revisions ?? new Map<string, string>();
  const unknown = [...new Set(ordered.map((d) => d.targetServiceRevision?.arn).filter((a): a is string => !!a && !revisions.has(a)))];
  if (unknown.length > 0) {
    const out = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: unknown.slice(0, 20) }));
    for (const r of out.serviceRevisions ?? []) if (r.serviceRevisionArn && r.taskDefinition) revisions.set(r.serviceRevisionArn, r.taskDefinition);
  }
  const now = options.now ?? Date.now();
  return ordered.map((d) => convertServiceDeployment(d, revisions, now));
}

/** A described service deployment in the controller's shape. */
export function convertServiceDeployment(d: ServiceDeployment, revisions: ReadonlyMap<string, string>, now: number): ServiceRollout {
  const arn = d.serviceDeploymentArn ?? '';
  const strategy = d.deploymentConfiguration?.strategy ?? 'ROLLING';
  const target = d.targetServiceRevision;
  const td = target?.arn ? revisions.get(target.arn) : undefined;
  const reason = d.rollback?.reason ?? d.statusReason;
  const bake = bakeLeft(d, now);
  const waitingHooks = (d.lifecycleHookDetails ?? [])
    .filter((h) => h.status === 'AWAITING_ACTION' || (h.status === 'IN_PROGRESS' && d.status === 'IN_PROGRESS'))
    .map((h) => ({ hookId: h.hookId ?? '', ...(h.targetType ? { targetType: h.targetType } : {}) }));
  return {
    arn,
    id: nameFromArn(arn),
    status: d.status ?? 'PENDING',
    strategy,
    ...(d.lifecycleStage ? { stage: d.lifecycleStage } : {}),
    ...(strategy !== 'ROLLING' && target?.requestedProductionTrafficWeight !== undefined
      ? { productionTrafficPercent: target.requestedProductionTrafficWeight }
      : {}),
    ...(strategy !== 'ROLLING' && target?.requestedTestTrafficWeight !== undefined ? { testTrafficPercent: target.requestedTestTrafficWeight } : {}),
    ...(bake !== undefined ? { bakeTimeLeftSeconds: bake } : {}),
    ...(reason ? { reason } : {}),
    ...(target?.arn ? { targetRevisionArn: target.arn } : {}),
    ...(td ? { targetTaskDefinitionArn: td } : {}),
    ...(d.startedAt ? { startedAt: d.startedAt.toISOString() } : {}),
    ...(d.finishedAt ? { finishedAt: d.finishedAt.toISOString() } : {}),
    waitingHooks,
  };
}

/** Bake time left: the configured bake from the last stage change (ECS reports no end time). */
function bakeLeft(d: ServiceDeployment, now: number): number | undefined {
  if (d.status !== 'IN_PROGRESS' || d.lifecycleStage !== 'BAKE_TIME') return undefined;
  const minutes = d.deploymentConfiguration?.bakeTimeInMinutes ?? 0;
  const since = d.updatedAt?.getTime();
  if (since === undefined) return minutes * 60;
  return Math.max(0, Math.round((since + minutes * 60_000 - now) / 1000));
}
