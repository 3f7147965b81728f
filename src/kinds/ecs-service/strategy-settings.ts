/**
 * The ECS-native deployment settings of `spec.deploymentConfiguration` (ECS API shape, same
 * member names): `strategy`, `bakeTimeInMinutes`, `linearConfiguration`,
 * `canaryConfiguration` and `lifecycleHooks`, both ways. Defaults are AWS's (API reference:
 * DeploymentConfiguration, LinearConfiguration, CanaryConfiguration, DeploymentLifecycleHook,
 * DeploymentLifecycleHookTimeoutConfiguration).
 */
import type { DeploymentConfiguration, DeploymentLifecycleHook as SdkHook } from '@aws-sdk/client-ecs';
import type { DeploymentLifecycleHook, DeploymentStrategy, EcsServiceSpec, LifecycleStage } from '../../manifests/types.js';

type Spec = NonNullable<EcsServiceSpec['deploymentConfiguration']>;
type Linear = NonNullable<Spec['linearConfiguration']>;
type Canary = NonNullable<Spec['canaryConfiguration']>;
type Timeout = NonNullable<DeploymentLifecycleHook['timeoutConfiguration']>;

export const DEFAULT_STRATEGY: DeploymentStrategy = 'ROLLING';
export const LINEAR_DEFAULTS = { stepPercent: 10, stepBakeTimeInMinutes: 6 } as const;
export const CANARY_DEFAULTS = { canaryPercent: 5, canaryBakeTimeInMinutes: 10 } as const;
export const HOOK_DEFAULTS = { targetType: 'AWS_LAMBDA', timeoutInMinutes: 1440, action: 'ROLLBACK' } as const;

function convertHook(h: SdkHook): DeploymentLifecycleHook {
  const out: DeploymentLifecycleHook = { lifecycleStages: [...(h.lifecycleStages ?? [])] as LifecycleStage[] };
  if (h.targetType !== undefined) out.targetType = h.targetType;
  if (h.hookTargetArn !== undefined) out.hookTargetArn = h.hookTargetArn;
  if (h.roleArn !== undefined) out.roleArn = h.roleArn;
  if (h.hookDetails !== undefined && h.hookDetails !== null && typeof h.hookDetails === 'object' && !Array.isArray(h.hookDetails)) {
    out.hookDetails = structuredClone(h.hookDetails as Record<string, unknown>);
  }
  const t = h.timeoutConfiguration;
  if (t) {
    const timeout: Timeout = {};
    if (t.timeoutInMinutes !== undefined) timeout.timeoutInMinutes = t.timeoutInMinutes;
    if (t.action !== undefined) timeout.action = t.action;
    out.timeoutConfiguration = timeout;
  }
  return out;
}

/** DescribeServices' strategy settings into `out` (absent stays absent). */
export function convertStrategySettings(dc: DeploymentConfiguration, out: Spec): void {
  if (dc.strategy !== undefined) out.strategy = dc.strategy;
  if (dc.bakeTimeInMinutes !== undefined) out.bakeTimeInMinutes = dc.bakeTimeInMinutes;
  const linear = dc.linearConfiguration;
  if (linear) {
    const l: Linear = {};
    if (linear.stepPercent !== undefined) l.stepPercent = linear.stepPercent;
    if (linear.stepBakeTimeInMinutes !== undefined) l.stepBakeTimeInMinutes = linear.stepBakeTimeInMinutes;
    out.linearConfiguration = l;
  }
  const canary = dc.canaryConfiguration;
  if (canary) {
    const c: Canary = {};
    if (canary.canaryPercent !== undefined) c.canaryPercent = canary.canaryPercent;
    if (canary.canaryBakeTimeInMinutes !== undefined) c.canaryBakeTimeInMinutes = canary.canaryBakeTimeInMinutes;
    out.canaryConfiguration = c;
  }
  if (dc.lifecycleHooks) out.lifecycleHooks = dc.lifecycleHooks.map(convertHook);
}

