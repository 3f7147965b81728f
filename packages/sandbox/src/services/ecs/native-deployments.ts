import type { JsonObject } from '../../types.js';
import type { EcsContext } from './context.js';
import { reconcileService, startDeployment } from './deployments.js';
import type { HookRun, ServiceDeploymentRecord, ServiceRevisionRecord, Strategy } from './deployment-store.js';
import type { DeploymentRecord, ServiceRecord, TaskRecord } from './state.js';
import { addServiceEvent } from './tasks.js';

/**
 * Service deployments as ECS runs them: every new ECS deployment is a service deployment
 * from the running revisions to a new one. ROLLING ones finish when the new tasks run;
 * BLUE_GREEN, LINEAR and CANARY ones walk AWS's lifecycle stages on the sandbox clock
 * (green up, test traffic, production traffic steps, bake, blue down), pause at lifecycle
 * hooks, and roll back on the circuit breaker, on a monitored alarm, on a hook's ROLLBACK
 * or on StopServiceDeployment. See docs/aws-behaviour.md "ECS-native deployments".
 */

const STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;
type Stage = (typeof STAGES)[number];

const MINUTE_MS = 60_000;
/** AWS's defaults (API reference: LinearConfiguration, CanaryConfiguration, DeploymentLifecycleHookTimeoutConfiguration). */
const LINEAR_DEFAULTS = { stepPercent: 10, stepBakeTimeInMinutes: 6 };
const CANARY_DEFAULTS = { canaryPercent: 5, canaryBakeTimeInMinutes: 10 };
const HOOK_TIMEOUT_MINUTES = 1440;

