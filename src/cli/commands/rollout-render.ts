import { isRolledBack, type ServiceRollout } from '../../kinds/ecs-service/rollout.js';

/** What `rollout status` shows of one service. */
export interface RolloutReport {
  readonly cluster: string;
  readonly service: string;
  readonly serviceArn: string;
  /** The live value of the retry tag (the deployment id whose hold was lifted), if any. */
  readonly retried?: string;
  /** Newest first. */
  readonly deployments: readonly ServiceRollout[];
}

const COLUMNS = ['DEPLOYMENT', 'STATUS', 'STRATEGY', 'STAGE', 'TRAFFIC', 'BAKE LEFT', 'STARTED', 'RESULT'] as const;

function traffic(r: ServiceRollout): string {
  if (r.productionTrafficPercent === undefined) return '-';
  return `${r.productionTrafficPercent}%${r.testTrafficPercent !== undefined ? ` (test ${r.testTrafficPercent}%)` : ''}`;
}

function result(r: ServiceRollout): string {
  if (r.waitingHooks.length > 0) return `waiting at hook ${r.waitingHooks.map((h) => h.hookId).join(', ')} (rollout continue)`;
  return r.reason ?? '-';
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('   ')).join('\n');
}

/** The text `rollout status` prints. */
export function renderRolloutText(report: RolloutReport): string {
  const head = `Service: ${report.cluster}/${report.service} (${report.serviceArn})`;
  if (report.deployments.length === 0) return `${head}\n\nNo service deployments.\n`;
  const rows = report.deployments.map((r) => [
    r.id,
    r.status,
    r.strategy,
    r.stage ?? '-',
    traffic(r),
    r.bakeTimeLeftSeconds !== undefined ? `${r.bakeTimeLeftSeconds}s` : '-',
    r.startedAt ?? '-',
    result(r),
  ]);
  const latest = report.deployments[0]!;
  const notes: string[] = [];
  if (latest.targetTaskDefinitionArn) notes.push(`Target task definition: ${latest.targetTaskDefinitionArn}`);
  if (isRolledBack(latest)) {
    notes.push(
      report.retried === latest.id
        ? 'Rolled back; a retry was requested: the controller deploys this revision again at its next reconcile.'
        : 'Rolled back: the controller holds this revision (RolledBack) until the source asks for another one or `ecs-gitops rollout retry`.',
    );
  }
  return `${head}\n\n${table([COLUMNS, ...rows])}\n${notes.length > 0 ? `\n${notes.join('\n')}\n` : ''}`;
}
