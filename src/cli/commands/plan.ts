import { parseArgs } from 'node:util';
import { UsageError, type Command, type CommandIO } from '../command.js';
import type { DesiredResource } from '../../manifests/types.js';
import type { AwsClients } from '../../aws/clients.js';
import type { LiveSet } from '../../reconcile/types.js';
import type { DiscoveryReport } from '../../discovery/types.js';
import { DEFAULT_MANIFEST_READER, planOptionsFor, readManifestInput, type ManifestReader, type PlanPolicyArgs } from './manifest-input.js';

const HELP = `Usage: ecs-gitops plan --source <dir> [options]

Loads the manifests, reads the live state from ECS, Cloud Map and Route 53, and prints what
apply would change: per resource create / update / update (redeploys) / replace / delete /
blocked / unchanged, per field old -> new, with the reason.

Options:
  --source <dir|url>       manifests: a directory, git+https://..., or s3://bucket/prefix
  --output text|json       output format (default text; json is documented in docs/plan.md)
  --controller-id <id>     owner id in the ecs-gitops.io/controller tag (default ecs-gitops)
  --cluster <name>         extra cluster to scan for owned services to prune (repeatable)
  --region <name>          AWS region (default: the SDK's, e.g. AWS_REGION)
  --no-prune               do not plan deletions of owned resources missing from the source
  --max-prune <n>          refuse all deletions when more than n would be pruned
  --max-prune-percent <p>  refuse all deletions above p% of the owned resources
  --hide-unchanged         text output: leave out resources without changes
  --no-discovery           skip the discovery health checks (Cloud Map and Route 53 vs running
                           tasks); their findings are shown apart and never change the exit code

Exit codes (like terraform plan -detailed-exitcode):
  0  in sync: live state matches the source
  1  error (invalid manifests, AWS not reachable, bad arguments)
  2  drift: changes pending, including drift that is reported but not applied
     (observe mode, replacement not allowed, resources owned by someone else, refused prune)

AWS endpoints and credentials follow the SDK conventions (AWS_ENDPOINT_URL, AWS_PROFILE, ...).
`;

/** What the plan command needs from the rest of the system; tests replace parts of it. */
export interface PlanDeps extends ManifestReader {
  /** Reads the live state for the desired set plus the extra clusters. */
  observeLive(desired: readonly DesiredResource[], options: ObserveLiveOptions, io: CommandIO): Promise<LiveSet>;
  /** Runs the discovery health checks on the live set (absent = not shown). */
  checkDiscovery?(live: LiveSet, options: DiscoveryCheckOptions, io: CommandIO): Promise<DiscoveryReport>;
}

/** Options the plan command passes to checkDiscovery. */
export interface DiscoveryCheckOptions {
  region?: string;
  controllerId: string;
}

/** Options the plan command passes to observeLive. */
export interface ObserveLiveOptions {
  region?: string;
  clusters: readonly string[];
}

/** Parsed command-line options. */
export interface PlanArgs extends PlanPolicyArgs {
  source: string;
  output: 'text' | 'json';
  clusters: string[];
  region?: string;
  hideUnchanged: boolean;
  /** `--no-discovery`: skip the discovery health checks (set only when given). */
  skipDiscovery?: true;
}

function nonNegative(flag: string, text: string | undefined, max?: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || (max !== undefined && n > max)) {
    throw new UsageError(`${flag} must be a number${max !== undefined ? ` from 0 to ${max}` : ' >= 0'} (got "${text}")`);
  }
  return n;
}

/** Parses and checks the plan command's arguments; throws UsageError with a message for the user. */
export function parsePlanArgs(argv: readonly string[]): PlanArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      source: { type: 'string' },
      output: { type: 'string', default: 'text' },
      'controller-id': { type: 'string', default: 'ecs-gitops' },
      cluster: { type: 'string', multiple: true, default: [] },
      region: { type: 'string' },
      'no-prune': { type: 'boolean', default: false },
      'max-prune': { type: 'string' },
      'max-prune-percent': { type: 'string' },
      'hide-unchanged': { type: 'boolean', default: false },
      'no-discovery': { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.source) throw new UsageError('--source is required (a directory of manifests, or a Git/S3 URL)');
  if (values.output !== 'text' && values.output !== 'json') throw new UsageError(`--output must be text or json (got "${values.output}")`);
  const controllerId = values['controller-id'].trim();
  if (controllerId === '') throw new UsageError('--controller-id must not be empty');
  const args: PlanArgs = {
    source: values.source,
    output: values.output,
    controllerId,
    clusters: values.cluster,
    prune: !values['no-prune'],
    hideUnchanged: values['hide-unchanged'],
  };
  if (values['no-discovery']) args.skipDiscovery = true;
  if (values.region) args.region = values.region;
  const maxPrune = nonNegative('--max-prune', values['max-prune']);
  if (maxPrune !== undefined) args.maxPruneCount = Math.floor(maxPrune);
  const maxPct = nonNegative('--max-prune-percent', values['max-prune-percent'], 100);
  if (maxPct !== undefined) args.maxPrunePercent = maxPct;
  return args;
}