const num = (o: JsonObject | undefined, key: string, fallback: number): number => (typeof o?.[key] === 'number' ? (o[key] as number) : fallback);
const obj = (o: JsonObject | undefined, key: string): JsonObject | undefined => {
  const v = o?.[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
};

export function strategyOf(config: JsonObject): Strategy {
  const s = config['strategy'];
  return s === 'BLUE_GREEN' || s === 'LINEAR' || s === 'CANARY' ? s : 'ROLLING';
}

/** Whether `sd` walks the native stages (a non-ROLLING strategy replacing a running revision). */
export function isStaged(sd: ServiceDeploymentRecord): boolean {
  return sd.strategy !== 'ROLLING' && sd.sources.length > 0;
}

/**
 * The circuit breaker's failure threshold. AWS: by default 50 percent of the desired count,
 * at least 3 and at most 200 (BOUNDED_PERCENT 50); `thresholdConfiguration` may set COUNT
 * (the value itself) or UNBOUNDED_PERCENT (no bounds).
 */
export function breakerThreshold(desiredCount: number, breaker: JsonObject | undefined): number {
  const t = obj(breaker, 'thresholdConfiguration');
  const type = typeof t?.['type'] === 'string' ? t['type'] : 'BOUNDED_PERCENT';
  const value = num(t, 'value', 50);
  if (type === 'COUNT') return value;
  const raw = Math.ceil((value * desiredCount) / 100);
  return type === 'UNBOUNDED_PERCENT' ? Math.max(raw, 1) : Math.min(Math.max(raw, 3), 200);
}

function revisionArn(ctx: EcsContext, service: ServiceRecord, deploymentId: string): string {
  const id = deploymentId.slice(deploymentId.indexOf('/') + 1);
  return ctx.world.arn('ecs', `service-revision/${service.cluster.name}/${service.name}/${id}`);
}

function touch(ctx: EcsContext, sd: ServiceDeploymentRecord): void {
  sd.updatedAt = ctx.world.now();
}

/**
 * Records the service deployment that `deployment` (just made PRIMARY) starts. With
 * `rollbackOf`, the deployment is a rolling rollback of that service deployment instead.
 */
export function recordServiceDeployment(
  ctx: EcsContext,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  previous: readonly DeploymentRecord[],
  rollbackOf?: ServiceDeploymentRecord,
): void {
  const store = ctx.state.deploys;
  const now = ctx.world.now();
  const target: ServiceRevisionRecord = {
    arn: revisionArn(ctx, service, deployment.id),
    service,
    deploymentId: deployment.id,
    spec: deployment.spec,
    createdAt: now,
  };
  store.revisions.set(target.arn, target);
  store.revisionByDeploymentId.set(deployment.id, target);
  if (rollbackOf) {
    rollbackOf.rollbackDeploymentId = deployment.id;
    store.byDeploymentId.set(deployment.id, rollbackOf);
    return;
  }
  for (const older of store.ofService(service)) {
    if (older.status !== 'IN_PROGRESS' && older.status !== 'PENDING') continue;
    older.generation++;
    older.status = 'STOPPED';
    older.statusReason = 'Stopped because a newer service deployment started.';
    older.stoppedAt = now;
    older.finishedAt = now;
    touch(ctx, older);
  }
  const config = deployment.spec.deploymentConfiguration;
  const breaker = obj(config, 'deploymentCircuitBreaker');
  const alarms = obj(config, 'alarms');
  const alarmNames = Array.isArray(alarms?.['alarmNames']) ? (alarms['alarmNames'] as unknown[]).map(String) : [];
  const sources = previous.map((d) => store.revisionByDeploymentId.get(d.id)).filter((r): r is ServiceRevisionRecord => r !== undefined);
  const sd: ServiceDeploymentRecord = {
    arn: ctx.world.arn('ecs', `service-deployment/${service.cluster.name}/${service.name}/${ctx.world.hexId(22)}`),
    service,
    strategy: strategyOf(config),
    config,
    target,
    sources,
    status: 'IN_PROGRESS',
    createdAt: now,
    startedAt: now,
    updatedAt: now,
    productionWeight: 0,
    testWeight: 0,
    hooks: [],
    breaker: { status: breaker?.['enable'] === true ? 'MONITORING' : 'DISABLED', failureCount: 0, threshold: breakerThreshold(service.desiredCount, breaker) },
    alarms: { status: alarms?.['enable'] === true && alarmNames.length > 0 ? 'MONITORING' : 'DISABLED', alarmNames, triggeredAlarmNames: [] },
    generation: 0,
  };
  store.serviceDeployments.set(sd.arn, sd);
  store.byDeploymentId.set(deployment.id, sd);
  if (isStaged(sd)) enterStage(ctx, sd, sources.length > 1 ? 'RECONCILE_SERVICE' : 'PRE_SCALE_UP');
}

/** Runs `fn` after `delayMs` unless the deployment left its path (rollback, stop) meanwhile. */
function later(ctx: EcsContext, sd: ServiceDeploymentRecord, delayMs: number, fn: () => void): void {
  const generation = sd.generation;
  ctx.world.scheduler.after(delayMs, () => {
    if (sd.generation === generation && sd.status === 'IN_PROGRESS') fn();
  });
}

function hooksFor(sd: ServiceDeploymentRecord, stage: Stage): JsonObject[] {
  const hooks = Array.isArray(sd.config['lifecycleHooks']) ? (sd.config['lifecycleHooks'] as JsonObject[]) : [];
  return hooks.filter((h) => Array.isArray(h['lifecycleStages']) && (h['lifecycleStages'] as unknown[]).includes(stage));
}

function enterStage(ctx: EcsContext, sd: ServiceDeploymentRecord, stage: Stage): void {
  sd.lifecycleStage = stage;
  touch(ctx, sd);
  const done = sd.hooks.filter((h) => h.stage === stage).length;
  const hook = hooksFor(sd, stage)[done];
  if (hook) {
    pauseAtHook(ctx, sd, stage, hook);
    return;
  }
  runStage(ctx, sd, stage);
}

/**
 * A lifecycle hook pauses the deployment until ContinueServiceDeployment (the sandbox
 * invokes no Lambda: an AWS_LAMBDA hook waits IN_PROGRESS for the caller to report its
 * answer the same way a PAUSE hook waits AWAITING_ACTION), or until its timeout, which
 * applies its timeout action (default ROLLBACK).
 */
function pauseAtHook(ctx: EcsContext, sd: ServiceDeploymentRecord, stage: Stage, hook: JsonObject): void {
  const timeout = obj(hook, 'timeoutConfiguration');
  const minutes = num(timeout, 'timeoutInMinutes', HOOK_TIMEOUT_MINUTES);
  const targetType = hook['targetType'] === 'PAUSE' ? 'PAUSE' : 'AWS_LAMBDA';
  const run: HookRun = {
    hookId: ctx.world.hexId(12),
    stage,
    targetType,
    ...(typeof hook['hookTargetArn'] === 'string' ? { targetArn: hook['hookTargetArn'] } : {}),
    status: targetType === 'PAUSE' ? 'AWAITING_ACTION' : 'IN_PROGRESS',
    expiresAt: ctx.world.now() + minutes * MINUTE_MS,
    timeoutAction: timeout?.['action'] === 'CONTINUE' ? 'CONTINUE' : 'ROLLBACK',
  };
  sd.hooks.push(run);
  addServiceEvent(ctx, sd.service, `(service ${sd.service.name}) (service deployment ${sd.arn}) is waiting for lifecycle hook ${run.hookId} at ${stage}.`);
  later(ctx, sd, minutes * MINUTE_MS, () => {
    if (run.status !== 'AWAITING_ACTION' && run.status !== 'IN_PROGRESS') return;
    run.status = 'TIMED_OUT';
    if (run.timeoutAction === 'CONTINUE') enterStage(ctx, sd, stage);
    else rollBack(ctx, sd, 'ECS deployment lifecycle hook', `lifecycle hook ${run.hookId} timed out`);
  });
}

/** ContinueServiceDeployment on a paused hook; false when `hookId` is not waiting. */
export function continueHook(ctx: EcsContext, sd: ServiceDeploymentRecord, hookId: string, action: 'CONTINUE' | 'ROLLBACK'): boolean {
  const run = sd.hooks.find((h) => h.hookId === hookId);
  if (!run || sd.status !== 'IN_PROGRESS' || (run.status !== 'AWAITING_ACTION' && run.status !== 'IN_PROGRESS')) return false;
  touch(ctx, sd);
  if (action === 'ROLLBACK') {
    run.status = 'FAILED';
    rollBack(ctx, sd, 'ECS deployment lifecycle hook', `lifecycle hook ${hookId} asked for a rollback`);
    return true;
  }
  run.status = 'SUCCEEDED';
  later(ctx, sd, 0, () => enterStage(ctx, sd, run.stage as Stage));
  return true;
}

function nextStage(ctx: EcsContext, sd: ServiceDeploymentRecord, from: Stage, delayMs = 0): void {
  const next = STAGES[STAGES.indexOf(from) + 1];
  if (next) later(ctx, sd, delayMs, () => enterStage(ctx, sd, next));
}

function runStage(ctx: EcsContext, sd: ServiceDeploymentRecord, stage: Stage): void {
  switch (stage) {
    case 'SCALE_UP':
    case 'CLEAN_UP':
      // The service scheduler starts green (or stops blue); onPrimaryRunning / onSteady move on.
      later(ctx, sd, 0, () => reconcileService(ctx, sd.service));
      return;
    case 'TEST_TRAFFIC_SHIFT':
      sd.testWeight = 100;
      break;
    case 'PRODUCTION_TRAFFIC_SHIFT':
      shiftProduction(ctx, sd);
      return;
    case 'BAKE_TIME':
      nextStage(ctx, sd, stage, num(sd.config, 'bakeTimeInMinutes', 0) * MINUTE_MS);
      return;
    default:
      break;
  }
  nextStage(ctx, sd, stage);
}

/** BLUE_GREEN: all at once; LINEAR: stepPercent per step with stepBakeTime between; CANARY: canaryPercent, canaryBakeTime, the rest. */
function shiftProduction(ctx: EcsContext, sd: ServiceDeploymentRecord): void {
  const step = (weight: number): void => {
    sd.productionWeight = Math.min(100, Math.round(weight * 10) / 10);
    touch(ctx, sd);
  };
  if (sd.strategy === 'LINEAR') {
    const cfg = obj(sd.config, 'linearConfiguration');
    const percent = num(cfg, 'stepPercent', LINEAR_DEFAULTS.stepPercent);
    const bake = num(cfg, 'stepBakeTimeInMinutes', LINEAR_DEFAULTS.stepBakeTimeInMinutes) * MINUTE_MS;
    const advance = (): void => {
      step(sd.productionWeight + percent);
      if (sd.productionWeight >= 100) nextStage(ctx, sd, 'PRODUCTION_TRAFFIC_SHIFT');
      else later(ctx, sd, bake, advance);
    };
    advance();
    return;
  }
  if (sd.strategy === 'CANARY') {
    const cfg = obj(sd.config, 'canaryConfiguration');
    step(num(cfg, 'canaryPercent', CANARY_DEFAULTS.canaryPercent));
    later(ctx, sd, num(cfg, 'canaryBakeTimeInMinutes', CANARY_DEFAULTS.canaryBakeTimeInMinutes) * MINUTE_MS, () => {
      step(100);
      nextStage(ctx, sd, 'PRODUCTION_TRAFFIC_SHIFT');
    });
    return;
  }
  step(100);
  nextStage(ctx, sd, 'PRODUCTION_TRAFFIC_SHIFT');
}

/** Whether the service scheduler may start tasks of `primary` now. */
export function mayScaleUp(ctx: EcsContext, primary: DeploymentRecord): boolean {
  if (primary.rolloutState === 'FAILED') return false;
  const sd = ctx.state.deploys.byDeploymentId.get(primary.id);
  if (!sd || sd.target.deploymentId !== primary.id || !isStaged(sd) || sd.status !== 'IN_PROGRESS') return true;
  return sd.lifecycleStage !== 'RECONCILE_SERVICE' && sd.lifecycleStage !== 'PRE_SCALE_UP';
}

/**
 * Every task of `primary` runs. Returns whether older deployments may be stopped now (a
 * staged deployment keeps blue until CLEAN_UP; an aborted one keeps both).
 */
export function onPrimaryRunning(ctx: EcsContext, primary: DeploymentRecord): boolean {
  const sd = ctx.state.deploys.byDeploymentId.get(primary.id);
  if (!sd || sd.target.deploymentId !== primary.id || !isStaged(sd)) return true;
  if (sd.status === 'STOPPED') return false;
  if (sd.status !== 'IN_PROGRESS') return true;
  if (sd.lifecycleStage === 'SCALE_UP') {
    later(ctx, sd, 0, () => {
      if (sd.lifecycleStage === 'SCALE_UP') enterStage(ctx, sd, 'POST_SCALE_UP');
    });
  }
  return sd.lifecycleStage === 'CLEAN_UP';
}

/** `primary` is the only deployment and all its tasks run: its service deployment (or rollback) succeeded. */
export function onSteady(ctx: EcsContext, service: ServiceRecord, primary: DeploymentRecord): void {
  const store = ctx.state.deploys;
  const revision = store.revisionByDeploymentId.get(primary.id);
  if (revision) store.lastCompleted.set(service.arn, revision);
  const sd = store.byDeploymentId.get(primary.id);
  if (!sd) return;
  const now = ctx.world.now();
  if (sd.status === 'IN_PROGRESS') {
    sd.status = 'SUCCESSFUL';
    sd.productionWeight = 100;
    sd.testWeight = 100;
    if (isStaged(sd)) sd.lifecycleStage = 'CLEAN_UP';
  } else if (sd.status === 'ROLLBACK_IN_PROGRESS') {
    sd.status = 'ROLLBACK_SUCCESSFUL';
  } else {
    return;
  }
  sd.finishedAt = now;
  if (sd.breaker.status === 'MONITORING') sd.breaker.status = 'MONITORING_COMPLETE';
  if (sd.alarms.status === 'MONITORING') sd.alarms.status = 'MONITORING_COMPLETE';
  touch(ctx, sd);
}

/** A task of `service` failed (task-failures.ts): counts for its deployment and the circuit breaker. */
export function onTaskFailed(ctx: EcsContext, service: ServiceRecord, task: TaskRecord): void {
  const d = service.deployments.find((x) => x.id === task.deploymentId);
  if (!d) return;
  d.failedTasks = (d.failedTasks ?? 0) + 1;
  d.updatedAt = ctx.world.now();
  const sd = ctx.state.deploys.byDeploymentId.get(d.id);
  if (!sd || sd.target.deploymentId !== d.id || sd.status !== 'IN_PROGRESS') return;
  sd.breaker.failureCount++;
  touch(ctx, sd);
  const breaker = obj(sd.config, 'deploymentCircuitBreaker');
  if (breaker?.['enable'] !== true || sd.breaker.failureCount < sd.breaker.threshold) return;
  sd.breaker.status = 'TRIGGERED';
  fail(ctx, sd, breaker['rollback'] === true, 'ECS deployment circuit breaker', 'tasks failed to start');
}

/** Subscribes ECS to alarm changes: a monitored alarm going into ALARM fails the deployment. */
export function watchAlarms(ctx: EcsContext): void {
  ctx.world.alarms.onChange((name, state) => {
    if (state !== 'ALARM') return;
    for (const sd of ctx.state.deploys.serviceDeployments.values()) {
      if (sd.status !== 'IN_PROGRESS' || sd.alarms.status !== 'MONITORING' || !sd.alarms.alarmNames.includes(name)) continue;
      sd.alarms.triggeredAlarmNames.push(name);
      sd.alarms.status = 'TRIGGERED';
      fail(ctx, sd, obj(sd.config, 'alarms')?.['rollback'] === true, 'ECS deployment alarms', `alarm ${name} is in ALARM state`);
    }
  });
}

/** The deployment failed (`cause`, AWS wording): roll back, or stop where it is and launch no more tasks. */
function fail(ctx: EcsContext, sd: ServiceDeploymentRecord, rollback: boolean, source: string, cause: string): void {
  const target = sd.service.deployments.find((d) => d.id === sd.target.deploymentId);
  addServiceEvent(ctx, sd.service, `(service ${sd.service.name}) (deployment ${sd.target.deploymentId}) deployment failed: ${cause}.`);
  if (rollback && rollbackRevision(ctx, sd)) {
    rollBack(ctx, sd, source, cause);
    return;
  }
  const now = ctx.world.now();
  sd.generation++;
  sd.status = 'STOPPED';
  sd.statusReason = `${source}: ${cause}.`;
  sd.stoppedAt = now;
  sd.finishedAt = now;
  touch(ctx, sd);
  if (target) {
    target.rolloutState = 'FAILED';
    target.rolloutStateReason = `${source}: ${cause}.`;
    target.updatedAt = now;
  }
}

/** The revision a rollback returns to: the running source (staged) or the last COMPLETED one. */
function rollbackRevision(ctx: EcsContext, sd: ServiceDeploymentRecord): ServiceRevisionRecord | undefined {
  const running = sd.sources.find((r) => sd.service.deployments.some((d) => d.id === r.deploymentId));
  if (isStaged(sd) && running) return running;
  const last = ctx.state.deploys.lastCompleted.get(sd.service.arn);
  return last && last.deploymentId !== sd.target.deploymentId ? last : running;
}

/**
 * Rolls `sd` back: a staged deployment switches traffic and PRIMARY back to the blue
 * deployment, which still runs, and stops green; a rolling one starts a new deployment of
 * the last completed revision. The service's task definition names the old revision again.
 */
export function rollBack(ctx: EcsContext, sd: ServiceDeploymentRecord, source: string, cause: string): boolean {
  const to = rollbackRevision(ctx, sd);
  const now = ctx.world.now();
  const service = sd.service;
  sd.generation++;
  touch(ctx, sd);
  if (!to) {
    sd.status = 'ROLLBACK_FAILED';
    sd.statusReason = `${source}: ${cause}; no completed service revision to roll back to.`;
    sd.finishedAt = now;
    return false;
  }
  sd.status = 'ROLLBACK_IN_PROGRESS';
  sd.rollback = { reason: `${source}: ${cause}.`, startedAt: now, serviceRevisionArn: to.arn };
  sd.productionWeight = 0;
  sd.testWeight = 0;
  const target = service.deployments.find((d) => d.id === sd.target.deploymentId);
  const blue = service.deployments.find((d) => d.id === to.deploymentId);
  service.spec = to.spec;
  let backTo: DeploymentRecord;
  if (blue) {
    service.deployments = [blue, ...service.deployments.filter((d) => d !== blue)];
    for (const d of service.deployments) d.status = d === blue ? 'PRIMARY' : 'ACTIVE';
    ctx.state.deploys.byDeploymentId.set(blue.id, sd);
    sd.rollbackDeploymentId = blue.id;
    backTo = blue;
  } else {
    backTo = startDeployment(ctx, service, to.spec, sd);
  }
  sd.statusReason = `${source}: ${cause}; rolling back to deploymentId ${backTo.id}.`;
  if (target) {
    target.rolloutState = 'FAILED';
    target.rolloutStateReason = `${source}: rolling back to deploymentId ${backTo.id}.`;
    target.updatedAt = now;
  }
  addServiceEvent(ctx, service, `(service ${service.name}) rolling back to deployment ${backTo.id}.`);
  ctx.world.scheduler.after(0, () => reconcileService(ctx, service));
  return true;
}

/** StopServiceDeployment ABORT: the deployment stops where it is; nothing more is started or stopped. */
export function abort(ctx: EcsContext, sd: ServiceDeploymentRecord): void {
  const now = ctx.world.now();
  sd.generation++;
  sd.status = 'STOPPED';
  sd.statusReason = 'Service deployment stopped by StopServiceDeployment.';
  sd.stoppedAt = now;
  sd.finishedAt = now;
  touch(ctx, sd);
  const target = sd.service.deployments.find((d) => d.id === sd.target.deploymentId);
  if (target && target.rolloutState === 'IN_PROGRESS') {
    target.rolloutState = 'FAILED';
    target.rolloutStateReason = 'ECS deployment stopped.';
    target.updatedAt = now;
  }
}
