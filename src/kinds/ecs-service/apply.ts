/**
 * Applies an EcsService plan: create (clientToken), update of the changed fields only, tags,
 * delete (scale to 0, force delete), and replace (delete, wait INACTIVE, create).
 */
import { cloudMapServiceKey } from '../../manifests/keys.js';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  type ServiceRegistry,
} from '@aws-sdk/client-ecs';
import type { DesiredOf } from '../../manifests/types.js';
import { ApplyError, isCode } from '../../kit/apply-errors.js';
import { isNotFound } from '../../aws/errors.js';
import type { ApplyRun } from '../../kit/apply-run.js';
import { applyByAction } from '../../kit/apply-steps.js';
import { applyTagDelta, changedSpecFields, ownerTags, tagDelta, toEcsTagList } from '../../kit/apply-tags.js';
import { pollUntil } from '../../kit/apply-wait.js';
import { ecsClientToken } from '../../kit/idempotency.js';
import type { LiveEcsService, ResourcePlan } from '../../kit/types.js';
import { ensureTaskDefinition } from './task-definition/apply.js';
import { createServiceRequest, serviceRegistries, updateServiceFields } from './request.js';

type Desired = DesiredOf<'EcsService'>;
const KIND = 'EcsService';

export function applyEcsService(run: ApplyRun, plan: ResourcePlan): Promise<void> {
  return applyByAction<Desired, LiveEcsService>(plan, {
    create: async (desired, live) => {
      if (live && live.status !== 'INACTIVE') await waitInactive(run, plan.key, live);
      await createService(run, plan, desired);
    },
    update: (desired, live) => updateService(run, plan, desired, live),
    replace: async (desired, live) => {
      await deleteService(run, plan.key, live);
      // Creating the same name while ACTIVE or DRAINING fails: wait for INACTIVE first.
      await waitInactive(run, plan.key, live);
      await createService(run, plan, desired);
    },
    delete: (live) => deleteService(run, plan.key, live),
  });
}

async function resolveTaskDefinition(run: ApplyRun, plan: ResourcePlan, desired: Desired, live: LiveEcsService | undefined): Promise<string> {
  const spec = desired.manifest.spec;
  if (spec.taskDefinition) return ensureTaskDefinition(run, plan.key, spec.taskDefinition, live);
  if (spec.taskDefinitionRef) return spec.taskDefinitionRef;
  throw new ApplyError('EGO_APPLY_NO_TASK_DEFINITION', `${plan.key} declares neither taskDefinition nor taskDefinitionRef`);
}

function resolveRegistries(run: ApplyRun, desired: Desired): ServiceRegistry[] {
  const d = desired.manifest.spec.discovery;
  if (!d) return [];
  const key = cloudMapServiceKey(d.namespace, d.service);
  const ref = run.cloudMapServices.get(key);
  if (!ref) throw new ApplyError('EGO_APPLY_DEPENDENCY_MISSING', `discovery target ${key} does not exist (yet)`);
  return serviceRegistries(desired.manifest.spec, ref.arn);
}

async function createService(run: ApplyRun, plan: ResourcePlan, desired: Desired): Promise<void> {
  const spec = desired.manifest.spec;
  const registries = resolveRegistries(run, desired);
  const taskDefinition = await resolveTaskDefinition(run, plan, desired, undefined);
  const request = createServiceRequest(desired.name, spec, taskDefinition, registries);
  const token = ecsClientToken(run.controllerId, plan.key, { cluster: request.cluster, launchType: spec.launchType });
  const tags = toEcsTagList({ ...(spec.tags ?? {}), ...ownerTags(run.controllerId, plan.key, desired.policy) });
  await run.act(
    KIND,
    plan.key,
    'create',
    () => run.clients.ecs.send(new CreateServiceCommand({ ...request, tags, clientToken: token })),
    (o) => (o.service?.taskDefinition ? `task definition ${o.service.taskDefinition}` : undefined),
  );
  run.deletedEcsServices.delete(plan.key);
}

async function updateService(run: ApplyRun, plan: ResourcePlan, desired: Desired, live: LiveEcsService): Promise<void> {
  const spec = desired.manifest.spec;
  const fields = changedSpecFields(plan);
  const resolved: { taskDefinition?: string; registries?: ServiceRegistry[] } = {};
  if (fields.has('taskDefinition') || fields.has('taskDefinitionRef')) resolved.taskDefinition = await resolveTaskDefinition(run, plan, desired, live);
  if (fields.has('discovery')) resolved.registries = resolveRegistries(run, desired);
  const update = updateServiceFields(spec, fields, resolved);
  const names = Object.keys(update);
  if (names.length > 0) {
    await run.act(
      KIND,
      plan.key,
      'update',
      () => run.clients.ecs.send(new UpdateServiceCommand({ cluster: live.cluster, service: live.name, ...update })),
      names.join(', '),
    );
    if (resolved.registries?.length === 0) run.detachedEcsServices.add(plan.key);
  }
  const delta = tagDelta(plan, spec.tags, ownerTags(run.controllerId, plan.key, desired.policy));
  const ecs = run.clients.ecs;
  await applyTagDelta(run, KIND, plan.key, live.arn, delta, live.owner === undefined, {
    tag: (add) => ecs.send(new TagResourceCommand({ resourceArn: live.arn, tags: toEcsTagList(add) })),
    untag: (keys) => ecs.send(new UntagResourceCommand({ resourceArn: live.arn, tagKeys: keys })),
  });
}

/** Scale to 0, then force-delete (ACTIVE -> DRAINING -> INACTIVE); a service already gone is fine. */
async function deleteService(run: ApplyRun, key: string, live: LiveEcsService): Promise<void> {
  const ecs = run.clients.ecs;
  const gone = (err: unknown): boolean => isNotFound(err) || isCode(err, 'ServiceNotActiveException');
  if ((live.spec.desiredCount ?? 0) > 0) {
    await run.act(
      KIND,
      key,
      'update',
      async () => {
        try {
          await ecs.send(new UpdateServiceCommand({ cluster: live.cluster, service: live.name, desiredCount: 0 }));
        } catch (err) {
          if (!gone(err)) throw err;
        }
      },
      'desiredCount: 0',
    );
  }
  await run.act(KIND, key, 'delete', async () => {
    try {
      await ecs.send(new DeleteServiceCommand({ cluster: live.cluster, service: live.name, force: true }));
    } catch (err) {
      if (!gone(err)) throw err;
    }
  });
  run.deletedEcsServices.add(key);
}

async function waitInactive(run: ApplyRun, key: string, live: LiveEcsService): Promise<void> {
  await run.act(
    KIND,
    key,
    'wait',
    () =>
      pollUntil(
        async () => {
          const out = await run.clients.ecs.send(new DescribeServicesCommand({ cluster: live.cluster, services: [live.name] }));
          const status = out.services?.[0]?.status;
          return status === undefined || status === 'INACTIVE' ? true : undefined;
        },
        run.waits.ecsInactive,
        run.seams,
        `${key} to become INACTIVE`,
      ),
    'INACTIVE',
  );
}
