/**
 * The first steps `plan` and `apply` share: read the source, load and validate the manifests,
 * print their diagnostics, and turn the prune options into plan options.
 */
import { join } from 'node:path';
import { UsageError, type CommandIO } from '../command.js';
import type { DesiredResource, Diagnostic } from '../../manifests/types.js';
import type { PruneLimits } from '../../config/reconcile-options.js';
import type { PlanOptions } from '../../reconcile/plan.js';
import type { SourceFile } from '../../sources/artifact.js';
import { sourceErrorText } from '../../config/source-limits.js';
import type { SourceLimits } from '../../sources/source.js';
import type { ReadValues } from '../../reconcile/overlay-values.js';
import type { OverlayControllerId } from '../../manifests/overlay/compose.js';

/** The parts of the manifest loader's result plan and apply use. */
export interface LoadResult {
  readonly resources: DesiredResource[];
  readonly diagnostics: Diagnostic[];
  /** Set when the source holds Overlays; `controllerId` when the entry Overlay names one. */
  readonly overlays?: { readonly controllerId?: OverlayControllerId };
}

/** Source files, and how to show their paths to the user (relative to what was typed). */
export interface SourceFiles {
  readonly files: readonly SourceFile[];
  readonly displayFile: (file: string) => string;
  /** The directory the source points at, in the files' terms, when it is not their root ('' ). */
  readonly entry?: string;
}

/** How a command gets its manifests; tests replace parts of it. */
export interface ManifestReader {
  /** Reads the source files (directory or file, Git or S3 URL) within the source limits. */
  readSource(source: string, io: CommandIO, limits: SourceLimits): Promise<SourceFiles>;
  /**
   * Parses and validates the manifests, rendering Overlays (their external values read with
   * the command's environment and region, docs/environments.md).
   */
  loadManifests(files: readonly SourceFile[], context?: LoadContext): Promise<LoadResult>;
}

/** What rendering Overlays needs from the command. */
export interface LoadContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly region?: string;
  readonly entry?: string;
}

/** Manifests that loaded without errors. */
export interface ManifestInput {
  readonly source: SourceFiles;
  readonly desired: DesiredResource[];
  /** The controller id the entry Overlay names, and where (`file:line` as the user sees the file). */
  readonly overlayControllerId?: { readonly id: string; readonly at: string };
}

/** The command-line options that become plan options. */
export interface PlanPolicyArgs {
  controllerId: string;
  /**
   * Where `controllerId` was given (`--controller-id` or ECS_GITOPS_CONTROLLER_ID); absent
   * when it is the default, which an Overlay's `spec.controllerId` then replaces.
   */
  controllerIdFrom?: 'flag' | 'env';
  /** The prune guards, the same as the controller's. */
  prune: PruneLimits;
  /** The source limits, the same as the controller's (`--source-max-*`). */
  sourceLimits: SourceLimits;
  /** `--keep-revisions`: task definition revisions kept per family (absent = the default). */
  keepRevisions?: number;
}

/**
 * Reads and loads the manifests, printing every diagnostic. Resolves to undefined, with the
 * reason printed, when the source cannot be read or a manifest has errors; `verb` ends that
 * message ("nothing was planned").
 */
export async function readManifestInput(
  source: string,
  limits: SourceLimits,
  reader: ManifestReader,
  io: CommandIO,
  verb: string,
  region?: string,
): Promise<ManifestInput | undefined> {
  const { formatDiagnostic } = await import('../../manifests/format.js');
  let files: SourceFiles;
  try {
    files = await reader.readSource(source, io, limits);
  } catch (err) {
    io.stderr(`error: ${readFailure(source, err)}; nothing was ${verb}\n`);
    return undefined;
  }
  const loaded = await reader.loadManifests(files.files, {
    env: io.env,
    ...(region !== undefined ? { region } : {}),
    ...(files.entry !== undefined ? { entry: files.entry } : {}),
  });
  for (const d of loaded.diagnostics) io.stderr(`${formatDiagnostic(d, files.displayFile)}\n`);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) {
    io.stderr(`error: ${errors} problem${errors === 1 ? '' : 's'} in the manifests; nothing was ${verb}\n`);
    return undefined;
  }
  const named = loaded.overlays?.controllerId;
  const overlayControllerId = named ? { id: named.id, at: `${files.displayFile(named.file)}:${named.line}` } : undefined;
  return { source: files, desired: loaded.resources, ...(overlayControllerId ? { overlayControllerId } : {}) };
}

