import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { KIND_ORDER } from '../manifests/types.js';
import { RECONCILE_RESULTS, type ReconcileResultLabel } from '../controller/controller.js';
import { API_FAMILIES, canonicalService, type ApiFamily } from '../controller/rate-limiter.js';
import type { HealthStatus, SyncMode, SyncStatus } from '../controller/status.js';
import { type Column, ResourceSeries, resourceLabels } from './resource-series.js';

export { resourceLabels } from './resource-series.js';

export const METRIC_PREFIX = 'ecs_gitops_';

/** Series per piece of a per-resource family in `chunks()` (~100 KB of text). */
const PIECE_SERIES = 1_000;

/** `operation` label of apply_total (the plan's write actions). */
export const APPLY_OPERATIONS = ['create', 'update', 'update-redeploys', 'replace', 'delete'] as const;
export type ApplyOperation = (typeof APPLY_OPERATIONS)[number];
export const APPLY_RESULTS = ['success', 'error'] as const;
export type ApplyResult = (typeof APPLY_RESULTS)[number];

/** `reason` label of prune_blocked_total (same codes as the plan's `blockedBy`). */
export const PRUNE_BLOCKED_REASONS = ['empty-source', 'prune-limit', 'prune-disabled', 'not-owned', 'in-use'] as const;
export type PruneBlockedReason = (typeof PRUNE_BLOCKED_REASONS)[number];

/** `outcome` label of aws_api_calls_total. */
export const AWS_CALL_OUTCOMES = ['success', 'throttled', 'client-error', 'server-error', 'network-error'] as const;
export type AwsCallOutcome = (typeof AWS_CALL_OUTCOMES)[number];

/** Why a change event from the events queue led to no re-observe. */
export const EVENT_IGNORED_REASONS = ['unmanaged', 'irrelevant', 'malformed'] as const;
export type EventIgnoredReason = (typeof EVENT_IGNORED_REASONS)[number];

/** `channel` and `result` labels of notifications_total (the notifier's, src/notify/types.ts). */
export const NOTIFICATION_CHANNELS = ['github', 'webhook', 'slack'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export const NOTIFICATION_RESULTS = ['sent', 'failed', 'dropped', 'deduplicated'] as const;
export type NotificationResult = (typeof NOTIFICATION_RESULTS)[number];

export const WEBHOOK_RESULTS = ['accepted', 'ignored', 'invalid-signature', 'bad-request', 'too-large', 'error'] as const;
export type WebhookResult = (typeof WEBHOOK_RESULTS)[number];

/** Calls the controller makes, pre-initialized so throttling alerts work from the first scrape. */
export const KNOWN_AWS_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  ecs: [
    'ListServices',
    'DescribeServices',
    'CreateService',
    'UpdateService',
    'DeleteService',
    'RegisterTaskDefinition',
    'DeregisterTaskDefinition',
    'ListTaskDefinitions',
    'DescribeTaskDefinition',
    'ListTagsForResource',
    'TagResource',
    'UntagResource',
    'ListTasks',
    'DescribeTasks',
    'ListServiceDeployments',
    'DescribeServiceDeployments',
    'DescribeServiceRevisions',
  ],
  servicediscovery: [
    'ListNamespaces',
    'ListServices',
    'GetOperation',
    'CreatePrivateDnsNamespace',
    'CreatePublicDnsNamespace',
    'CreateHttpNamespace',
    'UpdatePrivateDnsNamespace',
    'UpdatePublicDnsNamespace',
    'UpdateHttpNamespace',
    'DeleteNamespace',
    'CreateService',
    'UpdateService',
    'DeleteService',
    'ListInstances',
    'ListTagsForResource',
    'TagResource',
    'UntagResource',
    'DiscoverInstances',
    'DiscoverInstancesRevision',
    'DeregisterInstance',
  ],
  route53: ['GetHostedZone', 'ListResourceRecordSets'],
};

export interface MetricsOptions {
  /** Collect Node process metrics (default true). */
  readonly processMetrics?: boolean;
  /** Kinds whose label sets are pre-initialized (default: every manifest kind). */
  readonly kinds?: readonly string[];
  /**
   * Labels every series of this registry carries (a target of `run --targets`: `account`,
   * `region`); a series' own label of the same name wins. Default: none.
   */
  readonly constLabels?: Readonly<Record<string, string>>;
}

