/**
 * The task definition settings whose manifest shape is the AWS API shape (member names and
 * nesting exactly as in RegisterTaskDefinition): one table per level says how each one is
 * compared. Convert, normalize, the diff and the request builder all read these tables, so a
 * new setting of this kind is one line here (plus its schema and its round-trip sample).
 *
 * A normalizer returns the value in comparable form, or undefined when the value sets nothing
 * or is what ECS assumes (and may echo) when nothing is asked for: `false` flags, empty lists
 * and maps, EFS `rootDirectory: "/"`, `transitEncryption: DISABLED` and the like
 * (docs/aws-behaviour.md). A setting that normalizes to undefined is left out of the
 * normalized task definition, so it never reads as drift and never changes the content hash.
 */
import type { ContainerDefinition, InlineTaskDefinition } from '../../../manifests/types.js';
import { deepEqual, isPlainObject, sortedBy, sortedRecord } from '../../../util/deep-equal.js';

/**
 * A value in comparable form; undefined when it sets nothing. `literal`: a value equal to what
 * ECS assumes when nothing is asked for (a `false` flag, `operatingSystemFamily: LINUX`) still
 * counts as set. DescribeTaskDefinition reports such a value only when the request named it, so
 * the request builder, convert and import keep what was written (a write never drops it); the
 * diff and the content hash compare without `literal`, so it never reads as drift.
 */
export type Normalizer = (value: unknown, literal?: boolean) => unknown;

/** A scalar; `defaultValue` (what ECS assumes when it is absent) counts as unset unless `literal`. */
export function scalar(defaultValue?: unknown): Normalizer {
  return (v, literal) => (v === undefined || v === null || (!literal && defaultValue !== undefined && deepEqual(v, defaultValue)) ? undefined : v);
}

/** A boolean that is off unless true (`literal`: an explicit false is kept). */
export const flag: Normalizer = (v, literal) => (v === true ? true : literal && v === false ? false : undefined);

/** A list whose order matters (DNS servers, env files, mount options); empty = unset. */
export function ordered(item: Normalizer = scalar()): Normalizer {
  return (v, literal) => {
    if (!Array.isArray(v)) return undefined;
    const out = v.map((x) => item(x, literal)).filter((x) => x !== undefined);
    return out.length === 0 ? undefined : out;
  };
}

/** A list used as a set (ulimits by name, mount points by path): sorted by `key`; empty = unset. */
export function set(item: Normalizer = scalar(), key: (x: unknown) => string = (x) => JSON.stringify(x)): Normalizer {
  const list = ordered(item);
  return (v, literal) => {
    const out = list(v, literal) as unknown[] | undefined;
    return out === undefined ? undefined : sortedBy(out, key);
  };
}

/** A string map with sorted keys; empty = unset. */
export const stringMap: Normalizer = (v) => {
  if (!isPlainObject(v) || Object.keys(v).length === 0) return undefined;
  return sortedRecord(v);
};

