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
  UpdateHttpNamespaceCommand,
  UpdatePrivateDnsNamespaceCommand,
  UpdatePublicDnsNamespaceCommand,
} from '@aws-sdk/client-servicediscovery';
import type { DesiredOf } from '../../manifests/types.js';
import { ApplyError, errorMember, isCode } from '../../kit/apply-errors.js';
import type { ApplyRun } from '../../kit/apply-run.js';
import { applyByAction } from '../../kit/apply-steps.js';
import { changedSpecFields, ownerTags, tagDelta, toAwsTagList } from '../../kit/apply-tags.js';
import { creatorRequestId } from '../../kit/idempotency.js';
import { awaitOperation } from '../../kit/operations.js';
import type { LiveNamespace, ResourcePlan } from '../../kit/types.js';
import { deleteWhenUnused } from '../cloudmap-service/delete-unused.js';
import { applyCloudMapTags, cloudMapOwnedByUs } from '../cloudmap-service/tags.js';

type Desired = DesiredOf<'CloudMapNamespace'>;
const KIND = 'CloudMapNamespace';

export function applyNamespace(run: ApplyRun, plan: ResourcePlan): Promise<void> {
  return applyByAction<Desired, LiveNamespace>(plan, {
    create: (desired) => createNamespace(run, plan, desired),
    update: (desired, live) => updateNamespace(run, plan, desired, live),
    replace: async (desired, live) => {
      if ((live.serviceCount ?? 0) > 0) {
        throw new ApplyError('EGO_APPLY_NAMESPACE_IN_USE', `namespace ${live.name} has ${live.serviceCount} service(s): replacing it needs them removed first`);
      }
      await deleteNamespace(run, plan, live);
      await createNamespace(run, plan, desired);
    },
    delete: (live) => deleteNamespace(run, plan, live),
  });
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
  await run.act(
    KIND,
    plan.key,
    'create',
    async () => {
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
          );
        }
        throw err;
      }
    },
    () => (existingId ? `adopted our earlier attempt ${existingId}` : `operation ${operationId ?? '?'}`),
  );

  let id = existingId;
  if (!id) {
    if (!operationId) throw new ApplyError('EGO_APPLY_NO_OPERATION', `create of namespace ${name} returned no operation id`);
    const targets = await awaitOperation(run, KIND, plan.key, operationId);
    id = targets['NAMESPACE'];
  }
  if (!id) throw new ApplyError('EGO_APPLY_NO_TARGET', `create of namespace ${name} succeeded without a namespace id`);
  const got = await sd.send(new GetNamespaceCommand({ Id: id }));
  run.namespaces.set(name, { id, arn: got.Namespace?.Arn ?? '' });
}

async function ownedByUs(run: ApplyRun, key: string, namespaceId: string): Promise<boolean> {
  const ns = await run.clients.serviceDiscovery.send(new GetNamespaceCommand({ Id: namespaceId }));
  return ns.Namespace?.Arn ? cloudMapOwnedByUs(run, key, ns.Namespace.Arn) : false;
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
    const out = await run.act(
      KIND,
      plan.key,
      'update',
      () => {
        if (live.spec.type === 'HTTP') return sd.send(new UpdateHttpNamespaceCommand({ Id: live.id, Namespace: { Description: description } }));
        if (live.spec.type === 'DNS_PRIVATE') {
          return sd.send(new UpdatePrivateDnsNamespaceCommand({ Id: live.id, Namespace: { Description: description, Properties: props } }));
        }
        return sd.send(new UpdatePublicDnsNamespaceCommand({ Id: live.id, Namespace: { Description: description, Properties: props } }));
      },
      detail,
    );
    if (out.OperationId) await awaitOperation(run, KIND, plan.key, out.OperationId);
  }
  const delta = tagDelta(plan, spec.tags, ownerTags(run.controllerId, plan.key, desired.policy));
  await applyCloudMapTags(run, KIND, plan.key, live.arn, delta, live.owner === undefined);
}

async function deleteNamespace(run: ApplyRun, plan: ResourcePlan, live: LiveNamespace): Promise<void> {
  const sd = run.clients.serviceDiscovery;
  const out = await run.act(KIND, plan.key, 'delete', () =>
    deleteWhenUnused(run, () => sd.send(new DeleteNamespaceCommand({ Id: live.id })), `namespace ${live.name} still has services`),
  );
  const operationId = out?.OperationId;
  if (operationId) await awaitOperation(run, KIND, plan.key, operationId);
  run.namespaces.delete(live.name);
}
