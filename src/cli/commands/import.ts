import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import type { Command, CommandIO } from '../command.js';
import { ConfigError, readOptions, renderOptionsHelp, textValue, type OptionSpec } from '../../config/options.js';
import { parseIdentity, reconcileOption } from '../../config/reconcile-options.js';
import type { LiveSet } from '../../kit/types.js';
import type { ImportSelection } from '../../importer/select.js';
import { openAwsClients } from './plan.js';

const shared = reconcileOption;

/** Options of import. */
export const IMPORT_OPTIONS: readonly OptionSpec[] = [
  { name: 'cluster', type: 'string', placeholder: '<name>', required: true, description: 'ECS cluster whose services are imported (name or ARN)' },
  { name: 'service', type: 'list', placeholder: '<name>', description: 'ECS service to import, repeatable (default: every service of the cluster)' },
  {
    name: 'namespace',
    type: 'list',
    placeholder: '<name>',
    description: 'Cloud Map namespace to import too, with its Cloud Map services no imported ECS service uses, repeatable',
  },
  { name: 'all', type: 'boolean', description: 'every ECS service of the cluster, every namespace and every Cloud Map service' },
  { name: 'output', type: 'string', placeholder: '<dir>', required: true, description: 'directory to write the manifests into (created when missing)' },
  { name: 'force', type: 'boolean', description: 'replace files of the same name in --output (other files are never touched)' },
  {
    name: 'schema',
    type: 'string',
    placeholder: '<path|url>',
    description: "schema named by each file's modeline (default: this installation's crds/manifest.schema.json, as a relative path)",
  },
  shared('controller-id'),
  shared('region'),
];

const HELP = `Usage: ecs-gitops import --cluster <name> [--service <name>...] [--namespace <name>...] --output <dir>
       ecs-gitops import --cluster <name> --all --output <dir>

Reads live ECS services, their task definitions and Cloud Map services and namespaces, and
writes minimal manifests: one file per ECS service (services/<name>.yaml: its Cloud Map
service, then the service with its inline task definition), namespaces.yaml, and with
--namespace or --all cloud-map-services/<namespace>.yaml for Cloud Map services no imported
ECS service uses. Defaults and fields AWS manages are left out; secrets stay references;
every resource gets syncPolicy.adopt: true, so the first apply only adds ownership tags.
Nothing is written to AWS. See docs/import.md.

Options (flags win over environment variables):
${renderOptionsHelp(IMPORT_OPTIONS)}

Exit codes:
  0  every selected resource was written (resources owned by another controller id are
     skipped with a message and do not change the exit code)
  1  something selected was not written (a live setting the manifests cannot express, a
     name not found, a file that exists without --force) or an error (bad arguments, AWS
     not reachable); the other services are still written
`;

/** Parsed command-line options. */
export interface ImportArgs {
  selection: ImportSelection;
  output: string;
  force: boolean;
  schema?: string;
  region?: string;
}

const CLUSTER = /^([A-Za-z0-9_-]{1,255}|arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]{1,255})$/;
const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** Parses and checks the import command's arguments; throws ConfigError with a message for the user. */
export function parseImportArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ImportArgs {
  const raw = readOptions(IMPORT_OPTIONS, argv, env);
  const cluster = (textValue(raw, 'cluster') ?? '').trim();
  if (!CLUSTER.test(cluster)) throw new ConfigError(`--cluster: "${cluster}" is not an ECS cluster name or ARN`);
  const services = (raw['service'] as string[] | undefined) ?? [];
  for (const s of services) if (!ECS_NAME.test(s)) throw new ConfigError(`--service: "${s}" is not an ECS service name`);
  const namespaces = (raw['namespace'] as string[] | undefined) ?? [];
  const all = raw['all'] === true;
  if (all && (services.length > 0 || namespaces.length > 0)) throw new ConfigError('--all imports everything: give it without --service or --namespace');
  const output = (textValue(raw, 'output') ?? '').trim();
  if (output === '') throw new ConfigError('--output must name a directory');
  const { controllerId, region } = parseIdentity(raw);
  const schema = textValue(raw, 'schema')?.trim();
  return {
    selection: { cluster, services: [...new Set(services)], namespaces: [...new Set(namespaces)], all, controllerId },
    output,
    force: raw['force'] === true,
    ...(schema ? { schema } : {}),
    ...(region ? { region } : {}),
  };
}