/** An object normalized member by member; unset members are left out, and an object with none set is unset. */
export function struct(fields: Readonly<Record<string, Normalizer>>): Normalizer {
  return (v, literal) => {
    if (!isPlainObject(v)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [name, normalize] of Object.entries(fields)) {
      const n = normalize(v[name], literal);
      if (n !== undefined) out[name] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  };
}

function member(name: string): (x: unknown) => string {
  return (x) => (isPlainObject(x) ? String(x[name] ?? '') : '');
}

const sortedStrings = set();

/** Container settings in the AWS shape, and how each is compared. */
export const CONTAINER_SETTINGS = {
  repositoryCredentials: struct({ credentialsParameter: scalar() }),
  links: sortedStrings,
  restartPolicy: struct({ enabled: flag, ignoredExitCodes: set(), restartAttemptPeriod: scalar(300) }),
  environmentFiles: ordered(struct({ value: scalar(), type: scalar() })),
  mountPoints: set(struct({ sourceVolume: scalar(), containerPath: scalar(), readOnly: flag }), member('containerPath')),
  volumesFrom: set(struct({ sourceContainer: scalar(), readOnly: flag }), member('sourceContainer')),
  linuxParameters: struct({
    capabilities: struct({ add: sortedStrings, drop: sortedStrings }),
    devices: set(struct({ hostPath: scalar(), containerPath: scalar(), permissions: sortedStrings }), member('hostPath')),
    initProcessEnabled: flag,
    sharedMemorySize: scalar(),
    tmpfs: set(struct({ containerPath: scalar(), size: scalar(), mountOptions: ordered() }), member('containerPath')),
    maxSwap: scalar(),
    swappiness: scalar(),
  }),
  dependsOn: set(struct({ containerName: scalar(), condition: scalar() }), member('containerName')),
  startTimeout: scalar(),
  stopTimeout: scalar(),
  // ECS resolves image tags to digests unless told otherwise, and echoes `enabled`.
  versionConsistency: scalar('enabled'),
  hostname: scalar(),
  disableNetworking: flag,
  privileged: flag,
  readonlyRootFilesystem: flag,
  dnsServers: ordered(),
  dnsSearchDomains: ordered(),
  extraHosts: set(struct({ hostname: scalar(), ipAddress: scalar() })),
  dockerSecurityOptions: sortedStrings,
  interactive: flag,
  pseudoTerminal: flag,
  dockerLabels: stringMap,
  ulimits: set(struct({ name: scalar(), softLimit: scalar(), hardLimit: scalar() }), member('name')),
  systemControls: set(struct({ namespace: scalar(), value: scalar() }), member('namespace')),
  resourceRequirements: set(
    struct({ type: scalar(), value: scalar(), sharingStrategy: struct({ nvidiaMps: struct({ memory: scalar(), maxComputePercent: scalar() }) }) }),
    member('type'),
  ),
  firelensConfiguration: struct({ type: scalar(), options: stringMap }),
  credentialSpecs: sortedStrings,
} as const satisfies Readonly<Partial<Record<keyof ContainerDefinition, Normalizer>>>;

/** Task-level settings in the AWS shape, and how each is compared. */
export const TASK_SETTINGS = {
  // A Linux task on x86 is what ECS runs when no platform is named.
  runtimePlatform: struct({ cpuArchitecture: scalar('X86_64'), operatingSystemFamily: scalar('LINUX') }),
  // Fargate's ephemeral storage without the setting is 20 GiB (21-200 can be asked for).
  ephemeralStorage: struct({ sizeInGiB: scalar(20) }),
  volumes: set(
    (v) =>
      // A volume always has its name, so it is never unset even as a plain bind mount (`host: {}`).
      isPlainObject(v)
        ? {
            name: v['name'],
            ...(struct({
              host: struct({ sourcePath: scalar() }),
              dockerVolumeConfiguration: struct({ scope: scalar('task'), autoprovision: flag, driver: scalar(), driverOpts: stringMap, labels: stringMap }),
              efsVolumeConfiguration: struct({
                fileSystemId: scalar(),
                rootDirectory: scalar('/'),
                transitEncryption: scalar('DISABLED'),
                transitEncryptionPort: scalar(),
                authorizationConfig: struct({ accessPointId: scalar(), iam: scalar('DISABLED') }),
              }),
              fsxWindowsFileServerVolumeConfiguration: struct({
                fileSystemId: scalar(),
                rootDirectory: scalar(),
                authorizationConfig: struct({ credentialsParameter: scalar(), domain: scalar() }),
              }),
              s3filesVolumeConfiguration: struct({
                fileSystemArn: scalar(),
                rootDirectory: scalar('/'),
                transitEncryptionPort: scalar(),
                accessPointArn: scalar(),
              }),
              configuredAtLaunch: flag,
            })(v) as Record<string, unknown> | undefined),
          }
        : undefined,
    member('name'),
  ),
  placementConstraints: set(struct({ type: scalar(), expression: scalar() })),
  pidMode: scalar(),
  ipcMode: scalar(),
  proxyConfiguration: struct({
    containerName: scalar(),
    type: scalar('APPMESH'),
    properties: set(struct({ name: scalar(), value: scalar() }), member('name')),
  }),
  enableFaultInjection: flag,
} as const satisfies Readonly<Partial<Record<keyof InlineTaskDefinition, Normalizer>>>;

export type ContainerSetting = keyof typeof CONTAINER_SETTINGS;
export type TaskSetting = keyof typeof TASK_SETTINGS;
export const CONTAINER_SETTING_NAMES = Object.keys(CONTAINER_SETTINGS) as ContainerSetting[];
export const TASK_SETTING_NAMES = Object.keys(TASK_SETTINGS) as TaskSetting[];

/** Deep copy without null or undefined members (the SDK's output may carry either). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((x) => x !== null && x !== undefined).map(withoutNulls);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}

/**
 * The settings of `table` that `source` sets, copied as they are (nulls dropped). Used both
 * ways: live AWS object -> manifest shape (convert) and manifest -> request (register).
 */
export function copySettings(source: object, table: Readonly<Record<string, Normalizer>>): Record<string, unknown> {
  const record = source as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, normalize] of Object.entries(table)) {
    if (normalize(record[name], true) !== undefined) out[name] = withoutNulls(record[name]);
  }
  return out;
}

/** The settings of `table` that `source` sets, in comparable form (`literal`: see Normalizer). */
export function normalizedSettings(source: object, table: Readonly<Record<string, Normalizer>>, literal = false): Record<string, unknown> {
  const record = source as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, normalize] of Object.entries(table)) {
    const n = normalize(record[name], literal);
    if (n !== undefined) out[name] = n;
  }
  return out;
}