/** Runs plan with the given dependencies; resolves to the exit code. */
export async function runPlan(args: PlanArgs, deps: PlanDeps, io: CommandIO): Promise<number> {
  const { computePlan } = await import('../../reconcile/plan.js');
  const { planToJson, renderPlanText } = await import('../../reconcile/render.js');
  const input = await readManifestInput(args.source, deps, io, 'planned');
  if (!input) return 1;
  let live: LiveSet;
  try {
    const options: ObserveLiveOptions = { clusters: args.clusters };
    if (args.region !== undefined) options.region = args.region;
    live = await deps.observeLive(input.desired, options, io);
  } catch (err) {
    io.stderr(`error: cannot read the live state: ${(err as Error).message}\n`);
    return 1;
  }
  for (const u of live.unreadable) io.stderr(`warning: could not read ${u.scope}: ${u.reason}\n`);
  const plan = computePlan(input.desired, live, planOptionsFor(args, input));
  const discovery = !args.skipDiscovery ? await checkDiscovery(args, deps, live, io) : undefined;
  if (args.output === 'json') {
    const { discoveryJson } = await import('../../discovery/render.js');
    io.stdout(`${JSON.stringify({ ...planToJson(plan), ...(discovery ? { discovery: discoveryJson(discovery) } : {}) }, null, 2)}\n`);
  } else {
    io.stdout(renderPlanText(plan, { showUnchanged: !args.hideUnchanged }));
    if (discovery) {
      const { renderDiscoverySection } = await import('../../discovery/render.js');
      io.stdout(`\n${renderDiscoverySection({ services: discovery.services.length, findings: discovery.findings, unreadable: discovery.unreadable })}`);
    }
  }
  // Discovery findings are health, not drift: they never change the exit code.
  return plan.hasDrift ? 2 : 0;
}

/** Runs the health checks when the deps can; a failure is a warning, never a plan error. */
async function checkDiscovery(args: PlanArgs, deps: PlanDeps, live: LiveSet, io: CommandIO): Promise<DiscoveryReport | undefined> {
  if (!deps.checkDiscovery) return undefined;
  try {
    return await deps.checkDiscovery(live, { controllerId: args.controllerId, ...(args.region !== undefined ? { region: args.region } : {}) }, io);
  } catch (err) {
    io.stderr(`warning: discovery health not checked: ${(err as Error).message}\n`);
    return undefined;
  }
}

/** The real dependencies: sources, the manifest loader and the AWS adapter, loaded lazily. */
export const DEFAULT_PLAN_DEPS: PlanDeps = {
  ...DEFAULT_MANIFEST_READER,
  async observeLive(desired, options, io) {
    const { observe, scopeFromDesired, createObserveCaches } = await import('../../aws/observe/index.js');
    const { clients, close } = await openAwsClients(options.region, io);
    try {
      return await observe(clients, scopeFromDesired(desired, options.clusters), createObserveCaches());
    } finally {
      close();
    }
  },
  async checkDiscovery(live, options, io) {
    const { createDiscoveryChecker } = await import('../../discovery/checker.js');
    const { clients, close } = await openAwsClients(options.region, io);
    try {
      return await createDiscoveryChecker({ clients, controllerId: options.controllerId }).check(live);
    } finally {
      close();
    }
  },
};

/**
 * AWS clients for one command: `--region` when given (else the SDK's own resolution) and the
 * endpoint overrides of the command's environment (`AWS_ENDPOINT_URL*`, e.g. a local emulator).
 */
export async function openAwsClients(region: string | undefined, io: CommandIO): Promise<{ clients: AwsClients; close: () => void }> {
  const { createAwsClients, destroyAwsClients, endpointOverridesFromEnv } = await import('../../aws/clients.js');
  const clients = createAwsClients({ ...(region !== undefined ? { region } : {}), endpoints: endpointOverridesFromEnv(io.env) });
  return { clients, close: () => destroyAwsClients(clients) };
}

/** `ecs-gitops plan` with the given dependencies (tests pass fakes). */
export function createPlanCommand(deps: PlanDeps = DEFAULT_PLAN_DEPS): Command {
  return {
    name: 'plan',
    summary: 'Show what apply would change (exit 0 in sync, 2 drift, 1 error)',
    help: HELP,
    run: async (argv, io) => runPlan(parsePlanArgs(argv), deps, io),
  };
}

export const planCommand: Command = createPlanCommand();
