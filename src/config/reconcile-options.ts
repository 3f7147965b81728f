/**
 * The options every command that plans or writes shares (`plan`, `apply`, `run`): one flag
 * name, one environment variable, one default and one validation each, so the prune guards
 * and the source limits are the same whichever command reads or deletes (`validate` takes
 * the source limits too).
 */
import { ConfigError, integerValue, optionLabel, textValue, type OptionSpec, type RawOptions } from './options.js';
import { parseSourceLimits, SOURCE_LIMIT_OPTIONS } from '../config/source-limits.js';
import type { SourceLimits } from '../sources/source.js';

/** Default of `--prune-max-deletions`. */
export const DEFAULT_PRUNE_MAX_DELETIONS = 10;
/** Default of `--prune-max-percent`. */
export const DEFAULT_PRUNE_MAX_PERCENT = 50;
/** Default of `--keep-revisions` (the same as the planner's). */
export const DEFAULT_KEEP_REVISIONS = 5;

/** Shared options, in help order. */
export const RECONCILE_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'source',
    env: 'ECS_GITOPS_SOURCE',
    type: 'string',
    placeholder: '<dir|url>',
    required: true,
    description: 'manifests: a directory, a git URL (https/ssh, #ref) or s3://bucket/prefix',
  },
  ...SOURCE_LIMIT_OPTIONS,
  {
    name: 'controller-id',
    env: 'ECS_GITOPS_CONTROLLER_ID',
    type: 'string',
    placeholder: '<id>',
    default: 'ecs-gitops',
    description: "owner tag value; resources of another id are never touched (plan, apply: when not given, the Overlay's spec.controllerId)",
  },
  {
    name: 'cluster',
    env: 'ECS_GITOPS_CLUSTERS',
    type: 'list',
    placeholder: '<name>',
    description: 'extra ECS cluster to observe for pruning, repeatable (clusters the manifests name are always observed)',
  },
  {
    name: 'region',
    env: 'ECS_GITOPS_REGION',
    type: 'string',
    placeholder: '<name>',
    description: "AWS region (default: the SDK's, AWS_REGION, AWS_DEFAULT_REGION or the profile)",
  },
  {
    name: 'prune',
    env: 'ECS_GITOPS_PRUNE',
    type: 'boolean',
    negatable: true,
    default: 'true',
    description: 'delete owned resources missing from the source (--no-prune keeps them)',
  },
  {
    name: 'prune-max-deletions',
    env: 'ECS_GITOPS_PRUNE_MAX_DELETIONS',
    type: 'string',
    placeholder: '<n>',
    default: String(DEFAULT_PRUNE_MAX_DELETIONS),
    aliases: ['max-prune'],
    description: 'most resources one pass may delete, else none are deleted (0 disables pruning)',
  },
  {
    name: 'prune-max-percent',
    env: 'ECS_GITOPS_PRUNE_MAX_PERCENT',
    type: 'string',
    placeholder: '<0-100>',
    default: String(DEFAULT_PRUNE_MAX_PERCENT),
    aliases: ['max-prune-percent'],
    description: 'most resources one pass may delete, in percent of the owned ones, else none are deleted',
  },
  {
    name: 'keep-revisions',
    env: 'ECS_GITOPS_KEEP_REVISIONS',
    type: 'string',
    placeholder: '<n>',
    default: String(DEFAULT_KEEP_REVISIONS),
    description:
      'task definition revisions kept per family (newest distinct contents, those in use counted); older unused ones this controller registered are deregistered (1-1000, prune guards apply)',
  },
];

/** The shared options, validated. */
export interface ReconcileOptions {
  readonly source: string;
  /** Most files and bytes a source read may hold (src/config/source-limits.ts). */
  readonly sourceLimits: Required<SourceLimits>;
  /** Written in owner tags; two controllers with different ids never touch each other's resources. */
  readonly controllerId: string;
  /** Clusters observed besides those the manifests name, so owned services whose manifests were removed are still found and pruned. */
  readonly clusters: readonly string[];
  /** AWS region; absent = the SDK's own resolution. */
  readonly region?: string;
  readonly prune: PruneLimits;
  /** Task definition revisions kept per family (`--keep-revisions`). */
  readonly keepRevisions: number;
}

/** The prune guards every writer applies. */
export interface PruneLimits {
  /** False with `--no-prune` or `--prune-max-deletions 0`: owned resources missing from the source are kept. */
  readonly enabled: boolean;
  /** Most owned resources one pass may delete; above it no deletion is made. */
  readonly maxDeletions: number;
  /** Most owned resources one pass may delete, as a percentage of the owned set. */
  readonly maxPercent: number;
}

/** A shared option by name (commands that take only some of the shared options list them with this). */
export function reconcileOption(name: string): OptionSpec {
  const found = RECONCILE_OPTIONS.find((s) => s.name === name);
  if (!found) throw new Error(`no shared option ${name}`);
  return found;
}
const spec = reconcileOption;

/** The rule of a controller id (`--controller-id`, an Overlay's `spec.controllerId`): it is an AWS tag value and a metric label. */
export const CONTROLLER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Validates --controller-id and --region, as every command that reads or writes AWS does. */
export function parseIdentity(raw: RawOptions): { controllerId: string; region?: string } {
  const controllerId = (textValue(raw, 'controller-id') ?? '').trim();
  if (!CONTROLLER_ID_PATTERN.test(controllerId)) {
    throw new ConfigError(`${optionLabel(spec('controller-id'))} must be 1-63 letters, digits, '.', '_' or '-' (got "${controllerId}")`);
  }
  const region = textValue(raw, 'region')?.trim();
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new ConfigError(`${optionLabel(spec('region'))} must be an AWS region such as eu-west-1 (got "${region}")`);
  }
  return region ? { controllerId, region } : { controllerId };
}

/** Validates the shared options of `raw` (read with a table that includes RECONCILE_OPTIONS). */
export function parseReconcileOptions(raw: RawOptions): ReconcileOptions {
  const source = (textValue(raw, 'source') ?? '').trim();
  if (source === '') throw new ConfigError(`${optionLabel(spec('source'))} must not be empty`);
  const { controllerId, region } = parseIdentity(raw);
  const maxDeletions = integerValue(spec('prune-max-deletions'), raw, 0, 100_000);
  const maxPercent = integerValue(spec('prune-max-percent'), raw, 0, 100);
  const keepRevisions = integerValue(spec('keep-revisions'), raw, 1, 1000);
  return {
    source,
    sourceLimits: parseSourceLimits(raw),
    controllerId,
    clusters: clusterList(raw),
    ...(region ? { region } : {}),
    prune: { enabled: raw['prune'] !== false && maxDeletions > 0, maxDeletions, maxPercent },
    keepRevisions,
  };
}

function clusterList(raw: RawOptions): string[] {
  const names = (raw['cluster'] as string[] | undefined) ?? [];
  for (const name of names) {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name) && !/^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]{1,255}$/.test(name)) {
      throw new ConfigError(`${optionLabel(spec('cluster'))}: "${name}" is not an ECS cluster name (letters, digits, '-' and '_', up to 255) or cluster ARN`);
    }
  }
  return [...new Set(names)];
}
