import type { ContainerDefinition as AwsContainer, TaskDefinition, Tag } from '@aws-sdk/client-ecs';
import type { ContainerDefinition, InlineTaskDefinition, LogDriver, PortMapping } from '../../../manifests/types.js';
import type { LiveTaskDefinition } from '../../../kit/types.js';
import { tagMap } from '../../../kit/ownership.js';
import { unexpressedTaskDefinitionFields } from './model.js';
import { CONTAINER_SETTINGS, TASK_SETTINGS, copySettings } from './settings.js';

type NetworkMode = NonNullable<InlineTaskDefinition['networkMode']>;
type Compatibility = NonNullable<InlineTaskDefinition['requiresCompatibilities']>[number];

/**
 * A described task definition revision (DescribeTaskDefinition with TAGS) in the manifest's
 * InlineTaskDefinition shape. Values stay as AWS returns them (cpu/memory strings, echoed
 * defaults such as `essential: true`, `protocol: tcp`, `cpu: 0`); only the environment list
 * becomes a map. A missing task-level cpu/memory becomes "" so it still differs from any
 * declared value. Settings the manifest cannot express are listed in `unexpressed`.
 * Returns undefined when identity fields are missing.
 */
export function convertTaskDefinition(td: TaskDefinition, tags: readonly Tag[] | undefined): LiveTaskDefinition | undefined {
  const { taskDefinitionArn: arn, family, revision } = td;
  if (!arn || !family || revision === undefined) return undefined;
  const tagsMap = tagMap(tags);
  const spec: InlineTaskDefinition = {
    family,
    cpu: td.cpu ?? '',
    memory: td.memory ?? '',
    containers: (td.containerDefinitions ?? []).map(convertContainer),
  };
  if (td.networkMode) spec.networkMode = td.networkMode as NetworkMode;
  if (td.requiresCompatibilities) spec.requiresCompatibilities = td.requiresCompatibilities.map((c) => c as Compatibility);
  if (td.executionRoleArn) spec.executionRoleArn = td.executionRoleArn;
  if (td.taskRoleArn) spec.taskRoleArn = td.taskRoleArn;
  if (Object.keys(tagsMap).length > 0) spec.tags = tagsMap;
  // Settings in the AWS shape: copied when set (ECS's echoed defaults such as `mountPoints: []` left out).
  Object.assign(spec, copySettings(td, TASK_SETTINGS));
  const live: LiveTaskDefinition = { arn, family, revision, tags: tagsMap, spec };
  const unexpressed = unexpressedTaskDefinitionFields(td);
  if (unexpressed.length > 0) live.unexpressed = unexpressed;
  return live;
}

function convertContainer(c: AwsContainer): ContainerDefinition {
  const out: ContainerDefinition = { name: c.name ?? '', image: c.image ?? '' };
  if (c.cpu !== undefined) out.cpu = c.cpu;
  if (c.memory !== undefined) out.memory = c.memory;
  if (c.memoryReservation !== undefined) out.memoryReservation = c.memoryReservation;
  if (c.essential !== undefined) out.essential = c.essential;
  if (c.portMappings) out.portMappings = c.portMappings.map(convertPortMapping);
  if (c.environment) {
    const env: Record<string, string> = {};
    for (const kv of c.environment) if (kv.name !== undefined) env[kv.name] = kv.value ?? '';
    out.environment = env;
  }
  if (c.secrets) out.secrets = c.secrets.map((s) => ({ name: s.name ?? '', valueFrom: s.valueFrom ?? '' }));
  if (c.logConfiguration?.logDriver) {
    const lc = c.logConfiguration;
    const log: NonNullable<ContainerDefinition['logConfiguration']> = { logDriver: lc.logDriver as LogDriver };
    if (lc.options) log.options = { ...lc.options };
    if (lc.secretOptions) log.secretOptions = lc.secretOptions.map((s) => ({ name: s.name ?? '', valueFrom: s.valueFrom ?? '' }));
    out.logConfiguration = log;
  }
  if (c.healthCheck?.command) {
    const hc = c.healthCheck;
    out.healthCheck = { command: [...(hc.command ?? [])] };
    if (hc.interval !== undefined) out.healthCheck.interval = hc.interval;
    if (hc.timeout !== undefined) out.healthCheck.timeout = hc.timeout;
    if (hc.retries !== undefined) out.healthCheck.retries = hc.retries;
    if (hc.startPeriod !== undefined) out.healthCheck.startPeriod = hc.startPeriod;
  }
  if (c.command) out.command = [...c.command];
  if (c.entryPoint) out.entryPoint = [...c.entryPoint];
  if (c.workingDirectory !== undefined) out.workingDirectory = c.workingDirectory;
  if (c.user !== undefined) out.user = c.user;
  Object.assign(out, copySettings(c, CONTAINER_SETTINGS));
  return out;
}

function convertPortMapping(p: NonNullable<AwsContainer['portMappings']>[number]): PortMapping {
  const out: PortMapping = {};
  if (p.containerPort !== undefined) out.containerPort = p.containerPort;
  if (p.containerPortRange !== undefined) out.containerPortRange = p.containerPortRange;
  if (p.hostPort !== undefined) out.hostPort = p.hostPort;
  if (p.protocol) out.protocol = p.protocol as NonNullable<PortMapping['protocol']>;
  if (p.name !== undefined) out.name = p.name;
  if (p.appProtocol) out.appProtocol = p.appProtocol as NonNullable<PortMapping['appProtocol']>;
  return out;
}
