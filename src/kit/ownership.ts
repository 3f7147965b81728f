import { OWNER_TAGS, type Ownership } from './types.js';

/** ECS spells tags `{key, value}`, Cloud Map and Route 53 `{Key, Value}`. */
export type AwsTagList = readonly ({ key?: string | undefined; value?: string | undefined } | { Key?: string | undefined; Value?: string | undefined })[];

/** Converts either AWS tag list spelling into a map (entries without a key are dropped). */
export function tagMap(tags: AwsTagList | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) {
    const key = 'key' in t ? t.key : 'Key' in t ? t.Key : undefined;
    const value = 'value' in t ? t.value : 'Value' in t ? t.Value : undefined;
    if (key !== undefined && key !== '') out[key] = value ?? '';
  }
  return out;
}

/** The tag ECS puts on the Cloud Map namespaces and services it creates (Service Connect). */
export const ECS_MANAGED_TAG = 'AmazonECSManaged';

/**
 * Who in AWS owns a resource ecs-gitops must leave alone, from its tags (already read by the
 * scan, so no extra call): `ECS Service Connect` (of `<ECS service ARN>` when the description
 * `Managed by <arn>` names it) for a Cloud Map service ECS created. Undefined otherwise.
 */
export function awsManager(tags: Readonly<Record<string, string>>, description?: string): string | undefined {
  if (tags[ECS_MANAGED_TAG]?.toLowerCase() !== 'true') return undefined;
  const by = description?.startsWith('Managed by arn:') ? description.slice('Managed by '.length).trim() : undefined;
  return by ? `ECS Service Connect of ${by}` : 'ECS Service Connect';
}

/** Ownership from the owner tags; undefined unless both the controller and resource tags are set. */
export function ownerFromTags(tags: Readonly<Record<string, string>>): Ownership | undefined {
  const controllerId = tags[OWNER_TAGS.controller];
  const resourceKey = tags[OWNER_TAGS.resource];
  if (!controllerId || !resourceKey) return undefined;
  return { controllerId, resourceKey };
}

/** The last path segment of an ARN (`arn:aws:ecs:r:a:cluster/demo` -> `demo`), or the input when it is not an ARN. */
export function nameFromArn(arnOrName: string): string {
  if (!arnOrName.startsWith('arn:')) return arnOrName;
  const resource = arnOrName.split(':').slice(5).join(':');
  const slash = resource.lastIndexOf('/');
  return slash < 0 ? resource : resource.slice(slash + 1);
}
