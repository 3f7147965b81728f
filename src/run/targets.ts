/**
 * `run --targets <file>`: one controller process managing several accounts and regions.
 *
 * Each target runs today's controller pipeline (scanner, reconciler, loop, change events,
 * status store, metrics) with its own SDK clients (credentials from STS AssumeRole into the
 * target's role, assumed again before they expire), its own rate limiters and its own lease
 * key. The targets share one fetch of the source; each sees only its own paths. One HTTP
 * server serves the merged `/metrics` (every target series labelled `account` and `region`),
 * a `/status` with one section per target and the webhooks. A target that fails (role not
 * assumable, throttled, unreachable) reports why in its section and never holds back the others.
 */
import type { Logger } from 'pino';
import { sessionNameOf, assumeRoleProvider } from '../aws/assume-role.js';
import type { AwsClientsConfig } from '../aws/clients.js';
import { createStsClient } from '../aws/sts-client.js';
import type { ControllerConfig } from '../config/controller-config.js';
import { loggableConfig } from '../config/controller-config.js';
import type { Target } from '../config/targets.js';
import type { StatusSnapshot } from '../controller/status.js';
import { startHttpServer, type ControllerHttpServer } from '../http/server.js';
import { createLogger } from '../observability/logger.js';
import { MergedMetrics } from '../observability/metrics.js';
import { leaseKey } from '../controller/lease.js';
import { holderId } from './lease.js';
import type { ShardState } from './shard-loop.js';
import { openSource } from '../sources/open-source.js';
import { SharedSource } from '../sources/shared-source.js';
import { gitRefOf } from '../sources/url.js';
import { errorMessage } from '../util/errors.js';
import { FetchThrottle } from '../webhooks/fetch-throttle.js';
import { startController, type ControllerDeps, type RunningController, type ShutdownReport } from './app.js';
import { registerWebhookRoutes } from './webhook-routes.js';

/** What `/status` shows of one target. */
export interface TargetSection {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly roleArn?: string;
  /**
   * `running`: its controller runs here (see `status` for how it fares); `failed`: it could not
   * start (`error`, retried); `standby` (sharding): another task runs it, or nobody yet.
   */
  readonly state: 'starting' | 'running' | 'failed' | 'standby';
  readonly error?: string;
  readonly status?: StatusSnapshot;
}

/** The whole process's `/status` with `--targets`. */
export interface TargetsStatus {
  readonly generatedAt: string;
  readonly controller: {
    readonly controllerId: string;
    readonly ready: boolean;
    readonly readyReason?: string;
    readonly targets: number;
    /** With `--lease-table`: this task's share of the targets. */
    readonly shard?: ShardState;
  };
  readonly targets: readonly TargetSection[];
}

/** A running multi-target controller. */
export interface RunningTargets {
  readonly url: string;
  readonly http: ControllerHttpServer;
  readonly logger: Logger;
  /** The running controller of a target, by name (undefined while it is starting or failed). */
  target(name: string): RunningController | undefined;
  status(): TargetsStatus;
  stop(graceMs?: number): Promise<ShutdownReport>;
}

/** Time between two start attempts of a target that could not start. */
const RESTART_MS = 30_000;

interface Slot {
  readonly target: Target;
  /** The lease sort key of the target (sharding). */
  readonly key: string;
  running?: RunningController;
  starting?: Promise<void>;
  error?: string;
  failedAt?: number;
  retry?: NodeJS.Timeout;
  close?: () => void;
}

/** The AWS settings of one target: its region, and credentials of its role when it has one. */
function targetAws(base: AwsClientsConfig, target: Target, controllerId: string): { aws: AwsClientsConfig; close: () => void } {
  if (target.roleArn === undefined) return { aws: { ...base, region: target.region }, close: () => {} };
  // STS is called with the controller's own credentials, in the target's region (regional endpoint).
  const sts = createStsClient({ ...base, region: target.region });
  const credentials = assumeRoleProvider(sts, {
    roleArn: target.roleArn,
    ...(target.externalId !== undefined ? { externalId: target.externalId } : {}),
    sessionName: sessionNameOf(`ecs-gitops-${controllerId}`),
  });
  return { aws: { ...base, region: target.region, credentials }, close: () => sts.destroy() };
}

/**
 * Starts one controller per target behind one HTTP server. With `--lease-table` the targets
 * are sharded: this task runs up to its fair share of them (docs/operations.md "Sharding").
 */
