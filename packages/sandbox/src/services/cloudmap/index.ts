import { SandboxError } from '../../errors.js';
import type { AdminRoutes, JsonService } from '../../protocol/types.js';
import type { JsonObject } from '../../types.js';
import type { CloudMapInstanceRegistry, SandboxWorld, ServiceConnectDiscovery, ServiceConnectNamespace, ServiceConnectRegistry } from '../../world.js';
import type { HostedZones } from '../route53/zones.js';
import type { CloudMapContext } from './context.js';
import { createManagedDiscovery, createManagedNamespace, findDiscovery, findNamespace } from './ecs-managed.js';
import {
  discoverInstances,
  discoverInstancesRevision,
  deregisterInstance,
  dropInstance,
  getInstance,
  getInstancesHealthStatus,
  listInstances,
  putInstance,
  registerInstance,
  setInstanceHealth,
  updateInstanceCustomHealthStatus,
} from './instances.js';
import { createNamespace, deleteNamespace, getNamespace, listNamespaces, updateNamespace } from './namespaces.js';
import { OperationTracker, type OperationFailure } from './operations.js';
import { createService, deleteService, getService, listServices, requireService, updateService } from './services.js';
import { CloudMapState, DEFAULT_LIMITS, type CloudMapLimits, type ServiceRecord } from './state.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import type { TaggedResource } from '../tagging/index.js';

export type { CloudMapLimits } from './state.js';

/**
 * The sandbox's Cloud Map (servicediscovery, JSON 1.1). Also the `CloudMapInstanceRegistry`
 * ECS task simulation registers tasks through, and the admin switches under
 * `/_sandbox/servicediscovery/...`.
 */
export class CloudMapService implements JsonService, AdminRoutes, CloudMapInstanceRegistry, ServiceConnectRegistry {
  readonly name = 'servicediscovery' as const;
  readonly targetPrefix = 'Route53AutoNaming_v20170314';
  readonly operations: Readonly<Record<string, (input: JsonObject) => unknown>>;
  readonly state = new CloudMapState();
  readonly limits: CloudMapLimits = { ...DEFAULT_LIMITS };
  private readonly ctx: CloudMapContext;
  private readonly tracker: OperationTracker;

  constructor(world: SandboxWorld, zones: HostedZones) {
    this.tracker = new OperationTracker(world, this.state);
    const ctx: CloudMapContext = { world, state: this.state, zones, operations: this.tracker, limits: this.limits };
    this.ctx = ctx;
    const with_ = (fn: (c: CloudMapContext, input: JsonObject) => unknown) => (input: JsonObject) => fn(ctx, input);
    this.operations = {
      CreateHttpNamespace: (input) => createNamespace(ctx, 'HTTP', input),
      CreatePrivateDnsNamespace: (input) => createNamespace(ctx, 'DNS_PRIVATE', input),
      CreatePublicDnsNamespace: (input) => createNamespace(ctx, 'DNS_PUBLIC', input),
      UpdateHttpNamespace: (input) => updateNamespace(ctx, 'UpdateHttpNamespace', input),
      UpdatePrivateDnsNamespace: (input) => updateNamespace(ctx, 'UpdatePrivateDnsNamespace', input),
      UpdatePublicDnsNamespace: (input) => updateNamespace(ctx, 'UpdatePublicDnsNamespace', input),
      DeleteNamespace: with_(deleteNamespace),
      GetNamespace: with_(getNamespace),
      ListNamespaces: with_(listNamespaces),
      GetOperation: (input) => this.tracker.getOperation(input),
      ListOperations: (input) => this.tracker.listOperations(input),
      CreateService: with_(createService),
      UpdateService: with_(updateService),
      DeleteService: with_(deleteService),
      GetService: with_(getService),
      ListServices: with_(listServices),
      RegisterInstance: with_(registerInstance),
      DeregisterInstance: with_(deregisterInstance),
      GetInstance: with_(getInstance),
      ListInstances: with_(listInstances),
      GetInstancesHealthStatus: with_(getInstancesHealthStatus),
      UpdateInstanceCustomHealthStatus: with_(updateInstanceCustomHealthStatus),
      DiscoverInstances: with_(discoverInstances),
      DiscoverInstancesRevision: with_(discoverInstancesRevision),
      TagResource: with_(tagResource),
      UntagResource: with_(untagResource),
      ListTagsForResource: with_(listTagsForResource),
    };
  }

  /** Tagged namespaces (created) and services, for the tagging API. */
  *taggedResources(): Iterable<TaggedResource> {
    for (const [arn, tags] of this.state.tags) {
      const id = this.state.arnToId.get(arn);
      const exists = id !== undefined && (this.state.services.get(id) !== undefined || this.state.namespaces.get(id)?.status === 'ACTIVE');
      if (exists && tags.size > 0) yield { arn, tags };
    }
  }

  // --- CloudMapInstanceRegistry (ECS task simulation) ---

  hasService(registryArn: string): boolean {
    return this.serviceByArnOrId(registryArn) !== undefined;
  }

