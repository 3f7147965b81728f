import type { ContainerDefinition, InlineTaskDefinition, PortMapping } from '../../../manifests/types.js';
import { normalizeTags } from '../../../kit/diff-tags.js';
import { sortedBy, sortedRecord } from '../../../util/deep-equal.js';
import { parseCpu, parseMemory } from '../../../manifests/units.js';
import { CONTAINER_SETTINGS, CONTAINER_SETTING_NAMES, TASK_SETTINGS, TASK_SETTING_NAMES, normalizedSettings } from './settings.js';

/** Network mode when the manifest leaves it out (the manifest format's default). */
export const DEFAULT_NETWORK_MODE = 'awsvpc';

type NameValue = { name: string; valueFrom: string };
type HealthCheck = NonNullable<ContainerDefinition['healthCheck']>;
type LogConfiguration = NonNullable<ContainerDefinition['logConfiguration']>;

/** "0.25 vCPU" -> "256": ECS converts units on register and returns the numeric string. Unparseable values stay as written. */
function canonicalCpu(value: string | number): string {
  return String(parseCpu(value) ?? String(value).trim());
}

/** "1 GB" -> "1024" (MiB), as ECS returns it. Unparseable values stay as written. */
function canonicalMemory(value: string | number): string {
  return String(parseMemory(value) ?? String(value).trim());
}

/**
 * The hostPort ECS reports for a mapping that leaves it out: under awsvpc and host it must be
 * empty or equal and comes back equal; under bridge an omitted hostPort means a dynamic port
 * and comes back as 0.
 */
function defaultHostPort(containerPort: number | undefined, networkMode: string): number | undefined {
  // A container port range has no host port in the task definition.
  if (containerPort === undefined) return undefined;
  if (networkMode === 'awsvpc' || networkMode === 'host') return containerPort;
  if (networkMode === 'bridge') return 0;
  return undefined;
}

function normalizePortMapping(p: PortMapping, networkMode: string): PortMapping {
  const out: PortMapping = {};
  if (p.containerPort !== undefined) out.containerPort = p.containerPort;
  if (p.containerPortRange !== undefined) out.containerPortRange = p.containerPortRange;
  const hostPort = p.hostPort ?? defaultHostPort(p.containerPort, networkMode);
  if (hostPort !== undefined) out.hostPort = hostPort;
  out.protocol = p.protocol ?? 'tcp';
  if (p.name !== undefined) out.name = p.name;
  if (p.appProtocol !== undefined) out.appProtocol = p.appProtocol;
  return out;
}

function sortedSecrets(list: readonly NameValue[] | undefined): NameValue[] {
  return sortedBy(
    (list ?? []).map((s) => ({ name: s.name, valueFrom: s.valueFrom })),
    (s) => s.name,
  );
}

function normalizeHealthCheck(h: HealthCheck): HealthCheck {
  // ECS defaults: interval 30 s, timeout 5 s, retries 3; the command is ordered.
  const out: HealthCheck = { command: [...h.command], interval: h.interval ?? 30, timeout: h.timeout ?? 5, retries: h.retries ?? 3 };
  if (h.startPeriod !== undefined) out.startPeriod = h.startPeriod;
  return out;
}

function normalizeLogConfiguration(l: LogConfiguration): LogConfiguration {
  const out: LogConfiguration = { logDriver: l.logDriver, options: sortedRecord(l.options ?? {}) };
  const secretOptions = sortedSecrets(l.secretOptions);
  if (secretOptions.length > 0) out.secretOptions = secretOptions;
  return out;
}

/**
 * One container in comparable form; set-like lists sorted, ordered ones (command, entryPoint)
 * kept. `literal`: settings equal to what ECS assumes still count (see Normalizer in settings.ts).
 */
