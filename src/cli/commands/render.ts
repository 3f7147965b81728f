import { readOptionsAndPositionals, renderOptionsHelp, type OptionSpec } from '../../config/options.js';
import { parseSourceLimits, SOURCE_LIMIT_OPTIONS } from '../../config/source-limits.js';
import type { Command } from '../command.js';
import { DEFAULT_MANIFEST_READER, readManifestInput, singleSource } from './manifest-input.js';

/** Options of render: where to read, the Region for Overlay values, and the source limits. */
export const RENDER_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'source',
    env: 'ECS_GITOPS_SOURCE',
    type: 'string',
    placeholder: '<dir|url>',
    description: 'manifests: a directory, a git URL (https/ssh, #ref) or s3://bucket/prefix (or give it as the argument)',
  },
  {
    name: 'region',
    env: 'ECS_GITOPS_REGION',
    type: 'string',
    placeholder: '<name>',
    description: "AWS region of the SSM parameters and CloudFormation exports Overlays read (default: the SDK's)",
  },
  ...SOURCE_LIMIT_OPTIONS,
];

const HELP = `Usage: ecs-gitops render --source <dir|url>
       ecs-gitops render <dir>

Prints the manifests a source yields, as multi-document YAML: Overlays rendered (bases,
patches, images, common tags, \${name} values read from SSM, CloudFormation exports,
Terraform state in S3 and allowed environment variables; docs/environments.md), each
resource with a comment naming the file and line it comes from. Problems are printed as
validate prints them, on stderr. Nothing is written to AWS.

Options (flags win over environment variables):
${renderOptionsHelp(RENDER_OPTIONS)}

Exit status: 0 when every manifest rendered and is valid, 1 otherwise.
`;

export const renderCommand: Command = {
  name: 'render',
  summary: 'Print the final manifests of a source (Overlays rendered, values substituted) as YAML',
  help: HELP,
  async run(argv, io) {
    const { raw, positionals } = readOptionsAndPositionals(RENDER_OPTIONS, argv, io.env);
    const sourceArg = singleSource(raw, positionals, 'render needs exactly one source: --source <dir|url> or a directory');
    const region = typeof raw['region'] === 'string' ? raw['region'] : undefined;
    const input = await readManifestInput(sourceArg, parseSourceLimits(raw), DEFAULT_MANIFEST_READER, io, 'rendered', region);
    if (!input) return 1;
    const { stringify } = await import('yaml');
    const docs = input.desired.map((r) => `# Source: ${input.source.displayFile(r.source.file)}:${r.source.line}\n${stringify(r.manifest, { lineWidth: 0 })}`);
    io.stdout(docs.length === 0 ? '' : `---\n${docs.join('---\n')}`);
    return 0;
  },
};
