import { parseArgs } from 'node:util';
import { UsageError } from '../cli/command.js';

/** A configuration error naming the flag and environment variable at fault. */
export class ConfigError extends UsageError {}

/** One configurable option: the single place its flag, env var, default and help live. */
export interface OptionSpec {
  /** Flag name without `--`, e.g. `resync`. */
  readonly name: string;
  /** Environment variable, e.g. `ECS_GITOPS_RESYNC`. */
  readonly env: string;
  /** `list` options repeat (`--rate-limit a --rate-limit b`) or take a comma list in env. */
  readonly type: 'string' | 'boolean' | 'list';
  /** Shown in help, e.g. `<duration>`. */
  readonly placeholder?: string;
  /** Default as text (parsed like user input); absent = no default. */
  readonly default?: string;
  readonly description: string;
  readonly required?: boolean;
  /** Only from the environment (secrets must not appear in `ps` output). */
  readonly envOnly?: boolean;
}

/** Raw option values as text, after flags-over-env precedence. */
export type RawOptions = Record<string, string | string[] | boolean | undefined>;

/** Where a value came from, for error messages: `--resync` or `ECS_GITOPS_RESYNC`. */
export function optionLabel(spec: OptionSpec): string {
  return spec.envOnly ? spec.env : `--${spec.name} / ${spec.env}`;
}

/** Parses argv and env against the table; flags win over env; defaults fill the rest. */
export function readOptions(table: readonly OptionSpec[], argv: readonly string[], env: Readonly<Record<string, string | undefined>>): RawOptions {
  const flagSpecs = table.filter((s) => !s.envOnly);
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        flagSpecs.map((s) => [s.name, s.type === 'boolean' ? { type: 'boolean' as const } : { type: 'string' as const, multiple: s.type === 'list' }]),
      ),
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new ConfigError(`${(err as Error).message.split('\n')[0]} (see --help)`);
  }
  const out: RawOptions = {};
  for (const spec of table) {
    const flag = spec.envOnly ? undefined : values[spec.name];
    const envText = env[spec.env];
    if (flag !== undefined) {
      out[spec.name] = Array.isArray(flag) ? flag.map(String) : flag;
    } else if (envText !== undefined && envText !== '') {
      if (spec.type === 'boolean') out[spec.name] = parseBool(spec, envText);
      else if (spec.type === 'list') out[spec.name] = envText.split(',').map((s) => s.trim()).filter(Boolean);
      else out[spec.name] = envText;
    } else if (spec.default !== undefined) {
      out[spec.name] = spec.type === 'boolean' ? spec.default === 'true' : spec.type === 'list' ? spec.default.split(',').filter(Boolean) : spec.default;
    } else if (spec.required) {
      throw new ConfigError(`${optionLabel(spec)} is required: ${spec.description}`);
    }
  }
  return out;
}

function parseBool(spec: OptionSpec, text: string): boolean {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  throw new ConfigError(`${spec.env} must be true or false (got "${text}")`);
}

/** Help text listing every option with its env var and default (two lines per option). */
export function renderOptionsHelp(table: readonly OptionSpec[]): string {
  const rows = table.map((s) => {
    const left = s.envOnly ? `(env) ${s.env}` : `--${s.name}${s.placeholder ? ` ${s.placeholder}` : ''}`;
    const origin = [
      s.envOnly ? 'environment only' : `env ${s.env}`,
      s.required ? 'required' : s.default !== undefined && s.default !== '' ? `default ${s.default}` : undefined,
    ].filter(Boolean);
    return [left, s.description, origin.join(', ')] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, d, o]) => `  ${l.padEnd(width)}  ${d}
  ${' '.repeat(width)}  (${o})`).join('\n');
}
