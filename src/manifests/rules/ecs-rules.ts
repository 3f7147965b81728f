import { FARGATE_MEMORY_BY_CPU, isValidFargateSize } from '../../util/fargate.js';
import { describeFargateMemory, parseCpu, parseMemory } from '../units.js';
import type { CloudMapServiceManifest, ContainerDefinition, EcsServiceManifest, EcsServiceSpec } from '../types.js';
import type { ReferenceRule, Rule } from './rule.js';
import { DEPLOYMENT_RULES } from './deployment-rules.js';

/** True when the tasks of this service run on Fargate (as far as the manifest says). */
export function runsOnFargate(spec: EcsServiceSpec): boolean {
  if (spec.launchType !== undefined) return spec.launchType === 'FARGATE';
  if (spec.capacityProviderStrategy) return spec.capacityProviderStrategy.some((s) => s.capacityProvider.startsWith('FARGATE'));
  return spec.taskDefinition?.requiresCompatibilities?.includes('FARGATE') ?? false;
}

/** Fargate validates the task definition when it declares FARGATE compatibility or runs there. */
function fargateTask(spec: EcsServiceSpec): boolean {
  return runsOnFargate(spec) || (spec.taskDefinition?.requiresCompatibilities?.includes('FARGATE') ?? false);
}

function networkMode(spec: EcsServiceSpec): string | undefined {
  return spec.taskDefinition ? (spec.taskDefinition.networkMode ?? 'awsvpc') : undefined;
}

export const taskDefinitionXor: Rule<EcsServiceManifest> = (m, r) => {
  const { taskDefinition, taskDefinitionRef } = m.spec;
  if (taskDefinition !== undefined && taskDefinitionRef !== undefined) {
    r.report('EGO_TASK_DEFINITION_XOR', ['spec', 'taskDefinitionRef'], 'use either taskDefinition (managed) or taskDefinitionRef (not managed), not both');
  } else if (taskDefinition === undefined && taskDefinitionRef === undefined) {
    r.report('EGO_TASK_DEFINITION_XOR', ['spec'], 'needs taskDefinition (managed) or taskDefinitionRef (deployed by someone else)', {
      field: ['spec', 'taskDefinition'],
    });
  }
};

export const launchTypeXorCapacity: Rule<EcsServiceManifest> = (m, r) => {
  if (m.spec.launchType !== undefined && m.spec.capacityProviderStrategy !== undefined) {
    r.report('EGO_LAUNCH_TYPE_XOR_CAPACITY', ['spec', 'capacityProviderStrategy'], 'use either launchType or capacityProviderStrategy, not both');
  }
};

export const cpuMemoryValues: Rule<EcsServiceManifest> = (m, r) => {
  const td = m.spec.taskDefinition;
  if (!td) return;
  if (parseCpu(td.cpu) === undefined) {
    r.report('EGO_CPU_VALUE', ['spec', 'taskDefinition', 'cpu'], `cpu ${JSON.stringify(td.cpu)} is not a whole number of CPU units (1 vCPU = 1024)`, {
      target: 'value',
    });
  }
  if (parseMemory(td.memory) === undefined) {
    r.report('EGO_MEMORY_VALUE', ['spec', 'taskDefinition', 'memory'], `memory ${JSON.stringify(td.memory)} is not a whole number of MiB (1 GB = 1024)`, {
      target: 'value',
    });
  }
};

export const fargateCpuMemory: Rule<EcsServiceManifest> = (m, r) => {
  const td = m.spec.taskDefinition;
  if (!td || !fargateTask(m.spec)) return;
  const cpu = parseCpu(td.cpu);
  const memory = parseMemory(td.memory);
  if (cpu === undefined || memory === undefined) return;
  if (!FARGATE_MEMORY_BY_CPU.has(cpu)) {
    r.report(
      'EGO_FARGATE_CPU_MEMORY',
      ['spec', 'taskDefinition', 'cpu'],
      `cpu ${cpu} is not a Fargate size (allowed: ${[...FARGATE_MEMORY_BY_CPU.keys()].join(', ')})`,
      {
        target: 'value',
      },
    );
  } else if (!isValidFargateSize(cpu, memory)) {
    r.report(
      'EGO_FARGATE_CPU_MEMORY',
      ['spec', 'taskDefinition', 'memory'],
      `memory ${memory} MiB is not valid with cpu ${cpu} on Fargate (allowed: ${describeFargateMemory(cpu) ?? 'none'})`,
      { target: 'value' },
    );
  }
};

