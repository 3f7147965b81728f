import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import type { CloudMapContext } from './context.js';
import { invalid, optList, requireStr } from './validate.js';

export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** Validates a `Tags` list (create calls and TagResource). */
export function parseTags(input: JsonObject, field = 'Tags'): Tag[] {
  const list = optList(input, field) ?? [];
  if (list.length > 200)
    throw invalid(`1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to 200`);
  return list.map((raw, i) => {
    const t = (raw ?? {}) as JsonObject;
    const key = t['Key'];
    const value = t['Value'];
    if (typeof key !== 'string' || key.length < 1 || key.length > 128) throw invalid(`Tag key at '${field}.${i + 1}' must be 1-128 characters`);
    if (typeof value !== 'string' || value.length > 256) throw invalid(`Tag value at '${field}.${i + 1}' must be 0-256 characters`);
    if (key.toLowerCase().startsWith('aws:')) throw invalid(`Tag keys starting with 'aws:' are reserved for AWS use (${key})`);
    return { Key: key, Value: value };
  });
}

/** Applies tags, enforcing the per-resource quota (TooManyTagsException). */
export function applyTags(ctx: CloudMapContext, arn: string, tags: readonly Tag[]): void {
  const current = new Map(ctx.state.tags.get(arn) ?? []);
  for (const t of tags) current.set(t.Key, t.Value);
  if (current.size > ctx.limits.tagsPerResource) {
    throw new SandboxError('TooManyTagsException', `A resource can have at most ${ctx.limits.tagsPerResource} tags`, 400, { ResourceName: arn });
  }
  ctx.state.tags.set(arn, current);
}

function requireResource(ctx: CloudMapContext, input: JsonObject): string {
  const arn = requireStr(input, 'ResourceARN');
  const id = ctx.state.arnToId.get(arn);
  const visible = id !== undefined && (ctx.state.services.get(id) !== undefined || ctx.state.namespaces.get(id)?.status !== 'CREATING');
  if (!visible) throw new SandboxError('ResourceNotFoundException', `The resource ${arn} can't be found.`);
  return arn;
}

export function tagResource(ctx: CloudMapContext, input: JsonObject): unknown {
  const arn = requireResource(ctx, input);
  const tags = parseTags(input);
  if (tags.length === 0) throw invalid("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must not be null");
  applyTags(ctx, arn, tags);
  return {};
}

export function untagResource(ctx: CloudMapContext, input: JsonObject): unknown {
  const arn = requireResource(ctx, input);
  const keys = optList(input, 'TagKeys');
  if (!keys || keys.some((k) => typeof k !== 'string'))
    throw invalid("1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must not be null");
  const current = ctx.state.tags.get(arn);
  for (const k of keys as string[]) current?.delete(k);
  return {};
}

export function listTagsForResource(ctx: CloudMapContext, input: JsonObject): unknown {
  const arn = requireResource(ctx, input);
  return { Tags: [...(ctx.state.tags.get(arn) ?? [])].map(([Key, Value]) => ({ Key, Value })) };
}
