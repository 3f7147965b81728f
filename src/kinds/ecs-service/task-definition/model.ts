/**
 * The manifest model of ECS task definitions, as seen from the raw SDK shape: what
 * convertTaskDefinition carries, what AWS alone sets, and what AWS echoes for settings never
 * asked for (docs/aws-behaviour.md). Any other member that is set is reported by
 * unexpressedPaths. The coverage test (test/coverage) checks it against the SDK's model.
 */
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { oneOf, sortedPaths, unexpressedPaths, type FieldModel } from '../../../kit/unexpressed.js';

const M = 'modelled';
const RO = 'read-only';

const NAME_VALUE: FieldModel = { items: { fields: { name: M, valueFrom: M } } };

const CONTAINER: FieldModel = {
  fields: {
    name: M,
    image: M,
    cpu: M,
    memory: M,
    memoryReservation: M,
    essential: M,
    portMappings: { items: { fields: { containerPort: M, hostPort: M, protocol: M, name: M, appProtocol: M } } },
    environment: { items: { fields: { name: M, value: M } } },
    secrets: NAME_VALUE,
    logConfiguration: { fields: { logDriver: M, options: M, secretOptions: NAME_VALUE } },
    healthCheck: { fields: { command: M, interval: M, timeout: M, retries: M, startPeriod: M } },
    command: M,
    entryPoint: M,
    workingDirectory: M,
    user: M,
    // ECS resolves image tags to digests unless told otherwise; `enabled` is that default.
    versionConsistency: oneOf('enabled'),
  },
};

/** DescribeTaskDefinition's `taskDefinition`. */
export const TASK_DEFINITION_MODEL: FieldModel = {
  fields: {
    taskDefinitionArn: RO,
    revision: RO,
    status: RO,
    requiresAttributes: RO,
    compatibilities: RO,
    registeredAt: RO,
    registeredBy: RO,
    deregisteredAt: RO,
    deleteRequestedAt: RO,
    family: M,
    cpu: M,
    memory: M,
    networkMode: M,
    requiresCompatibilities: M,
    executionRoleArn: M,
    taskRoleArn: M,
    containerDefinitions: { items: CONTAINER },
    volumes: { items: { fields: { name: 'identity' } } },
    // What a Linux task on x86 gets when the task definition names no platform.
    runtimePlatform: oneOf({ cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' }, { cpuArchitecture: 'X86_64' }, { operatingSystemFamily: 'LINUX' }),
    // Fargate's ephemeral storage when none is asked for.
    ephemeralStorage: oneOf({ sizeInGiB: 20 }),
  },
};

/** Sorted paths of the task definition's settings the manifest model cannot express. */
export function unexpressedTaskDefinitionFields(td: TaskDefinition): string[] {
  return sortedPaths(unexpressedPaths(td, TASK_DEFINITION_MODEL));
}
