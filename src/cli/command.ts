/**
 * A CLI sub-command. Each command parses its own arguments (with node:util parseArgs),
 * prints its own help, and returns the process exit code.
 */
export interface Command {
  /** Name as typed on the command line, e.g. `validate`. */
  readonly name: string;
  /** One line shown in `ecs-gitops --help`. */
  readonly summary: string;
  /** Full help text shown by `ecs-gitops <name> --help`. */
  readonly help: string;
  /** Runs the command; resolves to the exit code. */
  run(argv: readonly string[], io: CommandIO): Promise<number>;
}

/** Output seams so tests can run commands in-process and capture what they print. */
export interface CommandIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const processIO: CommandIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

export { UsageError } from '../util/usage-error.js';
