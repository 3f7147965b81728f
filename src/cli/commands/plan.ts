import type { Command, CommandIO } from '../command.js';
import { ConfigError, readOptionsWithOrigins, renderOptionsHelp, type OptionSpec } from '../../config/options.js';
import { parseReconcileOptions, RECONCILE_OPTIONS } from '../../config/reconcile-options.js';
import type { DesiredResource } from '../../manifests/types.js';
import type { AwsClientHooks, AwsClients } from '../../aws/clients.js';
import type { LiveSet } from '../../kit/types.js';
import type { DiscoveryReport } from '../../discovery/types.js';
import { DEFAULT_MANIFEST_READER, planOptionsFor, readManifestInput, resolveControllerId, type ManifestReader, type PlanPolicyArgs } from './manifest-input.js';

/**
 * Without `--discovery` or `--no-discovery`, plan checks discovery health only when it covers at
 * most this many Cloud Map services: a first check costs about one call per service.
 */
export const PLAN_DISCOVERY_AUTO_LIMIT = 50;

/** Options of plan (and apply): the shared ones, then the output ones. */
export const PLAN_OPTIONS: readonly OptionSpec[] = [
  ...RECONCILE_OPTIONS,
  {
    name: 'output',
    type: 'string',
    placeholder: 'text|json|markdown',
    default: 'text',
    description: 'output format (json and markdown, for pull request comments, are documented in docs/plan.md)',
  },
  { name: 'hide-unchanged', type: 'boolean', description: 'text output: leave out resources without changes' },
  {
    name: 'discovery',
    type: 'boolean',
    negatable: true,
    description: `check discovery health (Cloud Map and Route 53 vs running tasks); default: only when at most ${PLAN_DISCOVERY_AUTO_LIMIT} Cloud Map services are checked`,
  },
];

