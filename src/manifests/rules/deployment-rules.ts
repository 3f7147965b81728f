/**
 * AWS's rules for ECS-native deployments (deploymentConfiguration.strategy and what it needs),
 * from the ECS API reference (DeploymentConfiguration, LinearConfiguration,
 * CanaryConfiguration, DeploymentLifecycleHook, DeploymentEarlySuccessCriteria,
 * AdvancedConfiguration) and the developer guide ("Required resources for Amazon ECS
 * blue/green deployments"). The sandbox refuses the same requests
 * (packages/sandbox/src/services/ecs/deployment-config.ts); docs/aws-behaviour.md has the sources.
 */
import type { EcsServiceManifest, EcsServiceSpec } from '../types.js';
import type { Rule } from './rule.js';

const DC = ['spec', 'deploymentConfiguration'] as const;

function strategyOf(spec: EcsServiceSpec): string {
  return spec.deploymentConfiguration?.strategy ?? 'ROLLING';
}

/** Whether the service turns Service Connect on: `spec.serviceConnect` present and not `enabled: false`. */
function serviceConnectEnabled(spec: EcsServiceSpec): boolean {
  return spec.serviceConnect !== undefined && spec.serviceConnect.enabled !== false;
}

/** ECS runs BLUE_GREEN, LINEAR and CANARY itself: they need the ECS deployment controller. */
export const strategyController: Rule<EcsServiceManifest> = (m, r) => {
  const strategy = strategyOf(m.spec);
  const controller = m.spec.deploymentController?.type ?? 'ECS';
  if (strategy !== 'ROLLING' && controller !== 'ECS') {
    r.report('EGO_STRATEGY_CONTROLLER', [...DC, 'strategy'], `the ${strategy} strategy needs deploymentController ECS (got ${controller})`, {
      target: 'value',
    });
  }
};

/**
 * advancedConfiguration only with a strategy other than ROLLING, and then on every load
 * balancer item (ECS shifts traffic between the two target groups of each).
 */
export const advancedConfiguration: Rule<EcsServiceManifest> = (m, r) => {
  const strategy = strategyOf(m.spec);
  m.spec.loadBalancers?.forEach((lb, i) => {
    if (strategy === 'ROLLING' && lb.advancedConfiguration !== undefined) {
      r.report(
        'EGO_ADVANCED_CONFIGURATION_STRATEGY',
        ['spec', 'loadBalancers', i, 'advancedConfiguration'],
        'advancedConfiguration is only for the BLUE_GREEN, LINEAR and CANARY strategies (deploymentConfiguration.strategy is ROLLING)',
      );
    } else if (strategy !== 'ROLLING' && lb.advancedConfiguration === undefined) {
      r.report(
        'EGO_ADVANCED_CONFIGURATION_REQUIRED',
        ['spec', 'loadBalancers', i],
        `the ${strategy} strategy needs advancedConfiguration (alternateTargetGroupArn, productionListenerRule, roleArn) on every load balancer`,
        { field: ['spec', 'loadBalancers', i, 'advancedConfiguration'] },
      );
    }
  });
};

/** LINEAR and CANARY shift production traffic in steps: through a load balancer or Service Connect. */
export const trafficShift: Rule<EcsServiceManifest> = (m, r) => {
  const strategy = strategyOf(m.spec);
  if (strategy !== 'LINEAR' && strategy !== 'CANARY') return;
  const viaLoadBalancer = m.spec.loadBalancers?.some((lb) => lb.advancedConfiguration !== undefined) ?? false;
  if (!viaLoadBalancer && !serviceConnectEnabled(m.spec)) {
    r.report(
      'EGO_TRAFFIC_SHIFT_REQUIRED',
      [...DC, 'strategy'],
      `the ${strategy} strategy shifts traffic in steps: it needs a load balancer with advancedConfiguration or Service Connect`,
      { target: 'value' },
    );
  }
};

/** True when `v` is a multiple of 0.1 (as ECS requires of step and canary percents). */
export function isTenth(v: number): boolean {
  return Math.abs(Math.round(v * 10) - v * 10) < 1e-9;
}

/** stepPercent and canaryPercent are multiples of 0.1 (the schema checks their ranges). */
export const stepPercents: Rule<EcsServiceManifest> = (m, r) => {
  const dc = m.spec.deploymentConfiguration;
  const step = dc?.linearConfiguration?.stepPercent;
  if (step !== undefined && !isTenth(step)) {
    r.report('EGO_STEP_PERCENT', [...DC, 'linearConfiguration', 'stepPercent'], `stepPercent ${step} is not a multiple of 0.1 (3.0 to 100.0)`, {
      target: 'value',
    });
  }
  const canary = dc?.canaryConfiguration?.canaryPercent;
  if (canary !== undefined && !isTenth(canary)) {
    r.report('EGO_STEP_PERCENT', [...DC, 'canaryConfiguration', 'canaryPercent'], `canaryPercent ${canary} is not a multiple of 0.1 (0.1 to 100.0)`, {
      target: 'value',
    });
  }
};

