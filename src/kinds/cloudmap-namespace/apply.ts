/**
 * Applies a CloudMapNamespace plan: create (async, CreatorRequestId), update of description
 * and SOA TTL (async), tags, delete (async; retried while services remain), replace.
 */
import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreatePublicDnsNamespaceCommand,
  DeleteNamespaceCommand,
  GetNamespaceCommand,
  ListTagsForResourceCommand,
  UpdateHttpNamespaceCommand,
  UpdatePrivateDnsNamespaceCommand,
  UpdatePublicDnsNamespaceCommand,
} from '@aws-sdk/client-servicediscovery';
import type { DesiredOf } from '../../manifests/types.js';
import { ApplyError, errorMember, isCode, isNotFound } from '../../reconcile/apply-errors.js';
import type { ApplyRun } from '../../reconcile/apply-run.js';
import { changedSpecFields, ownerTags, tagDelta, toAwsTagList } from '../../reconcile/apply-tags.js';
import { pollUntil } from '../../reconcile/apply-wait.js';
import { creatorRequestId } from '../../reconcile/idempotency.js';
import { waitForOperation } from '../../reconcile/operations.js';
import { OWNER_TAGS, type LiveNamespace, type ResourcePlan } from '../../reconcile/types.js';
import { applyCloudMapTags } from '../cloudmap-service/tags.js';

type Desired = DesiredOf<'CloudMapNamespace'>;
const KIND = 'CloudMapNamespace';

export async function applyNamespace(run: ApplyRun, plan: ResourcePlan): Promise<void> {
  const desired = plan.desired as Desired | undefined;
  const live = plan.live as LiveNamespace | undefined;
  switch (plan.action) {
    case 'create':
      return createNamespace(run, plan, need(desired, plan));
    case 'update':
    case 'update-redeploys':
      return updateNamespace(run, plan, need(desired, plan), need(live, plan));
    case 'replace': {
      const l = need(live, plan);
      if ((l.serviceCount ?? 0) > 0) {
        throw new ApplyError(
          'EGO_APPLY_NAMESPACE_IN_USE',
          `namespace ${l.name} has ${l.serviceCount} service(s): replacing it needs them removed first`,
          'in-use',
        );
      }
      await deleteNamespace(run, plan, l);
      return createNamespace(run, plan, need(desired, plan));
    }
    case 'delete':
      return deleteNamespace(run, plan, need(live, plan));
    default:
      return;
  }
}

function need<T>(value: T | undefined, plan: ResourcePlan): T {
  if (value === undefined) throw new ApplyError('EGO_APPLY_PLAN_INCOMPLETE', `${plan.key}: ${plan.action} without the resource it needs`);
  return value;
}

/** Immutable settings: a change to any of them is a replacement, hence a new CreatorRequestId. */
function generation(d: Desired): unknown {
  return { type: d.manifest.spec.type, vpc: d.manifest.spec.vpc };
}

async function createNamespace(run: ApplyRun, plan: ResourcePlan, desired: Desired): Promise<void> {
  const spec = desired.manifest.spec;
  const name = desired.name;
  const token = creatorRequestId(run.controllerId, plan.key, generation(desired));
  const tags = toAwsTagList({ ...(spec.tags ?? {}), ...ownerTags(run.controllerId, plan.key, desired.policy) });
  const soa = spec.soaTtl !== undefined ? { DnsProperties: { SOA: { TTL: spec.soaTtl } } } : undefined;
  const common = { Name: name, CreatorRequestId: token, Description: spec.description, Tags: tags };
  const sd = run.clients.serviceDiscovery;

  let operationId: string | undefined;
  let existingId: string | undefined;
  await run.act(KIND, plan.key, 'create', async () => {
    try {
      const out =
        spec.type === 'HTTP'
          ? await sd.send(new CreateHttpNamespaceCommand(common))
          : spec.type === 'DNS_PRIVATE'
            ? await sd.send(new CreatePrivateDnsNamespaceCommand({ ...common, Vpc: spec.vpc, Properties: soa }))
            : await sd.send(new CreatePublicDnsNamespaceCommand({ ...common, Properties: soa }));
      operationId = out.OperationId;
    } catch (err) {
      if (isCode(err, 'DuplicateRequest')) {
        // Our own create of the same request is still in progress: follow it.
        operationId = errorMember(err, 'DuplicateOperationId');
        if (!operationId) throw err;
        return;
      }
      if (isCode(err, 'NamespaceAlreadyExists')) {
        existingId = errorMember(err, 'NamespaceId');
        if (existingId && (errorMember(err, 'CreatorRequestId') === token || (await ownedByUs(run, plan.key, existingId)))) return;
        throw new ApplyError(
          'EGO_APPLY_NOT_OWNED',
          `namespace ${name} already exists and was not created by ecs-gitops (${run.controllerId}); set syncPolicy.adopt to take it over`,
          'conflict',
        );
      }
      throw err;
    }
  }, () => (existingId ? `adopted our earlier attempt ${existingId}` : `operation ${operationId ?? '?'}`));

  let id = existingId;
  if (!id) {
    if (!operationId) throw new ApplyError('EGO_APPLY_NO_OPERATION', `create of namespace ${name} returned no operation id`, 'unknown');
    const opId = operationId;
    const targets = await run.act(KIND, plan.key, 'wait', () => waitForOperation(sd, opId, run.waits.operation, run.seams), `operation ${opId}`);
    id = targets['NAMESPACE'];
  }
  if (!id) throw new ApplyError('EGO_APPLY_NO_TARGET', `create of namespace ${name} succeeded without a namespace id`, 'unknown');
  const got = await sd.send(new GetNamespaceCommand({ Id: id }));
  run.namespaces.set(name, { id, arn: got.Namespace?.Arn ?? '', type: spec.type });
}

