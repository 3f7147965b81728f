import { readFileSync } from 'node:fs';
import { API_FAMILIES, DEFAULT_RATE_LIMITS, type ApiFamily, type BucketLimit } from '../controller/rate-limiter.js';
import { LOG_LEVELS, scrubSecrets, type LogLevel } from '../observability/logger.js';
import {
  ConfigError,
  integerValue,
  optionLabel,
  parseTrueFalse,
  readOptions,
  renderOptionsHelp,
  type OptionSpec,
  type RawOptions,
  durationValue,
} from './options.js';
import { parseReconcileOptions, RECONCILE_OPTIONS, type PruneLimits } from './reconcile-options.js';
import { LEASE_OPTIONS, parseLeaseSettings, type LeaseSettings } from './lease-options.js';
import { loggableNotify, NOTIFY_OPTIONS, parseNotifyOptions } from './notify-options.js';
import type { NotifyConfig } from '../notify/types.js';
import type { SourceLimits } from '../sources/source.js';
import { s3ObjectOf } from '../sources/url.js';

/** The controller's configuration, parsed and validated once at start and passed down. */
export interface ControllerConfig {
  /** Directory, git URL or s3:// URL of the manifests. */
  readonly source: string;
  /** Most files and bytes a revision may hold, shared with validate, plan and apply (src/config/source-limits.ts). */
  readonly sourceLimits: Required<SourceLimits>;
  /** How often the source is polled (ms). */
  readonly intervalMs: number;
  /** How often every resource is observed and reconciled again, without a new revision (ms). */
  readonly resyncMs: number;
  readonly workers: number;
  /** Token bucket per AWS API family (defaults merged with overrides). */
  readonly rateLimits: Readonly<Record<ApiFamily, BucketLimit>>;
  /** Mode of resources that declare none. */
  readonly defaultMode: 'enforce' | 'observe';
  /** Written in owner tags; two controllers with different ids never touch each other's resources. */
  readonly controllerId: string;
  /** Clusters observed besides those the manifests name, so owned services whose manifests were removed are still found and pruned. */
  readonly clusters: readonly string[];
  /** AWS region from `--region` / ECS_GITOPS_REGION; absent = the SDK's own resolution. */
  readonly region?: string;
  /** The prune guards, shared with plan and apply (src/config/reconcile-options.ts). */
  readonly prune: PruneLimits;
  /** Task definition revisions kept per family (`--keep-revisions`); older unused ones are deregistered. */
  readonly keepRevisions: number;
  readonly listen: { readonly host: string; readonly port: number };
  readonly logLevel: LogLevel;
  /** Time in-flight work gets after SIGTERM before it is aborted (ms). */
  readonly shutdownGraceMs: number;
  /** HMAC secret of webhook signatures; never logged. */
  readonly webhookSecret?: string;
  /** Own address of the webhook endpoints; when set, the main listener serves no webhooks. */
  readonly webhookListen?: { readonly host: string; readonly port: number };
  /** Least time between two webhook-triggered source fetches (ms). */
  readonly webhookMinIntervalMs: number;
  /** Open HTTP connections per listener at most; more are closed on accept. */
  readonly httpMaxConnections: number;
  /** Period of discovery health checks (ms). */
  readonly healthIntervalMs: number;
  /** Deregister Cloud Map instances whose ECS task stopped longer than the DNS TTL plus `remediateGraceMs` ago (opt-in). */
  readonly remediateStaleInstances: boolean;
  /** Waited on top of the service's DNS TTL before a stale instance is deregistered (ms). */
  readonly remediateGraceMs: number;
  /** A reconcile running longer is aborted and retried (ms). */
  readonly reconcileTimeoutMs: number;
  /** AWS reads failing for longer than this make the observation stale: no resource is reported Synced (ms). */
  readonly staleAfterMs: number;
  /** Whether `/readyz` answers 503 while the observation is stale. */
  readonly readyzFailWhenStale: boolean;
  /** URL of the SQS queue of AWS change events (EventBridge rules); absent = drift is found by the resync alone. */
  readonly eventsQueue?: string;
  /** The writer lease (`--lease-table`); absent = no lease, this process always writes. */
  readonly lease?: LeaseSettings;
  /** Whether `/readyz` answers 503 while this process does not hold the lease. */
  readonly readyzRequireLeader: boolean;
  /** Observation checkpoint (a file path or `s3://bucket/key`): written after scans and at shutdown, read at start. */
  readonly checkpoint?: { readonly location: string; readonly intervalMs: number; readonly maxAgeMs: number };
  /** Commit statuses, webhook and Slack notifications (src/config/notify-options.ts); absent = none. */
  readonly notify?: NotifyConfig;
}

