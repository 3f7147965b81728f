import { formatDuration, parseDuration } from '../util/duration.js';
import { parseArgs } from 'node:util';
import { UsageError } from '../util/usage-error.js';

/** A configuration error naming the flag and environment variable at fault. */
export class ConfigError extends UsageError {}

/** One configurable option: the single place its flag, env var, default and help live. */
export interface OptionSpec {
  /** Flag name without `--`, e.g. `resync`. */
  readonly name: string;
  /** Environment variable, e.g. `ECS_GITOPS_RESYNC`; absent = flag only. */
  readonly env?: string;
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
  /** Older flag names accepted for the same option (without `--`). */
  readonly aliases?: readonly string[];
  /** Boolean options only: `--no-<name>` sets false. */
  readonly negatable?: boolean;
  /** One-letter flag, e.g. `o` for `-o`. */
  readonly short?: string;
}

/** Raw option values as text, after flags-over-env precedence. */
export type RawOptions = Record<string, string | string[] | boolean | undefined>;

/** Where an option's value came from: a flag, its environment variable, or its default. */
export type OptionOrigin = 'flag' | 'env' | 'default';

/** The origin of every option that has a value (options with none are absent). */
export type OptionOrigins = Readonly<Record<string, OptionOrigin>>;

/** Where a value came from, for error messages: `--resync / ECS_GITOPS_RESYNC`. */
export function optionLabel(spec: OptionSpec): string {
  if (spec.envOnly) return spec.env ?? spec.name;
  return spec.env ? `--${spec.name} / ${spec.env}` : `--${spec.name}`;
}

type ParsedValue = string | boolean | (string | boolean)[] | undefined;

/** Every flag name a spec answers to, with whether it means `false` (`--no-<name>`). */
function flagNames(spec: OptionSpec): { flag: string; negated: boolean }[] {
  const names = [spec.name, ...(spec.aliases ?? [])].map((flag) => ({ flag, negated: false }));
  if (spec.type === 'boolean' && spec.negatable) names.push({ flag: `no-${spec.name}`, negated: true });
  return names;
}

/** The flag value of one spec, from its name, aliases or negation; two spellings at once are refused. */
function flagValue(spec: OptionSpec, values: Record<string, ParsedValue>): ParsedValue {
  const given = flagNames(spec).filter(({ flag }) => values[flag] !== undefined);
  if (given.length === 0) return undefined;
  if (given.length > 1) {
    throw new ConfigError(`${given.map(({ flag }) => `--${flag}`).join(' and ')} set the same option: give one of them (see --help)`);
  }
  const { flag, negated } = given[0]!;
  return negated ? !values[flag] : values[flag];
}

/** Parses argv and env against the table; flags win over env; defaults fill the rest. */
export function readOptions(table: readonly OptionSpec[], argv: readonly string[], env: Readonly<Record<string, string | undefined>>): RawOptions {
  return parseOptions(table, argv, env, false).raw;
}

/**
 * {@link readOptions}, with where each value came from: a command that takes a value from
 * elsewhere when the user gave none (an Overlay's controller id) tells a default from a choice.
 */
