/**
 * The controller application: wires the source poller, the batched scanner, the reconcile
 * loop, the AWS adapter (rate limiter and call metrics), status, metrics, the HTTP server and
 * the webhooks into one running process, and stops it within a grace period.
 */
import type { DestinationStream, Logger } from 'pino';
import { baseClientConfig, createAwsClients, destroyAwsClients, type AwsClientHooks, type AwsClientsConfig } from '../aws/clients.js';
import { createObserveCaches } from '../observe/index.js';
import type { ControllerConfig } from '../config/controller-config.js';
import { loggableConfig } from '../config/controller-config.js';
import { Controller, type StopReport } from '../controller/controller.js';
import { bindStatusMetrics, instrumentController } from './instrumentation.js';
import { FamilyRateLimiter } from '../controller/rate-limiter.js';
import { StatusStore, type LeaseStatus } from '../controller/status.js';
import type { BackoffOptions } from '../controller/work-queue.js';
import { JsonPieces, startHttpServer, type ControllerHttpServer } from '../http/server.js';
import { createDiscoveryTask } from '../discovery/task.js';
import { LogSampler, type LogSamplerOptions } from '../observability/log-sampler.js';
import { createLogger } from '../observability/logger.js';
import { ControllerMetrics } from '../observability/metrics.js';
import type { ApplyWaits } from '../kit/apply-types.js';
import { openSource, type OpenSourceOptions } from '../sources/open-source.js';
import type { Source } from '../sources/source.js';
import { sourceErrorText } from '../config/source-limits.js';
import { SourcePoller } from '../sources/poller.js';
import { gitRefOf } from '../sources/url.js';
import { FetchThrottle } from '../webhooks/fetch-throttle.js';
import { awsCallOutcome } from './aws-call-metrics.js';
import { FreshnessPublisher } from './freshness.js';
import { PeriodicRunner, type PeriodicTask } from './periodic.js';
import { GitOpsReconciler, eventResource, type ReconcileDelays } from './reconciler.js';
import { Rescanner } from './rescan.js';
import { DEFAULT_REVISION_SWEEP_MS, RevisionTidier } from './revision-tidy.js';
import type { ValueReaderOptions } from '../aws/value-reader.js';
import { Scanner, type Snapshot } from './scanner.js';
import { Checkpointer } from './checkpointer.js';
import { openCheckpointStore } from './checkpoint-store.js';
import { RolloutReader } from './rollouts.js';
import { RolloutHealthReader } from './rollout-health.js';
import { registerWebhookRoutes } from './webhook-routes.js';
import { ChangeHandler } from './change-handler.js';
import { errorMessage } from '../util/errors.js';
import type { OpenLease } from './lease.js';
import { NotLeaderError, type LeaseState } from '../controller/lease.js';
import { DeliveryEvents } from '../controller/delivery-events.js';
import { Notifier } from '../notify/notifier.js';
import { notifyEnabled } from '../notify/types.js';
import { recordDriftEvents } from './drift-record.js';
import { RevisionEvents } from './revision-events.js';

