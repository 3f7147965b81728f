/**
 * Rules over the settings of an inline task definition that ECS checks when the revision is
 * registered (docs/aws-behaviour.md, "Task definition settings"): caught by `validate` so that
 * apply never sends a RegisterTaskDefinition ECS refuses.
 */
import type { ContainerDefinition, EcsServiceManifest, EcsServiceSpec } from '../types.js';
import type { DocPath } from '../yaml-document.js';
import { runsOnFargate } from './ecs-rules.js';
import type { Rule } from './rule.js';

const SECRETS_MANAGER_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+(:[^:]*:[^:]*:[^:]*)?$/;
const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter\/[A-Za-z0-9_.\-/]+$/;
/** A parameter name: one plain name, or a hierarchy starting with "/"; "aws" and "ssm" prefixes are reserved. */
const SSM_PARAMETER_NAME = /^(?![aA][wW][sS]|[sS][sS][mM])([A-Za-z0-9_.-]+|(\/[A-Za-z0-9_.-]+)+)$/;

/**
 * Whether ECS accepts `valueFrom`: a Secrets Manager secret ARN (optionally with
 * `:json-key:version-stage:version-id`, empty parts allowed), an SSM parameter ARN, or the name
 * of an SSM parameter in the task's Region.
 */
export function isSecretReference(valueFrom: string): boolean {
  if (valueFrom.length > 2048) return false;
  return SECRETS_MANAGER_ARN.test(valueFrom) || SSM_PARAMETER_ARN.test(valueFrom) || SSM_PARAMETER_NAME.test(valueFrom);
}

const TD: DocPath = ['spec', 'taskDefinition'];

function containerPath(ci: number, ...rest: DocPath): DocPath {
  return [...TD, 'containers', ci, ...rest];
}

export const secretValueFrom: Rule<EcsServiceManifest> = (m, r) => {
  m.spec.taskDefinition?.containers.forEach((c, ci) => {
    const lists: [DocPath, { valueFrom: string }[] | undefined][] = [
      [['secrets'], c.secrets],
      [['logConfiguration', 'secretOptions'], c.logConfiguration?.secretOptions],
    ];
    for (const [at, list] of lists) {
      list?.forEach((s, si) => {
        if (isSecretReference(s.valueFrom)) return;
        r.report(
          'EGO_SECRET_VALUE_FROM',
          containerPath(ci, ...at, si, 'valueFrom'),
          'valueFrom must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>[:json-key:version-stage:version-id]), an SSM parameter ARN, or an SSM parameter name',
          { target: 'value' },
        );
      });
    }
  });
};

export const portMappingPort: Rule<EcsServiceManifest> = (m, r) => {
  m.spec.taskDefinition?.containers.forEach((c, ci) => {
    c.portMappings?.forEach((pm, pi) => {
      const at = containerPath(ci, 'portMappings', pi);
      if ((pm.containerPort === undefined) === (pm.containerPortRange === undefined)) {
        r.report('EGO_PORT_MAPPING', at, 'a port mapping needs exactly one of containerPort and containerPortRange');
        return;
      }
      if (pm.containerPortRange === undefined) return;
      const [lo, hi] = pm.containerPortRange.split('-').map(Number) as [number, number];
      if (!(lo >= 1 && hi <= 65535 && lo < hi)) {
        r.report(
          'EGO_PORT_MAPPING',
          [...at, 'containerPortRange'],
          `containerPortRange ${pm.containerPortRange} must be low-high with 1 <= low < high <= 65535`,
          {
            target: 'value',
          },
        );
      } else if (pm.hostPort !== undefined) {
        r.report('EGO_PORT_MAPPING', [...at, 'hostPort'], 'hostPort cannot be given with containerPortRange (ECS picks the host ports)');
      }
    });
  });
};

/** Container settings Fargate refuses: the path below the container, and what it is. */
const FARGATE_CONTAINER: readonly { path: readonly string[]; isSet: (c: ContainerDefinition) => boolean }[] = [
  { path: ['privileged'], isSet: (c) => c.privileged === true },
  { path: ['links'], isSet: (c) => (c.links?.length ?? 0) > 0 },
  { path: ['dockerSecurityOptions'], isSet: (c) => (c.dockerSecurityOptions?.length ?? 0) > 0 },
  { path: ['linuxParameters', 'devices'], isSet: (c) => (c.linuxParameters?.devices?.length ?? 0) > 0 },
  { path: ['linuxParameters', 'sharedMemorySize'], isSet: (c) => c.linuxParameters?.sharedMemorySize !== undefined },
  { path: ['linuxParameters', 'tmpfs'], isSet: (c) => (c.linuxParameters?.tmpfs?.length ?? 0) > 0 },
  { path: ['linuxParameters', 'maxSwap'], isSet: (c) => c.linuxParameters?.maxSwap !== undefined },
  { path: ['linuxParameters', 'swappiness'], isSet: (c) => c.linuxParameters?.swappiness !== undefined },
];