async function ownedByUs(run: ApplyRun, key: string, namespaceId: string): Promise<boolean> {
  const sd = run.clients.serviceDiscovery;
  const ns = await sd.send(new GetNamespaceCommand({ Id: namespaceId }));
  if (!ns.Namespace?.Arn) return false;
  const { Tags } = await sd.send(new ListTagsForResourceCommand({ ResourceARN: ns.Namespace.Arn }));
  const tags = Object.fromEntries((Tags ?? []).map((t) => [t.Key, t.Value]));
  return tags[OWNER_TAGS.controller] === run.controllerId && tags[OWNER_TAGS.resource] === key;
}

async function updateNamespace(run: ApplyRun, plan: ResourcePlan, desired: Desired, live: LiveNamespace): Promise<void> {
  const spec = desired.manifest.spec;
  const fields = changedSpecFields(plan);
  const sd = run.clients.serviceDiscovery;
  if (fields.has('description') || fields.has('soaTtl')) {
    const description = spec.description ?? live.spec.description ?? '';
    const soaTtl = spec.soaTtl ?? live.spec.soaTtl;
    const props = soaTtl !== undefined ? { DnsProperties: { SOA: { TTL: soaTtl } } } : undefined;
    const detail = [...fields].filter((f) => f === 'description' || f === 'soaTtl').join(', ');
    const out = await run.act(KIND, plan.key, 'update', () => {
      if (live.spec.type === 'HTTP') return sd.send(new UpdateHttpNamespaceCommand({ Id: live.id, Namespace: { Description: description } }));
      if (live.spec.type === 'DNS_PRIVATE') {
        return sd.send(new UpdatePrivateDnsNamespaceCommand({ Id: live.id, Namespace: { Description: description, Properties: props } }));
      }
      return sd.send(new UpdatePublicDnsNamespaceCommand({ Id: live.id, Namespace: { Description: description, Properties: props } }));
    }, detail);
    if (out.OperationId) {
      const opId = out.OperationId;
      await run.act(KIND, plan.key, 'wait', () => waitForOperation(sd, opId, run.waits.operation, run.seams), `operation ${opId}`);
    }
  }
  const delta = tagDelta(plan, spec.tags, ownerTags(run.controllerId, plan.key, desired.policy));
  await applyCloudMapTags(run, KIND, plan.key, live.arn, delta, live.owner === undefined);
}

async function deleteNamespace(run: ApplyRun, plan: ResourcePlan, live: LiveNamespace): Promise<void> {
  const sd = run.clients.serviceDiscovery;
  const operationId = await run.act(KIND, plan.key, 'delete', () =>
    // Services may still be going away (deleted earlier in this plan): retry ResourceInUse, bounded.
    pollUntil(async () => {
      try {
        const out = await sd.send(new DeleteNamespaceCommand({ Id: live.id }));
        return out.OperationId ?? '';
      } catch (err) {
        if (isNotFound(err)) return '';
        if (isCode(err, 'ResourceInUse')) return undefined;
        throw err;
      }
    }, run.waits.inUse, run.seams, `namespace ${live.name} still has services`),
  );
  if (operationId) {
    await run.act(KIND, plan.key, 'wait', () => waitForOperation(sd, operationId, run.waits.operation, run.seams), `operation ${operationId}`);
  }
  run.namespaces.delete(live.name);
}
