/**
 * The RegisterTaskDefinition request for an inline task definition, built in one place: apply
 * sends it, and validation measures it against the size AWS accepts (src/reconcile/aws-limits.ts).
 */
import type { ContainerDefinition as AwsContainer, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import type { ContainerDefinition, InlineTaskDefinition } from '../../../manifests/types.js';
import { parseCpu, parseMemory } from '../../../manifests/units.js';
import { ownerTags, toEcsTagList } from '../../../kit/apply-tags.js';
import { OWNER_TAGS } from '../../../kit/types.js';
import { contentHash } from './diff.js';
import { CONTAINER_SETTINGS, TASK_SETTINGS, copySettings } from './settings.js';

/**
 * The tags a registered revision carries: the manifest's, the owner tags naming the EcsService
 * `ownerKey`, and the content hash revisions are reused by.
 */
export function registerTags(td: InlineTaskDefinition, controllerId: string, ownerKey: string, hash: string = contentHash(td)): Record<string, string> {
  return { ...(td.tags ?? {}), ...ownerTags(controllerId, ownerKey), [OWNER_TAGS.contentHash]: hash };
}

function canonical(value: string | number, parse: (v: string | number) => number | undefined): string {
  const n = parse(value);
  return n === undefined ? String(value) : String(n);
}

/** RegisterTaskDefinition input from the manifest's inline task definition. */
export function registerRequest(td: InlineTaskDefinition, tags: Record<string, string>): RegisterTaskDefinitionRequest {
  return {
    family: td.family,
    cpu: canonical(td.cpu, parseCpu),
    memory: canonical(td.memory, parseMemory),
    networkMode: td.networkMode ?? 'awsvpc',
    requiresCompatibilities: td.requiresCompatibilities,
    executionRoleArn: td.executionRoleArn,
    taskRoleArn: td.taskRoleArn,
    containerDefinitions: td.containers.map(container),
    tags: toEcsTagList(tags),
    // The manifest spells these settings as the API does (crds/ecs-service.schema.json), so they are sent as written.
    ...(copySettings(td, TASK_SETTINGS) as Partial<RegisterTaskDefinitionRequest>),
  };
}

function container(c: ContainerDefinition): AwsContainer {
  return {
    name: c.name,
    image: c.image,
    cpu: c.cpu,
    memory: c.memory,
    memoryReservation: c.memoryReservation,
    essential: c.essential,
    portMappings: c.portMappings?.map((p) => ({ ...p })),
    environment: c.environment
      ? Object.entries(c.environment)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([name, value]) => ({ name, value }))
      : undefined,
    secrets: c.secrets?.map((s) => ({ ...s })),
    logConfiguration: c.logConfiguration
      ? {
          logDriver: c.logConfiguration.logDriver,
          options: c.logConfiguration.options ? { ...c.logConfiguration.options } : undefined,
          secretOptions: c.logConfiguration.secretOptions?.map((s) => ({ ...s })),
        }
      : undefined,
    healthCheck: c.healthCheck ? { ...c.healthCheck, command: [...c.healthCheck.command] } : undefined,
    command: c.command ? [...c.command] : undefined,
    entryPoint: c.entryPoint ? [...c.entryPoint] : undefined,
    workingDirectory: c.workingDirectory,
    user: c.user,
    ...(copySettings(c, CONTAINER_SETTINGS) as Partial<AwsContainer>),
  };
}
