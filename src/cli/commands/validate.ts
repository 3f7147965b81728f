import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.js';
import type { SourceFile } from '../../sources/artifact.js';

const HELP = `Usage: ecs-gitops validate <path> [--output text|json]
       ecs-gitops validate --source <dir|url> [--output text|json]

Checks the ecs-gitops manifests in a directory tree (every *.yaml and *.yml, skipping
dot-directories and node_modules) or in one file: YAML syntax, the JSON Schemas in crds/,
and the semantic rules (Fargate sizes, record types, references between manifests, ...).
Documents whose apiVersion is not in the ecs-gitops.io group are ignored.

Prints every problem as "file:line:col Kind/name field: message [CODE]" (warnings are
marked and do not fail), then a summary. Nothing is sent to AWS.

Options:
  --source <dir|url>  instead of <path>: any source run reads (git+https://...#main, s3://bucket/prefix, ...;
                      Git credentials and the S3 endpoint from the environment, see docs/sources.md)
  --output <format>   text (default) or json: {"valid", "resources", "ignoredDocuments", "diagnostics"}

Exit status: 0 when every manifest is valid (warnings allowed), 1 otherwise.
`;

/** Where validate reads from, and how to show its file paths to the user. */
interface ReadSource {
  readonly files: readonly SourceFile[];
  readonly displayFile: (file: string) => string;
}

/**
 * Reads the command's input; the one place that knows how a path argument becomes files.
 * Files carry the paths the user will recognise (the argument joined with the path inside
 * it), so that every file named in the output, messages included, reads the same way.
 */
async function readSource(path: string): Promise<ReadSource> {
  const { readManifestTree } = await import('../../manifests/read-tree.js');
  try {
    const tree = await readManifestTree(path);
    const files = tree.files.map((f) => ({ path: tree.root === '.' ? f.path : join(tree.root, f.path), content: f.content, ...(f.refused ? { refused: f.refused } : {}) }));
    return { files, displayFile: (file) => file };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `no such file or directory: ${path}` : `cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Reads a source URL (Git, S3, file://) the way the controller does; paths are shown as in the source. */
async function fetchSource(url: string, env: Readonly<Record<string, string | undefined>>): Promise<ReadSource> {
  const { openSource } = await import('../../sources/open-source.js');
  const { sourceOptionsFromEnv } = await import('../../run/env.js');
  try {
    const opened = await openSource(url, sourceOptionsFromEnv(env));
    return { files: (await opened.fetch()).files, displayFile: (file) => file };
  } catch (err) {
    throw new UsageError(`cannot read ${url}: ${(err as Error).message}`);
  }
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check manifests (YAML, schemas, semantic rules) without touching AWS',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { output: { type: 'string', short: 'o', default: 'text' }, source: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const given = values.source !== undefined ? [values.source, ...positionals] : positionals;
    if (given.length !== 1 || given[0] === undefined) throw new UsageError('validate needs exactly one path (a directory or a file) or --source <dir|url>');
    if (values.output !== 'text' && values.output !== 'json') throw new UsageError(`--output must be text or json (got "${values.output}")`);
    const source = given[0].includes('://') ? await fetchSource(given[0], io.env) : await readSource(given[0]);
    const { loadManifests } = await import('../../reconcile/load.js');
    const { formatDiagnostic, formatSummary } = await import('../../manifests/format.js');
    const result = loadManifests(source.files);
    const valid = result.diagnostics.every((d) => d.severity !== 'error');
    if (values.output === 'json') {
      const diagnostics = result.diagnostics.map((d) => ({ ...d, file: source.displayFile(d.file) }));
      const resources = result.resources.map((r) => ({ key: r.key, kind: r.kind, name: r.name, file: source.displayFile(r.source.file), line: r.source.line }));
      io.stdout(`${JSON.stringify({ valid, resources, ignoredDocuments: result.ignoredDocuments, diagnostics }, null, 2)}\n`);
    } else {
      for (const d of result.diagnostics) io.stdout(`${formatDiagnostic(d, source.displayFile)}\n`);
      if (result.resources.length === 0 && result.diagnostics.length === 0) {
        // A CI job pointed at the wrong directory must not look like a clean pass.
        const yaml = `${source.files.length} YAML file${source.files.length === 1 ? '' : 's'}`;
        const other = `${result.ignoredDocuments} other document${result.ignoredDocuments === 1 ? '' : 's'}`;
        io.stdout(`no ecs-gitops manifests found in ${given[0]} (${yaml} read, ${other} ignored)\n`);
      }
      io.stdout(`${formatSummary(result.resources.length, result.diagnostics)}\n`);
    }
    return valid ? 0 : 1;
  },
};