const FAMILY_LIST = API_FAMILIES.join(', ');

/** Every controller option, in help order. */
export const CONTROLLER_OPTIONS: readonly OptionSpec[] = [
  ...RECONCILE_OPTIONS,
  {
    name: 'interval',
    env: 'ECS_GITOPS_INTERVAL',
    type: 'string',
    placeholder: '<duration>',
    default: '1m',
    description: 'how often the source is polled for a new revision',
  },
  {
    name: 'resync',
    env: 'ECS_GITOPS_RESYNC',
    type: 'string',
    placeholder: '<duration>',
    default: '1m',
    description: 'how often AWS is observed again to detect drift (jittered 10%)',
  },
  { name: 'workers', env: 'ECS_GITOPS_WORKERS', type: 'string', placeholder: '<n>', default: '4', description: 'resources reconciled concurrently' },
  {
    name: 'rate-limit',
    env: 'ECS_GITOPS_RATE_LIMITS',
    type: 'list',
    placeholder: '<family=rate[:burst]>',
    description: `AWS calls per second (and burst) of an API family, repeatable; families: ${FAMILY_LIST}`,
  },
  {
    name: 'default-mode',
    env: 'ECS_GITOPS_DEFAULT_MODE',
    type: 'string',
    placeholder: '<enforce|observe>',
    default: 'enforce',
    description: 'mode of resources whose syncPolicy sets none (observe = report drift, never write)',
  },
  {
    name: 'listen',
    env: 'ECS_GITOPS_LISTEN',
    type: 'string',
    placeholder: '<host:port>',
    default: '0.0.0.0:8080',
    description: 'address of /metrics, /status, /healthz, /readyz and the webhooks (unless --webhook-listen)',
  },
  { name: 'log-level', env: 'ECS_GITOPS_LOG_LEVEL', type: 'string', placeholder: '<level>', default: 'info', description: `one of ${LOG_LEVELS.join(', ')}` },
  {
    name: 'shutdown-grace',
    env: 'ECS_GITOPS_SHUTDOWN_GRACE',
    type: 'string',
    placeholder: '<duration>',
    default: '25s',
    description: 'time in-flight work gets after SIGTERM (keep below the ECS stop timeout, 30s)',
  },
  {
    name: 'webhook-secret-file',
    env: 'ECS_GITOPS_WEBHOOK_SECRET_FILE',
    type: 'string',
    placeholder: '<path>',
    description: 'file holding the webhook HMAC secret',
  },
  {
    name: 'webhook-secret',
    env: 'ECS_GITOPS_WEBHOOK_SECRET',
    type: 'string',
    envOnly: true,
    description: 'webhook HMAC secret (environment only; never logged)',
  },
  {
    name: 'webhook-listen',
    env: 'ECS_GITOPS_WEBHOOK_LISTEN',
    type: 'string',
    placeholder: '<host:port>',
    description: 'own address of the webhooks (and /healthz); then --listen serves no webhooks and can stay private',
  },
  {
    name: 'webhook-min-interval',
    env: 'ECS_GITOPS_WEBHOOK_MIN_INTERVAL',
    type: 'string',
    placeholder: '<duration>',
    default: '5s',
    description: 'least time between two source fetches triggered by webhooks',
  },
  {
    name: 'http-max-connections',
    env: 'ECS_GITOPS_HTTP_MAX_CONNECTIONS',
    type: 'string',
    placeholder: '<n>',
    default: '256',
    description: 'open HTTP connections per listener at most; more are closed at once',
  },
  {
    name: 'health-interval',
    env: 'ECS_GITOPS_HEALTH_INTERVAL',
    type: 'string',
    placeholder: '<duration>',
    default: '30s',
    description: 'how often service discovery health is checked',
  },
  {
    name: 'remediate-stale-instances',
    env: 'ECS_GITOPS_REMEDIATE_STALE_INSTANCES',
    type: 'boolean',
    default: 'false',
    description: 'deregister Cloud Map instances left behind by stopped ECS tasks (after DNS TTL + grace), with an audit log line',
  },
  {
    name: 'remediate-grace',
    env: 'ECS_GITOPS_REMEDIATE_GRACE',
    type: 'string',
    placeholder: '<duration>',
    default: '30s',
    description: 'extra wait on top of the DNS TTL before a stale instance is deregistered',
  },
  {
    name: 'reconcile-timeout',
    env: 'ECS_GITOPS_RECONCILE_TIMEOUT',
    type: 'string',
    placeholder: '<duration>',
    default: '5m',
    description: 'a reconcile running longer is aborted and retried',
  },
  {
    name: 'stale-after',
    env: 'ECS_GITOPS_STALE_AFTER',
    type: 'string',
    placeholder: '<duration>',
    default: '5m',
    description: 'when AWS cannot be read for longer, resources turn Ready=Unknown (ObservationStale) and nothing is written',
  },
  {
    name: 'readyz-fail-when-stale',
    env: 'ECS_GITOPS_READYZ_FAIL_WHEN_STALE',
    type: 'string',
    placeholder: '<true|false>',
    default: 'true',
    description: '/readyz answers 503 while the AWS observation is stale',
  },
  {
    name: 'events-queue',
    env: 'ECS_GITOPS_EVENTS_QUEUE',
    type: 'string',
    placeholder: '<url>',
    description: 'SQS queue URL of AWS change events (EventBridge rules of the deploy template): a changed resource is observed and reconciled within seconds',
  },
  ...LEASE_OPTIONS,
  {
    name: 'readyz-require-leader',
    env: 'ECS_GITOPS_READYZ_REQUIRE_LEADER',
    type: 'string',
    placeholder: '<true|false>',
    default: 'false',
    description: 'with --lease-table: /readyz answers 503 while another process holds the lease',
  },
  {
    name: 'checkpoint',
    env: 'ECS_GITOPS_CHECKPOINT',
    type: 'string',
    placeholder: '<path|s3://bucket/key>',
    description: 'observation checkpoint: written after scans and at shutdown; a restart reports drift from it at once (writes wait for fresh reads)',
  },
  {
    name: 'checkpoint-interval',
    env: 'ECS_GITOPS_CHECKPOINT_INTERVAL',
    type: 'string',
    placeholder: '<duration>',
    default: '5m',
    description: 'least time between two checkpoint writes after scans',
  },
  {
    name: 'checkpoint-max-age',
    env: 'ECS_GITOPS_CHECKPOINT_MAX_AGE',
    type: 'string',
    placeholder: '<duration>',
    default: '15m',
    description: 'an older checkpoint is ignored at start (the first scan starts cold)',
  },
  ...NOTIFY_OPTIONS,
];