export async function startTargets(config: ControllerConfig, deps: ControllerDeps = {}): Promise<RunningTargets> {
  const targets = config.targets?.list ?? [];
  if (targets.length === 0) throw new Error('startTargets needs --targets with at least one target');
  const logger =
    deps.logger ??
    createLogger({ level: config.logLevel, base: { controllerId: config.controllerId }, ...(deps.logDestination ? { destination: deps.logDestination } : {}) });
  const base = deps.aws ?? {};
  const source = await openSource(config.source, {
    ...deps.source,
    s3: { ...deps.source?.s3 },
    limits: config.sourceLimits,
    logger: logger.child({ component: 'source' }),
  });
  const shared = new SharedSource(source, { reuseMs: Math.min(10_000, Math.max(1_000, Math.floor(config.intervalMs / 2))) });
  const merged = new MergedMetrics({ processMetrics: deps.processMetrics ?? true });
  const slots: Slot[] = targets.map((target) => ({ target, key: leaseKey(target.account, target.region) }));
  const self = deps.leaseHolder ?? holderId('run');
  let stopped = false;

  const startSlot = (slot: Slot): Promise<void> => {
    const t = slot.target;
    const log = logger.child({ target: t.name, account: t.account, region: t.region });
    const { aws, close } = targetAws(base, t, config.controllerId);
    const targetConfig: ControllerConfig = {
      ...config,
      region: t.region,
      // The process's one listener is the parent's; each target's own stays on loopback.
      listen: { host: '127.0.0.1', port: 0 },
      ...(config.checkpoint ? { checkpoint: { ...config.checkpoint, location: `${config.checkpoint.location}.${t.account}-${t.region}` } } : {}),
    };
    const { webhookListen: _unusedListen, ...withoutWebhooks } = targetConfig;
    // The role first: a target whose role cannot be assumed is reported failed (and tried
    // again later) instead of running a controller that can read nothing.
    const credentials = typeof aws.credentials === 'function' ? aws.credentials() : Promise.resolve(undefined);
    slot.starting = credentials
      .then(() =>
        startController(withoutWebhooks, {
          ...deps,
          aws,
          ...(deps.values ? { values: { ...deps.values, aws } } : {}),
          logger: log,
          processMetrics: false,
          sourceOverride: shared.view(t.paths),
          metricLabels: { account: t.account, region: t.region },
          leaseHolder: self,
          ...(config.lease ? { leaseScope: { aws: base, account: t.account } } : {}),
        }),
      )
      .then(
        (running) => {
          delete slot.starting;
          if (stopped) {
            void running.stop(0).finally(close);
            return;
          }
          slot.running = running;
          slot.close = close;
          delete slot.error;
          delete slot.failedAt;
          merged.setTargetUp(t.name, t.account, t.region, true);
          log.info({ paths: t.paths, roleArn: t.roleArn }, 'target running');
        },
        (err: unknown) => {
          delete slot.starting;
          close();
          slot.error = errorMessage(err);
          slot.failedAt = Date.now();
          merged.setTargetUp(t.name, t.account, t.region, false);
          log.warn({ error: slot.error, retryInMs: RESTART_MS }, 'target could not start; the other targets go on');
          // Sharded, the shard loop tries again (or another task takes it).
          if (!stopped && !config.lease) slot.retry = setTimeout(() => void startSlot(slot), RESTART_MS);
        },
      );
    return slot.starting;
  };

  /** Stops a target's controller (its lease released when held); the slot is free again. */
  const stopSlot = async (slot: Slot, graceMs: number): Promise<ShutdownReport | undefined> => {
    const running = slot.running;
    delete slot.running;
    if (!running) return undefined;
    const report = await running.stop(graceMs);
    slot.close?.();
    delete slot.close;
    if (config.lease) merged.removeTarget(slot.target.name, slot.target.account, slot.target.region);
    return report;
  };

  // The DynamoDB SDK is loaded only with a lease table.
  const shard = config.lease
    ? new (await import('./shard-loop.js')).ShardLoop({
        settings: config.lease,
        controllerId: config.controllerId,
        self,
        aws: base,
        slots,
        startSlot,
        stopSlot: (slot) => stopSlot(slot, config.shutdownGraceMs).then(() => undefined),
        retryAfterMs: RESTART_MS,
        logger: logger.child({ component: 'shard' }),
      })
    : undefined;

  const status = (): TargetsStatus => {
    const sections: TargetSection[] = slots.map((s) => {
      const t = s.target;
      const snap = s.running?.status.snapshot();
      const state: TargetSection['state'] = s.running ? 'running' : s.starting ? 'starting' : s.error !== undefined ? 'failed' : shard ? 'standby' : 'starting';
      return {
        name: t.name,
        account: t.account,
        region: t.region,
        ...(t.roleArn !== undefined ? { roleArn: t.roleArn } : {}),
        state,
        ...(s.error !== undefined ? { error: s.error } : {}),
        ...(snap ? { status: snap } : {}),
      };
    });
    const ready = readiness(sections, shard !== undefined);
    return {
      generatedAt: new Date().toISOString(),
      controller: {
        controllerId: config.controllerId,
        ready: ready.ok,
        ...(ready.reason ? { readyReason: ready.reason } : {}),
        targets: slots.length,
        ...(shard ? { shard: shard.state() } : {}),
      },
      targets: sections,
    };
  };

  const server = await startHttpServer({
    host: config.listen.host,
    port: config.listen.port,
    maxConnections: config.httpMaxConnections,
    ...(deps.metricsCacheMs !== undefined ? { metricsCacheMs: deps.metricsCacheMs } : {}),
    onError: (err, req) => logger.error({ method: req.method, path: req.path, error: errorMessage(err) }, 'HTTP handler failed'),
    metrics: {
      contentType: merged.contentType,
      chunks: async function* () {
        yield await merged.render(slots.flatMap((s) => (s.running ? [s.running.metrics] : [])));
      },
    },
    status,
    liveness: () => {
      const stuck = slots.map((s) => s.running?.controller.liveness()).find((p) => p !== undefined && !p.ok);
      return stuck ?? { ok: true };
    },
    readiness: () => readiness(status().targets, shard !== undefined),
  });
  let hooks: ControllerHttpServer = server;
  try {
    if (config.webhookListen) hooks = await startHttpServer({ ...config.webhookListen, liveness: () => ({ ok: true }) });
    const throttle = new FetchThrottle({
      fetch: () => Promise.allSettled(slots.map((s) => s.running?.poller.requestFetch())),
      minIntervalMs: config.webhookMinIntervalMs,
    });
    if (shard) await shard.start();
    else await Promise.all(slots.map((s) => startSlot(s)));
    registerWebhookRoutes(hooks, {
      secret: config.webhookSecret,
      ref: gitRefOf(config.source),
      requestFetch: () => throttle.request(),
      metrics: merged,
      logger,
    });
    logger.info(
      {
        config: loggableConfig(config),
        url: server.url,
        targets: targets.map((t) => ({ name: t.name, account: t.account, region: t.region })),
        sharded: shard !== undefined,
      },
      'controller running with targets',
    );
    let stopping: Promise<ShutdownReport> | undefined;
    return {
      url: server.url,
      http: server,
      logger,
      target: (name) => slots.find((s) => s.target.name === name)?.running,
      status,
      stop(graceMs = config.shutdownGraceMs) {
        stopping ??= (async () => {
          const t0 = Date.now();
          stopped = true;
          throttle.stop();
          await shard?.stop();
          for (const s of slots) if (s.retry) clearTimeout(s.retry);
          await Promise.allSettled(slots.map((s) => s.starting));
          const reports = await Promise.all(slots.map((s) => stopSlot(s, graceMs)));
          await shard?.leave();
          await server.close(500);
          if (hooks !== server) await hooks.close(500);
          const done = reports.filter((r): r is ShutdownReport => r !== undefined);
          return {
            graceful: done.every((r) => r.graceful),
            abandoned: done.flatMap((r) => r.abandoned),
            durationMs: Date.now() - t0,
          };
        })();
        return stopping;
      },
    };
  } catch (err) {
    stopped = true;
    await shard?.stop();
    await Promise.all(slots.map((s) => stopSlot(s, 0)));
    await shard?.leave();
    await server.close(0);
    if (hooks !== server) await hooks.close(0);
    throw err;
  }
}

/**
 * Ready when every target that can work is ready: a target that failed (could not start, or
 * cannot read its account) is reported in its section and does not make the process unready,
 * but at least one target must be ready.
 */
function readiness(sections: readonly TargetSection[], sharded: boolean): { ok: boolean; reason?: string } {
  const waiting = sections.filter(
    (s) => s.state === 'starting' || (s.state === 'running' && s.status && !s.status.controller.ready && !s.status.controller.lastObserveError),
  );
  if (waiting.length > 0) return { ok: false, reason: `targets not ready yet: ${waiting.map((s) => s.name).join(', ')}` };
  // A task of a shard may run no target (more tasks than targets): it stands by, ready.
  if (sharded && !sections.some((s) => s.state === 'running')) return { ok: true };
  if (!sections.some((s) => s.status?.controller.ready)) return { ok: false, reason: 'no target is ready' };
  return { ok: true };
}
