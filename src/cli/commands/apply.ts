import type { Command, CommandIO } from '../command.js';
import { ConfigError, readOptions, renderOptionsHelp, textValue, type OptionSpec } from '../../config/options.js';
import type { AwsClients } from '../../aws/clients.js';
import type { DesiredResource } from '../../manifests/types.js';
import type { ApplyActionEvent, ApplyResult, ApplyWaits } from '../../kit/apply-types.js';
import type { LiveSet, Plan } from '../../kit/types.js';
import { parseDuration, formatDuration } from '../../util/duration.js';
import { DEFAULT_MANIFEST_READER, planOptionsFor, readManifestInput, resolveControllerId, type ManifestReader } from './manifest-input.js';
import { openAwsClients, parsePlanArgs, PLAN_OPTIONS, type PlanArgs } from './plan.js';
import { LEASE_OPTIONS, LEASE_WAIT_OPTION, parseLeaseSettings, parseLeaseWait, type LeaseSettings } from '../../config/lease-options.js';
import type { AwsWriteGuard } from '../../aws/clients.js';

/** Options of apply: those of plan plus the wait bound. */
export const APPLY_OPTIONS: readonly OptionSpec[] = [
  ...PLAN_OPTIONS.map((o) => (o.name === 'output' ? { ...o, placeholder: 'text|json', description: 'output format (json is documented in docs/plan.md)' } : o)),
  {
    name: 'wait',
    type: 'string',
    placeholder: '<duration>',
    default: '5m',
    description: 'longest wait for one asynchronous step (Cloud Map operation, instances draining, ECS service INACTIVE), e.g. 90s',
  },
  ...LEASE_OPTIONS,
  LEASE_WAIT_OPTION,
];

const HELP = `Usage: ecs-gitops apply --source <dir> [options]

One pass to convergence: loads the manifests, reads the live state, prints the plan, applies
it in dependency order (namespace -> Cloud Map service -> task definition -> ECS service;
deletions in reverse), printing each action and its result, then reads the live state again
and prints what, if anything, still differs. Only resources ecs-gitops owns are written;
observe-mode resources are never written; replacements need syncPolicy.allowReplace.
Deletions follow the prune guards shared with plan and run (docs/plan.md "Prune guards"):
above the limits nothing is deleted; resources in use or tagged for another identity are kept.
With --lease-table (ECS_GITOPS_LEASE_TABLE, the controller's table) apply takes the writer
lease of (controller id, account, region) for its run; while a controller or another apply
holds it, apply exits 1 naming the holder, unless --lease-wait waits for it.

Options (flags win over environment variables):
${renderOptionsHelp(APPLY_OPTIONS)}

Exit codes:
  0  converged: after apply the live state matches the source
  1  error: invalid manifests, AWS not reachable, or an action failed or is still pending
  2  applied without errors, but drift remains that apply does not write (observe mode,
     replacement not allowed, resources owned by someone else, refused prune)

AWS endpoints and credentials follow the SDK conventions (AWS_ENDPOINT_URL, AWS_PROFILE, ...).
`;

/** Parsed options: those of plan plus the wait bound and the lease. */
export interface ApplyArgs extends PlanArgs {
  /** Bound of each asynchronous wait (ms). */
  waitMs: number;
  /** The writer lease to take for the run (`--lease-table`); absent = none. */
  lease?: LeaseSettings;
  /** How long to wait for a lease someone else holds (ms; 0 = exit 1 at once). */
  leaseWaitMs: number;
}

/** An open connection to AWS for the whole command (observe, apply, observe again). */
export interface AwsSession {
  clients: AwsClients;
  observe(desired: readonly DesiredResource[], clusters: readonly string[]): Promise<LiveSet>;
  /** Apply wrote tags on this ARN: forget cached tags. */
  forgetTags(arn: string): void;
  close(): void;
}

/** What apply needs from the rest of the system; tests replace parts of it. */
export interface ApplyDeps extends ManifestReader {
  /**
   * `controllerId`: ownership is judged for it (owned resources are then found in pages).
   * `writeGuard`: asked before every write attempt (the lease's fence).
   */
  connect(options: { region?: string; controllerId?: string; writeGuard?: AwsWriteGuard }, io: CommandIO): Promise<AwsSession>;
  /** Takes the writer lease for the run (default: the DynamoDB table of `--lease-table`). */
  takeLease?(args: ApplyArgs, io: CommandIO): Promise<ApplyLease | number>;
}

/** The lease an apply holds: its fence, and its release. */
export interface ApplyLease {
  readonly guard: AwsWriteGuard;
  release(): Promise<void>;
}