/** The options part of `ecs-gitops run --help`. */
export function controllerOptionsHelp(): string {
  return renderOptionsHelp(CONTROLLER_OPTIONS);
}

function spec(name: string): OptionSpec {
  return CONTROLLER_OPTIONS.find((s) => s.name === name)!;
}

function text(raw: RawOptions, name: string): string | undefined {
  const v = raw[name];
  return typeof v === 'string' ? v : undefined;
}

function duration(raw: RawOptions, name: string, minMs: number): number {
  return durationValue(spec(name), raw, minMs);
}

function integer(raw: RawOptions, name: string, min: number, max: number): number {
  return integerValue(spec(name), raw, min, max);
}

function oneOf<T extends string>(raw: RawOptions, name: string, allowed: readonly T[]): T {
  const t = text(raw, name)!;
  if (!(allowed as readonly string[]).includes(t)) throw new ConfigError(`${optionLabel(spec(name))} must be one of ${allowed.join(', ')} (got "${t}")`);
  return t as T;
}

function trueOrFalse(raw: RawOptions, name: string): boolean {
  return parseTrueFalse(text(raw, name)!.trim(), optionLabel(spec(name)));
}

/** Parses `host:port`, `[::1]:port` or `:port` (all interfaces). */
export function parseListen(t: string, option = 'listen'): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(t.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new ConfigError(`${optionLabel(spec(option))} must be host:port, e.g. 0.0.0.0:8080 (got "${t}")`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

function rateLimits(raw: RawOptions): Record<ApiFamily, BucketLimit> {
  const out: Record<ApiFamily, BucketLimit> = { ...DEFAULT_RATE_LIMITS };
  const entries = (raw['rate-limit'] as string[] | undefined) ?? [];
  for (const entry of entries) {
    const m = /^([a-z0-9-]+)=(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(entry.trim());
    const label = optionLabel(spec('rate-limit'));
    if (!m) throw new ConfigError(`${label}: "${entry}" is not family=rate[:burst], e.g. ecs-write=2.5:20`);
    const family = m[1] as ApiFamily;
    if (!API_FAMILIES.includes(family)) throw new ConfigError(`${label}: unknown API family "${m[1]}" (known: ${FAMILY_LIST})`);
    const perSecond = Number(m[2]);
    const burst = m[3] !== undefined ? Number(m[3]) : Math.max(1, Math.ceil(perSecond * 2));
    if (!(perSecond > 0) || !(burst >= 1)) throw new ConfigError(`${label}: "${entry}" needs a rate > 0 and a burst >= 1`);
    out[family] = { perSecond, burst };
  }
  return out;
}

export interface ConfigDeps {
  readonly readFile?: (path: string) => string;
}

/**
 * Parses and validates the controller configuration from flags and `ECS_GITOPS_*`
 * environment variables (flags win). Throws ConfigError naming the flag/env var.
 */
export function parseControllerConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, deps: ConfigDeps = {}): ControllerConfig {
  const raw = readOptions(CONTROLLER_OPTIONS, argv, env);
  const readFile = deps.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  let webhookSecret = text(raw, 'webhook-secret');
  const secretFile = text(raw, 'webhook-secret-file');
  if (secretFile !== undefined) {
    if (webhookSecret !== undefined)
      throw new ConfigError('set either ECS_GITOPS_WEBHOOK_SECRET or --webhook-secret-file / ECS_GITOPS_WEBHOOK_SECRET_FILE, not both');
    try {
      webhookSecret = readFile(secretFile).trim();
    } catch (err) {
      throw new ConfigError(
        `${optionLabel(spec('webhook-secret-file'))}: cannot read ${secretFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    if (webhookSecret === '') throw new ConfigError(`${optionLabel(spec('webhook-secret-file'))}: ${secretFile} is empty`);
  }
  const shared = parseReconcileOptions(raw);
  const webhookListenText = text(raw, 'webhook-listen');
  const listen = parseListen(text(raw, 'listen')!);
  const webhookListen = webhookListenText === undefined ? undefined : parseListen(webhookListenText, 'webhook-listen');
  if (
    webhookListen &&
    webhookListen.port !== 0 &&
    webhookListen.port === listen.port &&
    (webhookListen.host === listen.host || isWildcard(webhookListen.host) || isWildcard(listen.host))
  ) {
    throw new ConfigError(`${optionLabel(spec('webhook-listen'))} must differ from --listen (both are ${webhookListenText})`);
  }
  return {
    source: shared.source,
    sourceLimits: shared.sourceLimits,
    intervalMs: duration(raw, 'interval', 1_000),
    resyncMs: duration(raw, 'resync', 1_000),
    workers: integer(raw, 'workers', 1, 64),
    rateLimits: rateLimits(raw),
    defaultMode: oneOf(raw, 'default-mode', ['enforce', 'observe'] as const),
    controllerId: shared.controllerId,
    clusters: shared.clusters,
    ...(shared.region !== undefined ? { region: shared.region } : {}),
    prune: shared.prune,
    keepRevisions: shared.keepRevisions,
    listen,
    logLevel: oneOf(raw, 'log-level', LOG_LEVELS),
    shutdownGraceMs: duration(raw, 'shutdown-grace', 0),
    ...(webhookSecret !== undefined ? { webhookSecret } : {}),
    ...(webhookListen ? { webhookListen } : {}),
    webhookMinIntervalMs: duration(raw, 'webhook-min-interval', 0),
    httpMaxConnections: integer(raw, 'http-max-connections', 1, 100_000),
    healthIntervalMs: duration(raw, 'health-interval', 1_000),
    remediateStaleInstances: raw['remediate-stale-instances'] === true,
    remediateGraceMs: duration(raw, 'remediate-grace', 0),
    reconcileTimeoutMs: duration(raw, 'reconcile-timeout', 1_000),
    staleAfterMs: duration(raw, 'stale-after', 1_000),
    readyzFailWhenStale: trueOrFalse(raw, 'readyz-fail-when-stale'),
    ...eventsQueue(raw),
    ...leaseOf(raw),
    readyzRequireLeader: trueOrFalse(raw, 'readyz-require-leader'),
    ...checkpoint(raw),
    ...notify(raw, shared.source, readFile),
  };
}

function leaseOf(raw: RawOptions): { lease?: LeaseSettings } {
  const lease = parseLeaseSettings(raw);
  return lease ? { lease } : {};
}

/** A file path or `s3://bucket/key`, with its write interval and maximum age. */
function checkpoint(raw: RawOptions): Pick<ControllerConfig, 'checkpoint'> {
  const location = text(raw, 'checkpoint');
  if (location === undefined) return {};
  if (location.startsWith('s3://') && !s3ObjectOf(location)) {
    throw new ConfigError(`${optionLabel(spec('checkpoint'))} must be a file path or s3://<bucket>/<key> (got "${location}")`);
  }
  return { checkpoint: { location, intervalMs: duration(raw, 'checkpoint-interval', 1_000), maxAgeMs: duration(raw, 'checkpoint-max-age', 1_000) } };
}

function notify(raw: RawOptions, source: string, readFile: (path: string) => string): { notify?: NotifyConfig } {
  const config = parseNotifyOptions(raw, source, readFile);
  return config ? { notify: config } : {};
}

/** `https://sqs.<region>.amazonaws.com/<account>/<queue>` (any http(s) host: a local endpoint too). */
function eventsQueue(raw: RawOptions): { eventsQueue?: string } {
  const url = text(raw, 'events-queue');
  if (url === undefined) return {};
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const path = parsed?.pathname.split('/').filter(Boolean) ?? [];
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || path.length !== 2 || !/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(path[1] ?? '')) {
    throw new ConfigError(
      `${optionLabel(spec('events-queue'))} must be an SQS queue URL like https://sqs.<region>.amazonaws.com/<account>/<queue> (got "${url}")`,
    );
  }
  return { eventsQueue: url };
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** The configuration as it may be logged: secrets masked, URL credentials removed. */
export function loggableConfig(config: ControllerConfig): Record<string, unknown> {
  const { webhookSecret, notify, ...rest } = config;
  return {
    ...rest,
    source: scrubSecrets(config.source),
    webhookSecret: webhookSecret === undefined ? 'unset' : 'set',
    ...(notify ? { notify: loggableNotify(notify) } : {}),
  };
}
