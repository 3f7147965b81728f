/**
 * Task definition revisions are kept tidy: revisions this controller registered (owner tags
 * and content hash) that no service uses are deregistered, keeping per family the newest
 * `keepRevisions` distinct contents. Pure planning from the live set; apply deregisters.
 *
 * Per family, newest first, over the revisions of this controller id whose resource tag names
 * an EcsService (any other revision is never touched and does not count):
 * - used by any observed service (owned or not; any deployment or task set) -> kept, counts;
 * - same content hash as a newer revision already kept -> a duplicate, deregistered (the
 *   orphan a lost RegisterTaskDefinition response leaves when the retry registers again);
 * - the content a desired manifest has (apply would reuse it), or the revision a desired
 *   `taskDefinitionRef` names -> kept, counts;
 * - while fewer than `keepRevisions` are counted -> kept (a rollback target), counts;
 * - otherwise deregistered.
 * The prune guards hold: `--no-prune` / `--prune-max-deletions 0` keep everything
 * (`prune-disabled`), an empty source tidies nothing, and more deregistrations than
 * `--prune-max-deletions` in one pass are all refused (`prune-limit`).
 */
import { DeregisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { TidyContext } from '../../../kit/kind-module.js';
import type { ApplyRun } from '../../../kit/apply-run.js';
import { OWNER_TAGS, type LiveEcsService, type LiveTaskDefinition, type TidyPlan } from '../../../kit/types.js';
import { taskDefinitionKey } from '../../../manifests/keys.js';
import { contentHash } from './diff.js';

const OWNER = 'EcsService';

/** `TaskDefinition/<family>:<revision>`, the key a tidy entry and its apply events carry. */
export function revisionKey(td: Pick<LiveTaskDefinition, 'family' | 'revision'>): string {
  return `${taskDefinitionKey(td.family)}:${td.revision}`;
}

/** Every task definition ARN an observed service uses, owned or not. */
function arnsInUse(ctx: TidyContext): Set<string> {
  const used = new Set<string>();
  for (const r of ctx.live.resources.values()) {
    if (r.kind !== 'EcsService') continue;
    const svc: LiveEcsService = r;
    for (const arn of svc.taskDefinitionsInUse ?? [svc.taskDefinitionArn]) if (arn) used.add(arn);
  }
  return used;
}

function isOurs(td: LiveTaskDefinition, controllerId: string): boolean {
  const t = td.tags;
  return t[OWNER_TAGS.controller] === controllerId && (t[OWNER_TAGS.resource] ?? '').startsWith(`${OWNER}/`) && !!t[OWNER_TAGS.contentHash];
}

/** The revisions to deregister (or refused by a prune guard), oldest last within a family. */
export function planRevisionTidy(ctx: TidyContext): TidyPlan[] {
  if (ctx.sourceIsEmpty || !ctx.live.revisions) return [];
  const used = arnsInUse(ctx);
  const wanted = new Set<string>();
  const refs = new Set<string>();
  for (const d of ctx.desired) {
    if (d.kind !== 'EcsService') continue;
    if (d.manifest.spec.taskDefinition) wanted.add(contentHash(d.manifest.spec.taskDefinition));
    if (d.manifest.spec.taskDefinitionRef) refs.add(d.manifest.spec.taskDefinitionRef);
  }
  const named = (td: LiveTaskDefinition): boolean => refs.has(td.arn) || refs.has(`${td.family}:${td.revision}`);
  const due: { td: LiveTaskDefinition; reason: string }[] = [];
  for (const family of ctx.live.revisions) {
    const kept = new Map<string, number>();
    let counted = 0;
    for (const td of family.revisions) {
      if (!isOurs(td, ctx.controllerId)) continue;
      const hash = td.tags[OWNER_TAGS.contentHash]!;
      const twin = kept.get(hash);
      if (used.has(td.arn)) {
        if (twin === undefined) kept.set(hash, td.revision);
        counted++;
      } else if (twin !== undefined) {
        due.push({ td, reason: `unused, same content as revision ${twin}` });
      } else if (wanted.has(hash) || named(td) || counted < ctx.keepRevisions) {
        kept.set(hash, td.revision);
        counted++;
      } else {
        due.push({ td, reason: `unused, older than the newest ${ctx.keepRevisions} kept (--keep-revisions)` });
      }
    }
  }
  const entry = (td: LiveTaskDefinition, action: TidyPlan['action'], reason: string, blockedBy?: string): TidyPlan => ({
    owner: OWNER,
    key: revisionKey(td),
    arn: td.arn,
    action,
    reason,
    ...(blockedBy ? { blockedBy } : {}),
  });
  if (!ctx.pruneEnabled) return due.map(({ td, reason }) => entry(td, 'blocked', `${reason}; kept: pruning is disabled`, 'prune-disabled'));
  if (due.length > ctx.maxDeletions) {
    const why = `deregistering ${due.length} revisions exceeds the limit of ${ctx.maxDeletions} (--prune-max-deletions): refusing all`;
    return due.map(({ td }) => entry(td, 'blocked', why, 'prune-limit'));
  }
  return due.map(({ td, reason }) => entry(td, 'deregister', reason));
}

/**
 * Deregisters one planned revision. Refused (returns the reason, writes nothing) when this
 * run registered, reused or deployed it since the plan was made.
 */
export async function deregisterRevision(run: ApplyRun, entry: TidyPlan): Promise<string | undefined> {
  if (run.taskDefinitionsUsed.has(entry.arn)) return 'used by this apply: kept';
  await run.act(
    'TaskDefinition',
    entry.key,
    'deregister',
    () => run.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: entry.arn })),
    entry.reason,
  );
  return undefined;
}
