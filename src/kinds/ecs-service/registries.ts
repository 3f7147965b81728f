/**
 * Making ECS let go of a Cloud Map service (serviceRegistries: []) and attaching it again,
 * used by Cloud Map service delete and replace.
 */
import { DescribeServicesCommand, UpdateServiceCommand, type ServiceRegistry } from '@aws-sdk/client-ecs';
import { ApplyError } from '../../kit/apply-errors.js';
import type { ApplyRun } from '../../kit/apply-run.js';
import type { LiveEcsService } from '../../kit/types.js';

/** An ECS service that was registering into a Cloud Map service, and what it had. */
export interface DetachedService {
  service: LiveEcsService;
  registries: ServiceRegistry[];
}

/** Live ECS services (not deleted in this run) whose serviceRegistries point at `registryArn`. */
export function ecsServicesUsing(run: ApplyRun, registryArn: string): LiveEcsService[] {
  return run.liveEcsServices().filter((s) => s.status !== 'INACTIVE' && !run.deletedEcsServices.has(s.key) && s.serviceRegistryArns.includes(registryArn));
}

/**
 * Sets `serviceRegistries: []` on every ECS service registering into `registryArn`, so its
 * tasks deregister. Refuses (before writing anything) when one of them is not ours: we
 * never change a resource we do not own.
 */
export async function detachEcsServices(run: ApplyRun, cloudMapKey: string, registryArn: string): Promise<DetachedService[]> {
  const users = ecsServicesUsing(run, registryArn);
  const foreign = users.filter((s) => s.owner?.controllerId !== run.controllerId);
  if (foreign.length > 0) {
    throw new ApplyError(
      'EGO_APPLY_IN_USE_BY_FOREIGN',
      `${cloudMapKey} is still used by ECS service(s) not managed by ecs-gitops: ${foreign.map((s) => s.key).join(', ')}`,
    );
  }
  const detached: DetachedService[] = [];
  for (const s of users) {
    const current = await currentRegistries(run, s);
    if (!run.detachedEcsServices.has(s.key) && current.length > 0) {
      await run.act(
        'EcsService',
        s.key,
        'detach',
        () => run.clients.ecs.send(new UpdateServiceCommand({ cluster: s.cluster, service: s.name, serviceRegistries: [] })),
        `serviceRegistries: [] (releasing ${cloudMapKey})`,
      );
      run.detachedEcsServices.add(s.key);
    }
    detached.push({ service: s, registries: current.length > 0 ? current : s.serviceRegistryArns.map((registryArn) => ({ registryArn })) });
  }
  return detached;
}

/** Re-attaches detached ECS services, pointing the registries that used `oldArn` at `newArn`. */
export async function reattachEcsServices(run: ApplyRun, detached: DetachedService[], oldArn: string, newArn: string): Promise<void> {
  for (const { service, registries } of detached) {
    const next = registries.map((r) => (r.registryArn === oldArn ? { ...r, registryArn: newArn } : r));
    await run.act(
      'EcsService',
      service.key,
      'attach',
      () => run.clients.ecs.send(new UpdateServiceCommand({ cluster: service.cluster, service: service.name, serviceRegistries: next })),
      `serviceRegistries -> ${newArn}`,
    );
    run.detachedEcsServices.delete(service.key);
  }
}

/** The registries as ECS has them now (port and container details included). */
async function currentRegistries(run: ApplyRun, s: LiveEcsService): Promise<ServiceRegistry[]> {
  const out = await run.clients.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: [s.name] }));
  return out.services?.[0]?.serviceRegistries ?? [];
}
