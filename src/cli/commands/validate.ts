import { posix } from 'node:path';
import { readOptionsAndPositionals, renderOptionsHelp, type OptionSpec } from '../../config/options.js';
import { parseSourceLimits, SOURCE_LIMIT_OPTIONS } from '../../config/source-limits.js';
import { UsageError, type Command, type CommandIO } from '../command.js';
import type { SourceLimits } from '../../sources/source.js';
import { DEFAULT_MANIFEST_READER, readFailure, singleSource, type SourceFiles } from './manifest-input.js';

/** Options of validate: where to read, the output format, and the source limits shared with plan, apply and run. */
export const VALIDATE_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'source',
    type: 'string',
    placeholder: '<dir|url>',
    description:
      'instead of <path>: any source run reads (git+https://...#main, s3://bucket/prefix, ...; Git credentials and the S3 endpoint from the environment, see docs/sources.md)',
  },
  {
    name: 'output',
    short: 'o',
    type: 'string',
    placeholder: 'text|json',
    default: 'text',
    description: 'output format; json: {"valid", "resources", "ignoredDocuments", "diagnostics"}',
  },
  ...SOURCE_LIMIT_OPTIONS,
];

const HELP = `Usage: ecs-gitops validate <path> [--output text|json]
       ecs-gitops validate --source <dir|url> [--output text|json]

Checks the ecs-gitops manifests in a directory tree (every *.yaml and *.yml, skipping
dot-directories and node_modules) or in one file: YAML syntax, the JSON Schemas in crds/,
and the semantic rules (Fargate sizes, record types, references between manifests, ...).
Documents whose apiVersion is not in the ecs-gitops.io group are ignored. The source is
read as run reads it, within the same limits.

Prints every problem as "file:line:col Kind/name field: message [CODE]" (warnings are
marked and do not fail), then a summary. Nothing is sent to AWS.

Options (flags win over environment variables):
${renderOptionsHelp(VALIDATE_OPTIONS)}

Exit status: 0 when every manifest is valid (warnings allowed), 1 otherwise.
`;

/**
 * Reads the command's input through the reader plan and apply use. Local files carry the
 * paths the user will recognise (the argument joined with the path inside it), so that
 * every file named in the output, messages included, reads the same way.
 */
async function readSource(source: string, io: CommandIO, limits: SourceLimits): Promise<SourceFiles> {
  try {
    const read = await DEFAULT_MANIFEST_READER.readSource(source, io, limits);
    const files = read.files.map((f) => ({ ...f, path: read.displayFile(f.path) }));
    // The directory pointed at, in the same terms: an Overlay there is rendered (docs/environments.md).
    return { files, displayFile: (file) => file, entry: read.displayFile('') };
  } catch (err) {
    throw new UsageError(readFailure(source, err));
  }
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check manifests (YAML, schemas, semantic rules) without touching AWS',
  help: HELP,
  async run(argv, io) {
    const { raw, positionals } = readOptionsAndPositionals(VALIDATE_OPTIONS, argv, io.env);
    const output = raw['output'];
    const sourceArg = singleSource(raw, positionals, 'validate needs exactly one path (a directory or a file) or --source <dir|url>');
    if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json (got "${String(output)}")`);
    const source = await readSource(sourceArg, io, parseSourceLimits(raw));
    const { loadManifests } = await import('../../reconcile/load.js');
    const { formatDiagnostic, formatSummary } = await import('../../manifests/format.js');
    const result = loadManifests(source.files, source.entry !== undefined ? { entry: source.entry } : {});
    const valid = result.diagnostics.every((d) => d.severity !== 'error');
    if (output === 'json') {
      const diagnostics = result.diagnostics.map((d) => ({ ...d, file: source.displayFile(d.file) }));
      const resources = result.resources.map((r) => ({ key: r.key, kind: r.kind, name: r.name, file: source.displayFile(r.source.file), line: r.source.line }));
      io.stdout(`${JSON.stringify({ valid, resources, ignoredDocuments: result.ignoredDocuments, diagnostics }, null, 2)}\n`);
    } else {
      for (const d of result.diagnostics) io.stdout(`${formatDiagnostic(d, source.displayFile)}\n`);
      if (result.resources.length === 0 && result.diagnostics.length === 0) {
        // A CI job pointed at the wrong directory must not look like a clean pass.
        const yaml = `${source.files.length} YAML file${source.files.length === 1 ? '' : 's'}`;
        const other = `${result.ignoredDocuments} other document${result.ignoredDocuments === 1 ? '' : 's'}`;
        io.stdout(`no ecs-gitops manifests found in ${sourceArg} (${yaml} read, ${other} ignored)\n`);
        const skipped = result.overlays?.skipped ?? [];
        if (skipped.length > 0)
          io.stdout(`overlays are rendered where the source points: validate one of ${skipped.map((f) => posix.dirname(f)).join(', ')}\n`);
      }
      io.stdout(`${formatSummary(result.resources.length, result.diagnostics)}\n`);
    }
    return valid ? 0 : 1;
  },
};
