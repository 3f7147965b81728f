import { randomUUID } from 'node:crypto';
import { SandboxError } from '../../errors.js';
import type { AdminRoutes, JsonService } from '../../protocol/types.js';
import type { JsonObject } from '../../types.js';
import type { CloudMapInstanceRegistry, SandboxWorld, ServiceConnectRegistry } from '../../world.js';
import { createCluster, describeClusters, listClusters, resolveCluster, updateCluster } from './clusters.js';
import type { EcsContext } from './context.js';
import { reconcileService, stopTasks } from './deployments.js';
import { watchAlarms } from './native-deployments.js';
import {
  continueServiceDeployment,
  describeServiceDeployments,
  describeServiceRevisions,
  listServiceDeployments,
  stopServiceDeployment,
} from './service-deployments.js';
import { parseTaskFailureRule } from './task-failures.js';
import { createService, deleteService, describeServices, listServices, updateService } from './services.js';
import { EcsState, type EcsTag } from './state.js';
import type { TaggedResource } from '../tagging/index.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import { deregisterTaskDefinition, describeTaskDefinition, listTaskDefinitions, registerTaskDefinition } from './task-definitions.js';
import { describeTasks, findTask, listTasks, stopTask } from './tasks.js';

/** Options of {@link EcsSandboxService.stopTask}. */
export interface StopTaskOptions {
  /**
   * The stale-instance fault: stop the task but leave its Cloud Map instances registered,
   * as happens in production when ECS fails to deregister a stopped task.
   */
  readonly leaveInstanceRegistered?: boolean;
}

/** What {@link EcsSandboxService.stopTask} did. */
export interface StoppedTask {
  readonly taskArn: string;
  readonly lastStatus: string;
  /** Cloud Map registrations left behind (`registryArn`, `instanceId`). */
  readonly leftRegistered: readonly { registryArn: string; instanceId: string }[];
}

/**
 * The sandbox's Amazon ECS: clusters, task definitions, services with deployments, and
 * simulated tasks that register in Cloud Map through `registry`. Speaks JSON 1.1 with
 * target prefix `AmazonEC2ContainerServiceV20141113`; admin switches live under
 * `/_sandbox/ecs/` (see docs/sandbox.md).
 */
export class EcsSandboxService implements JsonService, AdminRoutes {
  readonly name = 'ecs' as const;
  readonly targetPrefix = 'AmazonEC2ContainerServiceV20141113';
  readonly operations: Readonly<Record<string, (input: JsonObject) => unknown>>;
  private readonly ctx: EcsContext;

  constructor(world: SandboxWorld, registry?: CloudMapInstanceRegistry, serviceConnect?: ServiceConnectRegistry) {
    const ctx: EcsContext = { world, state: new EcsState(), registry, serviceConnect };
    this.ctx = ctx;
    const op = (fn: (c: EcsContext, input: JsonObject) => JsonObject) => (input: JsonObject) => fn(ctx, input);
    this.operations = {
      CreateCluster: op(createCluster),
      DescribeClusters: op(describeClusters),
      ListClusters: op(listClusters),
      UpdateCluster: op(updateCluster),
      RegisterTaskDefinition: op(registerTaskDefinition),
      DescribeTaskDefinition: op(describeTaskDefinition),
      ListTaskDefinitions: op(listTaskDefinitions),
      DeregisterTaskDefinition: op(deregisterTaskDefinition),
      CreateService: op(createService),
      UpdateService: op(updateService),
      DeleteService: op(deleteService),
      DescribeServices: op(describeServices),
      ListServices: op(listServices),
      ListTasks: op(listTasks),
      DescribeTasks: op(describeTasks),
      TagResource: op(tagResource),
      UntagResource: op(untagResource),
      ListTagsForResource: op(listTagsForResource),
      ListServiceDeployments: op(listServiceDeployments),
      DescribeServiceDeployments: op(describeServiceDeployments),
      StopServiceDeployment: op(stopServiceDeployment),
      ContinueServiceDeployment: op(continueServiceDeployment),
      DescribeServiceRevisions: op(describeServiceRevisions),
    };
    watchAlarms(ctx);
  }