/**
 * The controller id a one-shot command works for: the Overlay's `spec.controllerId` when the
 * user gave none (said in a header line: on stdout for text output, on stderr otherwise, so
 * JSON stays JSON), else the one given. Given and different: an error (never a guess),
 * printed, and undefined. `verb` ends that message ("nothing was planned").
 */
export function resolveControllerId(args: PlanPolicyArgs, input: ManifestInput, io: CommandIO, verb: string, text: boolean): string | undefined {
  const named = input.overlayControllerId;
  if (!named) return args.controllerId;
  if (args.controllerIdFrom !== undefined) {
    if (named.id === args.controllerId) return args.controllerId;
    const given = args.controllerIdFrom === 'flag' ? `--controller-id ${args.controllerId}` : `ECS_GITOPS_CONTROLLER_ID=${args.controllerId}`;
    io.stderr(
      `error: ${named.at}: the Overlay's spec.controllerId is "${named.id}", but ${given} was given: ` +
        `give the Overlay's id or none (it is used when none is given); nothing was ${verb}\n`,
    );
    return undefined;
  }
  const header = `Controller id ${named.id} (from the Overlay at ${named.at})\n`;
  if (text) io.stdout(header);
  else io.stderr(`note: ${header}`);
  return named.id;
}

/** Plan options from the command's arguments; an empty source is flagged so prune refuses it. */
export function planOptionsFor(args: PlanPolicyArgs, input: ManifestInput): PlanOptions {
  return {
    controllerId: args.controllerId,
    pruneEnabled: args.prune.enabled,
    maxPruneCount: args.prune.maxDeletions,
    maxPrunePercent: args.prune.maxPercent,
    sourceIsEmpty: input.source.files.length === 0 || input.desired.length === 0,
    ...(args.keepRevisions !== undefined ? { keepRevisions: args.keepRevisions } : {}),
  };
}

/** The one source of a command given as `--source <x>` or a positional path; `usage` when there is not exactly one. */
export function singleSource(raw: Readonly<Record<string, unknown>>, positionals: readonly string[], usage: string): string {
  const given = typeof raw['source'] === 'string' ? [raw['source'], ...positionals] : positionals;
  if (given.length !== 1 || given[0] === undefined) throw new UsageError(usage);
  return given[0];
}

/** Why a source could not be read, worded the same by every command: `cannot read source X: ... [CODE]`. */
export function readFailure(source: string, err: unknown): string {
  const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : sourceErrorText(err);
  return `cannot read source ${source}: ${why}`;
}

/**
 * The real reader, used by validate, plan and apply: a local path through the manifest tree
 * reader (the controller's directory source), a URL through the sources; the same limits.
 */
export const DEFAULT_MANIFEST_READER: ManifestReader = {
  async readSource(source, io, limits) {
    if (!source.includes('://')) {
      const { readManifestTree } = await import('../../manifests/read-tree.js');
      const tree = await readManifestTree(source, limits);
      return { files: tree.files, displayFile: (file) => (tree.root === '.' ? file : join(tree.root, file)) };
    }
    const { openSource } = await import('../../sources/open-source.js');
    const { sourceOptionsFromEnv } = await import('../../run/env.js');
    // Git credentials and the S3 endpoint come from the environment, as for `run`.
    const opened = await openSource(source, { ...sourceOptionsFromEnv(io.env), limits });
    return { files: (await opened.fetch()).files, displayFile: (file) => file };
  },
  async loadManifests(files, context) {
    const { loadWithValues } = await import('../../reconcile/overlay-values.js');
    const options = context?.entry !== undefined ? { entry: context.entry } : {};
    const read = context ? await valueReader(context) : undefined;
    return (await loadWithValues(files, options, read)).result;
  },
};

/** Reads Overlay values from AWS and the environment, as `run` does (AWS SDK loaded only when an Overlay needs it). */
export async function valueReader(context: LoadContext): Promise<ReadValues> {
  const { valueReaderOptionsFromEnv } = await import('../../run/env.js');
  const options = valueReaderOptionsFromEnv(context.env, context.region);
  return async (refs) => {
    const { readValues } = await import('../../aws/value-reader.js');
    return readValues(refs, options);
  };
}