const HELP = `Usage: ecs-gitops plan --source <dir> [options]

Loads the manifests, reads the live state from ECS, Cloud Map and Route 53, and prints what
apply would change: per resource create / update / update (redeploys) / replace / delete /
blocked / unchanged, per field old -> new, with the reason. Deletions are planned with the
same prune guards as apply and run (docs/plan.md "Prune guards"), and so are the unused task
definition revisions apply would deregister (--keep-revisions; they are not drift).

Then it checks discovery health (docs/discovery.md) and prints the findings; they never change
the exit code. A check costs about one AWS call per Cloud Map service, so without --discovery
it runs only when it covers at most ${PLAN_DISCOVERY_AUTO_LIMIT} services; --no-discovery never runs it.

Options (flags win over environment variables):
${renderOptionsHelp(PLAN_OPTIONS)}

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
  /** The controller id ownership is judged for (owned resources are then found in pages). */
  controllerId?: string;
}

/** `--output` formats: apply takes text and json, plan markdown too. */
export type PlanOutput = 'text' | 'json' | 'markdown';

/** Parsed command-line options. */
export interface PlanArgs extends PlanPolicyArgs {
  source: string;
  output: PlanOutput;
  clusters: string[];
  region?: string;
  hideUnchanged: boolean;
  /** `--no-discovery`: skip the discovery health checks (set only when given). */
  skipDiscovery?: true;
  /** `--discovery`: check discovery health whatever the number of services (set only when given). */
  forceDiscovery?: true;
}

/**
 * Parses and checks the plan command's arguments (and the `ECS_GITOPS_*` variables of the
 * shared options in `env`); throws ConfigError with a message for the user.
 */
export function parsePlanArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  table: readonly OptionSpec[] = PLAN_OPTIONS,
  outputs: readonly PlanOutput[] = ['text', 'json', 'markdown'],
): PlanArgs {
  const { raw, origins } = readOptionsWithOrigins(table, argv, env);
  const shared = parseReconcileOptions(raw);
  const output = raw['output'];
  if (!outputs.includes(output as PlanOutput)) {
    throw new ConfigError(`--output must be ${outputs.slice(0, -1).join(', ')} or ${outputs.at(-1)} (got "${String(output)}")`);
  }
  const args: PlanArgs = {
    source: shared.source,
    sourceLimits: shared.sourceLimits,
    output: output as PlanOutput,
    controllerId: shared.controllerId,
    clusters: [...shared.clusters],
    prune: shared.prune,
    keepRevisions: shared.keepRevisions,
    hideUnchanged: raw['hide-unchanged'] === true,
  };
  const idFrom = origins['controller-id'];
  if (idFrom === 'flag' || idFrom === 'env') args.controllerIdFrom = idFrom;
  if (raw['discovery'] === false) args.skipDiscovery = true;
  if (raw['discovery'] === true) args.forceDiscovery = true;
  if (shared.region !== undefined) args.region = shared.region;
  return args;
}

/** Runs plan with the given dependencies; resolves to the exit code. */
export async function runPlan(given: PlanArgs, deps: PlanDeps, io: CommandIO): Promise<number> {
  const { computePlan } = await import('../../reconcile/plan.js');
  const { planToJson, renderPlanText } = await import('../../reconcile/render.js');
  const input = await readManifestInput(given.source, given.sourceLimits, deps, io, 'planned', given.region);
  if (!input) return 1;
  // An Overlay may name the controller id (docs/environments.md "Controller ids").
  const controllerId = resolveControllerId(given, input, io, 'planned', given.output === 'text');
  if (controllerId === undefined) return 1;
  const args: PlanArgs = { ...given, controllerId };
  let live: LiveSet;
  try {
    const options: ObserveLiveOptions = { clusters: args.clusters, controllerId: args.controllerId };
    if (args.region !== undefined) options.region = args.region;
    live = await deps.observeLive(input.desired, options, io);
  } catch (err) {
    io.stderr(`error: cannot read the live state: ${(err as Error).message}\n`);
    return 1;
  }
  for (const u of live.unreadable) io.stderr(`warning: could not read ${u.scope}: ${u.reason}\n`);
  const plan = computePlan(input.desired, live, planOptionsFor(args, input));
  const skipped = await discoverySkipped(args, live);
  const discovery = !args.skipDiscovery && skipped === undefined ? await checkDiscovery(args, deps, live, io) : undefined;
  if (skipped !== undefined && args.output !== 'text') io.stderr(`note: ${skipped}\n`);
  if (args.output === 'markdown') {
    const { DEFAULT_MARKDOWN_MAX, detailsBlock, renderPlanMarkdown } = await import('../../reconcile/render-markdown.js');
    let appendix = '';
    if (discovery) {
      const { renderDiscoverySection } = await import('../../discovery/render.js');
      const text = renderDiscoverySection({ services: discovery.services.length, findings: discovery.findings, unreadable: discovery.unreadable });
      appendix = `\n${detailsBlock(`Discovery health (${discovery.findings.length} finding${discovery.findings.length === 1 ? '' : 's'})`, text)}\n`;
    }
    const markdown = renderPlanMarkdown(plan, appendix ? { maxLength: DEFAULT_MARKDOWN_MAX - appendix.length } : {});
    io.stdout(`${markdown}${appendix}`);
  } else if (args.output === 'json') {
    const { discoveryJson } = await import('../../discovery/render.js');
    io.stdout(`${JSON.stringify({ ...planToJson(plan), ...(discovery ? { discovery: discoveryJson(discovery) } : {}) }, null, 2)}\n`);
  } else {
    io.stdout(renderPlanText(plan, { showUnchanged: !args.hideUnchanged }));
    if (discovery) {
      const { renderDiscoverySection } = await import('../../discovery/render.js');
      io.stdout(`\n${renderDiscoverySection({ services: discovery.services.length, findings: discovery.findings, unreadable: discovery.unreadable })}`);
    } else if (skipped !== undefined) io.stdout(`\n${skipped}\n`);
  }
  // Discovery findings are health, not drift: they never change the exit code.
  return plan.hasDrift ? 2 : 0;
}

/**
 * Why the discovery check is left out by default (more than PLAN_DISCOVERY_AUTO_LIMIT services
 * to check, and neither `--discovery` nor `--no-discovery`), or undefined when it is not.
 */
async function discoverySkipped(args: PlanArgs, live: LiveSet): Promise<string | undefined> {
  if (args.skipDiscovery || args.forceDiscovery) return undefined;
  const { discoveryTargets } = await import('../../discovery/targets.js');
  const services = discoveryTargets(live, { controllerId: args.controllerId }).length;
  if (services <= PLAN_DISCOVERY_AUTO_LIMIT) return undefined;
  return `Discovery health not checked: ${services} Cloud Map services, more than ${PLAN_DISCOVERY_AUTO_LIMIT} (about one AWS call each); --discovery checks them.`;
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
    const { observe, ownersOf, revisionFamiliesOf, scopeFromDesired, createObserveCaches } = await import('../../observe/index.js');
    const { clients, close } = await openAwsClients(options.region, io);
    try {
      // plan and apply look at every family of the source (docs/operations.md "Task definition revisions").
      const scope = { ...scopeFromDesired(desired, options.clusters), revisionFamilies: revisionFamiliesOf(desired) };
      const owners = options.controllerId !== undefined ? { owners: ownersOf(options.controllerId, desired) } : {};
      return await observe(clients, scope, createObserveCaches(), owners);
    } finally {
      close();
    }
  },
  async checkDiscovery(live, options, io) {
    const { createDiscoveryChecker } = await import('../../discovery/checker.js');
    const { clients, close } = await openAwsClients(options.region, io);
    try {
      return await createDiscoveryChecker({ clients, controllerId: options.controllerId, singleCheck: true }).check(live);
    } finally {
      close();
    }
  },
};

/**
 * AWS clients for one command: `--region` when given (else the SDK's own resolution) and the
 * endpoint overrides of the command's environment (`AWS_ENDPOINT_URL*`, e.g. a local emulator).
 */
export async function openAwsClients(
  region: string | undefined,
  io: CommandIO,
  hooks: AwsClientHooks = {},
): Promise<{ clients: AwsClients; close: () => void }> {
  const { createAwsClients, destroyAwsClients, endpointOverridesFromEnv } = await import('../../aws/clients.js');
  const clients = createAwsClients({ ...(region !== undefined ? { region } : {}), endpoints: endpointOverridesFromEnv(io.env) }, hooks);
  return { clients, close: () => destroyAwsClients(clients) };
}

/** `ecs-gitops plan` with the given dependencies (tests pass fakes). */
export function createPlanCommand(deps: PlanDeps = DEFAULT_PLAN_DEPS): Command {
  return {
    name: 'plan',
    summary: 'Show what apply would change (exit 0 in sync, 2 drift, 1 error)',
    help: HELP,
    run: async (argv, io) => runPlan(parsePlanArgs(argv, io.env), deps, io),
  };
}

export const planCommand: Command = createPlanCommand();
