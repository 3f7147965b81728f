import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import { clusterNotFound } from './clusters.js';
import type { EcsContext } from './context.js';
import type { EcsTag } from './state.js';
import { invalidParameter, mergeTags, parseTags, reqString, stringList } from './validation.js';

/** Something tags can be read from and written to. */
interface Taggable {
  tags: EcsTag[];
}

const ARN_RE = /^arn:aws[a-z-]*:ecs:[^:]*:[^:]*:(cluster|service|task-definition)\/(.+)$/;

/** The cluster, service or task definition an ARN names; `missing` builds the not-found error. */
function resolve(ctx: EcsContext, arn: string, missing: () => SandboxError): Taggable {
  const m = ARN_RE.exec(arn);
  if (!m) throw invalidParameter('The ARN provided is invalid.');
  const [, kind, rest] = m as unknown as [string, string, string];
  if (kind === 'task-definition') {
    const td = ctx.state.taskDefinitionsByArn.get(arn);
    if (!td) throw missing();
    return td;
  }
  const slash = rest.indexOf('/');
  const clusterName = kind === 'cluster' ? rest : slash < 0 ? 'default' : rest.slice(0, slash);
  const cluster = ctx.state.clusters.get(clusterName);
  if (!cluster || cluster.status !== 'ACTIVE') throw clusterNotFound();
  if (kind === 'cluster') return cluster;
  const service = cluster.services.get(rest.slice(slash + 1));
  if (!service || service.status === 'INACTIVE') throw missing();
  return service;
}

const resourceNotFound = (): SandboxError => new SandboxError('ResourceNotFoundException', 'The specified resource is not found.');

export function tagResource(ctx: EcsContext, input: JsonObject): JsonObject {
  const target = resolve(ctx, reqString(input, 'resourceArn'), resourceNotFound);
  const tags = parseTags(input['tags']);
  if (tags.length === 0) throw invalidParameter('Tags can not be empty.');
  target.tags = mergeTags(target.tags, tags);
  return {};
}

export function untagResource(ctx: EcsContext, input: JsonObject): JsonObject {
  const target = resolve(ctx, reqString(input, 'resourceArn'), resourceNotFound);
  const keys = new Set(stringList(input, 'tagKeys'));
  target.tags = target.tags.filter((t) => !keys.has(t.key));
  return {};
}

export function listTagsForResource(ctx: EcsContext, input: JsonObject): JsonObject {
  const target = resolve(ctx, reqString(input, 'resourceArn'), () => invalidParameter('The specified resource is not found.'));
  return { tags: target.tags };
}
