import { processIO, UsageError, type CommandIO } from './command.js';
import { COMMANDS } from './commands/index.js';
import { PACKAGE_VERSION } from '../paths.js';

function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'ecs-gitops: GitOps for Amazon ECS and AWS Cloud Map',
    '',
    'Usage: ecs-gitops <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `ecs-gitops <command> --help` for the options of a command.',
    'AWS endpoints and credentials follow the AWS SDK conventions (AWS_REGION,',
    'AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECS, AWS_PROFILE, ...).',
    '',
  ].join('\n');
}

/** Runs the CLI with the given arguments; resolves to the exit code. */
export async function main(argv: readonly string[], io: CommandIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(topLevelHelp());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`error: unknown command "${name}"\n\n${topLevelHelp()}`);
    return 1;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.help.trimEnd()}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      // Option errors end in "(see --help)": name the command whose help that is.
      io.stderr(`error: ${err.message.replace(/\(see --help\)$/, `(see ecs-gitops ${name} --help)`)}\n`);
      return 1;
    }
    if (isArgumentError(err)) {
      io.stderr(`error: ${err.message} (see ecs-gitops ${name} --help)\n`);
      return 1;
    }
    throw err;
  }
}

/** What node:util parseArgs throws for an unknown option or a missing value: a typo, not a crash. */
function isArgumentError(err: unknown): err is Error {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).code!.startsWith('ERR_PARSE_ARGS_');
}