/** Parses the apply arguments (and the shared `ECS_GITOPS_*` variables); throws ConfigError with a message for the user. */
export function parseApplyArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ApplyArgs {
  const raw = readOptions(APPLY_OPTIONS, argv, env);
  const waitText = textValue(raw, 'wait')!;
  let waitMs: number;
  try {
    waitMs = parseDuration(waitText);
  } catch (err) {
    throw new ConfigError(`--wait: ${(err as Error).message}`);
  }
  const lease = parseLeaseSettings(raw);
  const leaseWaitMs = parseLeaseWait(raw);
  if (leaseWaitMs > 0 && !lease) throw new ConfigError('--lease-wait needs --lease-table / ECS_GITOPS_LEASE_TABLE');
  return { ...parsePlanArgs(argv, env, APPLY_OPTIONS, ['text', 'json']), waitMs, ...(lease ? { lease } : {}), leaseWaitMs };
}

function waitsFor(ms: number): ApplyWaits {
  const w = (initialDelayMs: number) => ({ initialDelayMs, maxDelayMs: 10_000, factor: 2, timeoutMs: ms });
  return { operation: w(200), instances: w(1_000), ecsInactive: w(1_000), inUse: w(1_000) };
}

function formatEvent(e: ApplyActionEvent): string {
  const result = e.result === 'ok' ? 'ok' : e.result === 'pending' ? 'PENDING' : 'ERROR';
  const detail = e.detail ? `: ${e.detail}` : '';
  const error = e.error ? ` [${e.error.code}] ${e.error.message}` : '';
  return `  ${result.padEnd(7)} ${e.operation.padEnd(8)} ${e.key}${detail}${error} (${formatDuration(e.durationMs)})\n`;
}

function formatOutcomes(result: ApplyResult): string {
  const lines = result.resources
    .filter((r) => r.status !== 'applied' && r.status !== 'unchanged')
    .map((r) => `  ${r.status.padEnd(8)} ${r.key}${r.reason ? `: ${r.reason}` : ''}\n`);
  const s = result.summary;
  return `${lines.join('')}Apply: ${s.applied} applied, ${s.unchanged} unchanged, ${s.blocked} blocked, ${s.skipped} skipped, ${s.pending} pending, ${s.failed} failed.\n`;
}

/** Runs apply with the given dependencies; resolves to the exit code. */
export async function runApply(given: ApplyArgs, deps: ApplyDeps, io: CommandIO): Promise<number> {
  const { computePlan } = await import('../../reconcile/plan.js');
  const { applyPlan } = await import('../../reconcile/apply.js');
  const { planToJson, renderPlanText, summaryLine } = await import('../../reconcile/render.js');
  const json = given.output === 'json';

  const input = await readManifestInput(given.source, given.sourceLimits, deps, io, 'applied', given.region);
  if (!input) return 1;
  // An Overlay may name the controller id (docs/environments.md "Controller ids").
  const controllerId = resolveControllerId(given, input, io, 'applied', !json);
  if (controllerId === undefined) return 1;
  const args: ApplyArgs = { ...given, controllerId };
  const desired = input.desired;
  const planOf = (live: LiveSet): Plan => computePlan(desired, live, planOptionsFor(args, input));

  let lease: ApplyLease | undefined;
  if (args.lease) {
    const taken = await (deps.takeLease ?? takeLease)(args, io);
    if (typeof taken === 'number') return taken;
    lease = taken;
  }
  let session: AwsSession;
  try {
    session = await deps.connect(
      { ...(args.region !== undefined ? { region: args.region } : {}), controllerId: args.controllerId, ...(lease ? { writeGuard: lease.guard } : {}) },
      io,
    );
  } catch (err) {
    io.stderr(`error: cannot connect to AWS: ${(err as Error).message}\n`);
    await lease?.release();
    return 1;
  }
  try {
    let live: LiveSet;
    try {
      live = await session.observe(desired, args.clusters);
    } catch (err) {
      io.stderr(`error: cannot read the live state: ${(err as Error).message}\n`);
      return 1;
    }
    for (const u of live.unreadable) io.stderr(`warning: could not read ${u.scope}: ${u.reason}\n`);
    const plan = planOf(live);
    if (!json) io.stdout(renderPlanText(plan, { showUnchanged: !args.hideUnchanged }));

    if (!json && plan.hasChanges) io.stdout('\nApplying:\n');
    const result = await applyPlan(plan, {
      clients: session.clients,
      live,
      controllerId: args.controllerId,
      waits: waitsFor(args.waitMs),
      onAction: (e) => {
        if (!json) io.stdout(formatEvent(e));
      },
      onTagsChanged: (arn) => session.forgetTags(arn),
    });
    if (!json) io.stdout(`\n${formatOutcomes(result)}`);

    let after: Plan | undefined;
    try {
      after = planOf(await session.observe(desired, args.clusters));
    } catch (err) {
      io.stderr(`error: cannot read the live state after apply: ${(err as Error).message}\n`);
    }
    if (json) {
      io.stdout(`${JSON.stringify({ formatVersion: 1, plan: planToJson(plan), apply: result, after: after ? planToJson(after) : null }, null, 2)}\n`);
    } else if (after) {
      io.stdout(`After apply: ${after.hasDrift ? summaryLine(after) : 'in sync: live state matches the source.'}\n`);
      if (after.hasDrift) io.stdout(renderPlanText(after, { showUnchanged: false }));
    }
    if (!result.ok || !after) return 1;
    return after.hasDrift ? 2 : 0;
  } finally {
    session.close();
    await lease?.release();
  }
}