export function normalizeContainer(c: ContainerDefinition, networkMode: string, literal = false): ContainerDefinition {
  const out: ContainerDefinition = { name: c.name, image: c.image };
  // ECS reports a container without a cpu reservation as cpu 0.
  if (c.cpu !== undefined && c.cpu !== 0) out.cpu = c.cpu;
  if (c.memory !== undefined) out.memory = c.memory;
  if (c.memoryReservation !== undefined) out.memoryReservation = c.memoryReservation;
  out.essential = c.essential ?? true;
  out.portMappings = sortedBy(
    (c.portMappings ?? []).map((p) => normalizePortMapping(p, networkMode)),
    (p) => `${String(p.containerPort ?? p.containerPortRange ?? '').padStart(11, '0')}/${p.protocol ?? ''}`,
  );
  out.environment = sortedRecord(c.environment ?? {});
  out.secrets = sortedSecrets(c.secrets);
  if (c.logConfiguration !== undefined) out.logConfiguration = normalizeLogConfiguration(c.logConfiguration);
  if (c.healthCheck !== undefined) out.healthCheck = normalizeHealthCheck(c.healthCheck);
  if (c.command !== undefined) out.command = [...c.command];
  if (c.entryPoint !== undefined) out.entryPoint = [...c.entryPoint];
  if (c.workingDirectory !== undefined) out.workingDirectory = c.workingDirectory;
  if (c.user !== undefined) out.user = c.user;
  Object.assign(out, normalizedSettings(c, CONTAINER_SETTINGS, literal));
  return out;
}

/**
 * An inline task definition in comparable form (a new object; the input is not modified):
 * cpu/memory in canonical units as strings, network mode defaulted, ECS container defaults
 * filled (essential, protocol, hostPort by network mode), set-like lists sorted (containers by name,
 * requiresCompatibilities, port mappings, secrets), maps with sorted keys, tags cleaned.
 * `literal` keeps settings equal to what ECS assumes but reports only when asked for (import's
 * minimizer compares this way so it never drops one; the diff and the content hash do not).
 */
export function normalizeTaskDefinition(td: InlineTaskDefinition, literal = false): InlineTaskDefinition {
  const networkMode = td.networkMode ?? DEFAULT_NETWORK_MODE;
  const out: InlineTaskDefinition = {
    family: td.family,
    cpu: canonicalCpu(td.cpu),
    memory: canonicalMemory(td.memory),
    networkMode,
    containers: sortedBy(
      td.containers.map((c) => normalizeContainer(c, networkMode, literal)),
      (c) => c.name,
    ),
  };
  if (td.requiresCompatibilities !== undefined) out.requiresCompatibilities = [...td.requiresCompatibilities].sort();
  if (td.executionRoleArn !== undefined) out.executionRoleArn = td.executionRoleArn;
  if (td.taskRoleArn !== undefined) out.taskRoleArn = td.taskRoleArn;
  out.tags = normalizeTags(td.tags);
  Object.assign(out, normalizedSettings(td, TASK_SETTINGS, literal));
  return out;
}

/** Optional container fields ecs-gitops registers (everything but name and image). */
const CONTAINER_FIELDS = [
  'cpu',
  'memory',
  'memoryReservation',
  'essential',
  'portMappings',
  'environment',
  'secrets',
  'logConfiguration',
  'healthCheck',
  'command',
  'entryPoint',
  'workingDirectory',
  'user',
  ...CONTAINER_SETTING_NAMES,
] as const satisfies readonly (keyof ContainerDefinition)[];

/** Optional task-level fields ecs-gitops registers. */
const TASK_FIELDS = [
  'requiresCompatibilities',
  'executionRoleArn',
  'taskRoleArn',
  'tags',
  ...TASK_SETTING_NAMES,
] as const satisfies readonly (keyof InlineTaskDefinition)[];

/** `record` with `null` for each of `fields` it leaves out: the diff then compares them as "not set". */
function withAbsent<T extends object>(record: T, fields: readonly (keyof T)[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(record as Record<string, unknown>) };
  for (const f of fields) if (record[f] === undefined) out[f as string] = null;
  return out;
}

/**
 * What the diff compares of an inline task definition: all of it, not only what the manifest
 * writes. ecs-gitops registers the whole revision, so a field left out of the manifest means
 * "not set" (or ECS's default, which normalization fills on both sides): removing a health
 * check or a secret from the manifest is a change. Left-out fields are marked `null`; the
 * network mode is the manifest format's default, awsvpc.
 */
export function declaredTaskDefinition(td: InlineTaskDefinition): Record<string, unknown> {
  return {
    ...withAbsent(td, TASK_FIELDS),
    networkMode: td.networkMode ?? DEFAULT_NETWORK_MODE,
    containers: td.containers.map((c) => withAbsent(c, CONTAINER_FIELDS)),
  };
}