function fargateTask(spec: EcsServiceSpec): boolean {
  return runsOnFargate(spec) || (spec.taskDefinition?.requiresCompatibilities?.includes('FARGATE') ?? false);
}

export const fargateUnsupported: Rule<EcsServiceManifest> = (m, r) => {
  const td = m.spec.taskDefinition;
  if (!td || !fargateTask(m.spec)) return;
  td.containers.forEach((c, ci) => {
    for (const f of FARGATE_CONTAINER) {
      if (f.isSet(c)) r.report('EGO_FARGATE_UNSUPPORTED', containerPath(ci, ...f.path), `Fargate does not support ${f.path.join('.')} (container "${c.name}")`);
    }
  });
  if (td.ipcMode !== undefined) r.report('EGO_FARGATE_UNSUPPORTED', [...TD, 'ipcMode'], 'Fargate does not support ipcMode');
  if (td.pidMode === 'host') r.report('EGO_FARGATE_UNSUPPORTED', [...TD, 'pidMode'], 'Fargate supports pidMode task only', { target: 'value' });
  if ((td.placementConstraints?.length ?? 0) > 0)
    r.report('EGO_FARGATE_UNSUPPORTED', [...TD, 'placementConstraints'], 'Fargate does not support placementConstraints');
  const hostVolume = td.volumes?.findIndex((v) => v.host?.sourcePath !== undefined || v.dockerVolumeConfiguration !== undefined) ?? -1;
  if (hostVolume >= 0) {
    r.report(
      'EGO_FARGATE_UNSUPPORTED',
      [...TD, 'volumes', hostVolume],
      'Fargate supports bind mounts without host.sourcePath, EFS and FSx volumes only (no host paths, no Docker volumes)',
    );
  }
};

export const awsvpcUnsupported: Rule<EcsServiceManifest> = (m, r) => {
  const td = m.spec.taskDefinition;
  if (!td || (td.networkMode ?? 'awsvpc') !== 'awsvpc') return;
  td.containers.forEach((c, ci) => {
    if ((c.links?.length ?? 0) > 0) r.report('EGO_AWSVPC_UNSUPPORTED', containerPath(ci, 'links'), 'links are not supported with networkMode awsvpc');
    if (c.hostname !== undefined) r.report('EGO_AWSVPC_UNSUPPORTED', containerPath(ci, 'hostname'), 'hostname is not supported with networkMode awsvpc');
    if ((c.extraHosts?.length ?? 0) > 0)
      r.report('EGO_AWSVPC_UNSUPPORTED', containerPath(ci, 'extraHosts'), 'extraHosts are not supported with networkMode awsvpc');
  });
};

export const containerReferences: Rule<EcsServiceManifest> = (m, r) => {
  const td = m.spec.taskDefinition;
  if (!td) return;
  const volumes = new Set((td.volumes ?? []).map((v) => v.name));
  const containers = new Set(td.containers.map((c) => c.name));
  td.containers.forEach((c, ci) => {
    c.mountPoints?.forEach((mp, i) => {
      if (!volumes.has(mp.sourceVolume)) {
        r.report(
          'EGO_VOLUME_NOT_FOUND',
          containerPath(ci, 'mountPoints', i, 'sourceVolume'),
          `no volume "${mp.sourceVolume}" in the task definition's volumes`,
          { target: 'value' },
        );
      }
    });
    const refs: [DocPath, string][] = [
      ...(c.dependsOn ?? []).map((d, i): [DocPath, string] => [containerPath(ci, 'dependsOn', i, 'containerName'), d.containerName]),
      ...(c.volumesFrom ?? []).map((v, i): [DocPath, string] => [containerPath(ci, 'volumesFrom', i, 'sourceContainer'), v.sourceContainer]),
    ];
    for (const [at, name] of refs) {
      if (!containers.has(name) || name === c.name)
        r.report('EGO_CONTAINER_NOT_FOUND', at, `"${name}" is not another container of the task definition`, { target: 'value' });
    }
  });
};

/** Task definition rules, in the order they run (after ECS_RULES). */
export const TASK_DEFINITION_RULES: readonly Rule<EcsServiceManifest>[] = [
  secretValueFrom,
  portMappingPort,
  fargateUnsupported,
  awsvpcUnsupported,
  containerReferences,
];