  /**
   * Stops one task of a service now (ECS then starts a replacement to keep the desired
   * count). `cluster` is a name or ARN, `task` an id or ARN.
   */
  /** Tagged clusters, services (not INACTIVE) and task definition revisions, for the tagging API. */
  *taggedResources(): Iterable<TaggedResource> {
    const tagsOf = (tags: readonly EcsTag[]) => new Map(tags.map((t) => [t.key, t.value]));
    for (const cluster of this.ctx.state.clusters.values()) {
      if (cluster.status !== 'ACTIVE') continue;
      if (cluster.tags.length > 0) yield { arn: cluster.arn, tags: tagsOf(cluster.tags) };
      for (const svc of cluster.services.values()) {
        if (svc.status !== 'INACTIVE' && svc.tags.length > 0) yield { arn: svc.arn, tags: tagsOf(svc.tags) };
      }
    }
    for (const td of this.ctx.state.taskDefinitionsByArn.values()) if (td.tags.length > 0) yield { arn: td.arn, tags: tagsOf(td.tags) };
  }

  /**
   * Gives every ACTIVE service the event history of a long-lived one: DescribeServices shows a
   * service's 100 latest events, and the scheduler reports a steady service's state
   * periodically, so an old service reports 100 "has reached a steady state" events (spaced
   * six hours apart here). For benchmarks (the size of DescribeServices answers); returns the
   * number of services aged.
   */
  ageServices(): number {
    this.ctx.world.scheduler.runDue();
    let aged = 0;
    for (const cluster of this.ctx.state.clusters.values()) {
      for (const svc of cluster.services.values()) {
        if (svc.status !== 'ACTIVE') continue;
        while (svc.events.length < 100) {
          const at = (svc.events[svc.events.length - 1]?.createdAt ?? this.ctx.world.now()) - 6 * 3600 * 1000;
          svc.events.push({ id: randomUUID(), createdAt: at, message: `(service ${svc.name}) has reached a steady state.` });
        }
        aged++;
      }
    }
    return aged;
  }

  stopTask(cluster: string, task: string, options: StopTaskOptions = {}): StoppedTask {
    this.ctx.world.scheduler.runDue();
    const c = resolveCluster(this.ctx, cluster);
    const t = findTask(c, task);
    if (!t) throw new SandboxError('InvalidParameterException', `The referenced task was not found: ${task}`, 404);
    const leave = options.leaveInstanceRegistered === true;
    const reason = { stoppedReason: 'Essential container in task exited', stopCode: 'EssentialContainerExited' } as const;
    if (t.service) {
      stopTasks(this.ctx, t.service, [t], reason, leave);
      reconcileService(this.ctx, t.service);
    } else {
      stopTask(this.ctx, t, reason, leave);
    }
    return { taskArn: t.arn, lastStatus: t.lastStatus, leftRegistered: t.registrations.map((r) => ({ ...r })) };
  }

  admin(method: string, path: string, body: JsonObject): unknown {
    if (method === 'POST' && path === 'stop-task') {
      const cluster = typeof body['cluster'] === 'string' ? body['cluster'] : 'default';
      const task = body['task'];
      if (typeof task !== 'string' || task === '') throw new SandboxError('InvalidParameterException', 'task (id or ARN) is required', 400);
      return this.stopTask(cluster, task, { leaveInstanceRegistered: body['leaveInstanceRegistered'] === true });
    }
    if (path === 'task-failures') {
      const deploys = this.ctx.state.deploys;
      if (method === 'GET') return deploys.taskFailures;
      if (method === 'POST') {
        deploys.taskFailures = [...deploys.taskFailures, parseTaskFailureRule(body)];
        return deploys.taskFailures;
      }
      if (method === 'DELETE') {
        deploys.taskFailures = [];
        return { ok: true };
      }
    }
    return undefined;
  }
}
