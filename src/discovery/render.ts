import type { HealthFinding } from '../controller/status.js';
import type { DiscoveryFinding, DiscoveryReport, UnreadableScope } from './types.js';

/** The `discovery` member of `plan --output json` (and the shape `/status` serves, summarized). */
export interface DiscoveryJson {
  readonly checkedAt: string;
  readonly services: number;
  readonly findings: readonly DiscoveryFinding[];
  readonly unreadable: readonly UnreadableScope[];
  readonly calls: Readonly<Record<string, number>>;
}

/** The report as plan's JSON output carries it. */
export function discoveryJson(report: DiscoveryReport): DiscoveryJson {
  return { checkedAt: report.checkedAt, services: report.services.length, findings: report.findings, unreadable: report.unreadable, calls: report.calls };
}

/**
 * The "Discovery health" text section shared by `plan` and `status`: one line per finding
 * (`! <reason> <key>: <message>`), or a line saying all is well. Health, not drift: the
 * section says so, because applying manifests does not fix these.
 */
export function renderDiscoverySection(d: {
  readonly services: number;
  readonly findings: readonly HealthFinding[];
  readonly unreadable: readonly UnreadableScope[];
  readonly checkedAt?: string;
}): string {
  const lines = ['Discovery health (Cloud Map and Route 53 vs running ECS tasks; not drift, apply does not change it):'];
  if (d.services === 0 && d.findings.length === 0) lines.push('  no managed Cloud Map service is linked to an ECS service');
  else if (d.findings.length === 0) lines.push(`  ok: ${d.services} service(s) checked, no findings`);
  else {
    lines.push(`  ${d.findings.length} finding(s) in ${d.services} service(s) checked:`);
    for (const f of d.findings) lines.push(`  ! ${f.reason} ${f.key}: ${f.message}`);
  }
  for (const u of d.unreadable) lines.push(`  ? could not check ${u.scope}: ${u.reason}`);
  if (d.checkedAt) lines.push(`  (checked ${d.checkedAt})`);
  return `${lines.join('\n')}\n`;
}
