/**
 * Task definition revisions for inline task definitions: registered only when the content
 * changed. A revision with the same content hash tag (the one the service runs, or one of
 * the newest revisions of the family) is reused instead.
 */
import { taskDefinitionKey } from '../../../manifests/keys.js';
import { ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { InlineTaskDefinition } from '../../../manifests/types.js';
import { ApplyError } from '../../../kit/apply-errors.js';
import { isNotFound } from '../../../aws/errors.js';
import type { ApplyRun } from '../../../kit/apply-run.js';
import { OWNER_TAGS, type LiveEcsService } from '../../../kit/types.js';
import { convertTaskDefinition } from './convert.js';
import { describedTaskDefinition, familyOf } from './revisions.js';
import { contentHash } from './diff.js';
import { registerRequest, registerTags } from './request.js';

const KIND = 'TaskDefinition';

/**
 * The ARN of a revision with exactly this content, registering one only when none exists.
 * `ownerKey` is the EcsService key the revision belongs to (its owner tag).
 */
export async function ensureTaskDefinition(run: ApplyRun, ownerKey: string, td: InlineTaskDefinition, live: LiveEcsService | undefined): Promise<string> {
  const hash = contentHash(td);
  const key = taskDefinitionKey(td.family);
  if (live?.taskDefinition?.tags[OWNER_TAGS.contentHash] === hash && live.taskDefinition.family === td.family) {
    run.taskDefinitionsUsed.add(live.taskDefinition.arn);
    return live.taskDefinition.arn;
  }
  const existing = await findRevision(run, td.family, hash);
  if (existing) {
    run.taskDefinitionsUsed.add(existing);
    run.actionNote(KIND, key, 'reuse', `${existing} (same content)`);
    return existing;
  }
  const input = registerRequest(td, registerTags(td, run.controllerId, ownerKey, hash));
  const out = await run.act(
    KIND,
    key,
    'register',
    () => run.clients.ecs.send(new RegisterTaskDefinitionCommand(input)),
    (o) => (o.taskDefinition?.revision !== undefined ? `revision ${o.taskDefinition.revision}` : undefined),
  );
  // The response echoes the tags; should it not, they are the ones just sent.
  const registered = out.taskDefinition ? convertTaskDefinition(out.taskDefinition, out.tags ?? input.tags) : undefined;
  if (!registered) throw new ApplyError('EGO_APPLY_NO_TARGET', `RegisterTaskDefinition for ${td.family} returned no ARN`);
  run.taskDefinitions.rememberTaskDefinition(registered);
  run.taskDefinitionsUsed.add(registered.arn);
  return registered.arn;
}

/**
 * Newest ACTIVE revisions of the family first, bounded by `run.maxRevisionsToInspect`; each
 * revision is described once (immutable: the shared cache answers for the ones seen before).
 */
async function findRevision(run: ApplyRun, family: string, hash: string): Promise<string | undefined> {
  const ecs = run.clients.ecs;
  let listed: string[];
  try {
    const out = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', maxResults: run.maxRevisionsToInspect }));
    listed = out.taskDefinitionArns ?? [];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  // familyPrefix is a prefix: `name` also lists `name-worker`.
  const own = listed.filter((arn) => familyOf(arn) === family).slice(0, run.maxRevisionsToInspect);
  for (const arn of own) {
    const td = await describedTaskDefinition(run.clients.ecs, arn, run.taskDefinitions);
    if (td?.tags[OWNER_TAGS.contentHash] === hash) return arn;
  }
  return undefined;
}