/** A hook in comparable form: AWS's defaults filled in, its stages as a set. */
function normalizeHook(h: DeploymentLifecycleHook): DeploymentLifecycleHook {
  const out: DeploymentLifecycleHook = { targetType: h.targetType ?? HOOK_DEFAULTS.targetType, lifecycleStages: [...h.lifecycleStages].sort() };
  if (h.hookTargetArn !== undefined) out.hookTargetArn = h.hookTargetArn;
  if (h.roleArn !== undefined) out.roleArn = h.roleArn;
  if (h.hookDetails !== undefined) out.hookDetails = structuredClone(h.hookDetails);
  out.timeoutConfiguration = {
    timeoutInMinutes: h.timeoutConfiguration?.timeoutInMinutes ?? HOOK_DEFAULTS.timeoutInMinutes,
    action: h.timeoutConfiguration?.action ?? HOOK_DEFAULTS.action,
  };
  return out;
}

/**
 * Comparable strategy settings into `out`: strategy ROLLING and no hooks when absent, the step
 * defaults filled into a linear or canary configuration that is present. The bake time has no
 * documented default that ECS reports, so it is compared only as declared.
 */
export function normalizeStrategySettings(dc: Spec | undefined, out: Spec): void {
  out.strategy = dc?.strategy ?? DEFAULT_STRATEGY;
  if (dc?.bakeTimeInMinutes !== undefined) out.bakeTimeInMinutes = dc.bakeTimeInMinutes;
  if (dc?.linearConfiguration) {
    out.linearConfiguration = {
      stepPercent: dc.linearConfiguration.stepPercent ?? LINEAR_DEFAULTS.stepPercent,
      stepBakeTimeInMinutes: dc.linearConfiguration.stepBakeTimeInMinutes ?? LINEAR_DEFAULTS.stepBakeTimeInMinutes,
    };
  }
  if (dc?.canaryConfiguration) {
    out.canaryConfiguration = {
      canaryPercent: dc.canaryConfiguration.canaryPercent ?? CANARY_DEFAULTS.canaryPercent,
      canaryBakeTimeInMinutes: dc.canaryConfiguration.canaryBakeTimeInMinutes ?? CANARY_DEFAULTS.canaryBakeTimeInMinutes,
    };
  }
  out.lifecycleHooks = (dc?.lifecycleHooks ?? []).map(normalizeHook);
}

/** The strategy settings the manifest declares, for CreateService and UpdateService. */
export function strategySettingsRequest(d: Spec): DeploymentConfiguration {
  const out: DeploymentConfiguration = {};
  if (d.strategy !== undefined) out.strategy = d.strategy;
  if (d.bakeTimeInMinutes !== undefined) out.bakeTimeInMinutes = d.bakeTimeInMinutes;
  if (d.linearConfiguration) out.linearConfiguration = { ...d.linearConfiguration };
  if (d.canaryConfiguration) out.canaryConfiguration = { ...d.canaryConfiguration };
  if (d.lifecycleHooks) out.lifecycleHooks = d.lifecycleHooks.map((h) => structuredClone(h) as SdkHook);
  return out;
}

/**
 * How ECS rolls a new revision out under a native strategy, for the reason of a plan's
 * redeploying change (e.g. `ECS rolls it out BLUE_GREEN (bake 10 min)`); undefined for ROLLING.
 */
export function rolloutNote(dc: Spec | undefined): string | undefined {
  const strategy = dc?.strategy ?? DEFAULT_STRATEGY;
  if (strategy === 'ROLLING') return undefined;
  const parts: string[] = [];
  if (strategy === 'LINEAR') {
    const l = dc?.linearConfiguration;
    parts.push(`${l?.stepPercent ?? LINEAR_DEFAULTS.stepPercent}% steps every ${l?.stepBakeTimeInMinutes ?? LINEAR_DEFAULTS.stepBakeTimeInMinutes} min`);
  }
  if (strategy === 'CANARY') {
    const c = dc?.canaryConfiguration;
    parts.push(`${c?.canaryPercent ?? CANARY_DEFAULTS.canaryPercent}% canary for ${c?.canaryBakeTimeInMinutes ?? CANARY_DEFAULTS.canaryBakeTimeInMinutes} min`);
  }
  if (dc?.bakeTimeInMinutes !== undefined) parts.push(`bake ${dc.bakeTimeInMinutes} min`);
  const hooks = dc?.lifecycleHooks?.length ?? 0;
  if (hooks > 0) parts.push(`${hooks} lifecycle hook${hooks === 1 ? '' : 's'}`);
  return `ECS rolls it out ${strategy}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}
