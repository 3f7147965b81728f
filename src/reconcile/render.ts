/**
 * Plan rendering: a terraform-like text for people and a stable JSON document for tools.
 * Both are pure functions of the Plan.
 */
import type { ChangeEffect, Plan, PlanAction, ResourcePlan } from '../kit/types.js';
import { stableStringify } from '../util/deep-equal.js';

/** Counts shown in the summary line. `update` includes updates that redeploy. */
export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  blocked: number;
  unchanged: number;
}

/** One field change in the JSON output; `from`/`to` are left out when the value is absent. */
export interface PlanJsonChange {
  path: string;
  pointer: string;
  from?: unknown;
  to?: unknown;
  effect: ChangeEffect;
  reason?: string;
}

/** One resource in the JSON output. */
export interface PlanJsonResource {
  kind: string;
  key: string;
  name: string;
  action: PlanAction;
  wouldBe?: string;
  blockedBy?: string;
  reason?: string;
  /** With blockedBy `unexpressible-fields`: every live setting the write would drop. */
  unexpressedFields?: string[];
  changes: PlanJsonChange[];
}

/** One tidy entry in the JSON output (`revisions`): an unused task definition revision. */
export interface PlanJsonTidy {
  key: string;
  arn: string;
  action: 'deregister' | 'blocked';
  blockedBy?: string;
  reason: string;
}

/**
 * The `plan --output json` document (formatVersion 1). Fields are only ever added, never
 * renamed or removed, within a format version.
 */
export interface PlanJson {
  formatVersion: 1;
  hasChanges: boolean;
  hasDrift: boolean;
  summary: PlanSummary;
  resources: PlanJsonResource[];
  /** Present when revisions were looked for: what apply deregisters (or a prune guard keeps). */
  revisions?: PlanJsonTidy[];
}

/** Options of renderPlanText. */
export interface RenderTextOptions {
  /** List resources without changes (`= unchanged ...`). Default true. */
  showUnchanged?: boolean;
  /** Longest rendered value before it is shortened with "...". Default 200. */
  maxValueLength?: number;
}

/** The marker and word of each plan action, as the text and markdown plans show them. */
export const ACTION_HEADER: Record<PlanAction, string> = {
  create: '+ create',
  update: '~ update',
  'update-redeploys': '~ update (redeploys)',
  replace: '-/+ replace',
  delete: '- delete',
  noop: '= unchanged',
  blocked: '! blocked',
};

const WOULD_BE: Record<string, string> = {
  create: 'create',
  update: 'update',
  'update-redeploys': 'update (redeploys)',
  replace: 'replace',
  delete: 'delete',
};

/** Counts per summary bucket. */
export function summarizePlan(plan: Plan): PlanSummary {
  const s: PlanSummary = { create: 0, update: 0, replace: 0, delete: 0, blocked: 0, unchanged: 0 };
  for (const r of plan.resources) {
    if (r.action === 'create') s.create++;
    else if (r.action === 'update' || r.action === 'update-redeploys') s.update++;
    else if (r.action === 'replace') s.replace++;
    else if (r.action === 'delete') s.delete++;
    else if (r.action === 'blocked') s.blocked++;
    else s.unchanged++;
  }
  return s;
}

/** `Plan: 2 to create, 1 to update, 0 to replace, 0 to delete, 1 blocked.` or the no-changes line. */
export function summaryLine(plan: Plan): string {
  const s = summarizePlan(plan);
  if (s.create + s.update + s.replace + s.delete + s.blocked === 0) return 'No changes. Live state matches the source.';
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete, ${s.blocked} blocked.`;
}

function formatValue(value: unknown, max: number): string {
  if (value === undefined) return '(absent)';
  const text = stableStringify(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function headerLine(r: ResourcePlan): string {
  let line = `${ACTION_HEADER[r.action]} ${r.key}`;
  if (r.action === 'blocked') {
    const tags = [r.blockedBy, r.wouldBe ? `would ${WOULD_BE[r.wouldBe] ?? r.wouldBe}` : undefined].filter(Boolean);
    if (tags.length > 0) line += ` (${tags.join(', ')})`;
  }
  return line;
}

function resourceLines(r: ResourcePlan, max: number): string[] {
  const lines = [headerLine(r)];
  if (r.reason !== undefined) lines.push(`    reason: ${r.reason}`);
  for (const c of r.changes) {
    let line = `    ${c.path}: ${formatValue(c.from, max)} -> ${formatValue(c.to, max)}`;
    const note = c.effect === 'in-place' ? c.reason : c.reason ? `${c.effect}: ${c.reason}` : c.effect;
    if (note !== undefined) line += `  (${note})`;
    lines.push(line);
  }
  return lines;
}

/** Human output: one block per resource, then the summary line. Ends with a newline. */
export function renderPlanText(plan: Plan, options: RenderTextOptions = {}): string {
  const showUnchanged = options.showUnchanged ?? true;
  const max = options.maxValueLength ?? 200;
  const blocks: string[] = [];
  for (const r of plan.resources) {
    if (r.action === 'noop' && !showUnchanged) continue;
    blocks.push(resourceLines(r, max).join('\n'));
  }
  for (const t of plan.tidy ?? []) {
    blocks.push(
      t.action === 'deregister'
        ? `- deregister ${t.key}\n    reason: ${t.reason}`
        : `! blocked ${t.key} (${t.blockedBy ?? 'blocked'}, would deregister)\n    reason: ${t.reason}`,
    );
  }
  blocks.push(summaryLine(plan));
  const deregister = (plan.tidy ?? []).filter((t) => t.action === 'deregister').length;
  if (deregister > 0) blocks.push(`Tidy: ${deregister} unused task definition revision${deregister === 1 ? '' : 's'} to deregister.`);
  return `${blocks.join('\n')}\n`;
}

/** The JSON document for `--output json` (see PlanJson). */
export function planToJson(plan: Plan): PlanJson {
  return {
    formatVersion: 1,
    hasChanges: plan.hasChanges,
    hasDrift: plan.hasDrift,
    summary: summarizePlan(plan),
    resources: plan.resources.map((r) => {
      const out: PlanJsonResource = { kind: r.kind, key: r.key, name: r.name, action: r.action, changes: [] };
      if (r.wouldBe !== undefined) out.wouldBe = r.wouldBe;
      if (r.blockedBy !== undefined) out.blockedBy = r.blockedBy;
      if (r.reason !== undefined) out.reason = r.reason;
      if (r.unexpressedFields !== undefined) out.unexpressedFields = [...r.unexpressedFields];
      out.changes = r.changes.map((c) => {
        const change: PlanJsonChange = { path: c.path, pointer: c.pointer, effect: c.effect };
        if (c.from !== undefined) change.from = c.from;
        if (c.to !== undefined) change.to = c.to;
        if (c.reason !== undefined) change.reason = c.reason;
        return change;
      });
      return out;
    }),
    ...(plan.tidy
      ? {
          revisions: plan.tidy.map((t) => ({
            key: t.key,
            arn: t.arn,
            action: t.action,
            ...(t.blockedBy !== undefined ? { blockedBy: t.blockedBy } : {}),
            reason: t.reason,
          })),
        }
      : {}),
  };
}

/** planToJson serialized, 2-space indented, with a trailing newline. */
export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(planToJson(plan), null, 2)}\n`;
}
