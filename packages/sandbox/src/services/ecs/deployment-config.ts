import type { JsonObject } from '../../types.js';
import { invalidParameter } from './validation.js';

/**
 * AWS's rules for deploymentConfiguration.strategy and what it needs (API reference:
 * DeploymentConfiguration, LinearConfiguration, CanaryConfiguration, DeploymentLifecycleHook,
 * AdvancedConfiguration; developer guide: blue/green, linear and canary deployments). The
 * messages are the sandbox's; AWS answers InvalidParameterException for each.
 */

const STRATEGIES = new Set(['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY']);
const HOOK_STAGES = new Set([
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
]);
/** DeploymentLifecycleHook.lifecycleStages: "PAUSE hooks cannot be configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT". */
const PAUSE_FORBIDDEN = new Set(['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']);
const MAX_MINUTES = 1440;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function minutes(o: JsonObject, key: string, where: string): void {
  const v = o[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_MINUTES)
    throw invalidParameter(`${where}${key} must be an integer from 0 to ${MAX_MINUTES}.`);
}

function tenths(o: JsonObject, key: string, min: number, where: string): void {
  const v = o[key];
  if (v === undefined) return;
  const ok = typeof v === 'number' && v >= min && v <= 100 && Math.abs(Math.round(v * 10) - v * 10) < 1e-9;
  if (!ok) throw invalidParameter(`${where}${key} must be a multiple of 0.1 from ${min.toFixed(1)} to 100.0.`);
}

function checkHook(hook: unknown, i: number): void {
  const where = `lifecycleHooks[${i}].`;
  if (!isObject(hook)) throw invalidParameter(`${where.slice(0, -1)} must be an object.`);
  const type = hook['targetType'] ?? 'AWS_LAMBDA';
  if (type !== 'AWS_LAMBDA' && type !== 'PAUSE') throw invalidParameter(`${where}targetType must be AWS_LAMBDA or PAUSE.`);
  const stages = hook['lifecycleStages'];
  if (!Array.isArray(stages) || stages.length === 0) throw invalidParameter(`${where}lifecycleStages can not be empty.`);
  for (const s of stages) if (!HOOK_STAGES.has(String(s))) throw invalidParameter(`${where}lifecycleStages has an invalid stage: ${String(s)}.`);
  if (type === 'PAUSE') {
    const shift = stages.find((s) => PAUSE_FORBIDDEN.has(String(s)));
    if (shift !== undefined) throw invalidParameter(`${where}lifecycleStages: a PAUSE hook cannot be configured at ${String(shift)}.`);
  }
  if (type === 'AWS_LAMBDA' && (typeof hook['hookTargetArn'] !== 'string' || typeof hook['roleArn'] !== 'string')) {
    throw invalidParameter(`${where}hookTargetArn and roleArn are required for an AWS_LAMBDA hook.`);
  }
  const timeout = hook['timeoutConfiguration'];
  if (isObject(timeout)) {
    const t = timeout['timeoutInMinutes'];
    if (t !== undefined && (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > MAX_MINUTES)) {
      throw invalidParameter(`${where}timeoutConfiguration.timeoutInMinutes must be an integer from 1 to ${MAX_MINUTES}.`);
    }
    const a = timeout['action'];
    if (a !== undefined && a !== 'CONTINUE' && a !== 'ROLLBACK') throw invalidParameter(`${where}timeoutConfiguration.action must be CONTINUE or ROLLBACK.`);
  }
}

/** Checks a service's deployment configuration against its load balancers and Service Connect settings. */
export function checkDeploymentStrategy(config: JsonObject, loadBalancers: readonly JsonObject[], serviceConnect: JsonObject | undefined): void {
  const strategy = config['strategy'] ?? 'ROLLING';
  if (!STRATEGIES.has(String(strategy))) throw invalidParameter(`Invalid deployment strategy: ${String(strategy)}.`);
  minutes(config, 'bakeTimeInMinutes', '');
  const linear = config['linearConfiguration'];
  if (linear !== undefined) {
    if (!isObject(linear)) throw invalidParameter('linearConfiguration must be an object.');
    tenths(linear, 'stepPercent', 3, 'linearConfiguration.');
    minutes(linear, 'stepBakeTimeInMinutes', 'linearConfiguration.');
  }
  const canary = config['canaryConfiguration'];
  if (canary !== undefined) {
    if (!isObject(canary)) throw invalidParameter('canaryConfiguration must be an object.');
    tenths(canary, 'canaryPercent', 0.1, 'canaryConfiguration.');
    minutes(canary, 'canaryBakeTimeInMinutes', 'canaryConfiguration.');
  }
  const hooks = config['lifecycleHooks'];
  if (hooks !== undefined) {
    if (!Array.isArray(hooks)) throw invalidParameter('lifecycleHooks must be a list.');
    hooks.forEach(checkHook);
  }
  const alarms = config['alarms'];
  if (alarms !== undefined) {
    if (!isObject(alarms) || !Array.isArray(alarms['alarmNames'])) throw invalidParameter('alarms.alarmNames is required.');
  }
  const early = config['earlySuccessCriteria'];
  if (strategy !== 'ROLLING' && isObject(early) && early['enable'] === true) {
    throw invalidParameter('earlySuccessCriteria can only be used with the ROLLING deployment strategy.');
  }
  const advanced = loadBalancers.filter((lb) => lb['advancedConfiguration'] !== undefined);
  if (strategy === 'ROLLING' && advanced.length > 0) {
    throw invalidParameter('advancedConfiguration on a load balancer is only supported with the BLUE_GREEN, LINEAR or CANARY deployment strategy.');
  }
  for (const lb of advanced) {
    const a = lb['advancedConfiguration'];
    if (
      !isObject(a) ||
      typeof a['alternateTargetGroupArn'] !== 'string' ||
      typeof a['productionListenerRule'] !== 'string' ||
      typeof a['roleArn'] !== 'string'
    ) {
      throw invalidParameter('advancedConfiguration requires alternateTargetGroupArn, productionListenerRule and roleArn.');
    }
  }
  if (strategy !== 'ROLLING' && loadBalancers.length > 0 && advanced.length < loadBalancers.length) {
    throw invalidParameter(`The ${String(strategy)} deployment strategy requires advancedConfiguration on every load balancer.`);
  }
  if ((strategy === 'LINEAR' || strategy === 'CANARY') && advanced.length === 0 && serviceConnect?.['enabled'] !== true) {
    throw invalidParameter(`The ${strategy} deployment strategy requires a load balancer with advancedConfiguration or Service Connect.`);
  }
}

/**
 * BLUE_GREEN, LINEAR and CANARY are run by ECS itself: they need the ECS deployment controller
 * (developer guide, "Required resources for Amazon ECS blue/green deployments"; API reference,
 * LinearConfiguration and CanaryConfiguration: "only valid ... with deploymentController set to ECS").
 */
export function checkStrategyController(config: JsonObject, controllerType: string): void {
  const strategy = String(config['strategy'] ?? 'ROLLING');
  if (strategy !== 'ROLLING' && controllerType !== 'ECS') {
    throw invalidParameter(`The ${strategy} deployment strategy requires the ECS deployment controller (got ${controllerType}).`);
  }
}
