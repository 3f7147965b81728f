import { KeyedOrderedIndex } from '../../ordered-index.js';
import type { ServiceConnectDiscovery, ServiceConnectNamespace } from '../../world.js';
import type { CloudMapContext } from './context.js';
import { createNamespace } from './namespaces.js';
import { insertService } from './services.js';
import type { NamespaceRecord, ServiceRecord } from './state.js';
import { applyTags } from './tags.js';

/**
 * The tag ECS puts on the Cloud Map namespaces and services it creates for Service Connect
 * (the ECS service-linked role may only create, tag and delete resources carrying it).
 */
export const ECS_MANAGED_TAG = { Key: 'AmazonECSManaged', Value: 'true' } as const;

const asRef = (ns: NamespaceRecord): ServiceConnectNamespace => ({ id: ns.id, arn: ns.arn, name: ns.name });

/** A namespace by name (case-insensitive, as Cloud Map keys them) or ARN; deleting ones are not offered. */
export function findNamespace(ctx: CloudMapContext, ref: string): ServiceConnectNamespace | undefined {
  const id = ref.startsWith('arn:') ? ctx.state.arnToId.get(ref) : ctx.state.namespaceIdByName.get(ref.toLowerCase());
  const ns = id === undefined ? undefined : ctx.state.namespaces.get(id);
  return ns && ns.status !== 'DELETING' ? asRef(ns) : undefined;
}

/** CreateHttpNamespace on ECS's behalf (asynchronous like any other, tagged `AmazonECSManaged`). */
export function createManagedNamespace(ctx: CloudMapContext, name: string): ServiceConnectNamespace {
  createNamespace(ctx, 'HTTP', { Name: name, Tags: [ECS_MANAGED_TAG] });
  const ns = findNamespace(ctx, name);
  if (!ns) throw new Error(`namespace ${name} was not recorded`);
  return ns;
}

export function findDiscovery(ctx: CloudMapContext, namespaceId: string, name: string): ServiceConnectDiscovery | undefined {
  const id = ctx.state.serviceIdByName.get(ctx.state.serviceKey(namespaceId, name));
  const svc = id === undefined ? undefined : ctx.state.services.get(id);
  if (!svc) return undefined;
  return { arn: svc.arn, managed: ctx.state.tags.get(svc.arn)?.get(ECS_MANAGED_TAG.Key) === ECS_MANAGED_TAG.Value };
}

/**
 * The Cloud Map service ECS creates for a `discoveryName`: type HTTP (API discovery only,
 * no DNS records, even in a DNS namespace), no health check, described as managed by the
 * ECS service, tagged `AmazonECSManaged=true`. Created at once, also in a namespace still
 * being created (ECS waits for its own namespace).
 */
export function createManagedDiscovery(ctx: CloudMapContext, namespaceId: string, name: string, description: string): string {
  const id = `srv-${ctx.world.hexId(16)}`;
  const svc: ServiceRecord = {
    id,
    seq: ctx.state.nextSeq(),
    arn: ctx.world.arn('servicediscovery', `service/${id}`),
    name,
    namespaceId,
    description,
    healthCheckCustom: false,
    type: 'HTTP',
    createDate: ctx.world.now(),
    instances: new KeyedOrderedIndex(),
    revision: 1,
  };
  insertService(ctx, svc);
  applyTags(ctx, svc.arn, [ECS_MANAGED_TAG]);
  return svc.arn;
}
