/** Builders for desired and live resources used by the diff and plan tests. */
import {
  API_VERSION,
  resolvePolicy,
  type CloudMapNamespaceSpec,
  type CloudMapServiceSpec,
  type DesiredOf,
  type EcsServiceSpec,
  type InlineTaskDefinition,
  type SyncPolicy,
} from '../../src/manifests/types.js';
import { OWNER_TAGS, type LiveCloudMapService, type LiveEcsService, type LiveNamespace, type Ownership } from '../../src/kit/types.js';

export const CONTROLLER = 'ecs-gitops';

const SOURCE = { file: 'manifests.yaml', line: 1, col: 1 };

/** Tags that make a live resource owned by CONTROLLER (or `controllerId`). */
export function ownerTagsOf(key: string, controllerId = CONTROLLER): Record<string, string> {
  return { [OWNER_TAGS.controller]: controllerId, [OWNER_TAGS.resource]: key };
}

function ownership(tags: Record<string, string>): Ownership | undefined {
  const controllerId = tags[OWNER_TAGS.controller];
  const resourceKey = tags[OWNER_TAGS.resource];
  return controllerId && resourceKey ? { controllerId, resourceKey } : undefined;
}

export function desiredNamespace(name: string, spec: CloudMapNamespaceSpec, policy?: SyncPolicy): DesiredOf<'CloudMapNamespace'> {
  const s = policy ? { ...spec, syncPolicy: policy } : spec;
  return {
    kind: 'CloudMapNamespace',
    key: `CloudMapNamespace/${name}`,
    name,
    manifest: { apiVersion: API_VERSION, kind: 'CloudMapNamespace', metadata: { name }, spec: s },
    policy: resolvePolicy(policy),
    source: SOURCE,
  };
}

export interface LiveOptions {
  /** Extra tags (owner tags are added unless `unowned`). */
  tags?: Record<string, string>;
  unowned?: boolean;
  controllerId?: string;
}

function liveTags(key: string, spec: { tags?: Record<string, string> }, o: LiveOptions): Record<string, string> {
  return { ...(spec.tags ?? {}), ...(o.tags ?? {}), ...(o.unowned ? {} : ownerTagsOf(key, o.controllerId)) };
}

export function liveNamespace(name: string, spec: CloudMapNamespaceSpec, o: LiveOptions = {}): LiveNamespace {
  const key = `CloudMapNamespace/${name}`;
  const tags = liveTags(key, spec, o);
  const live: LiveNamespace = {
    kind: 'CloudMapNamespace',
    key,
    name,
    arn: `arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-${name}`,
    id: `ns-${name}`,
    tags,
    spec: { ...spec, tags },
  };
  const owner = ownership(tags);
  if (owner) live.owner = owner;
  return live;
}

export function desiredCloudMapService(name: string, spec: CloudMapServiceSpec, policy?: SyncPolicy): DesiredOf<'CloudMapService'> {
  const s = policy ? { ...spec, syncPolicy: policy } : spec;
  return {
    kind: 'CloudMapService',
    key: `CloudMapService/${spec.namespace}/${name}`,
    name,
    manifest: { apiVersion: API_VERSION, kind: 'CloudMapService', metadata: { name }, spec: s },
    policy: resolvePolicy(policy),
    source: SOURCE,
  };
}

export function liveCloudMapService(name: string, spec: CloudMapServiceSpec, o: LiveOptions = {}): LiveCloudMapService {
  const key = `CloudMapService/${spec.namespace}/${name}`;
  const tags = liveTags(key, spec, o);
  const live: LiveCloudMapService = {
    kind: 'CloudMapService',
    key,
    name,
    arn: `arn:aws:servicediscovery:us-east-1:123456789012:service/srv-${name}`,
    id: `srv-${name}`,
    namespaceId: `ns-${spec.namespace}`,
    tags,
    spec: { ...spec, tags },
  };
  const owner = ownership(tags);
  if (owner) live.owner = owner;
  return live;
}

export function desiredEcsService(name: string, spec: EcsServiceSpec, policy?: SyncPolicy): DesiredOf<'EcsService'> {
  const s = policy ? { ...spec, syncPolicy: policy } : spec;
  return {
    kind: 'EcsService',
    key: `EcsService/${spec.cluster ?? 'default'}/${name}`,
    name,
    manifest: { apiVersion: API_VERSION, kind: 'EcsService', metadata: { name }, spec: s },
    policy: resolvePolicy(policy),
    source: SOURCE,
  };
}

export interface LiveEcsOptions extends LiveOptions {
  /** Content of the revision in use (omit: not described). */
  taskDefinition?: InlineTaskDefinition;
  revision?: number;
  status?: string;
}

export function taskDefinitionArn(family: string, revision: number): string {
  return `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;
}

export function liveEcsService(name: string, spec: EcsServiceSpec, o: LiveEcsOptions = {}): LiveEcsService {
  const cluster = spec.cluster ?? 'default';
  const key = `EcsService/${cluster}/${name}`;
  const tags = liveTags(key, spec, o);
  const family = o.taskDefinition?.family ?? name;
  const revision = o.revision ?? 1;
  const tdArn = taskDefinitionArn(family, revision);
  const live: LiveEcsService = {
    kind: 'EcsService',
    key,
    name,
    arn: `arn:aws:ecs:us-east-1:123456789012:service/${cluster}/${name}`,
    tags,
    spec: { ...spec, cluster, tags, taskDefinitionRef: tdArn },
    cluster,
    status: o.status ?? 'ACTIVE',
    taskDefinitionArn: tdArn,
    serviceRegistryArns: [],
    runningCount: 1,
    pendingCount: 0,
    deploymentsInProgress: 0,
  };
  if (o.taskDefinition) {
    live.spec.taskDefinition = o.taskDefinition;
    live.taskDefinition = { arn: tdArn, family, revision, tags: o.taskDefinition.tags ?? {}, spec: o.taskDefinition };
  }
  const owner = ownership(tags);
  if (owner) live.owner = owner;
  return live;
}
