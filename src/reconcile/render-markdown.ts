/**
 * Plan rendering for a pull request comment (`plan --output markdown`): the summary first,
 * then one collapsible block per resource with changes, within a size budget (GitHub refuses
 * comments over 65,536 characters). A pure function of the Plan, like render.ts.
 */
import type { FieldChange, Plan, ResourcePlan } from '../kit/types.js';
import { stableStringify } from '../util/deep-equal.js';
import { ACTION_HEADER, summarizePlan, summaryLine } from './render.js';

/** GitHub's longest issue or pull request comment, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface RenderMarkdownOptions {
  /** Longest output in characters (default: GitHub's comment limit less room for a header the poster adds). */
  maxLength?: number;
  /** Longest rendered value before it is shortened with "...". Default 200. */
  maxValueLength?: number;
  /** Heading line (default `### ecs-gitops plan`). */
  title?: string;
}

/** Default longest output: room is left for what a poster adds (marker, validate result, links). */
export const DEFAULT_MARKDOWN_MAX = GITHUB_COMMENT_LIMIT - 1_536;

/** Text made inert inside an HTML element (`<summary>`, `<code>`). */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** A collapsed block: `title` (escaped) over `body` in a fence (`info`: its language), cut to `maxBody` characters. */
export function detailsBlock(title: string, body: string, info = 'text', maxBody = 8_000): string {
  const cut = body.length > maxBody ? `${body.slice(0, maxBody)}\n... (cut: ${body.length - maxBody} more characters)` : body;
  return `<details><summary>${escapeHtml(title)}</summary>\n\n${fenced(cut.replace(/\n+$/, ''), info)}\n\n</details>`;
}

/** A fence longer than any backtick run in `body`, so nothing inside can close it (CommonMark 4.5). */
function fenced(body: string, info: string): string {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

function value(v: unknown, max: number): string {
  const text = stableStringify(v);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** The diff lines of one change: `-` the live value, `+` the source's, `#` why. */
function changeLines(c: FieldChange, max: number): string[] {
  const lines: string[] = [];
  if (c.from !== undefined) lines.push(`- ${c.path}: ${value(c.from, max)}`);
  if (c.to !== undefined) lines.push(`+ ${c.path}: ${value(c.to, max)}`);
  if (c.from === undefined && c.to === undefined) lines.push(`  ${c.path}`);
  const note = c.effect === 'in-place' ? c.reason : c.reason ? `${c.effect}: ${c.reason}` : c.effect;
  if (note !== undefined) lines.push(`# ${oneLine(note)}`);
  return lines;
}

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ');
}

function summaryOf(r: ResourcePlan): string {
  const tags = r.action === 'blocked' ? [r.blockedBy, r.wouldBe ? `would ${r.wouldBe}` : undefined].filter(Boolean).join(', ') : '';
  const count = r.changes.length > 0 ? ` · ${r.changes.length} field${r.changes.length === 1 ? '' : 's'}` : '';
  return `<code>${escapeHtml(ACTION_HEADER[r.action])}</code> <b>${escapeHtml(r.key)}</b>${tags ? ` (${escapeHtml(tags)})` : ''}${escapeHtml(count)}`;
}

/**
 * One resource as a `<details>` block holding a `diff` fence; at most `budget` characters:
 * change lines that do not fit are counted in a closing note instead.
 */
function resourceBlock(r: ResourcePlan, max: number, budget: number): string | undefined {
  const head = `<details><summary>${summaryOf(r)}</summary>\n\n`;
  const tail = '\n\n</details>';
  const lines: string[] = [];
  if (r.reason !== undefined) lines.push(`# reason: ${oneLine(r.reason)}`);
  if (r.unexpressedFields?.length) lines.push(`# live settings the manifest cannot express: ${r.unexpressedFields.join(', ')}`);
  const all = [...lines, ...r.changes.flatMap((c) => changeLines(c, max))];
  const render = (shown: string[], hidden: number) =>
    `${head}${fenced([...shown, ...(hidden > 0 ? [`# ... ${hidden} more lines not shown (comment size limit): run ecs-gitops plan for all of them`] : [])].join('\n'), 'diff')}${tail}`;
  let block = render(all, 0);
  if (block.length <= budget) return block;
  // Shorten by halves, then line by line: a block with thousands of lines stays cheap.
  for (let keep = all.length; ; keep = keep > 64 ? Math.floor(keep / 2) : keep - 1) {
    block = render(all.slice(0, keep), all.length - keep);
    if (block.length <= budget) return block;
    if (keep === 0) return undefined;
  }
}

/** Markdown for a pull request comment; never longer than `maxLength`. Ends with a newline. */
export function renderPlanMarkdown(plan: Plan, options: RenderMarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MARKDOWN_MAX;
  const max = options.maxValueLength ?? 200;
  const s = summarizePlan(plan);
  const deregister = (plan.tidy ?? []).filter((t) => t.action === 'deregister').length;
  const head = [
    options.title ?? '### ecs-gitops plan',
    '',
    `**${summaryLine(plan)}**`,
    '',
    '| create | update | replace | delete | blocked | unchanged |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${s.create} | ${s.update} | ${s.replace} | ${s.delete} | ${s.blocked} | ${s.unchanged} |`,
    ...(deregister > 0 ? ['', `Tidy: ${deregister} unused task definition revision${deregister === 1 ? '' : 's'} to deregister.`] : []),
  ].join('\n');

  const changed = plan.resources.filter((r) => r.action !== 'noop');
  const tidy = plan.tidy ?? [];
  const note = (n: number) =>
    `\n\n> [!NOTE]\n> ${n} more block${n === 1 ? '' : 's'} not shown: the comment would exceed GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character limit. Run \`ecs-gitops plan\` for the full plan.`;
  // Room kept for the truncation note, so it always fits.
  const reserve = note(changed.length + tidy.length).length + 1;
  const makers: ((budget: number) => string | undefined)[] = [
    ...changed.map((r) => (budget: number) => resourceBlock(r, max, budget)),
    ...(tidy.length > 0 ? [(budget: number) => tidyBlock(plan, budget)] : []),
  ];
  let out = head;
  let shown = 0;
  for (const make of makers) {
    const block = make(maxLength - reserve - out.length - 2);
    if (block === undefined) break;
    out += `\n\n${block}`;
    shown++;
  }
  if (shown < makers.length) out += note(makers.length - shown);
  return `${out}\n`;
}

function tidyBlock(plan: Plan, budget: number): string | undefined {
  const lines = (plan.tidy ?? []).map((t) =>
    t.action === 'deregister' ? `- deregister ${t.key}  # ${oneLine(t.reason)}` : `! blocked ${t.key} (${t.blockedBy ?? 'blocked'})  # ${oneLine(t.reason)}`,
  );
  const block = detailsBlock(`Task definition revisions (${lines.length})`, lines.join('\n'), 'diff', Number.MAX_SAFE_INTEGER);
  return block.length <= budget ? block : undefined;
}