/** A linear or canary configuration under another strategy does nothing: a warning. */
export const unusedStepSettings: Rule<EcsServiceManifest> = (m, r) => {
  const dc = m.spec.deploymentConfiguration;
  const strategy = strategyOf(m.spec);
  const steps = [
    ['linearConfiguration', 'LINEAR'],
    ['canaryConfiguration', 'CANARY'],
  ] as const;
  for (const [field, usedBy] of steps) {
    if (dc?.[field] === undefined || strategy === usedBy) continue;
    r.report('EGO_STRATEGY_SETTING_UNUSED', [...DC, field], `${field} is only used by the ${usedBy} strategy (strategy is ${strategy})`, {
      severity: 'warning',
    });
  }
};

/**
 * Service Connect test traffic rules route requests to the green revision during a BLUE_GREEN,
 * LINEAR or CANARY deployment (API reference, ServiceConnectTestTrafficRules: "test traffic
 * routing configuration for Amazon ECS blue/green deployments"). AWS documents no error for
 * them under ROLLING, where no revision is ever a test endpoint: a warning.
 */
export const unusedTestTrafficRules: Rule<EcsServiceManifest> = (m, r) => {
  const strategy = strategyOf(m.spec);
  if (strategy !== 'ROLLING') return;
  m.spec.serviceConnect?.services?.forEach((svc, i) => {
    svc.clientAliases?.forEach((alias, j) => {
      if (alias.testTrafficRules === undefined) return;
      r.report(
        'EGO_STRATEGY_SETTING_UNUSED',
        ['spec', 'serviceConnect', 'services', i, 'clientAliases', j, 'testTrafficRules'],
        'testTrafficRules route test traffic only during BLUE_GREEN, LINEAR and CANARY deployments (strategy is ROLLING)',
        { severity: 'warning' },
      );
    });
  });
};

/** Early success criteria are for rolling deployments only. */
export const earlySuccessStrategy: Rule<EcsServiceManifest> = (m, r) => {
  const strategy = strategyOf(m.spec);
  if (strategy !== 'ROLLING' && m.spec.deploymentConfiguration?.earlySuccessCriteria?.enable === true) {
    r.report('EGO_EARLY_SUCCESS_STRATEGY', [...DC, 'earlySuccessCriteria'], `earlySuccessCriteria is only for the ROLLING strategy (strategy is ${strategy})`);
  }
};

/** PAUSE hooks cannot run at the traffic shift stages (DeploymentLifecycleHook.lifecycleStages). */
const NOT_FOR_PAUSE = new Set(['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT']);

/** An AWS_LAMBDA hook (the default) names its function and role; a PAUSE hook avoids the traffic shift stages. */
export const lifecycleHooks: Rule<EcsServiceManifest> = (m, r) => {
  m.spec.deploymentConfiguration?.lifecycleHooks?.forEach((h, i) => {
    const at = [...DC, 'lifecycleHooks', i];
    if ((h.targetType ?? 'AWS_LAMBDA') === 'AWS_LAMBDA') {
      const missing = (['hookTargetArn', 'roleArn'] as const).filter((k) => h[k] === undefined);
      if (missing.length > 0) {
        r.report('EGO_LIFECYCLE_HOOK_TARGET', at, `an AWS_LAMBDA hook (the default targetType) needs hookTargetArn and roleArn: add ${missing.join(' and ')}`, {
          field: [...at, missing[0] ?? 'hookTargetArn'],
        });
      }
      return;
    }
    h.lifecycleStages.forEach((stage, j) => {
      if (NOT_FOR_PAUSE.has(stage)) {
        r.report('EGO_LIFECYCLE_HOOK_STAGE', [...at, 'lifecycleStages', j], `a PAUSE hook cannot run at ${stage} (only AWS_LAMBDA hooks can)`, {
          target: 'value',
        });
      }
    });
  });
};

/** The deployment strategy rules, in the order they run. */
export const DEPLOYMENT_RULES: readonly Rule<EcsServiceManifest>[] = [
  strategyController,
  advancedConfiguration,
  trafficShift,
  stepPercents,
  unusedStepSettings,
  unusedTestTrafficRules,
  earlySuccessStrategy,
  lifecycleHooks,
];