  /** Immediate upsert (ECS has already waited for the task to start); a no-op when the service is gone. */
  registerInstance(registryArn: string, instanceId: string, attributes: Record<string, string>): void {
    const svc = this.serviceByArnOrId(registryArn);
    if (svc) putInstance(this.ctx, svc, instanceId, attributes);
  }

  deregisterInstance(registryArn: string, instanceId: string): void {
    const svc = this.serviceByArnOrId(registryArn);
    if (svc) dropInstance(this.ctx, svc, instanceId);
  }

  // --- ServiceConnectRegistry (ECS Service Connect) ---

  findNamespace(nameOrArn: string): ServiceConnectNamespace | undefined {
    return findNamespace(this.ctx, nameOrArn);
  }

  createManagedNamespace(name: string): ServiceConnectNamespace {
    return createManagedNamespace(this.ctx, name);
  }

  findDiscovery(namespaceId: string, name: string): ServiceConnectDiscovery | undefined {
    return findDiscovery(this.ctx, namespaceId, name);
  }

  createManagedDiscovery(namespaceId: string, name: string, description: string): string {
    return createManagedDiscovery(this.ctx, namespaceId, name, description);
  }

  // --- Admin switches (also reachable over HTTP, see `admin`) ---

  /** Registers an instance now, without an operation and without attribute checks. */
  adminRegisterInstance(service: string, instanceId: string, attributes: Record<string, string>): void {
    putInstance(this.ctx, this.requireServiceByArnOrId(service), instanceId, attributes);
  }

  /** Deregisters an instance now; InstanceNotFound when it is not registered. */
  adminDeregisterInstance(service: string, instanceId: string): void {
    if (!dropInstance(this.ctx, this.requireServiceByArnOrId(service), instanceId)) {
      throw new SandboxError('InstanceNotFound', `No instance ${instanceId} is registered in service ${service}.`, 404);
    }
  }

  /** Sets an instance's health status (any health configuration). */
  setInstanceHealth(service: string, instanceId: string, status: 'HEALTHY' | 'UNHEALTHY'): void {
    setInstanceHealth(this.requireServiceByArnOrId(service), instanceId, status);
  }

  /** The next asynchronous operation started ends in FAIL with this code and message. */
  failNextOperation(failure: OperationFailure): void {
    this.tracker.failNext(failure);
  }

  /**
   * `POST /_sandbox/servicediscovery/register-instance` `{service, instanceId, attributes}`
   * `POST /_sandbox/servicediscovery/deregister-instance` `{service, instanceId}`
   * `POST /_sandbox/servicediscovery/instance-health` `{service, instanceId, status}`
   * `POST /_sandbox/servicediscovery/fail-next-operation` `{code, message?}`
   * `GET|POST /_sandbox/servicediscovery/limits` `{namespaces?, instancesPerService?, tagsPerResource?}`
   * (`service` is a service id or ARN.)
   */
  admin(method: string, path: string, body: JsonObject): unknown {
    if (method === 'POST' && path === 'register-instance') {
      const attributes = body['attributes'];
      if (!attributes || typeof attributes !== 'object') throw new SandboxError('InvalidInput', 'attributes is required');
      this.adminRegisterInstance(str(body, 'service'), str(body, 'instanceId'), attributes as Record<string, string>);
      return { ok: true };
    }
    if (method === 'POST' && path === 'deregister-instance') {
      this.adminDeregisterInstance(str(body, 'service'), str(body, 'instanceId'));
      return { ok: true };
    }
    if (method === 'POST' && path === 'instance-health') {
      const status = body['status'];
      if (status !== 'HEALTHY' && status !== 'UNHEALTHY') throw new SandboxError('InvalidInput', 'status must be HEALTHY or UNHEALTHY');
      this.setInstanceHealth(str(body, 'service'), str(body, 'instanceId'), status);
      return { ok: true };
    }
    if (method === 'POST' && path === 'fail-next-operation') {
      const message = typeof body['message'] === 'string' ? body['message'] : 'injected failure';
      this.failNextOperation({ code: str(body, 'code'), message });
      return { ok: true };
    }
    if (path === 'limits' && (method === 'GET' || method === 'POST')) {
      if (method === 'POST') {
        for (const key of Object.keys(DEFAULT_LIMITS) as (keyof CloudMapLimits)[]) {
          const v = body[key];
          if (v === undefined) continue;
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new SandboxError('InvalidInput', `${key} must be a non-negative integer`);
          this.limits[key] = v;
        }
      }
      return { ...this.limits };
    }
    return undefined;
  }

  private serviceByArnOrId(ref: string): ServiceRecord | undefined {
    const id = ref.startsWith('arn:') ? this.state.arnToId.get(ref) : ref;
    return id === undefined ? undefined : this.state.services.get(id);
  }

  private requireServiceByArnOrId(ref: string): ServiceRecord {
    const svc = this.serviceByArnOrId(ref);
    return svc ?? requireService(this.ctx, ref);
  }
}

function str(body: JsonObject, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '') throw new SandboxError('InvalidInput', `${field} is required`);
  return v;
}