/** Per-resource state as exported by resource_info / drifted / drift_fields. */
export interface ResourceMetricState {
  readonly syncStatus: SyncStatus;
  readonly healthStatus: HealthStatus;
  readonly mode: SyncMode;
  readonly driftedFieldCount: number;
  /**
   * False while the observation is stale: drifted and drift_fields are removed, so no panel
   * shows "no drift" on data nobody could read.
   */
  readonly driftKnown?: boolean;
}

/** `result` label of discovery_checks_total and discovery_remediations_total. */
export const DISCOVERY_CHECK_RESULTS = ['success', 'partial', 'error'] as const;
export type DiscoveryCheckResult = (typeof DISCOVERY_CHECK_RESULTS)[number];
export const DISCOVERY_REMEDIATION_RESULTS = ['submitted', 'gone', 'error'] as const;
export type DiscoveryRemediationResult = (typeof DISCOVERY_REMEDIATION_RESULTS)[number];

/** A discovery health finding count for one resource and reason. */
export interface DiscoveryFinding {
  /** Resource key, e.g. `CloudMapService/internal/api`. */
  readonly key: string;
  readonly reason: string;
  readonly count: number;
}

type Labels = Record<string, string>;

/**
 * The controller's Prometheus metrics on a private registry. The rest of the code records
 * through these typed methods; nothing else touches prom-client. Revisions appear only in
 * source_revision_info; per-resource series are removed when the resource goes away. The
 * per-resource families are rows of a ResourceSeries rendered at scrape time, not prom-client
 * series: they cost a few numbers per resource between scrapes.
 */
export class ControllerMetrics {
  readonly registry = new Registry();
  private readonly reconcileTotal: Counter;
  private readonly reconcileDuration: Histogram;
  private readonly applyTotal: Counter;
  private readonly pruneBlocked: Counter;
  private readonly awsCalls: Counter;
  private readonly sourceRevision: Gauge;
  private readonly sourceLastFetch: Gauge;
  private readonly sourceFetchFailures: Counter;
  private readonly lastSuccessfulReconcile: Gauge;
  private readonly webhookRequests: Counter;
  private readonly discoveryFindings: Gauge;
  private readonly discoveryCalls: Counter;
  private readonly discoveryChecks: Counter;
  private readonly discoveryLastCheck: Gauge;
  private readonly discoveryRemediations: Counter;
  private readonly rateLimiterWait: Histogram;
  private readonly ready: Gauge;
  private readonly lastSuccessfulScan: Gauge;
  private readonly observationStale: Gauge;
  private readonly queueDepth: Gauge;
  private readonly leader: Gauge;
  private readonly eventsReceived: Counter;
  private readonly eventsHandled: Counter;
  private readonly eventsIgnored: Counter;
  private readonly revisionsDeregistered: Counter;
  private readonly notifications: Counter;
  private readonly perResource = new ResourceSeries();
  private readonly awsOperationsSeen = new Set<string>();
  private revisionLabels: Labels | undefined;
  private findingLabels: Labels[] = [];
  private readonly defaultLabels: Readonly<Record<string, string>>;

  constructor(options: MetricsOptions = {}) {
    const r = [this.registry];
    const p = METRIC_PREFIX;
    const kinds = options.kinds ?? KIND_ORDER;
    this.defaultLabels = { ...options.constLabels };
    this.registry.setDefaultLabels({ ...this.defaultLabels });
    if (options.processMetrics ?? true) {
      // Under their standard names (`process_*`, `nodejs_*`, no prefix), so stock Node.js dashboards work.
      collectDefaultMetrics({ register: this.registry });
      // These three are gauges named `_total`, which `promtool check metrics` rejects; the
      // per-type gauges without the suffix (`nodejs_active_handles{type}`) carry the same data.
      for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
        this.registry.removeSingleMetric(name);
      }
    }