export function readOptionsWithOrigins(
  table: readonly OptionSpec[],
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { raw: RawOptions; origins: OptionOrigins } {
  const { raw, origins } = parseOptions(table, argv, env, false);
  return { raw, origins };
}

/** {@link readOptions} for a command that also takes positional arguments (returned in order). */
export function readOptionsAndPositionals(
  table: readonly OptionSpec[],
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { raw: RawOptions; positionals: string[] } {
  const { raw, positionals } = parseOptions(table, argv, env, true);
  return { raw, positionals };
}

function parseOptions(
  table: readonly OptionSpec[],
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  allowPositionals: boolean,
): { raw: RawOptions; positionals: string[]; origins: Record<string, OptionOrigin> } {
  const flagSpecs = table.filter((s) => !s.envOnly);
  let values: Record<string, ParsedValue>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        flagSpecs.flatMap((s) =>
          flagNames(s).map(({ flag, negated }) => [
            flag,
            {
              ...(s.type === 'boolean' || negated ? { type: 'boolean' as const } : { type: 'string' as const, multiple: s.type === 'list' }),
              ...(s.short !== undefined && flag === s.name ? { short: s.short } : {}),
            },
          ]),
        ),
      ),
      strict: true,
      allowPositionals,
    }));
  } catch (err) {
    throw new ConfigError(`${(err as Error).message.split('\n')[0]} (see --help)`);
  }
  const out: RawOptions = {};
  const origins: Record<string, OptionOrigin> = {};
  for (const spec of table) {
    const flag = spec.envOnly ? undefined : flagValue(spec, values);
    const envText = spec.env !== undefined ? env[spec.env] : undefined;
    if (flag !== undefined) {
      out[spec.name] = Array.isArray(flag) ? flag.map(String) : flag;
      origins[spec.name] = 'flag';
    } else if (envText !== undefined && envText !== '') {
      origins[spec.name] = 'env';
      if (spec.type === 'boolean') out[spec.name] = parseBool(spec, envText);
      else if (spec.type === 'list')
        out[spec.name] = envText
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      else out[spec.name] = envText;
    } else if (spec.default !== undefined) {
      origins[spec.name] = 'default';
      out[spec.name] = spec.type === 'boolean' ? spec.default === 'true' : spec.type === 'list' ? spec.default.split(',').filter(Boolean) : spec.default;
    } else if (spec.required) {
      throw new ConfigError(`${optionLabel(spec)} is required: ${spec.description}`);
    }
  }
  return { raw: out, positionals, origins };
}

function parseBool(spec: OptionSpec, text: string): boolean {
  return parseTrueFalse(text, spec.env ?? optionLabel(spec));
}

/** `1/true/yes/on` or `0/false/no/off` (any case); anything else is a ConfigError naming `label`. */
export function parseTrueFalse(text: string, label: string): boolean {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  throw new ConfigError(`${label} must be true or false (got "${text}")`);
}

/** A string option's value (undefined when unset). */
export function textValue(raw: RawOptions, name: string): string | undefined {
  const v = raw[name];
  return typeof v === 'string' ? v : undefined;
}

/** A whole number from `min` to `max`, or a ConfigError naming the option. */
/** A duration option (`30s`, `5m`, ...) in ms, at least `minMs`; the error names the flag and variable. */
export function durationValue(spec: OptionSpec, raw: RawOptions, minMs: number): number {
  const t = textValue(raw, spec.name) ?? '';
  let ms: number;
  try {
    ms = parseDuration(t);
  } catch (err) {
    throw new ConfigError(`${optionLabel(spec)}: ${(err as Error).message}`);
  }
  if (ms < minMs) throw new ConfigError(`${optionLabel(spec)} must be at least ${formatDuration(minMs)} (got "${t}")`);
  return ms;
}

export function integerValue(spec: OptionSpec, raw: RawOptions, min: number, max: number): number {
  const t = textValue(raw, spec.name) ?? '';
  const n = Number(t);
  if (!/^\d+$/.test(t.trim()) || n < min || n > max) throw new ConfigError(`${optionLabel(spec)} must be an integer from ${min} to ${max} (got "${t}")`);
  return n;
}

function flagColumn(s: OptionSpec): string {
  if (s.envOnly) return `(env) ${s.env ?? s.name}`;
  const long = s.type === 'boolean' && s.negatable ? `--[no-]${s.name}` : `--${s.name}`;
  const name = s.short !== undefined ? `-${s.short}, ${long}` : long;
  return `${name}${s.placeholder ? ` ${s.placeholder}` : ''}`;
}

/** Help text listing every option with its env var and default (two lines per option). */
export function renderOptionsHelp(table: readonly OptionSpec[]): string {
  const rows = table.map((s) => {
    const origin = [
      s.envOnly ? 'environment only' : s.env ? `env ${s.env}` : undefined,
      s.aliases?.length ? `also ${s.aliases.map((a) => `--${a}`).join(', ')}` : undefined,
      s.required ? 'required' : s.default !== undefined && s.default !== '' ? `default ${s.default}` : undefined,
    ].filter(Boolean);
    return [flagColumn(s), s.description, origin.join(', ')] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, d, o]) => (o === '' ? `  ${l.padEnd(width)}  ${d}` : `  ${l.padEnd(width)}  ${d}\n  ${' '.repeat(width)}  (${o})`)).join('\n');
}
