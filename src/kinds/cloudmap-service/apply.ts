/**
 * Applies a CloudMapService plan: create (synchronous, CreatorRequestId), update (async,
 * always the full record list), tags, delete once ECS has let go and the instances are gone,
 * and replace (detach ECS, drain, delete, create, re-attach).
 */
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  ListInstancesCommand,
  UpdateServiceCommand,
  type CreateServiceRequest,
  type DnsRecord as AwsDnsRecord,
  type HealthCheckConfig,
} from '@aws-sdk/client-servicediscovery';
import type { CloudMapServiceSpec, DesiredOf } from '../../manifests/types.js';
import { ApplyError, errorMember, isCode } from '../../kit/apply-errors.js';
import { isNotFound } from '../../aws/errors.js';
import type { ApplyRun, CloudMapRef } from '../../kit/apply-run.js';
import { applyByAction } from '../../kit/apply-steps.js';
import { changedSpecFields, ownerTags, tagDelta, toAwsTagList } from '../../kit/apply-tags.js';
import { pollUntil } from '../../kit/apply-wait.js';
import { creatorRequestId } from '../../kit/idempotency.js';
import { awaitOperation } from '../../kit/operations.js';
import type { LiveCloudMapService, ResourcePlan } from '../../kit/types.js';
import { detachEcsServices, reattachEcsServices } from '../ecs-service/registries.js';
import { deleteWhenUnused } from './delete-unused.js';
import { applyCloudMapTags, cloudMapOwnedByUs } from './tags.js';

type Desired = DesiredOf<'CloudMapService'>;
const KIND = 'CloudMapService';

export function applyCloudMapService(run: ApplyRun, plan: ResourcePlan): Promise<void> {
  return applyByAction<Desired, LiveCloudMapService>(plan, {
    create: (desired) => createService(run, plan, desired),
    update: (desired, live) => updateService(run, plan, desired, live),
    replace: async (desired, live) => {
      const detached = await detachEcsServices(run, plan.key, live.arn);
      await drainAndDelete(run, plan, live);
      const created = await createService(run, plan, desired);
      await reattachEcsServices(run, detached, live.arn, created.arn);
    },
    delete: async (live) => {
      await detachEcsServices(run, plan.key, live.arn);
      await drainAndDelete(run, plan, live);
    },
  });
}

/**
 * Settings whose change needs a replacement (docs/aws-behaviour.md; in an HTTP namespace also the
 * description and Route 53 check), hence part of the CreatorRequestId.
 */
function generation(spec: CloudMapServiceSpec): unknown {
  return {
    namespace: spec.namespace,
    type: spec.type,
    routingPolicy: spec.dns ? (spec.dns.routingPolicy ?? 'MULTIVALUE') : undefined,
    recordTypes: spec.dns?.records.map((r) => r.type).sort(),
    custom: spec.healthCheck?.custom !== undefined,
    route53Type: spec.healthCheck?.route53?.type,
    ...(spec.dns === undefined ? { description: spec.description, route53: spec.healthCheck?.route53 } : {}),
  };
}

function healthCheckConfig(spec: CloudMapServiceSpec): HealthCheckConfig | undefined {
  const r = spec.healthCheck?.route53;
  if (!r) return undefined;
  return { Type: r.type, ResourcePath: r.resourcePath, FailureThreshold: r.failureThreshold };
}

function dnsRecords(spec: CloudMapServiceSpec): AwsDnsRecord[] {
  return (spec.dns?.records ?? []).map((r) => ({ Type: r.type, TTL: r.ttl }));
}