    const perResource = (name: string, help: string, column: Column): void => this.registry.registerMetric(this.perResource.family(name, help, column));
    // Labels kind, name, sync_status, health_status, mode.
    perResource(`${p}resource_info`, 'Managed resources (value 1) with their sync status, health status and mode.', 'info');
    // Labels kind, name (and so the families below, unless said otherwise).
    perResource(`${p}drifted`, '1 when the live resource differs from the source, else 0.', 'drifted');
    perResource(`${p}drift_fields`, 'Number of fields of the resource that differ from the source.', 'driftFields');
    this.reconcileTotal = new Counter({ name: `${p}reconcile_total`, help: 'Reconciles by kind and result.', labelNames: ['kind', 'result'], registers: r });
    this.reconcileDuration = new Histogram({
      name: `${p}reconcile_duration_seconds`,
      help: 'Duration of one reconcile, by kind.',
      labelNames: ['kind'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers: r,
    });
    this.applyTotal = new Counter({
      name: `${p}apply_total`,
      help: 'Writes to AWS by kind, operation and result.',
      labelNames: ['kind', 'operation', 'result'],
      registers: r,
    });
    this.pruneBlocked = new Counter({
      name: `${p}prune_blocked_total`,
      help: 'Deletions refused by the prune safety rules, by reason.',
      labelNames: ['reason'],
      registers: r,
    });
    this.awsCalls = new Counter({
      name: `${p}aws_api_calls_total`,
      help: 'AWS API calls by service, operation and outcome.',
      labelNames: ['service', 'operation', 'outcome'],
      registers: r,
    });
    this.sourceRevision = new Gauge({
      name: `${p}source_revision_info`,
      help: 'The source revision being applied (value 1).',
      labelNames: ['source', 'revision'],
      registers: r,
    });
    this.sourceLastFetch = new Gauge({
      name: `${p}source_last_fetch_timestamp_seconds`,
      help: 'Unix time of the last successful source fetch (0 = never).',
      registers: r,
    });
    this.sourceFetchFailures = new Counter({ name: `${p}source_fetch_failures_total`, help: 'Failed source fetches.', registers: r });
    this.lastSuccessfulReconcile = new Gauge({
      name: `${p}last_successful_reconcile_timestamp_seconds`,
      help: 'Unix time of the last successful reconcile of any resource (0 = never).',
      registers: r,
    });
    this.webhookRequests = new Counter({ name: `${p}webhook_requests_total`, help: 'Webhook requests by result.', labelNames: ['result'], registers: r });
    this.discoveryFindings = new Gauge({
      name: `${p}discovery_findings`,
      help: 'Open service discovery findings by resource and reason.',
      labelNames: ['kind', 'name', 'reason'],
      registers: r,
    });
    // Labels name, state.
    perResource(`${p}discovery_instances`, 'Cloud Map instances of a service by state.', 'instances');
    this.discoveryCalls = new Counter({
      name: `${p}discovery_aws_calls_total`,
      help: 'AWS API calls made by discovery health checks (also counted in aws_api_calls_total), by service and operation.',
      labelNames: ['service', 'operation'],
      registers: r,
    });
    this.discoveryChecks = new Counter({
      name: `${p}discovery_checks_total`,
      help: 'Discovery health checks by result (partial = some services or zones could not be read).',
      labelNames: ['result'],
      registers: r,
    });
    this.discoveryLastCheck = new Gauge({
      name: `${p}discovery_last_check_timestamp_seconds`,
      help: 'Unix time of the last discovery health check (0 = never).',
      registers: r,
    });
    this.discoveryRemediations = new Counter({
      name: `${p}discovery_remediations_total`,
      help: 'Stale Cloud Map instances deregistered by the opt-in remediation, by result.',
      labelNames: ['result'],
      registers: r,
    });
    this.rateLimiterWait = new Histogram({
      name: `${p}rate_limiter_wait_seconds`,
      help: 'Time AWS calls waited for a rate limiter token, by API family.',
      labelNames: ['family'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: r,
    });
    this.ready = new Gauge({ name: `${p}ready`, help: '1 once the source was read and AWS observed, else 0.', registers: r });
    this.lastSuccessfulScan = new Gauge({
      name: `${p}last_successful_scan_timestamp_seconds`,
      help: 'Unix time of the last successful observe of AWS (0 = never).',
      registers: r,
    });
    this.observationStale = new Gauge({
      name: `${p}observation_stale`,
      help: '1 while AWS could not be read for longer than --stale-after (resources are reported Unknown), else 0.',
      registers: r,
    });
    this.queueDepth = new Gauge({ name: `${p}workqueue_depth`, help: 'Keys waiting in the work queue.', registers: r });
    this.leader = new Gauge({
      name: `${p}leader`,
      help: '1 while this process holds the writer lease of the account and region (and may write), else 0 (with --lease-table).',
      labelNames: ['account', 'region'],
      registers: r,
    });
    // Labels kind, name, stage.
    perResource(
      `${p}rollout_in_progress`,
      '1 while ECS rolls out the revision the source asks for (the controller starts no other deployment), by lifecycle stage.',
      'rollout',
    );
    perResource(
      `${p}rollbacks_total`,
      'Service deployments ECS rolled back (circuit breaker, alarm, hook, stop) whose revision the source asks for; each is held, not applied again.',
      'rollbacks',
    );
    perResource(
      `${p}drift_detected_total`,
      'Drift episodes seen: live state changed away from an unchanged source (by hand or by another tool), once per episode.',
      'driftDetected',
    );
    perResource(`${p}drift_reverted_total`, 'Drift episodes the controller reverted by writing the source values back (enforce mode).', 'driftReverted');
    perResource(
      `${p}last_drift_timestamp_seconds`,
      'Unix time the last drift of the resource was seen (absent: none since the controller started).',
      'lastDrift',
    );
    this.eventsReceived = new Counter({ name: `${p}events_received_total`, help: 'Messages received from the --events-queue.', registers: r });
    this.eventsHandled = new Counter({
      name: `${p}events_handled_total`,
      help: 'Change events that re-observed a managed resource and enqueued its reconcile.',
      registers: r,
    });
    this.eventsIgnored = new Counter({
      name: `${p}events_ignored_total`,
      help: 'Change events that cost no AWS call, by reason (unmanaged resource, irrelevant event, malformed message).',
      labelNames: ['reason'],
      registers: r,
    });
    this.revisionsDeregistered = new Counter({
      name: `${p}revisions_deregistered_total`,
      help: 'Unused task definition revisions the controller deregistered (--keep-revisions).',
      registers: r,
    });
    this.notifications = new Counter({
      name: `${p}notifications_total`,
      help: 'Notifications (GitHub commit statuses, webhook, Slack) by channel and result: sent, failed (after retries), dropped (queue full or stopping), deduplicated.',
      labelNames: ['channel', 'result'],
      registers: r,
    });

    for (const kind of kinds) {
      for (const result of RECONCILE_RESULTS) this.reconcileTotal.inc({ kind, result }, 0);
      this.reconcileDuration.zero({ kind });
      for (const operation of APPLY_OPERATIONS) for (const result of APPLY_RESULTS) this.applyTotal.inc({ kind, operation, result }, 0);
    }
    for (const reason of PRUNE_BLOCKED_REASONS) this.pruneBlocked.inc({ reason }, 0);
    for (const [service, ops] of Object.entries(KNOWN_AWS_OPERATIONS)) for (const op of ops) this.initAwsOperation(service, op);
    for (const result of WEBHOOK_RESULTS) this.webhookRequests.inc({ result }, 0);
    for (const result of DISCOVERY_CHECK_RESULTS) this.discoveryChecks.inc({ result }, 0);
    for (const result of DISCOVERY_REMEDIATION_RESULTS) this.discoveryRemediations.inc({ result }, 0);
    this.discoveryLastCheck.set(0);
    for (const family of API_FAMILIES) this.rateLimiterWait.zero({ family });
    this.sourceFetchFailures.inc(0);
    this.sourceLastFetch.set(0);
    this.lastSuccessfulReconcile.set(0);
    this.ready.set(0);
    this.lastSuccessfulScan.set(0);
    this.observationStale.set(0);
    this.queueDepth.set(0);
    this.eventsReceived.inc(0);
    this.eventsHandled.inc(0);
    for (const reason of EVENT_IGNORED_REASONS) this.eventsIgnored.inc({ reason }, 0);
    this.revisionsDeregistered.inc(0);
    for (const channel of NOTIFICATION_CHANNELS) for (const result of NOTIFICATION_RESULTS) this.notifications.inc({ channel, result }, 0);
  }

  /** Content type of `render()` output. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /**
   * The same exposition as `render()`, byte for byte, in pieces: each family on its own, a
   * per-resource family `PIECE_SERIES` series at a time. At 10,000 resources the whole text
   * is several MB, and building it as one string (with prom-client's lines and joins on the
   * way) grew the process by ~35 MiB per scrape; pieces are written out as they come.
   */
  async *chunks(): AsyncGenerator<string> {
    // Pieces are formatted by a registry of their own with the same default labels, so they
    // read exactly as the registry would write the whole family.
    const scratch = new Registry();
    scratch.setDefaultLabels({ ...this.defaultLabels });
    let first = true;
    for (const metric of this.registry.getMetricsAsArray()) {
      if (!first) yield '\n\n';
      first = false;
      const pieces = this.perResource.pieces(metric, PIECE_SERIES);
      if (!pieces) {
        yield await this.registry.getSingleMetricAsString(metric.name);
        continue;
      }
      let head = true;
      for (const piece of pieces) {
        scratch.removeSingleMetric(metric.name);
        scratch.registerMetric(piece);
        const text = await scratch.getSingleMetricAsString(metric.name);
        if (head) {
          yield text;
          head = false;
          continue;
        }
        // Every piece starts with the family's # HELP and # TYPE lines; only the first keeps them.
        const series = text.indexOf('\n', text.indexOf('\n') + 1);
        if (series >= 0) yield text.slice(series);
      }
    }
    yield '\n';
  }

  recordReconcile(kind: string, result: ReconcileResultLabel, seconds: number, at: number = Date.now()): void {
    this.reconcileTotal.inc({ kind, result });
    this.reconcileDuration.observe({ kind }, seconds);
    if (result === 'success' || result === 'requeue') this.lastSuccessfulReconcile.set(at / 1000);
  }

  recordApply(kind: string, operation: ApplyOperation, result: ApplyResult): void {
    this.applyTotal.inc({ kind, operation, result });
  }

  recordNotification(channel: NotificationChannel, result: NotificationResult): void {
    this.notifications.inc({ channel, result });
  }

  recordRevisionsDeregistered(count: number): void {
    this.revisionsDeregistered.inc(count);
  }

  recordPruneBlocked(reason: PruneBlockedReason, count = 1): void {
    this.pruneBlocked.inc({ reason }, count);
  }

  /** `service` may be an SDK service id (`ECS`, `Route 53`); `operation` may end in `Command`. */
  recordAwsCall(service: string, operation: string, outcome: AwsCallOutcome): void {
    const svc = canonicalService(service);
    const op = operation.replace(/Command$/, '');
    this.initAwsOperation(svc, op);
    this.awsCalls.inc({ service: svc, operation: op, outcome });
  }

  /** Sets the one source_revision_info series (the previous revision's series is removed). */
  setSourceRevision(source: string, revision: string): void {
    if (this.revisionLabels) this.sourceRevision.remove(this.revisionLabels);
    this.revisionLabels = { source, revision };
    this.sourceRevision.set(this.revisionLabels, 1);
  }

  recordSourceFetch(ok: boolean, at: number = Date.now()): void {
    if (ok) this.sourceLastFetch.set(at / 1000);
    else this.sourceFetchFailures.inc();
  }

  recordWebhook(result: WebhookResult): void {
    this.webhookRequests.inc({ result });
  }

  recordRateLimiterWait(family: ApiFamily, seconds: number): void {
    this.rateLimiterWait.observe({ family }, seconds);
  }

  setReady(ready: boolean): void {
    this.ready.set(ready ? 1 : 0);
  }

  /** The freshness of the AWS observation: last successful observe (ms epoch) and whether it is stale. */
  setObservation(lastSuccessAt: number | undefined, stale: boolean): void {
    this.lastSuccessfulScan.set(lastSuccessAt === undefined ? 0 : lastSuccessAt / 1000);
    this.observationStale.set(stale ? 1 : 0);
  }

  /** Messages taken from the events queue, then each one's fate. */
  recordEventsReceived(count: number): void {
    this.eventsReceived.inc(count);
  }

  recordEventHandled(): void {
    this.eventsHandled.inc();
  }

  recordEventIgnored(reason: EventIgnoredReason): void {
    this.eventsIgnored.inc({ reason });
  }

  /** Whether this process holds the writer lease of (account, region). */
  setLeader(account: string, region: string, leader: boolean): void {
    this.leader.set({ account, region }, leader ? 1 : 0);
  }

  setQueueDepth(depth: number): void {
    this.queueDepth.set(depth);
  }

  /** Sets resource_info, drifted and drift_fields of the resource with this key. */
  setResource(key: string, state: ResourceMetricState): void {
    this.perResource.setInfo(key, state);
    this.perResource.setDriftFields(key, state.driftKnown === false ? undefined : state.driftedFieldCount);
  }

  /** Sets rollout_in_progress of the resource to its current stage, or removes it (stage undefined). */
  setRollout(key: string, stage: string | undefined): void {
    this.perResource.setRollout(key, stage);
  }

  /** Starts rollbacks_total of an ECS service at 0, so the first rollback is an increase. */
  initRollbacks(key: string): void {
    this.perResource.initRollbacks(key);
  }

  /** A rolled-back service deployment was seen (once per deployment). */
  recordRollback(key: string): void {
    this.perResource.recordRollback(key);
  }

  /** A drift episode of the resource began at `at` (ms epoch). */
  recordDriftDetected(key: string, at: number = Date.now()): void {
    this.perResource.recordDriftDetected(key, at / 1000);
  }

  /** The controller reverted a drift episode of the resource. */
  recordDriftReverted(key: string): void {
    this.perResource.recordDriftReverted(key);
  }

  /** Removes every per-resource series of a resource that is gone (discovery_instances: see setDiscoveryInstances). */
  removeResource(key: string): void {
    this.perResource.remove(key);
    const { kind, name } = resourceLabels(key);
    this.findingLabels = this.findingLabels.filter((l) => {
      const match = l.kind === kind && l.name === name;
      if (match) this.discoveryFindings.remove(l);
      return !match;
    });
  }

  /** Replaces all discovery_findings series with `findings` (absent = resolved). */
  setDiscoveryFindings(findings: readonly DiscoveryFinding[]): void {
    for (const l of this.findingLabels) this.discoveryFindings.remove(l);
    this.findingLabels = findings.map((f) => ({ ...resourceLabels(f.key), reason: f.reason }));
    findings.forEach((f, i) => this.discoveryFindings.set(this.findingLabels[i]!, f.count));
  }

  /**
   * Replaces all discovery_instances series: instance counts by state of each checked Cloud
   * Map service, by key (a service left out loses its series).
   */
  setDiscoveryInstances(byService: ReadonlyMap<string, Readonly<Record<string, number>>>): void {
    this.perResource.setInstances(byService);
  }

  /** One discovery health check: its result and its AWS calls by `service:Operation`. */
  recordDiscoveryCheck(result: DiscoveryCheckResult, calls: Readonly<Record<string, number>>, at: number = Date.now()): void {
    this.discoveryChecks.inc({ result });
    if (result !== 'error') this.discoveryLastCheck.set(at / 1000);
    for (const [key, n] of Object.entries(calls)) {
      const [service = 'unknown', operation = 'unknown'] = key.split(':');
      this.discoveryCalls.inc({ service: canonicalService(service), operation }, n);
    }
  }

  recordDiscoveryRemediation(result: DiscoveryRemediationResult): void {
    this.discoveryRemediations.inc({ result });
  }

  private initAwsOperation(service: string, operation: string): void {
    const id = `${service}:${operation}`;
    if (this.awsOperationsSeen.has(id)) return;
    this.awsOperationsSeen.add(id);
    for (const outcome of AWS_CALL_OUTCOMES) this.awsCalls.inc({ service, operation, outcome }, 0);
  }
}

/**
 * One exposition of several controllers' metrics (the targets of `run --targets`), each
 * registry labelled by its own `constLabels`, plus the process metrics once. Series of one
 * name from different targets become one family; their label sets differ by target.
 */
export class MergedMetrics {
  private readonly process = new Registry();
  private readonly targetUp = new Gauge({
    name: `${METRIC_PREFIX}target_up`,
    help: '1 while the controller of a target (run --targets) runs, 0 while it could not start (e.g. its role cannot be assumed; retried).',
    labelNames: ['target', 'account', 'region'],
    registers: [this.process],
  });

  /** The webhooks are the process's, not a target's: counted without account and region. */
  private readonly webhookRequests = new Counter({
    name: `${METRIC_PREFIX}webhook_requests_total`,
    help: 'Webhook requests by result.',
    labelNames: ['result'],
    registers: [this.process],
  });

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.process });
      for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
        this.process.removeSingleMetric(name);
      }
    }
  }

  get contentType(): string {
    return this.process.contentType;
  }

  setTargetUp(target: string, account: string, region: string, up: boolean): void {
    this.targetUp.set({ target, account, region }, up ? 1 : 0);
  }

  recordWebhook(result: WebhookResult): void {
    this.webhookRequests.inc({ result });
  }

  /** A target another task runs (sharding): no series here. */
  removeTarget(target: string, account: string, region: string): void {
    this.targetUp.remove({ target, account, region });
  }

  async render(parts: readonly ControllerMetrics[]): Promise<string> {
    const all = await Promise.all([this.process, ...parts.map((p) => p.registry)].map((r) => r.getMetricsAsJSON()));
    return AggregatorRegistry.aggregate(all).metrics();
  }
}
