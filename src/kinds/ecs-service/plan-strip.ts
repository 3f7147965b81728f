/**
 * Never strip a setting on write: an update that would register a task definition revision
 * or call UpdateService / CreateService from the manifest is blocked while the live
 * revision or service has settings the manifest model cannot express (they would be gone
 * afterwards). Tag-only changes (adopt's owner tags included) write no such request.
 */
import type { DesiredResource } from '../../manifests/types.js';
import { parsePointer } from '../../util/json-pointer.js';
import { OWNER_CHANGE_PATH } from '../../kit/plan-owner.js';
import type { FieldChange, LiveResource, PlanAction } from '../../kit/types.js';
import type { StrippedSettings } from '../../kit/kind-module.js';

export { UNEXPRESSIBLE_FIELDS } from '../../kit/kind-module.js';

/** How many paths the reason names before "and N more". */
const SHOWN = 8;

export type { StrippedSettings } from '../../kit/kind-module.js';

function topField(c: FieldChange): string | undefined {
  if (c.path === OWNER_CHANGE_PATH) return undefined;
  const segments = parsePointer(c.pointer);
  return segments[0] === 'spec' ? String(segments[1] ?? '') : String(segments[0] ?? '');
}

function listed(what: string, paths: readonly string[]): string {
  const shown = paths.slice(0, SHOWN).join(', ');
  const more = paths.length > SHOWN ? `, and ${paths.length - SHOWN} more` : '';
  return `live ${what} has fields ecs-gitops cannot express: ${shown}${more}`;
}

/**
 * The settings an `action` with these `changes` would strip from `live`, or undefined when
 * it writes nothing that drops them. Only ECS services carry such settings today.
 */
export function strippedSettings(
  desired: DesiredResource,
  live: LiveResource,
  action: PlanAction,
  changes: readonly FieldChange[],
): StrippedSettings | undefined {
  if (desired.kind !== 'EcsService' || live.kind !== 'EcsService') return undefined;
  if (action !== 'update' && action !== 'update-redeploys' && action !== 'replace') return undefined;
  const fields = new Set(changes.map(topField).filter((f): f is string => f !== undefined));
  const serviceWrite = action === 'replace' || [...fields].some((f) => f !== 'tags');
  // A replace creates the service again, which registers the inline task definition when no
  // revision carries its content hash (an adopted revision never does).
  const registers = desired.manifest.spec.taskDefinition !== undefined && (action === 'replace' || fields.has('taskDefinition'));
  const parts: string[] = [];
  const all: string[] = [];
  const tdFields = registers ? (live.taskDefinition?.unexpressed ?? []) : [];
  if (tdFields.length > 0) {
    parts.push(listed('task definition', tdFields));
    all.push(...tdFields.map((p) => `taskDefinition.${p}`));
  }
  const serviceFields = serviceWrite ? (live.unexpressed ?? []) : [];
  if (serviceFields.length > 0) {
    parts.push(listed('service', serviceFields));
    all.push(...serviceFields);
  }
  return parts.length === 0 ? undefined : { reason: parts.join('; '), fields: all };
}
