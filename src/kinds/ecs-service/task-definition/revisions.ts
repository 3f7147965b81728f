/** Task definition revisions by ARN: their family, and their content described once (revisions are immutable). */
import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { TaskDefinitionCache } from '../../../kit/apply-types.js';
import type { LiveTaskDefinition } from '../../../kit/types.js';
import { convertTaskDefinition } from './convert.js';

/** `arn:...:task-definition/<family>:<revision>`, `<family>:<revision>` or `TaskDefinition/<family>:<revision>` -> family. */
export function familyOf(arn: string): string {
  const tail = arn.slice(arn.lastIndexOf('/') + 1);
  return tail.slice(0, tail.lastIndexOf(':'));
}

/** The task definition behind an ARN, described once (revisions are immutable). */
export async function describedTaskDefinition(ecs: ECSClient, arn: string, cache: TaskDefinitionCache): Promise<LiveTaskDefinition | undefined> {
  const cached = cache.taskDefinition(arn);
  if (cached) return cached;
  const d = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
  const td = d.taskDefinition ? convertTaskDefinition(d.taskDefinition, d.tags) : undefined;
  if (td) cache.rememberTaskDefinition(td);
  return td;
}