/**
 * Takes the lease of (controller id, account, region) in `--lease-table`, waiting up to
 * `--lease-wait` while someone else holds it; keeps renewing it in the background. Exit 1,
 * naming the holder and since when, when it stays taken.
 */
async function takeLease(args: ApplyArgs, io: CommandIO): Promise<ApplyLease | number> {
  const settings = args.lease!;
  const { openLease, holderId } = await import('../../run/lease.js');
  const { awsConfigFromEnv } = await import('../../run/env.js');
  let open: Awaited<ReturnType<typeof openLease>>;
  try {
    open = await openLease({
      settings,
      controllerId: args.controllerId,
      holder: holderId('apply'),
      aws: { ...awsConfigFromEnv(io.env), ...(args.region !== undefined ? { region: args.region } : {}) },
      hooks: {},
      onError: (err) => io.stderr(`warning: lease renew failed: ${(err as Error).message}\n`),
    });
  } catch (err) {
    io.stderr(`error: cannot open the lease table ${settings.table}: ${(err as Error).message}\n`);
    return 1;
  }
  const { keeper } = open;
  const name = `${args.controllerId} in ${open.account}/${open.region} (table ${settings.table})`;
  const deadline = Date.now() + args.leaseWaitMs;
  for (;;) {
    const s = await keeper.step();
    if (s.leader) break;
    const retryIn = Math.max(100, Math.min(2_000, (s.expiresAt ?? 0) - Date.now() + 50));
    if (Date.now() + retryIn > deadline) {
      await keeper.stop(false);
      open.close();
      if (s.lastError !== undefined) {
        io.stderr(`error: cannot take the lease of ${name}: ${s.lastError}\n`);
      } else {
        const since = s.since !== undefined ? ` since ${new Date(s.since).toISOString()}` : '';
        const wait = args.leaseWaitMs > 0 ? ` after waiting ${formatDuration(args.leaseWaitMs)}` : '';
        io.stderr(
          `error: the lease of ${name} is held by ${s.holder ?? 'another process'}${since} (token ${s.token ?? '?'})${wait}; nothing was applied. ` +
            'Another apply or a controller writes there: retry later, or pass --lease-wait <duration>.\n',
        );
      }
      return 1;
    }
    await new Promise((r) => setTimeout(r, retryIn));
  }
  keeper.start();
  if (args.output !== 'json') io.stdout(`Lease of ${name} taken (token ${keeper.state().token}).\n`);
  return {
    guard: (service, operation) => keeper.assertMayWrite(`${service} ${operation}`),
    release: async () => {
      await keeper.stop(true);
      open.close();
    },
  };
}

/** The real dependencies: sources, loader (shared with plan) and the AWS adapter. */
export const DEFAULT_APPLY_DEPS: ApplyDeps = {
  ...DEFAULT_MANIFEST_READER,
  async connect(options, io) {
    const { observe, ownersOf, revisionFamiliesOf, scopeFromDesired, createObserveCaches } = await import('../../observe/index.js');
    const { clients, close } = await openAwsClients(options.region, io, options.writeGuard ? { writeGuard: options.writeGuard } : {});
    const caches = createObserveCaches();
    const { controllerId } = options;
    return {
      clients,
      observe: (desired, clusters) =>
        observe(
          clients,
          { ...scopeFromDesired(desired, clusters), revisionFamilies: revisionFamiliesOf(desired) },
          caches,
          controllerId !== undefined ? { owners: ownersOf(controllerId, desired) } : {},
        ),
      forgetTags: (arn) => caches.forgetTags(arn),
      close,
    };
  },
};

/** `ecs-gitops apply` with the given dependencies (tests pass their own connection). */
export function createApplyCommand(deps: ApplyDeps = DEFAULT_APPLY_DEPS): Command {
  return {
    name: 'apply',
    summary: 'Apply the source to AWS in one pass and report what changed (exit 0 converged)',
    help: HELP,
    run: async (argv, io) => runApply(parseApplyArgs(argv, io.env), deps, io),
  };
}

export const applyCommand: Command = createApplyCommand();