export const fargateNetworkMode: Rule<EcsServiceManifest> = (m, r) => {
  const mode = networkMode(m.spec);
  if (mode !== undefined && mode !== 'awsvpc' && fargateTask(m.spec)) {
    r.report('EGO_FARGATE_NETWORK_MODE', ['spec', 'taskDefinition', 'networkMode'], `Fargate requires networkMode awsvpc (got ${mode})`, { target: 'value' });
  }
};

export const hostPortAwsvpc: Rule<EcsServiceManifest> = (m, r) => {
  if (networkMode(m.spec) !== 'awsvpc') return;
  m.spec.taskDefinition?.containers.forEach((c, ci) => {
    c.portMappings?.forEach((pm, pi) => {
      if (pm.hostPort !== undefined && pm.hostPort !== pm.containerPort) {
        r.report(
          'EGO_HOST_PORT_AWSVPC',
          ['spec', 'taskDefinition', 'containers', ci, 'portMappings', pi, 'hostPort'],
          `with networkMode awsvpc, hostPort must be omitted or equal containerPort ${pm.containerPort} (got ${pm.hostPort})`,
          { target: 'value' },
        );
      }
    });
  });
};

export const networkConfigurationRequired: Rule<EcsServiceManifest> = (m, r) => {
  if (m.spec.networkConfiguration !== undefined) return;
  if (networkMode(m.spec) === 'awsvpc' || runsOnFargate(m.spec)) {
    r.report('EGO_NETWORK_CONFIGURATION_REQUIRED', ['spec'], 'tasks with networkMode awsvpc (and all Fargate tasks) need networkConfiguration with subnets', {
      field: ['spec', 'networkConfiguration'],
    });
  }
};

export const duplicateContainers: Rule<EcsServiceManifest> = (m, r) => {
  const seen = new Set<string>();
  m.spec.taskDefinition?.containers.forEach((c, i) => {
    if (seen.has(c.name)) {
      r.report(
        'EGO_DUPLICATE_CONTAINER',
        ['spec', 'taskDefinition', 'containers', i, 'name'],
        `container name "${c.name}" is used twice in the task definition`,
        {
          target: 'value',
        },
      );
    }
    seen.add(c.name);
  });
};

export const essentialContainer: Rule<EcsServiceManifest> = (m, r) => {
  const containers = m.spec.taskDefinition?.containers;
  if (containers && containers.length > 0 && containers.every((c) => c.essential === false)) {
    r.report(
      'EGO_NO_ESSENTIAL_CONTAINER',
      ['spec', 'taskDefinition', 'containers'],
      'at least one container must be essential (every one says essential: false)',
    );
  }
};

function findContainer(spec: EcsServiceSpec, name: string): ContainerDefinition | undefined {
  return spec.taskDefinition?.containers.find((c) => c.name === name);
}

function mappedPorts(c: ContainerDefinition): number[] {
  return c.portMappings?.flatMap((p) => (p.containerPort === undefined ? [] : [p.containerPort])) ?? [];
}

function containerNames(spec: EcsServiceSpec): string {
  return spec.taskDefinition?.containers.map((c) => c.name).join(', ') ?? '';
}

export const loadBalancerTargets: Rule<EcsServiceManifest> = (m, r) => {
  if (!m.spec.taskDefinition) return; // a referenced task definition is not ours to check
  m.spec.loadBalancers?.forEach((lb, i) => {
    const c = findContainer(m.spec, lb.containerName);
    if (!c) {
      r.report(
        'EGO_LB_CONTAINER_NOT_FOUND',
        ['spec', 'loadBalancers', i, 'containerName'],
        `no container "${lb.containerName}" in the task definition (containers: ${containerNames(m.spec)})`,
        {
          target: 'value',
        },
      );
    } else if (!mappedPorts(c).includes(lb.containerPort)) {
      r.report(
        'EGO_LB_PORT_NOT_FOUND',
        ['spec', 'loadBalancers', i, 'containerPort'],
        `container "${c.name}" has no port mapping for ${lb.containerPort} (mapped: ${mappedPorts(c).join(', ') || 'none'})`,
        { target: 'value' },
      );
    }
  });
};