/** What the import command needs from the rest of the system; tests replace parts of it. */
export interface ImportDeps {
  /** Reads the live state of the cluster and every Cloud Map namespace. */
  observeLive(cluster: string, region: string | undefined, io: CommandIO): Promise<LiveSet>;
  /** Where the schemas are (the installation's crds/). */
  crdsDir(): Promise<string>;
}

/**
 * The `$schema` of a file's modeline: a URL as given, else a path relative to the file
 * (the schema given, or this installation's crds/manifest.schema.json).
 */
function schemaRefFor(args: ImportArgs, crdsDir: string): (filePath: string) => string {
  if (args.schema && /^[a-z][a-z0-9+.-]*:\/\//i.test(args.schema)) {
    const url = args.schema;
    return () => url;
  }
  const target = args.schema ? resolve(args.schema) : join(crdsDir, 'manifest.schema.json');
  const out = resolve(args.output);
  return (filePath) => {
    const rel = relative(join(out, posix.dirname(filePath)), target);
    const slashed = rel.split(sep).join('/');
    return isAbsolute(rel) ? slashed : slashed.startsWith('.') ? slashed : `./${slashed}`;
  };
}

/** Runs import with the given dependencies; resolves to the exit code. */
export async function runImport(args: ImportArgs, deps: ImportDeps, io: CommandIO): Promise<number> {
  const { renderImport } = await import('../../importer/render.js');
  const { existingFiles, writeImport } = await import('../../importer/write.js');
  let live: LiveSet;
  try {
    live = await deps.observeLive(args.selection.cluster, args.region, io);
  } catch (err) {
    io.stderr(`error: cannot read the live state: ${(err as Error).message}\n`);
    return 1;
  }
  const cluster = live.unreadable.find((u) => u.scope.startsWith('EcsCluster/'));
  if (cluster) {
    io.stderr(`error: cannot read ${cluster.scope}: ${cluster.reason}\n`);
    return 1;
  }
  for (const u of live.unreadable) io.stderr(`warning: could not read ${u.scope}: ${u.reason}\n`);
  const result = renderImport(live, args.selection, schemaRefFor(args, await deps.crdsDir()));
  if (result.errors.length > 0) {
    for (const d of result.errors) io.stderr(`error: ${d.file}:${d.line}:${d.col} ${d.message} [${d.code}]\n`);
    io.stderr('error: the imported manifests do not validate; nothing was written (please report this)\n');
    return 1;
  }
  if (!args.force) {
    const existing = await existingFiles(args.output, result.files);
    if (existing.length > 0) {
      io.stderr(`error: these files exist in ${args.output} (use --force to replace them; nothing was written): ${existing.join(', ')}\n`);
      return 1;
    }
  }
  try {
    await writeImport(args.output, result.files, args.force);
  } catch (err) {
    io.stderr(`error: cannot write to ${args.output}: ${(err as Error).message}\n`);
    return 1;
  }
  for (const f of result.files) io.stdout(`wrote ${posix.join(args.output.split(sep).join('/'), f.path)}: ${f.keys.join(', ')}\n`);
  for (const p of result.problems) io.stderr(`${p.severity === 'failed' ? 'error' : 'warning'}: ${p.resource}: ${p.message}\n`);
  const failed = result.problems.filter((p) => p.severity === 'failed').length;
  const skipped = result.problems.length - failed;
  const resources = result.files.reduce((n, f) => n + f.keys.length, 0);
  io.stdout(
    `Imported ${resources} resource(s) into ${result.files.length} file(s); ${skipped} skipped (owned by another controller), ${failed} not imported.\n`,
  );
  return failed > 0 ? 1 : 0;
}

/** The real dependencies: the observe stage over the AWS adapter, loaded lazily. */
export const DEFAULT_IMPORT_DEPS: ImportDeps = {
  async observeLive(cluster, region, io) {
    const { observe, createObserveCaches } = await import('../../observe/index.js');
    const { clients, close } = await openAwsClients(region, io);
    try {
      return await observe(clients, { clusters: [cluster] }, createObserveCaches());
    } finally {
      close();
    }
  },
  async crdsDir() {
    return (await import('../../paths.js')).CRDS_DIR;
  },
};

/** `ecs-gitops import` with the given dependencies (tests pass fakes). */
export function createImportCommand(deps: ImportDeps = DEFAULT_IMPORT_DEPS): Command {
  return {
    name: 'import',
    summary: 'Write minimal manifests from live ECS services and Cloud Map resources (exit 0 all imported, 1 otherwise)',
    help: HELP,
    run: async (argv, io) => runImport(parseImportArgs(argv, io.env), deps, io),
  };
}

export const importCommand: Command = createImportCommand();
