/**
 * The source limits as options: one flag, one environment variable, one default and one
 * validation each, shared by every command that reads a source (`validate`, `plan`, `apply`,
 * `run`), so a source one command accepts is never refused by another (docs/sources.md, "Limits").
 */
import { ConfigError, optionLabel, textValue, type OptionSpec, type RawOptions } from './options.js';
import { SourceError } from '../sources/errors.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, type SourceLimits } from '../sources/source.js';

const MIB = 1024 * 1024;

/** The limit options, in help order. */
export const SOURCE_LIMIT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'source-max-files',
    env: 'ECS_GITOPS_SOURCE_MAX_FILES',
    type: 'string',
    placeholder: '<n>',
    default: String(DEFAULT_MAX_FILES),
    description:
      'most manifest files one source revision may hold; above it the whole read fails (ECSGITOPS_SOURCE_TOO_LARGE) and nothing is planned or pruned',
  },
  {
    name: 'source-max-file-bytes',
    env: 'ECS_GITOPS_SOURCE_MAX_FILE_BYTES',
    type: 'string',
    placeholder: '<bytes>',
    default: `${DEFAULT_MAX_FILE_BYTES / MIB}MiB`,
    description: 'most bytes of one manifest file (n, nKiB, nMiB, nGiB); a bigger file is refused unread (EGO_FILE_TOO_LARGE) and the revision prunes nothing',
  },
  {
    name: 'source-max-bytes',
    env: 'ECS_GITOPS_SOURCE_MAX_BYTES',
    type: 'string',
    placeholder: '<bytes>',
    default: `${DEFAULT_MAX_BYTES / MIB}MiB`,
    description: 'most bytes of manifests one source revision may hold (n, nKiB, nMiB, nGiB); above it the whole read fails (ECSGITOPS_SOURCE_TOO_LARGE)',
  },
];

/** Upper bounds of the options (a file is read into memory whole; a revision is held twice). */
const MAX_FILES_LIMIT = 10_000_000;
const MAX_FILE_BYTES_LIMIT = 1024 * MIB;
const MAX_BYTES_LIMIT = 64 * 1024 * MIB;

function spec(name: string): OptionSpec {
  return SOURCE_LIMIT_OPTIONS.find((s) => s.name === name)!;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, kib: 1024, mib: MIB, gib: 1024 * MIB };

/** A count or size from 1 to `max`, or a ConfigError naming the option. */
function amount(raw: RawOptions, name: string, max: number, units: boolean): number {
  const s = spec(name);
  const t = (textValue(raw, name) ?? '').trim();
  const m = units ? /^(\d+)\s*(kib|mib|gib)?$/i.exec(t) : /^(\d+)()$/.exec(t);
  const n = m ? Number(m[1]) * UNITS[(m[2] ?? '').toLowerCase()]! : NaN;
  if (!(n >= 1 && n <= max)) {
    const what = units ? `a size in bytes from 1 to ${max / (1024 * MIB)}GiB, e.g. 16MiB` : `an integer from 1 to ${max}`;
    throw new ConfigError(`${optionLabel(s)} must be ${what} (got "${t}")`);
  }
  return n;
}

/** The limits of `raw` (read with a table that includes SOURCE_LIMIT_OPTIONS), validated. */
export function parseSourceLimits(raw: RawOptions): Required<SourceLimits> {
  return {
    maxFiles: amount(raw, 'source-max-files', MAX_FILES_LIMIT, false),
    maxFileBytes: amount(raw, 'source-max-file-bytes', MAX_FILE_BYTES_LIMIT, true),
    maxBytes: amount(raw, 'source-max-bytes', MAX_BYTES_LIMIT, true),
  };
}

/** How every command words a failed source read: the message, then the stable code in brackets. */
export function sourceErrorText(err: unknown): string {
  if (err instanceof SourceError) return `${err.message} [${err.code}]`;
  return err instanceof Error ? err.message : String(err);
}
