import type { StatusStore } from '../controller/status.js';
import type { ControllerMetrics, DiscoveryFinding as FindingCount } from '../observability/metrics.js';
import { DISCOVERY_REASONS, INSTANCE_STATES, type DiscoveryFinding, type DiscoveryReport } from './types.js';

/** Where reports go. */
export interface PublishTargets {
  readonly metrics?: ControllerMetrics | undefined;
  readonly status?: StatusStore | undefined;
}

/** Findings counted by (resource, reason): the `discovery_findings` series. */
export function findingCounts(findings: readonly DiscoveryFinding[]): FindingCount[] {
  const counts = new Map<string, FindingCount>();
  for (const f of findings) {
    const id = `${f.key}\u0000${f.reason}`;
    counts.set(id, { key: f.key, reason: f.reason, count: (counts.get(id)?.count ?? 0) + 1 });
  }
  return [...counts.values()];
}

/** The `Healthy` condition of one resource from its findings. */
export function healthCondition(findings: readonly DiscoveryFinding[]): { status: 'True' | 'False'; reason: string; message: string } {
  if (findings.length === 0) return { status: 'True', reason: 'DiscoveryHealthy', message: 'Cloud Map and Route 53 point at the running tasks' };
  const byReason = new Map<string, number>();
  for (const f of findings) byReason.set(f.reason, (byReason.get(f.reason) ?? 0) + 1);
  // The first reason in catalogue order names the condition; the message lists them all.
  const reason = DISCOVERY_REASONS.find((r) => byReason.has(r)) ?? findings[0]!.reason;
  const summary = [...byReason].map(([r, n]) => `${r} x${n}`).join(', ');
  return { status: 'False', reason, message: `${summary}: ${findings[0]!.message}` };
}

/**
 * Publishes a report: metrics (findings, instances by state, the check's calls and
 * remediations) and status (the `Healthy` condition of every Cloud Map service, namespace
 * and ECS service checked, and the snapshot's `discovery` section). Resources checked before
 * but not now get `Healthy: Unknown`: `DiscoveryUnreadable` when their reads failed,
 * `NotChecked` otherwise; metrics drop their instance series.
 */
export function publishDiscoveryReport(report: DiscoveryReport, targets: PublishTargets): void {
  const partial = report.unreadable.length > 0;
  const { metrics, status } = targets;
  if (metrics) {
    metrics.setDiscoveryFindings(findingCounts(report.findings));
    metrics.setDiscoveryInstances(
      new Map(report.services.map((s) => [s.key, Object.fromEntries(INSTANCE_STATES.map((state) => [state, s.instances[state]]))])),
    );
    metrics.recordDiscoveryCheck(partial ? 'partial' : 'success', report.calls, Date.parse(report.checkedAt));
    for (const r of report.remediations) metrics.recordDiscoveryRemediation(r.result);
  }
  if (status) publishHealth(report, status);
}

function publishHealth(report: DiscoveryReport, status: StatusStore): void {
  const byKey = new Map<string, DiscoveryFinding[]>();
  const add = (key: string, f?: DiscoveryFinding): void => {
    const list = byKey.get(key) ?? [];
    if (f) list.push(f);
    byKey.set(key, list);
  };
  // A Service Connect service is ECS's, not a resource of the source: its findings go to the ECS services.
  const ecsOwned = new Set(report.services.flatMap((s) => (s.serviceConnect ? [s.key] : [])));
  for (const s of report.services) {
    if (!ecsOwned.has(s.key)) add(s.key);
    for (const e of s.ecsServices) add(e);
  }
  for (const z of report.zones) add(z.namespaceKey);
  const ecsOf = new Map(report.services.map((s) => [s.key, s.ecsServices]));
  for (const f of report.findings) {
    if (!ecsOwned.has(f.key)) add(f.key, f);
    // Task and instance problems are also the ECS service's problem.
    if (f.kind === 'CloudMapService') for (const e of ecsOf.get(f.key) ?? []) add(e, f);
  }
  for (const [key, list] of byKey) {
    const c = healthCondition(list);
    status.setHealth(key, c.status, c.reason, c.message);
  }
  const unreadable = new Map(report.unreadable.map((u) => [u.scope.replace(/\/(zone|records)$/, ''), u.reason]));
  for (const [key, reason] of unreadable) {
    if (!byKey.has(key) && status.get(key)) status.setHealth(key, 'Unknown', 'DiscoveryUnreadable', reason);
  }
  // What was checked before is in the store already: its Healthy condition.
  for (const r of status.summaries()) {
    if (r.healthyReason === undefined || byKey.has(r.key) || unreadable.has(r.key) || r.healthyReason === 'NotChecked') continue;
    status.setHealth(r.key, 'Unknown', 'NotChecked', 'no longer linked to a checked service');
  }
  status.setDiscovery({
    checkedAt: report.checkedAt,
    services: report.services.length,
    findings: report.findings,
    remediations: report.remediations.length,
    unreadable: report.unreadable,
  });
}