async function createService(run: ApplyRun, plan: ResourcePlan, desired: Desired): Promise<CloudMapRef> {
  const spec = desired.manifest.spec;
  const ns = run.namespaces.get(spec.namespace);
  if (!ns) {
    throw new ApplyError('EGO_APPLY_DEPENDENCY_MISSING', `namespace ${spec.namespace} does not exist (yet)`);
  }
  const token = creatorRequestId(run.controllerId, plan.key, generation(spec));
  const input: CreateServiceRequest = {
    Name: desired.name,
    NamespaceId: ns.id,
    CreatorRequestId: token,
    Description: spec.description,
    Type: spec.type,
    DnsConfig: spec.dns ? { RoutingPolicy: spec.dns.routingPolicy ?? 'MULTIVALUE', DnsRecords: dnsRecords(spec) } : undefined,
    HealthCheckConfig: healthCheckConfig(spec),
    // FailureThreshold is deprecated (always 1): never sent.
    HealthCheckCustomConfig: spec.healthCheck?.custom ? {} : undefined,
    Tags: toAwsTagList({ ...(spec.tags ?? {}), ...ownerTags(run.controllerId, plan.key, desired.policy) }),
  };
  let adopted = false;
  const ref = await run.act(
    KIND,
    plan.key,
    'create',
    async (): Promise<CloudMapRef> => {
      try {
        const out = await run.clients.serviceDiscovery.send(new CreateServiceCommand(input));
        return { id: out.Service?.Id ?? '', arn: out.Service?.Arn ?? '' };
      } catch (err) {
        if (!isCode(err, 'ServiceAlreadyExists')) throw err;
        const id = errorMember(err, 'ServiceId');
        const arn = errorMember(err, 'ServiceArn');
        if (id && arn && (errorMember(err, 'CreatorRequestId') === token || (await cloudMapOwnedByUs(run, plan.key, arn)))) {
          adopted = true;
          return { id, arn };
        }
        throw new ApplyError(
          'EGO_APPLY_NOT_OWNED',
          `Cloud Map service ${desired.name} already exists in ${spec.namespace} and was not created by ecs-gitops (${run.controllerId}); set syncPolicy.adopt to take it over`,
        );
      }
    },
    (r) => (adopted ? `adopted our earlier attempt ${r.id}` : r.id),
  );
  run.cloudMapServices.set(plan.key, ref);
  return ref;
}

async function updateService(run: ApplyRun, plan: ResourcePlan, desired: Desired, live: LiveCloudMapService): Promise<void> {
  const spec = desired.manifest.spec;
  const fields = changedSpecFields(plan);
  const sd = run.clients.serviceDiscovery;
  if (fields.has('description') || fields.has('dns') || fields.has('healthCheck')) {
    // UpdateService replaces the whole record list and health check: send everything,
    // taking what the manifest does not declare from the live service. A declared healthCheck
    // manages the Route 53 check too (as in the diff): without `route53` it is removed.
    const source = spec.dns ? spec : live.spec;
    const route53 = spec.healthCheck ? spec : live.spec;
    const records = dnsRecords(source);
    const out = await run.act(
      KIND,
      plan.key,
      'update',
      () =>
        sd.send(
          new UpdateServiceCommand({
            Id: live.id,
            Service: {
              Description: spec.description ?? live.spec.description,
              DnsConfig: records.length > 0 ? { DnsRecords: records } : undefined,
              HealthCheckConfig: healthCheckConfig(route53),
            },
          }),
        ),
      plan.changes
        .filter((c) => !c.pointer.startsWith('/spec/tags'))
        .map((c) => `${c.path}: ${fmt(c.from)} -> ${fmt(c.to)}`)
        .join('; '),
    );
    if (out.OperationId) await awaitOperation(run, KIND, plan.key, out.OperationId);
  }
  const delta = tagDelta(plan, spec.tags, ownerTags(run.controllerId, plan.key, desired.policy));
  await applyCloudMapTags(run, KIND, plan.key, live.arn, delta, live.owner === undefined);
}

function fmt(v: unknown): string {
  return v === undefined ? '(none)' : JSON.stringify(v);
}

/** Waits (bounded) until no instance is registered, then deletes; ResourceInUse is retried, bounded. */
async function drainAndDelete(run: ApplyRun, plan: ResourcePlan, live: LiveCloudMapService): Promise<void> {
  const sd = run.clients.serviceDiscovery;
  await run.act(
    KIND,
    plan.key,
    'wait',
    () =>
      pollUntil(
        async () => {
          try {
            const out = await sd.send(new ListInstancesCommand({ ServiceId: live.id, MaxResults: 1 }));
            return (out.Instances ?? []).length === 0 ? true : undefined;
          } catch (err) {
            if (isNotFound(err)) return true;
            throw err;
          }
        },
        run.waits.instances,
        run.seams,
        `instances of ${plan.key} to deregister`,
      ),
    'instances deregistered',
  );
  await run.act(KIND, plan.key, 'delete', () => deleteWhenUnused(run, () => sd.send(new DeleteServiceCommand({ Id: live.id })), `${plan.key} still in use`));
  run.cloudMapServices.delete(plan.key);
}
