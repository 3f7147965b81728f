/**
 * Limits AWS enforces on the writes ecs-gitops makes, checked before any write so a manifest
 * over one fails `validate` (and blocks only itself in plan, apply and run) instead of failing
 * at apply time. Limits a JSON Schema can state (name lengths, 10 containers, 50 tags written
 * in the manifest, tag key and value lengths) live in crds/ and are not repeated here; this
 * module checks what depends on what ecs-gitops adds: the owner tags it writes and the
 * RegisterTaskDefinition request it sends. docs/aws-behaviour.md lists every limit with its source.
 */
import { registerRequest, registerTags } from '../kinds/ecs-service/task-definition/request.js';
import { ownerTags } from '../kit/apply-tags.js';
import { KINDS } from '../kinds/registry.js';
import { OWNER_TAGS } from '../kit/types.js';
import type { DocPath } from '../manifests/yaml-document.js';
import type { Reporter } from '../manifests/diagnostics.js';
import { shortName } from '../manifests/short-name.js';
import { resolvePolicy, type EcsServiceManifest, type Manifest, type Tags } from '../manifests/types.js';

/** One documented AWS limit and where it is written down. */
export interface AwsLimit {
  readonly max: number;
  readonly source: string;
}

export const AWS_LIMITS = {
  /**
   * Bytes of the RegisterTaskDefinition request. ECS service quotas, "Task definition size"
   * 64 KiB (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html);
   * over it ECS answers ClientException "Actual length: '66420'. Max allowed length is '65536'
   * bytes." (awsdocs/amazon-ecs-developer-guide#149). Environment variables have no count limit
   * of their own: they count here.
   */
  taskDefinitionBytes: { max: 65_536, source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html' },
  /**
   * User tags per resource, `aws:` tags not counted. ECS: Tag, "Maximum number of tags per
   * resource - 50" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html);
   * Cloud Map: TooManyTagsException, "The maximum number of tags that can be applied to a
   * resource is 50" (https://docs.aws.amazon.com/cloud-map/latest/api/API_TagResource.html).
   */
  tagsPerResource: { max: 50, source: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html' },
  /**
   * Characters of a tag value (ECS Tag: 256 Unicode characters; Cloud Map Tag: length 0-256,
   * https://docs.aws.amazon.com/cloud-map/latest/api/API_Tag.html). The owner tag
   * `ecs-gitops.io/resource` carries the resource's identity, so the identity must fit.
   */
  tagValueChars: { max: 256, source: 'https://docs.aws.amazon.com/cloud-map/latest/api/API_Tag.html' },
} as const satisfies Record<string, AwsLimit>;

/** Keys starting with this (any case) are AWS's: ECS and Cloud Map refuse them on writes. */
const RESERVED_TAG_PREFIX = 'aws:';

/**
 * The controller id measured with: the longest one configuration accepts (1-63 characters),
 * so the answer of `validate`, which has no configuration, holds for every controller.
 */
export const WORST_CASE_CONTROLLER_ID = 'x'.repeat(63);

function isReserved(key: string): boolean {
  return key.toLowerCase().startsWith(RESERVED_TAG_PREFIX);
}

const number = (n: number): string => n.toLocaleString('en-US');

/** Bytes of the RegisterTaskDefinition request apply would send for this service's inline task definition. */
export function taskDefinitionRequestBytes(m: EcsServiceManifest): number | undefined {
  const td = m.spec.taskDefinition;
  if (!td) return undefined;
  const input = registerRequest(td, registerTags(td, WORST_CASE_CONTROLLER_ID, KINDS.get(m.kind).keyOf(m)));
  return Buffer.byteLength(JSON.stringify(input), 'utf8');
}

function checkTaskDefinitionSize(m: EcsServiceManifest, r: Reporter): void {
  const td = m.spec.taskDefinition;
  const bytes = taskDefinitionRequestBytes(m);
  if (!td || bytes === undefined || bytes <= AWS_LIMITS.taskDefinitionBytes.max) return;
  const sizes = td.containers.map((c) => ({ name: c.name, bytes: Buffer.byteLength(JSON.stringify(c), 'utf8') }));
  const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  r.report(
    'EGO_TASK_DEFINITION_SIZE',
    ['spec', 'taskDefinition'],
    `the RegisterTaskDefinition request would be ${number(bytes)} bytes; ECS accepts at most ${number(AWS_LIMITS.taskDefinitionBytes.max)} (64 KiB). ` +
      `Largest container: "${shortName(largest.name)}" (about ${number(largest.bytes)} bytes); move large values to secrets or the image`,
  );
}

/** Reports `aws:` keys, and a tag set that with the owner tags goes over the per-resource count. */
function checkTags(tags: Tags | undefined, at: DocPath, written: Record<string, string>, r: Reporter): void {
  for (const key of Object.keys(tags ?? {})) {
    if (isReserved(key)) {
      r.report(
        'EGO_TAG_RESERVED',
        [...at, key],
        `tag key "${shortName(key)}" starts with "${key.slice(0, RESERVED_TAG_PREFIX.length)}", which AWS reserves for its own tags (any case); ECS and Cloud Map refuse it`,
      );
    }
  }
  const all = Object.keys({ ...(tags ?? {}), ...written }).filter((k) => !isReserved(k));
  const max = AWS_LIMITS.tagsPerResource.max;
  if (all.length <= max) return;
  const ours = Object.keys(written);
  r.report(
    'EGO_TAG_COUNT',
    at,
    `${all.length} tags counting the ${ours.length} that ecs-gitops writes (${ours.join(', ')}); AWS allows ${max} per resource: remove ${all.length - max}`,
  );
}

/** The identity goes into the `ecs-gitops.io/resource` tag on every resource it creates. */
function checkIdentityLength(m: Manifest, r: Reporter): void {
  const key = KINDS.get(m.kind).keyOf(m);
  const max = AWS_LIMITS.tagValueChars.max;
  if (key.length <= max) return;
  const parts = m.kind === 'EcsService' ? 'the service or cluster name' : m.kind === 'CloudMapService' ? 'the service or namespace name' : 'the name';
  r.report(
    'EGO_IDENTITY_TOO_LONG',
    ['metadata', 'name'],
    `the identity ${shortName(key)} does not fit the ${OWNER_TAGS.resource} tag ecs-gitops writes on the resource (AWS allows tag values of up to ${max} characters): shorten ${parts}`,
    { target: 'value' },
  );
}

/** Every AWS limit check for one manifest that matched its schema. */
export function checkAwsLimits(m: Manifest, r: Reporter): void {
  checkIdentityLength(m, r);
  const key = KINDS.get(m.kind).keyOf(m);
  checkTags(m.spec.tags, ['spec', 'tags'], ownerTags(WORST_CASE_CONTROLLER_ID, key, resolvePolicy(m.spec.syncPolicy)), r);
  if (m.kind === 'EcsService' && m.spec.taskDefinition) {
    const td = m.spec.taskDefinition;
    const written = registerTags({ ...td, tags: {} }, WORST_CASE_CONTROLLER_ID, key, '');
    checkTags(td.tags, ['spec', 'taskDefinition', 'tags'], written, r);
    checkTaskDefinitionSize(m, r);
  }
}