export const discoveryPort: Rule<EcsServiceManifest> = (m, r) => {
  const d = m.spec.discovery;
  if (!d) return;
  if ((d.containerName === undefined) !== (d.containerPort === undefined)) {
    const missing = d.containerName === undefined ? 'containerName' : 'containerPort';
    r.report('EGO_DISCOVERY_PORT', ['spec', 'discovery'], `containerName and containerPort go together: add ${missing}`, {
      field: ['spec', 'discovery', missing],
    });
  } else if (d.port !== undefined && d.containerName !== undefined) {
    r.report('EGO_DISCOVERY_PORT', ['spec', 'discovery', 'port'], 'use either port or containerName with containerPort, not both');
  }
};

export const discoveryContainer: Rule<EcsServiceManifest> = (m, r) => {
  const d = m.spec.discovery;
  if (!d || d.containerName === undefined || d.containerPort === undefined || !m.spec.taskDefinition) return;
  const c = findContainer(m.spec, d.containerName);
  if (!c) {
    r.report(
      'EGO_DISCOVERY_CONTAINER_NOT_FOUND',
      ['spec', 'discovery', 'containerName'],
      `no container "${d.containerName}" in the task definition (containers: ${containerNames(m.spec)})`,
      {
        target: 'value',
      },
    );
  } else if (!mappedPorts(c).includes(d.containerPort)) {
    r.report(
      'EGO_DISCOVERY_CONTAINER_NOT_FOUND',
      ['spec', 'discovery', 'containerPort'],
      `container "${c.name}" has no port mapping for ${d.containerPort} (mapped: ${mappedPorts(c).join(', ') || 'none'})`,
      { target: 'value' },
    );
  }
};

/** A load balancer item names a target group or a Classic Load Balancer, exactly one of them (as ECS requires). */
export const loadBalancerTargetXor: Rule<EcsServiceManifest> = (m, r) => {
  m.spec.loadBalancers?.forEach((lb, i) => {
    if ((lb.targetGroupArn === undefined) === (lb.loadBalancerName === undefined)) {
      r.report('EGO_LB_TARGET_XOR', ['spec', 'loadBalancers', i], 'needs exactly one of targetGroupArn and loadBalancerName');
    }
  });
};

/** A DAEMON service runs one task per container instance: ECS refuses a desiredCount with it. */
export const daemonDesiredCount: Rule<EcsServiceManifest> = (m, r) => {
  if (m.spec.schedulingStrategy === 'DAEMON' && m.spec.desiredCount !== undefined) {
    r.report('EGO_DAEMON_DESIRED_COUNT', ['spec', 'desiredCount'], 'a DAEMON service runs one task per container instance; leave desiredCount out');
  }
};

/** Rules over an EcsService on its own, in the order they run. */
export const ECS_RULES: readonly Rule<EcsServiceManifest>[] = [
  taskDefinitionXor,
  launchTypeXorCapacity,
  cpuMemoryValues,
  fargateCpuMemory,
  fargateNetworkMode,
  hostPortAwsvpc,
  networkConfigurationRequired,
  duplicateContainers,
  essentialContainer,
  loadBalancerTargets,
  loadBalancerTargetXor,
  daemonDesiredCount,
  discoveryPort,
  discoveryContainer,
  ...DEPLOYMENT_RULES,
];

export const srvPortRequired: ReferenceRule<EcsServiceManifest, CloudMapServiceManifest> = (m, svc, r) => {
  const d = m.spec.discovery;
  const hasSrv = svc.spec.dns?.records.some((rec) => rec.type === 'SRV') ?? false;
  if (d && hasSrv && d.port === undefined && (d.containerName === undefined || d.containerPort === undefined)) {
    r.report(
      'EGO_SRV_PORT_REQUIRED',
      ['spec', 'discovery'],
      `Cloud Map service "${svc.metadata.name}" has SRV records, which need a port: add containerName and containerPort, or port`,
      { field: ['spec', 'discovery', 'containerPort'] },
    );
  }
};

/** Rules over an EcsService and the (valid) CloudMapService it registers in. */
export const ECS_DISCOVERY_RULES: readonly ReferenceRule<EcsServiceManifest, CloudMapServiceManifest>[] = [srvPortRequired];