/** What the controller needs besides its configuration (the CLI builds these from the environment). */
export interface ControllerDeps {
  /** Region, endpoints, credentials of the AWS clients (absent: the SDK's own resolution). */
  readonly aws?: AwsClientsConfig;
  /**
   * How Overlay values outside the source are read (SSM, CloudFormation, Terraform state,
   * allowed environment variables; run/env.ts valueReaderOptionsFromEnv). Absent: the AWS
   * settings above and no environment variables.
   */
  readonly values?: ValueReaderOptions;
  /** Git credentials, S3 client settings, cache directory of the source. */
  readonly source?: OpenSourceOptions;
  /** A ready logger; otherwise one at `config.logLevel` writing to `logDestination` (default stdout). */
  readonly logger?: Logger;
  readonly logDestination?: DestinationStream;
  /** Extra clusters to observe (owned services whose manifests were removed may live there). */
  readonly clusters?: readonly string[];
  /** Bounds of the waits apply does inside one reconcile. */
  readonly waits?: Partial<ApplyWaits>;
  readonly delays?: ReconcileDelays;
  /** Per-key retry backoff (default: 1 s doubling to 5 min). */
  readonly backoff?: BackoffOptions;
  /** Writes within this window share one re-observe (default 1 s). */
  readonly rescanDebounceMs?: number;
  /** Work run on the newest observation every interval (default: the discovery health checks every `--health-interval`). */
  readonly periodicTasks?: readonly PeriodicTask[];
  /** Node process metrics on /metrics (default true). */
  readonly processMetrics?: boolean;
  /** Concurrent scrapes share one serialization, reused for this long (default 1 s; tests that read a change at once use 0). */
  readonly metricsCacheMs?: number;
  /** Rate of the log lines about refused requests (default: the first, then one per 10 s with the count suppressed since). */
  readonly refusalLog?: LogSamplerOptions;
  /** Time between two sweeps of every task definition family of the desired state (default 1 h; the first scan sweeps). */
  readonly revisionSweepMs?: number;
  /** The source to poll instead of opening `config.source` (a target's view of a shared source, `run --targets`). */
  readonly sourceOverride?: Source;
  /** Labels every series of this controller's metrics carries (a target's `account` and `region`). */
  readonly metricLabels?: Readonly<Record<string, string>>;
  /**
   * Where the writer lease lives when it is not with `aws` (a target: the lease table stays in
   * the controller's own account and region, the lease keyed by the target's account and `aws.region`).
   */
  readonly leaseScope?: { readonly aws: AwsClientsConfig; readonly account: string };
  /** This process's holder id in the lease table (default `run:<host>:<pid>`). */
  readonly leaseHolder?: string;
}

/** What `stop` reports. */
export interface ShutdownReport extends StopReport {
  readonly durationMs: number;
}

/** A running controller. */
export interface RunningController {
  /** Base URL of /metrics, /status, /healthz, /readyz (and the webhooks without `--webhook-listen`). */
  readonly url: string;
  /** Base URL of the webhooks: the `--webhook-listen` listener, or `url`. */
  readonly webhookUrl: string;
  /** The main listener (stats, connection count). */
  readonly http: ControllerHttpServer;
  /** The webhook listener when `--webhook-listen` is set. */
  readonly webhookHttp: ControllerHttpServer | undefined;
  readonly status: StatusStore;
  readonly metrics: ControllerMetrics;
  readonly controller: Controller;
  readonly poller: SourcePoller;
  readonly logger: Logger;
  /**
   * What happens to each commit (revision started/applied/succeeded/failed, rollout failed,
   * drift, stalled, prune blocked): subscribe to notify (listeners must not block).
   */
  readonly deliveryEvents: DeliveryEvents;
  /** The newest scan (desired set, live set, plan). */
  latest(): Snapshot | undefined;
  /** Whether no rescan (after a write, an event or a rollout poll) is waiting or running. */
  rescanIdle(): boolean;
  /**
   * Stops the poller, lets in-flight reconciles finish, aborts what is left, closes the HTTP
   * server and the AWS clients; resolves within `graceMs` (default: the configured grace).
   */
  stop(graceMs?: number): Promise<ShutdownReport>;
}

const DEFAULT_RESCAN_DEBOUNCE_MS = 1_000;

