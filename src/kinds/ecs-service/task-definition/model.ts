/**
 * The manifest model of ECS task definitions, as seen from the raw SDK shape: what
 * convertTaskDefinition carries, what AWS alone sets, and what AWS echoes for settings never
 * asked for (docs/aws-behaviour.md). Any other member that is set is reported by
 * unexpressedPaths. The coverage test (test/coverage) checks it against the SDK's model.
 */
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { sortedPaths, unexpressedPaths, unsupported, type FieldModel } from '../../../kit/unexpressed.js';
import { CONTAINER_SETTING_NAMES, TASK_SETTING_NAMES } from './settings.js';

const M = 'modelled';
const RO = 'read-only';

/** The settings in the AWS shape (settings.ts): carried whole, whatever they hold. */
function modelledAll(names: readonly string[]): Record<string, FieldModel> {
  return Object.fromEntries(names.map((n) => [n, M]));
}

const NAME_VALUE: FieldModel = { items: { fields: { name: M, valueFrom: M } } };

const CONTAINER: FieldModel = {
  fields: {
    name: M,
    image: M,
    cpu: M,
    memory: M,
    memoryReservation: M,
    essential: M,
    portMappings: { items: { fields: { containerPort: M, hostPort: M, protocol: M, name: M, appProtocol: M, containerPortRange: M } } },
    environment: { items: { fields: { name: M, value: M } } },
    secrets: NAME_VALUE,
    logConfiguration: { fields: { logDriver: M, options: M, secretOptions: NAME_VALUE } },
    healthCheck: { fields: { command: M, interval: M, timeout: M, retries: M, startPeriod: M } },
    command: M,
    entryPoint: M,
    workingDirectory: M,
    user: M,
    ...modelledAll(CONTAINER_SETTING_NAMES),
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
    ...modelledAll(TASK_SETTING_NAMES),
    inferenceAccelerators: unsupported(
      'Amazon Elastic Inference was retired on 2024-04-15: ECS no longer starts tasks with inference accelerators (use resourceRequirements with GPUs or Inferentia instead).',
    ),
  },
};

/** Sorted paths of the task definition's settings the manifest model cannot express. */
export function unexpressedTaskDefinitionFields(td: TaskDefinition): string[] {
  return sortedPaths(unexpressedPaths(td, TASK_DEFINITION_MODEL));
}
