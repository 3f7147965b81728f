import { fargateRuns } from '../../aws-rules/fargate.js';
import type { JsonObject } from '../../types.js';
import { epochSeconds, type EcsContext } from './context.js';
import type { ContainerInfo, TaskDefinitionRecord } from './state.js';
import {
  checkName,
  clientError,
  invalidParameter,
  normalizeCpu,
  normalizeMemory,
  objectList,
  optString,
  pageSize,
  parseTags,
  stringList,
} from './validation.js';

const NETWORK_MODES = new Set(['bridge', 'host', 'awsvpc', 'none']);

/**
 * ECS service quotas: "Task definition size" 64 KiB and "Containers per task definition" 10,
 * neither adjustable (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html).
 * The size is measured on the request JSON; ECS's message over it is the one quoted in
 * awsdocs/amazon-ecs-developer-guide#149.
 */
export const MAX_TASK_DEFINITION_BYTES = 65_536;
export const MAX_CONTAINERS_PER_TASK_DEFINITION = 10;

export function registerTaskDefinition(ctx: EcsContext, input: JsonObject): JsonObject {
  const bytes = Buffer.byteLength(JSON.stringify(input), 'utf8');
  if (bytes > MAX_TASK_DEFINITION_BYTES) throw clientError(`Actual length: '${bytes}'. Max allowed length is '${MAX_TASK_DEFINITION_BYTES}' bytes.`);
  const family = optString(input, 'family');
  if (!family) throw clientError('Family should not be null or empty.');
  checkName('Family', family);
  const networkMode = optString(input, 'networkMode') ?? 'bridge';
  if (!NETWORK_MODES.has(networkMode)) throw clientError(`Invalid networkMode: ${networkMode}.`);
  const requires = stringList(input, 'requiresCompatibilities');
  const rawCpu = optString(input, 'cpu');
  const rawMemory = optString(input, 'memory');
  const cpu = rawCpu === undefined ? undefined : normalizeCpu(rawCpu);
  const memory = rawMemory === undefined ? undefined : normalizeMemory(rawMemory);
  if (requires.includes('FARGATE')) {
    if (networkMode !== 'awsvpc') throw clientError('Fargate only supports network mode \u2018awsvpc\u2019.');
    if (cpu === undefined) throw clientError("Fargate requires that 'cpu' be defined at the task level.");
    if (memory === undefined) throw clientError("Fargate requires that 'memory' be defined at the task level.");
    if (!fargateRuns(Number(cpu), Number(memory))) {
      throw clientError(
        `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
      );
    }
  }
  const fargate = requires.includes('FARGATE');
  checkEphemeralStorage(input);
  if (fargate) checkFargateTask(input);
  const rawContainers = objectList(input, 'containerDefinitions');
  if (rawContainers.length === 0) throw clientError('TaskDefinition must contain at least one container definition.');
  if (rawContainers.length > MAX_CONTAINERS_PER_TASK_DEFINITION) throw clientError('Too many containers.');
  const seen = new Set<string>();
  const containers = rawContainers.map((c) => {
    if (fargate) checkFargateContainer(c);
    const out = normalizeContainer(c, networkMode, memory !== undefined);
    const name = out['name'] as string;
    if (seen.has(name)) throw clientError(`Duplicate container name: ${name}.`);
    seen.add(name);
    return out;
  });
  const tags = parseTags(input['tags']);

  const revisions = ctx.state.families.get(family) ?? [];
  if (revisions.length === 0) {
    ctx.state.families.set(family, revisions);
    insertSorted(ctx.state.sortedFamilies, family);
  }
  const revision = revisions.length + 1;
  const arn = `arn:aws:ecs:${ctx.world.options.region}:${ctx.world.options.accountId}:task-definition/${family}:${revision}`;
  const fargateOk = networkMode === 'awsvpc' && cpu !== undefined && memory !== undefined && fargateRuns(Number(cpu), Number(memory));
  const compatibilities = fargateOk ? ['EC2', 'FARGATE'] : ['EC2'];
  const body: JsonObject = {
    taskDefinitionArn: arn,
    containerDefinitions: containers,
    family,
    ...pick(input, ['taskRoleArn', 'executionRoleArn']),
    networkMode,
    revision,
    volumes: objectList(input, 'volumes').map(echoVolume),
    requiresAttributes: requiredAttributes(input, networkMode, containers),
    placementConstraints: objectList(input, 'placementConstraints'),
    compatibilities,
    ...(input['runtimePlatform'] ? { runtimePlatform: input['runtimePlatform'] } : {}),
    ...(requires.length ? { requiresCompatibilities: requires } : {}),
    ...(cpu !== undefined ? { cpu } : {}),
    ...(memory !== undefined ? { memory } : {}),
    ...pick(input, ['pidMode', 'ipcMode', 'proxyConfiguration', 'inferenceAccelerators', 'ephemeralStorage', 'enableFaultInjection']),
    registeredAt: epochSeconds(ctx.world.now()),
    registeredBy: `arn:aws:iam::${ctx.world.options.accountId}:root`,
  };
  const record: TaskDefinitionRecord = {
    arn,
    family,
    revision,
    status: 'ACTIVE',
    body,
    networkMode,
    compatibilities,
    containers: containers.map(containerInfo),
    tags,
  };
  revisions.push(record);
  ctx.state.taskDefinitionsByArn.set(arn, record);
  return { taskDefinition: renderTaskDefinition(record), tags };
}

export function describeTaskDefinition(ctx: EcsContext, input: JsonObject): JsonObject {
  const ref = optString(input, 'taskDefinition');
  if (!ref) throw clientError('TaskDefinition can not be blank.');
  const record = findTaskDefinition(ctx, ref);
  if (!record) throw clientError('Unable to describe task definition.');
  const out: JsonObject = { taskDefinition: renderTaskDefinition(record) };
  if (stringList(input, 'include').includes('TAGS')) out['tags'] = record.tags;
  return out;
}

export function deregisterTaskDefinition(ctx: EcsContext, input: JsonObject): JsonObject {
  const ref = optString(input, 'taskDefinition') ?? '';
  if (!ref.includes(':')) throw clientError('Invalid revision number. Number: ' + ref);
  const record = findTaskDefinition(ctx, ref);
  if (!record) throw clientError('The specified task definition does not exist.');
  if (record.status === 'ACTIVE') {
    record.status = 'INACTIVE';
    record.deregisteredAt = ctx.world.now();
  }
  return { taskDefinition: renderTaskDefinition(record) };
}

interface TaskDefinitionToken {
  f: string;
  r: number;
}

export function listTaskDefinitions(ctx: EcsContext, input: JsonObject): JsonObject {
  const limit = pageSize(input, 100, 100);
  const status = optString(input, 'status') ?? 'ACTIVE';
  if (status !== 'ACTIVE' && status !== 'INACTIVE' && status !== 'DELETE_IN_PROGRESS') throw invalidParameter(`Invalid status: ${status}.`);
  const desc = (optString(input, 'sort') ?? 'ASC') === 'DESC';
  const family = optString(input, 'familyPrefix');
  const token = decodeToken(optString(input, 'nextToken'));
  const families = family === undefined ? ctx.state.sortedFamilies : ctx.state.families.has(family) ? [family] : [];

  // Walk families in order from the token's family, revisions in order within each.
  let fi = token ? lowerBound(families, token.f) : desc ? families.length - 1 : 0;
  if (token && desc && families[fi] !== token.f) fi--;
  const arns: string[] = [];
  let last: TaskDefinitionToken | undefined;
  for (; fi >= 0 && fi < families.length; fi += desc ? -1 : 1) {
    const name = families[fi]!;
    const revisions = ctx.state.families.get(name) ?? [];
    let ri = desc ? revisions.length - 1 : 0;
    if (token && token.f === name) ri = desc ? token.r - 2 : token.r;
    for (; ri >= 0 && ri < revisions.length; ri += desc ? -1 : 1) {
      const rec = revisions[ri]!;
      if (rec.status !== status) continue;
      if (arns.length === limit) return { taskDefinitionArns: arns, nextToken: encodeToken(last!) };
      arns.push(rec.arn);
      last = { f: name, r: rec.revision };
    }
  }
  return { taskDefinitionArns: arns };
}

/** A task definition by ARN, `family:revision`, or `family` (its latest ACTIVE revision). */
export function findTaskDefinition(ctx: EcsContext, ref: string): TaskDefinitionRecord | undefined {
  if (ref.startsWith('arn:')) return ctx.state.taskDefinitionsByArn.get(ref);
  const colon = ref.lastIndexOf(':');
  if (colon >= 0) {
    const revision = Number(ref.slice(colon + 1));
    if (!Number.isInteger(revision) || revision < 1) throw clientError(`Invalid revision number. Number: ${ref.slice(colon + 1)}`);
    return ctx.state.families.get(ref.slice(0, colon))?.[revision - 1];
  }
  const revisions = ctx.state.families.get(ref) ?? [];
  for (let i = revisions.length - 1; i >= 0; i--) if (revisions[i]!.status === 'ACTIVE') return revisions[i];
  return undefined;
}

export function renderTaskDefinition(r: TaskDefinitionRecord): JsonObject {
  return {
    ...r.body,
    status: r.status,
    ...(r.deregisteredAt !== undefined ? { deregisteredAt: epochSeconds(r.deregisteredAt) } : {}),
  };
}

function normalizeContainer(c: JsonObject, networkMode: string, taskMemory: boolean): JsonObject {
  const name = c['name'];
  if (typeof name !== 'string' || name === '') throw clientError('Container.name should not be null or empty.');
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) throw clientError('Container.name contains invalid characters.');
  if (typeof c['image'] !== 'string' || c['image'] === '') throw clientError('Container.image should not be null or empty.');
  if (!taskMemory && c['memory'] === undefined && c['memoryReservation'] === undefined) {
    throw clientError(`Invalid setting for container '${name}'. At least one of 'memory' or 'memoryReservation' must be specified.`);
  }
  if (networkMode === 'awsvpc' && stringList(c, 'links').length > 0) throw clientError('Links are not supported when networkMode=awsvpc.');
  const portMappings = objectList(c, 'portMappings').map((p) => {
    const containerPort = p['containerPort'];
    const sameHost = networkMode === 'awsvpc' || networkMode === 'host';
    // A container port range stands instead of a port; ECS assigns the host ports.
    if (containerPort === undefined && typeof p['containerPortRange'] === 'string') return { ...p, protocol: p['protocol'] ?? 'tcp' };
    if (typeof containerPort !== 'number' || !Number.isInteger(containerPort)) throw clientError('Container port should not be null.');
    const hostPort = p['hostPort'];
    if (sameHost && hostPort !== undefined && hostPort !== containerPort) {
      throw clientError(`When networkMode=${networkMode}, the host ports and container ports in port mappings must match.`);
    }
    return {
      ...p,
      containerPort,
      hostPort: sameHost ? containerPort : (hostPort ?? 0),
      protocol: p['protocol'] ?? 'tcp',
    };
  });
  const healthCheck = c['healthCheck'] as JsonObject | undefined;
  return {
    cpu: 0,
    environment: [],
    mountPoints: [],
    volumesFrom: [],
    systemControls: [],
    ...c,
    portMappings,
    essential: c['essential'] ?? true,
    // ECS echoes the health check defaults (interval 30, timeout 5, retries 3); startPeriod stays absent.
    ...(healthCheck ? { healthCheck: { interval: 30, timeout: 5, retries: 3, ...healthCheck } } : {}),
  };
}

/**
 * Settings Fargate refuses on a container (API reference, ContainerDefinition and
 * LinuxParameters; the message is the one ECS gives for sharedMemorySize).
 */
const FARGATE_UNSUPPORTED_CONTAINER = ['privileged', 'links', 'dockerSecurityOptions'] as const;
const FARGATE_UNSUPPORTED_LINUX = ['devices', 'sharedMemorySize', 'tmpfs', 'maxSwap', 'swappiness'] as const;

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false && !(Array.isArray(v) && v.length === 0);
}

function checkFargateContainer(c: JsonObject): void {
  for (const f of FARGATE_UNSUPPORTED_CONTAINER) if (isSet(c[f])) throw clientError(`Fargate compatible task definitions do not support ${f}`);
  const linux = c['linuxParameters'] as JsonObject | undefined;
  for (const f of FARGATE_UNSUPPORTED_LINUX) if (linux && isSet(linux[f])) throw clientError(`Fargate compatible task definitions do not support ${f}`);
}

function checkFargateTask(input: JsonObject): void {
  if (isSet(input['ipcMode'])) throw clientError('Fargate compatible task definitions do not support ipcMode');
  if (input['pidMode'] === 'host') throw clientError('Fargate compatible task definitions do not support pidMode host');
  if (objectList(input, 'placementConstraints').length > 0) throw clientError('Fargate compatible task definitions do not support placementConstraints');
}

/** ephemeralStorage.sizeInGiB: 21-200 (API reference, EphemeralStorage). */
function checkEphemeralStorage(input: JsonObject): void {
  const storage = input['ephemeralStorage'] as JsonObject | undefined;
  if (storage === undefined || storage === null) return;
  const size = storage['sizeInGiB'];
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 21 || size > 200) {
    throw clientError(`Invalid 'ephemeralStorage.sizeInGiB' value: ${String(size)}. The value must be between 21 and 200 GiB.`);
  }
}

const VOLUME_CONFIGURATIONS = [
  'host',
  'dockerVolumeConfiguration',
  'efsVolumeConfiguration',
  'fsxWindowsFileServerVolumeConfiguration',
  's3filesVolumeConfiguration',
];

/**
 * A volume as DescribeTaskDefinition returns it: a volume with no configuration is a bind mount
 * and comes back with `host: {}`; an EFS volume without rootDirectory comes back with "/".
 */
function echoVolume(v: JsonObject): JsonObject {
  const configured = VOLUME_CONFIGURATIONS.some((k) => v[k] !== undefined && v[k] !== null) || v['configuredAtLaunch'] === true;
  const out: JsonObject = configured ? { ...v } : { ...v, host: {} };
  const efs = v['efsVolumeConfiguration'] as JsonObject | undefined;
  if (efs && efs['rootDirectory'] === undefined) out['efsVolumeConfiguration'] = { ...efs, rootDirectory: '/' };
  return out;
}

function containerInfo(c: JsonObject): ContainerInfo {
  const ports = (c['portMappings'] as JsonObject[]).flatMap((p) => (typeof p['containerPort'] === 'number' ? [p['containerPort']] : []));
  return { name: c['name'] as string, containerPorts: ports };
}

function requiredAttributes(input: JsonObject, networkMode: string, containers: JsonObject[]): JsonObject[] {
  const names = ['com.amazonaws.ecs.capability.docker-remote-api.1.18'];
  if (networkMode === 'awsvpc') names.push('ecs.capability.task-eni');
  if (input['taskRoleArn']) names.push('com.amazonaws.ecs.capability.task-iam-role');
  if (input['executionRoleArn']) names.push('ecs.capability.execution-role-ecr-pull');
  const logDrivers = new Set(containers.map((c) => (c['logConfiguration'] as JsonObject | undefined)?.['logDriver']));
  if (logDrivers.has('awslogs')) {
    names.push('com.amazonaws.ecs.capability.logging-driver.awslogs');
    if (input['executionRoleArn']) names.push('ecs.capability.execution-role-awslogs');
  }
  return names.map((name) => ({ name }));
}

function pick(input: JsonObject, fields: string[]): JsonObject {
  const out: JsonObject = {};
  for (const f of fields) if (input[f] !== undefined && input[f] !== null) out[f] = input[f];
  return out;
}

function insertSorted(list: string[], value: string): void {
  list.splice(lowerBound(list, value), 0, value);
}

function lowerBound(list: readonly string[], value: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function encodeToken(t: TaskDefinitionToken): string {
  return Buffer.from(JSON.stringify({ k: 'taskdefs', ...t }), 'utf8').toString('base64url');
}

function decodeToken(token: string | undefined): TaskDefinitionToken | undefined {
  if (token === undefined) return undefined;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; f?: unknown; r?: unknown };
    if (t.k === 'taskdefs' && typeof t.f === 'string' && typeof t.r === 'number') return { f: t.f, r: t.r };
  } catch {
    // fall through to the AWS-style error
  }
  throw invalidParameter('Invalid nextToken.');
}