/** Starts the controller: HTTP first (probes answer at once), then the first fetch, then the loop. */
export async function startController(config: ControllerConfig, deps: ControllerDeps = {}): Promise<RunningController> {
  const logger =
    deps.logger ??
    createLogger({ level: config.logLevel, base: { controllerId: config.controllerId }, ...(deps.logDestination ? { destination: deps.logDestination } : {}) });
  const metrics = new ControllerMetrics({ processMetrics: deps.processMetrics ?? true, ...(deps.metricLabels ? { constLabels: deps.metricLabels } : {}) });
  const status = new StatusStore({
    controllerId: config.controllerId,
    staleAfterMs: config.staleAfterMs,
    readyFailWhenStale: config.readyzFailWhenStale,
    readyRequireLeader: config.readyzRequireLeader,
  });
  const unbindMetrics = bindStatusMetrics(status, metrics);
  const deliveryEvents = new DeliveryEvents((err, e) => logger.warn({ event: e.type, error: errorMessage(err) }, 'a delivery event listener failed'));
  const unbindDrift = recordDriftEvents({ events: deliveryEvents, status, metrics, logger: logger.child({ component: 'drift' }) });
  const revisions = new RevisionEvents({ events: deliveryEvents, status });
  const rateLimiter = new FamilyRateLimiter({ limits: config.rateLimits, onAcquired: (family, s) => metrics.recordRateLimiterWait(family, s) });
  // One rate limiter and call observer for every AWS client, the S3 source's included.
  const awsHooks: AwsClientHooks = {
    rateLimiter,
    onCall: (service, operation, outcome, error) => metrics.recordAwsCall(service, operation, awsCallOutcome(outcome, error)),
  };
  // With a lease, every write to the managed services passes its fence where it leaves the process.
  let lease: OpenLease | undefined;
  const clientHooks: AwsClientHooks = config.lease
    ? {
        ...awsHooks,
        writeGuard: (service, operation) => {
          if (!lease) throw new NotLeaderError(`${service} ${operation} refused: the writer lease is not open yet`);
          lease.keeper.assertMayWrite(`${service} ${operation}`);
        },
      }
    : awsHooks;
  const clients = createAwsClients(deps.aws ?? {}, clientHooks);
  const caches = createObserveCaches();
  const mayWrite = config.lease ? () => lease?.keeper.mayWrite() === true : undefined;
  const notifier = notifyEnabled(config.notify)
    ? new Notifier({
        config: config.notify,
        controllerId: config.controllerId,
        record: (channel, result) => metrics.recordNotification(channel, result),
        log: logger.child({ component: 'notify' }),
      })
    : undefined;
  const detachNotifier = notifier?.attach(deliveryEvents);

  let http: ControllerHttpServer | undefined;
  let webhookHttp: ControllerHttpServer | undefined;
  try {
    // The limits of the configuration, the same flags and defaults as validate, plan and apply.
    const source =
      deps.sourceOverride ??
      (await openSource(config.source, {
        ...deps.source,
        s3: { ...deps.source?.s3, hooks: awsHooks },
        limits: config.sourceLimits,
        logger: logger.child({ component: 'source' }),
      }));
    status.setSourceUrl(source.url);
    const checkpointer = config.checkpoint
      ? new Checkpointer(
          // The S3 settings of an s3:// source, over those of the other AWS clients.
          openCheckpointStore(config.checkpoint.location, {
            s3: {
              ...baseClientConfig(deps.aws ?? {}),
              ...(deps.aws?.endpoints?.default ? { endpoint: deps.aws.endpoints.default } : {}),
              ...deps.source?.s3?.clientConfig,
            },
            hooks: awsHooks,
          }),
          { controllerId: config.controllerId, region: config.region ?? deps.aws?.region ?? '', ...config.checkpoint },
          logger.child({ component: 'checkpoint' }),
        )
      : undefined;
    // Read beside the first fetch; used once the source is loaded (the checkpoint only reports).
    const restoring = checkpointer?.read();

    let started = false;
    let controller: Controller | undefined;
    if (config.lease) {
      const settings = config.lease;
      // The DynamoDB and STS SDKs are loaded only with a lease table.
      const { holderId, openLease } = await import('./lease.js');
      const self = deps.leaseHolder ?? holderId('run');
      let wasLeader = false;
      const onChange = (s: LeaseState): void => {
        if (!lease) return;
        metrics.setLeader(lease.account, lease.region, s.leader);
        status.setLease(leaseStatusOf(settings.table, lease, self, s));
        if (s.leader !== wasLeader) {
          logger.info(
            { holder: s.holder, token: s.token, table: settings.table },
            s.leader ? 'lease acquired: this process writes' : 'lease not held: standby, nothing is written',
          );
          // A new leader reconciles everything at once (a standby only reported drift).
          if (s.leader && started) void controller?.trigger();
        } else if (!s.leader) {
          logger.info({ holder: s.holder, token: s.token, table: settings.table }, 'lease held by another process: standby');
        }
        wasLeader = s.leader;
      };
      lease = await openLease({
        settings,
        controllerId: config.controllerId,
        holder: self,
        aws: deps.leaseScope?.aws ?? deps.aws ?? {},
        ...(deps.leaseScope ? { account: deps.leaseScope.account, ...(deps.aws?.region !== undefined ? { region: deps.aws.region } : {}) } : {}),
        hooks: awsHooks,
        onChange,
        onError: (err) => logger.warn({ error: errorMessage(err), table: settings.table }, 'lease acquire or renew failed; writes stop when the lease lapses'),
      });
      metrics.setLeader(lease.account, lease.region, false);
      status.setLease(leaseStatusOf(settings.table, lease, self, lease.keeper.state()));
      if (lease.created) logger.info({ table: settings.table }, 'lease table created (on-demand)');
    }

    // The scanner asks the reconciler for write times and the reconciler reads the scanner's snapshots.
    let reconciler: GitOpsReconciler | undefined;
    const tidier = new RevisionTidier({
      clients,
      caches,
      status,
      metrics,
      logger: logger.child({ component: 'revisions' }),
      settings: {
        controllerId: config.controllerId,
        // Observe mode writes nothing; with pruning off nothing is deleted, revisions included.
        enabled: config.defaultMode === 'enforce' && config.prune.enabled,
        keepRevisions: config.keepRevisions,
        maxDeletions: config.prune.maxDeletions,
        sweepMs: deps.revisionSweepMs ?? DEFAULT_REVISION_SWEEP_MS,
      },
      busyKeys: (since) => reconciler?.busyKeys(since) ?? new Set(),
    });
    const scanner = new Scanner({
      clients,
      caches,
      status,
      logger,
      settings: {
        controllerId: config.controllerId,
        defaultMode: config.defaultMode,
        maxDeletions: config.prune.enabled ? config.prune.maxDeletions : 0,
        maxPercent: config.prune.maxPercent,
        clusters: deps.clusters ?? config.clusters,
      },
      lastWriteAt: (key) => reconciler?.lastWriteAt(key),
      // The same hooks as every other client: rate limited and counted.
      // Loaded when an Overlay reads a value: the SSM and CloudFormation SDKs stay out otherwise.
      readValues: async (refs) => (await import('../aws/value-reader.js')).readValues(refs, { ...(deps.values ?? { aws: deps.aws ?? {} }), hooks: awsHooks }),
      rollouts: new RolloutReader(clients, caches),
      health: new RolloutHealthReader({
        clients,
        onFailed: (key, h, revision) =>
          deliveryEvents.emit({
            type: 'rollout-failed',
            at: new Date().toISOString(),
            resource: eventResource(key),
            reason: h.message,
            ...(revision !== undefined ? { revision } : {}),
          }),
      }),
      afterScan: (snap) => {
        checkpointer?.afterScan(snap);
        // A standby tidies nothing: deregistering revisions is a write.
        return mayWrite && !mayWrite() ? Promise.resolve() : tidier.afterScan(snap);
      },
      onSnapshot: (snap) => revisions.onSnapshot(snap.revision, snap.keys),
    });
    const freshness = new FreshnessPublisher({
      status,
      metrics,
      logger,
      enqueueAll: () => scanner.latest()?.keys.forEach((k) => controller?.enqueue(k)),
    });
    const scanAndPublish = async (): Promise<Snapshot | undefined> => {
      try {
        return await scanner.scan();
      } finally {
        freshness.publish();
      }
    };
    const rescanner = new Rescanner({
      debounceMs: deps.rescanDebounceMs ?? DEFAULT_RESCAN_DEBOUNCE_MS,
      scan: scanAndPublish,
      // A Stalled key waits for the next revision or resync: a rescan after its own failed write must not retry it.
      enqueue: (keys) => keys.filter((k) => status.get(k)?.syncStatus !== 'Stalled').forEach((k) => controller?.enqueue(k)),
      onError: (err) => logger.warn({ error: errorMessage(err) }, 'rescan failed; the next resync tries again'),
    });
    reconciler = new GitOpsReconciler({
      latest: () => scanner.latest(),
      clients,
      caches,
      controllerId: config.controllerId,
      status,
      metrics,
      requestRescan: () => rescanner.request(),
      onRegisterAttempt: (family) => tidier.registerAttempted(family),
      events: deliveryEvents,
      ...(mayWrite ? { mayWrite } : {}),
      ...(deps.waits ? { waits: deps.waits } : {}),
      ...(deps.delays ? { delays: deps.delays } : {}),
    });
    const loop = new Controller({
      reconciler,
      listKeys: async () => (await scanAndPublish())?.keys ?? [],
      workers: config.workers,
      resyncMs: config.resyncMs,
      reconcileTimeoutMs: config.reconcileTimeoutMs,
      ...(deps.backoff ? { backoff: deps.backoff } : {}),
      hooks: instrumentController({ metrics, status, logger, revision: () => scanner.latest()?.revision, events: deliveryEvents }),
    });
    controller = loop;

    // Change events: a changed managed resource is read again on its own and reconciled at once.
    // The SQS SDK is loaded only with a queue: every SDK client module costs resident memory.
    const queueModules = config.eventsQueue !== undefined ? await Promise.all([import('../aws/sqs-client.js'), import('./events-queue.js')]) : undefined;
    const sqs = queueModules ? queueModules[0].createSqsClient(deps.aws ?? {}, awsHooks) : undefined;
    const changes = new ChangeHandler({
      latest: () => scanner.latest(),
      clients,
      caches,
      patch: (updates, at) => void scanner.patch(updates, at),
      enqueue: (key) => loop.enqueue(key),
      requestRescan: () => rescanner.request(),
      metrics,
      logger: logger.child({ component: 'events' }),
    });
    const events =
      sqs && queueModules && config.eventsQueue !== undefined
        ? new queueModules[1].EventsQueueConsumer({
            sqs,
            queueUrl: config.eventsQueue,
            metrics,
            logger: logger.child({ component: 'events' }),
            handle: (bodies) => changes.handle(bodies),
            // A standby leaves the change events to the lease holder.
            ...(mayWrite ? { active: mayWrite } : {}),
          })
        : undefined;

    const poller = new SourcePoller({
      source,
      intervalMs: config.intervalMs,
      onArtifact: (artifact) => {
        scanner.setArtifact(artifact);
        if (started) void loop.trigger();
      },
      listener: {
        fetched: (e) => {
          status.recordFetch(e.revision);
          metrics.recordSourceFetch(true, e.at);
          metrics.setSourceRevision(e.url, e.revision);
        },
        failed: (e) => {
          status.recordFetchError(sourceErrorText(e.error));
          metrics.recordSourceFetch(false, e.at);
        },
      },
      logger: logger.child({ component: 'source' }),
    });

    // Refusals (bad target, unknown path, wrong method, connection cap) are logged sampled:
    // a flood costs a few lines, not one per request.
    const refusalLog = new LogSampler(deps.refusalLog);
    const logRefusal = (line: Record<string, unknown>, msg: string): void => {
      const d = refusalLog.sample();
      if (d.log) logger.warn({ ...line, suppressed: d.suppressed }, msg);
    };
    const common = {
      maxConnections: config.httpMaxConnections,
      onError: (err: unknown, req: { method: string; path: string }) =>
        logger.error({ method: req.method, path: req.path, error: errorMessage(err) }, 'HTTP handler failed'),
      onRefused: (r: { method: string; path: string; status: number; reason: string }) =>
        logRefusal({ method: r.method, path: r.path.slice(0, 200), status: r.status }, `HTTP request refused: ${r.reason}`),
      onConnectionDropped: () => logRefusal({ maxConnections: config.httpMaxConnections }, 'HTTP connection refused: too many open connections'),
    };
    const server = await startHttpServer({
      ...common,
      host: config.listen.host,
      port: config.listen.port,
      ...(deps.metricsCacheMs !== undefined ? { metricsCacheMs: deps.metricsCacheMs } : {}),
      metrics: {
        contentType: metrics.contentType,
        chunks: () => {
          metrics.setQueueDepth(loop.queue.length);
          freshness.publish();
          return metrics.chunks();
        },
      },
      status: () => new JsonPieces(() => status.snapshotJson()),
      liveness: () => loop.liveness(),
      readiness: () => status.readiness(),
    });
    http = server;
    // The webhook listener may face the internet: webhooks and /healthz only, never /metrics or /status.
    const hooks = config.webhookListen ? await startHttpServer({ ...common, ...config.webhookListen, liveness: () => loop.liveness() }) : server;
    if (hooks !== server) webhookHttp = hooks;
    const throttle = new FetchThrottle({ fetch: () => poller.requestFetch(), minIntervalMs: config.webhookMinIntervalMs });
    registerWebhookRoutes(hooks, {
      secret: config.webhookSecret,
      ref: gitRefOf(config.source),
      requestFetch: () => throttle.request(),
      metrics,
      logger,
      refusalLog,
    });
    logger.info({ config: loggableConfig(config), url: server.url, webhookUrl: hooks.url }, 'controller starting');

    await poller.start();
    lease?.keeper.start();
    const checkpoint = await restoring;
    if (checkpoint && checkpointer) {
      await scanner.restore(new Map(checkpoint.resources), checkpoint.header.observedAt, checkpointer.location);
      freshness.publish();
    }
    loop.start();
    events?.start();
    started = true;
    const periodic = new PeriodicRunner(
      deps.periodicTasks ?? [
        createDiscoveryTask({
          intervalMs: config.healthIntervalMs,
          // A standby deregisters nothing: only the lease holder writes.
          remediate: { enabled: config.remediateStaleInstances, graceMs: config.remediateGraceMs, ...(mayWrite ? { allowed: mayWrite } : {}) },
        }),
      ],
      () => {
        const snap = scanner.latest();
        return (
          snap && { live: snap.live, desired: snap.state.desired, revision: snap.revision, clients, controllerId: config.controllerId, status, metrics, logger }
        );
      },
      logger,
    );
    periodic.start();
    freshness.start(config.staleAfterMs);
    logger.info({ url: server.url, source: source.url }, 'controller running');

    let stopping: Promise<ShutdownReport> | undefined;
    return {
      url: server.url,
      webhookUrl: hooks.url,
      http: server,
      webhookHttp,
      status,
      metrics,
      controller: loop,
      poller,
      logger,
      deliveryEvents,
      rescanIdle: () => rescanner.idle(),
      latest: () => scanner.latest(),
      stop(graceMs = config.shutdownGraceMs) {
        stopping ??= (async () => {
          const t0 = Date.now();
          logger.info({ graceMs, inFlight: loop.inFlight() }, 'shutting down');
          rescanner.stop();
          await events?.stop();
          sqs?.destroy();
          tidier.stop();
          freshness.stop();
          throttle.stop();
          await poller.stop();
          const periodicStopped = periodic.stop();
          // Keep a little of the grace for aborting what is left and closing connections.
          const reserve = Math.min(2_000, Math.floor(graceMs / 5));
          const report = await loop.stop(Math.max(0, graceMs - reserve - (Date.now() - t0)), Math.max(1, Math.floor(reserve / 2)));
          await periodicStopped;
          // The last write is done: give the lease up so a standby takes over without waiting for the expiry.
          await lease?.keeper.stop(true);
          lease?.close();
          // The newest full observation, for the next start (within the grace: its reserve).
          await checkpointer?.flush(scanner.latest());
          detachNotifier?.();
          await Promise.all([
            server.close(Math.max(1, Math.floor(reserve / 2))),
            webhookHttp?.close(Math.max(1, Math.floor(reserve / 2))),
            notifier?.stop(Math.max(1, Math.floor(reserve / 2))),
          ]);
          destroyAwsClients(clients);
          unbindMetrics();
          unbindDrift();
          revisions.stop();
          const durationMs = Date.now() - t0;
          logger.info({ graceful: report.graceful, abandoned: report.abandoned, durationMs }, 'stopped');
          return { ...report, durationMs };
        })();
        return stopping;
      },
    };
  } catch (err) {
    await lease?.keeper.stop(true);
    lease?.close();
    detachNotifier?.();
    await notifier?.stop(0);
    await http?.close(0);
    await webhookHttp?.close(0);
    destroyAwsClients(clients);
    unbindMetrics();
    unbindDrift();
    revisions.stop();
    throw err;
  }
}

/** The lease as `/status` shows it. */
function leaseStatusOf(table: string, lease: OpenLease, self: string, s: LeaseState): LeaseStatus {
  return {
    table,
    account: lease.account,
    region: lease.region,
    self,
    leader: s.leader,
    ...(s.holder !== undefined ? { holder: s.holder } : {}),
    ...(s.since !== undefined ? { since: new Date(s.since).toISOString() } : {}),
    ...(s.token !== undefined ? { token: s.token } : {}),
    ...(s.expiresAt !== undefined && s.expiresAt > 0 ? { expiresAt: new Date(s.expiresAt).toISOString() } : {}),
    ...(s.lastError !== undefined ? { lastError: s.lastError } : {}),
  };
}
