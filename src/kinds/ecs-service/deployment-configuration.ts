/**
 * `spec.deploymentConfiguration` both ways: the manifest names the circuit breaker
 * `circuitBreaker` (ECS: `deploymentCircuitBreaker`); every other member has its ECS name,
 * the strategy settings (strategy, bake time, linear and canary steps, lifecycle hooks:
 * strategy-settings.ts) included.
 */
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import type { EcsServiceSpec } from '../../manifests/types.js';
import { convertStrategySettings, normalizeStrategySettings, strategySettingsRequest } from './strategy-settings.js';

type Spec = NonNullable<EcsServiceSpec['deploymentConfiguration']>;
type CircuitBreaker = NonNullable<Spec['circuitBreaker']>;
type Cleanup = NonNullable<NonNullable<Spec['earlySuccessCriteria']>['sourceServiceRevisionCleanup']>;
type ThresholdType = NonNullable<CircuitBreaker['thresholdConfiguration']>['type'];

/** ECS's circuit breaker threshold when none is given (API reference, ThresholdConfiguration). */
export const DEFAULT_THRESHOLD = { type: 'BOUNDED_PERCENT', value: 50 } as const;

/** DescribeServices' deploymentConfiguration in manifest shape. */
export function convertDeploymentConfiguration(dc: DeploymentConfiguration | undefined): Spec | undefined {
  if (!dc) return undefined;
  const out: Spec = {};
  if (dc.minimumHealthyPercent !== undefined) out.minimumHealthyPercent = dc.minimumHealthyPercent;
  if (dc.maximumPercent !== undefined) out.maximumPercent = dc.maximumPercent;
  convertStrategySettings(dc, out);
  const cb = dc.deploymentCircuitBreaker;
  if (cb) {
    out.circuitBreaker = { enable: cb.enable ?? false, rollback: cb.rollback ?? false };
    if (cb.resetOnHealthyTask !== undefined) out.circuitBreaker.resetOnHealthyTask = cb.resetOnHealthyTask;
    const t = cb.thresholdConfiguration;
    if (t?.type !== undefined && t.value !== undefined) out.circuitBreaker.thresholdConfiguration = { type: t.type as ThresholdType, value: t.value };
  }
  const alarms = dc.alarms;
  if (alarms) out.alarms = { alarmNames: [...(alarms.alarmNames ?? [])], enable: alarms.enable ?? false, rollback: alarms.rollback ?? false };
  const early = dc.earlySuccessCriteria;
  if (early) {
    out.earlySuccessCriteria = { enable: early.enable ?? false };
    if (early.healthyPercent !== undefined) out.earlySuccessCriteria.healthyPercent = early.healthyPercent;
    if (early.sourceServiceRevisionCleanup !== undefined) out.earlySuccessCriteria.sourceServiceRevisionCleanup = early.sourceServiceRevisionCleanup as Cleanup;
  }
  return out;
}

/**
 * Comparable form with ECS's defaults: 100/200, circuit breaker off (resetting on a healthy
 * task, BOUNDED_PERCENT 50), no alarms, no early success; alarm names as a set; strategy
 * ROLLING, no lifecycle hooks, and the step defaults of strategy-settings.ts.
 */
export function normalizeDeploymentConfiguration(dc: Spec | undefined): Spec {
  const cb = dc?.circuitBreaker;
  const out: Spec = {
    minimumHealthyPercent: dc?.minimumHealthyPercent ?? 100,
    maximumPercent: dc?.maximumPercent ?? 200,
    circuitBreaker: {
      enable: cb?.enable ?? false,
      rollback: cb?.rollback ?? false,
      resetOnHealthyTask: cb?.resetOnHealthyTask ?? true,
      thresholdConfiguration: { ...(cb?.thresholdConfiguration ?? DEFAULT_THRESHOLD) },
    },
    alarms: { alarmNames: [...(dc?.alarms?.alarmNames ?? [])].sort(), enable: dc?.alarms?.enable ?? false, rollback: dc?.alarms?.rollback ?? false },
  };
  const early = dc?.earlySuccessCriteria;
  if (early?.enable) out.earlySuccessCriteria = { ...early };
  normalizeStrategySettings(dc, out);
  return out;
}

/** The request's deploymentConfiguration (CreateService and UpdateService). */
export function deploymentConfigurationRequest(spec: EcsServiceSpec): DeploymentConfiguration | undefined {
  const d = spec.deploymentConfiguration;
  if (!d) return undefined;
  const out: DeploymentConfiguration = {
    minimumHealthyPercent: d.minimumHealthyPercent,
    maximumPercent: d.maximumPercent,
    ...strategySettingsRequest(d),
  };
  if (d.circuitBreaker) {
    const { thresholdConfiguration, ...rest } = d.circuitBreaker;
    out.deploymentCircuitBreaker = { ...rest, ...(thresholdConfiguration ? { thresholdConfiguration: { ...thresholdConfiguration } } : {}) };
  }
  if (d.alarms) out.alarms = { ...d.alarms, alarmNames: [...d.alarms.alarmNames] };
  if (d.earlySuccessCriteria) out.earlySuccessCriteria = { ...d.earlySuccessCriteria };
  return out;
}
