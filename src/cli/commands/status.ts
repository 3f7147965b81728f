import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.js';
import { qualifiedName, type DriftedField, type ResourceStatus, type StatusSnapshot } from '../../controller/status.js';
import { formatDuration, parseDuration } from '../../util/duration.js';
import { renderDiscoverySection } from '../../discovery/render.js';

const HELP = `Usage: ecs-gitops status [options]

Prints the status of a running controller: its source revision and readiness, then one
line per resource with its mode, conditions and last applied revision, then the findings of
the last discovery health check (Cloud Map and Route 53 vs running ECS tasks).

Options:
  --url <url>            controller address (env ECS_GITOPS_URL, default http://127.0.0.1:8080)
  --output <table|json>  table (default) or the raw /status JSON
  --kind <kind>          only resources of this kind
  --timeout <duration>   give up after this long (default 10s)

Exit codes: 0 all resources Ready, 2 some resource not Ready, 1 error.
`;

/** Columns of the resource table. */
const COLUMNS = ['KIND', 'NAME', 'MODE', 'READY', 'DRIFTED', 'SYNC', 'HEALTH', 'REASON', 'REVISION', 'AGE'] as const;

function conditionStatus(r: ResourceStatus, type: string): string {
  return r.conditions.find((c) => c.type === type)?.status ?? 'Unknown';
}

/** Short form of a revision: a git SHA to 12 characters, others as they are (bounded). */
function shortRevision(rev: string | undefined): string {
  if (!rev) return '-';
  const hex = /^(?:sha256:)?([0-9a-f]{12})[0-9a-f]*$/.exec(rev);
  if (hex) return hex[1]!;
  return rev.length > 24 ? `${rev.slice(0, 23)}…` : rev;
}

function age(iso: string | undefined, now: number): string {
  if (!iso) return '-';
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '-';
  if (ms < 1_000) return '0s';
  if (ms < 3_600_000) return formatDuration(Math.floor(ms / 1_000) * 1_000);
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)}h`;
  return `${Math.floor(ms / 86_400_000)}d`;
}

/**
 * A drifted field as the table shows it. A create or delete is one synthetic field
 * `(resource)` whose live value says what is wrong: `resource missing`, `resource not in the source`.
 */
function fieldLabel(f: DriftedField): string {
  if (f.path !== '(resource)') return f.path;
  return typeof f.from === 'string' ? `resource ${f.from === 'present' && typeof f.to === 'string' ? f.to : f.from}` : 'resource';
}

/** Why the resource is as it is: the most telling condition's reason. */
function reason(r: ResourceStatus): string {
  const pick = (t: string) => r.conditions.find((c) => c.type === t);
  const stalled = pick('Stalled');
  if (stalled?.status === 'True') return stalled.reason;
  const drifted = pick('Drifted');
  if (drifted?.status === 'True') return `${drifted.reason} (${r.driftedFields.map(fieldLabel).join(', ')})`;
  return pick('Ready')?.reason ?? '-';
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

/** Renders a /status snapshot as the text `ecs-gitops status` prints. */
export function renderStatus(snapshot: StatusSnapshot, now: number = Date.now()): string {
  const c = snapshot.controller;
  const src = c.source;
  const header = [
    `Source:    ${src.url ?? '-'}`,
    `Revision:  ${src.revision ?? '-'}${src.lastFetchTime ? ` (fetched ${age(src.lastFetchTime, now)} ago)` : ''}`,
    ...(src.lastFetchError ? [`Fetch error: ${src.lastFetchError.message} (${age(src.lastFetchError.time, now)} ago)`] : []),
    `Ready:     ${c.ready ? 'True' : `False${c.readyReason ? ` (${c.readyReason})` : ''}`}`,
    `Observed:  ${c.lastObserveTime ? `${age(c.lastObserveTime, now)} ago` : 'never'}${c.observationStale ? ' (STALE: resources are Unknown, nothing is written)' : ''}`,
    ...(c.lastObserveError ? [`Observe error: ${c.lastObserveError.message} (${age(c.lastObserveError.time, now)} ago)`] : []),
  ];
  const discovery = snapshot.discovery ? `\n${renderDiscoverySection(snapshot.discovery)}` : '';
  if (snapshot.resources.length === 0) return `${header.join('\n')}\n\nNo resources.\n${discovery}`;
  const rows = snapshot.resources.map((r) => [
    r.kind,
    qualifiedName(r.key),
    r.mode,
    conditionStatus(r, 'Ready'),
    conditionStatus(r, 'Drifted'),
    r.syncStatus,
    r.healthStatus,
    reason(r),
    shortRevision(r.lastAppliedRevision),
    age(r.conditions.find((x) => x.type === 'Ready')?.lastTransitionTime, now),
  ]);
  return `${header.join('\n')}\n\n${table([COLUMNS, ...rows])}\n${discovery}`;
}

interface NetError {
  code?: string;
  message?: string;
  cause?: NetError;
  errors?: NetError[];
}

/** fetch() hides the socket error in `cause` (an AggregateError when several addresses were tried). */
function failureText(err: unknown): string {
  const e = err as NetError;
  const c = e.cause;
  return c?.code ?? c?.errors?.[0]?.code ?? c?.message ?? e.message ?? String(err);
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the status of a running controller (resources, drift, revisions)',
  help: HELP,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string' },
        output: { type: 'string', default: 'table' },
        kind: { type: 'string' },
        timeout: { type: 'string', default: '10s' },
      },
      strict: true,
    });
    const output = values.output;
    if (output !== 'table' && output !== 'json') throw new UsageError(`--output must be table or json (got "${output}")`);
    const base = (values.url ?? io.env.ECS_GITOPS_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
    let timeoutMs: number;
    try {
      timeoutMs = parseDuration(values.timeout);
    } catch (err) {
      throw new UsageError(`--timeout: ${(err as Error).message}`);
    }
    let snapshot: StatusSnapshot;
    try {
      const res = await fetch(`${base}/status`, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
      snapshot = (await res.json()) as StatusSnapshot;
    } catch (err) {
      io.stderr(`error: cannot read ${base}/status: ${failureText(err)}\n`);
      return 1;
    }
    if (!snapshot || typeof snapshot !== 'object' || !Array.isArray(snapshot.resources) || typeof snapshot.controller !== 'object') {
      io.stderr(`error: ${base}/status did not return an ecs-gitops status document\n`);
      return 1;
    }
    if (values.kind !== undefined) snapshot = { ...snapshot, resources: snapshot.resources.filter((r) => r.kind === values.kind) };
    io.stdout(output === 'json' ? `${JSON.stringify(snapshot, null, 2)}\n` : renderStatus(snapshot));
    const allReady = snapshot.resources.every((r) => conditionStatus(r, 'Ready') === 'True');
    return allReady ? 0 : 2;
  },
};
