import { randomUUID } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import type { CloudMapContext } from './context.js';
import { removeInstanceRecords, writeInstanceRecords } from './dns-records.js';
import { visibleNamespace } from './namespaces.js';
import { SERVICE_NAME, requireService } from './services.js';
import type { HealthStatus, InstanceRecord, ServiceRecord } from './state.js';
import { decodeToken, encodeToken, invalid, maxResults, oneOf, optInt, optList, optStr, optStringMap, requireStr } from './validate.js';

const INSTANCE_ID = /^[0-9a-zA-Z_/:.@-]+$/;
const ATTRIBUTE_KEY = /^[a-zA-Z0-9!-~]+$/;
const MAX_ATTRIBUTES = 30;

/** Whether instances of this service carry a health status (otherwise UNKNOWN, never filtered). */
function hasHealthCheck(svc: ServiceRecord): boolean {
  return svc.healthCheckCustom || svc.healthCheckConfig !== undefined;
}

/** The attributes a service's DNS records need, as RegisterInstance checks them. */
function checkAttributes(svc: ServiceRecord, attrs: Record<string, string>): void {
  const keys = Object.keys(attrs);
  if (keys.length > MAX_ATTRIBUTES) throw invalid(`An instance can have at most ${MAX_ATTRIBUTES} attributes.`);
  for (const k of keys) {
    if (k.length > 255 || !ATTRIBUTE_KEY.test(k)) throw invalid(`Attribute key '${k}' is not valid.`);
    if ((attrs[k] ?? '').length > 1024) throw invalid(`Attribute '${k}' is longer than 1024 characters.`);
  }
  const ipv4 = attrs['AWS_INSTANCE_IPV4'];
  const ipv6 = attrs['AWS_INSTANCE_IPV6'];
  const port = attrs['AWS_INSTANCE_PORT'];
  if (ipv4 !== undefined && !isIPv4(ipv4)) throw invalid(`AWS_INSTANCE_IPV4 '${ipv4}' is not a valid IPv4 address.`);
  if (ipv6 !== undefined && !isIPv6(ipv6)) throw invalid(`AWS_INSTANCE_IPV6 '${ipv6}' is not a valid IPv6 address.`);
  if (port !== undefined && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw invalid(`AWS_INSTANCE_PORT '${port}' must be an integer between 1 and 65535.`);
  }
  const types = new Set(svc.dnsConfig?.DnsRecords.map((r) => r.Type) ?? []);
  if (types.has('A') && types.has('AAAA')) {
    if (ipv4 === undefined && ipv6 === undefined)
      throw invalid('The service has A and AAAA records: AWS_INSTANCE_IPV4, AWS_INSTANCE_IPV6 or both are required.');
  } else if (types.has('A') && ipv4 === undefined) {
    throw invalid('The service has an A record: AWS_INSTANCE_IPV4 is required.');
  } else if (types.has('AAAA') && ipv6 === undefined) {
    throw invalid('The service has an AAAA record: AWS_INSTANCE_IPV6 is required.');
  }
  if (types.has('SRV') && (port === undefined || (ipv4 === undefined && ipv6 === undefined))) {
    throw invalid('The service has an SRV record: AWS_INSTANCE_PORT and AWS_INSTANCE_IPV4 or AWS_INSTANCE_IPV6 are required.');
  }
  if (types.has('CNAME') && attrs['AWS_INSTANCE_CNAME'] === undefined) throw invalid('The service has a CNAME record: AWS_INSTANCE_CNAME is required.');
}

/** Upserts an instance now and writes its DNS records (used by operations, ECS and admin). */
export function putInstance(
  ctx: CloudMapContext,
  svc: ServiceRecord,
  id: string,
  attributes: Record<string, string>,
  creatorRequestId?: string,
): InstanceRecord {
  const ns = ctx.state.namespaces.get(svc.namespaceId);
  const previous = svc.instances.get(id);
  const inst: InstanceRecord = {
    id,
    seq: previous?.seq ?? ctx.state.nextSeq(),
    attributes: { ...attributes },
    creatorRequestId,
    health: previous?.health ?? (hasHealthCheck(svc) ? 'HEALTHY' : 'UNKNOWN'),
    healthCheckId: previous?.healthCheckId ?? (svc.healthCheckConfig ? randomUUID() : undefined),
    written: previous?.written ?? [],
  };
  if (previous) svc.instances.replace(inst);
  else svc.instances.add(inst);
  if (ns) writeInstanceRecords(ctx.zones, ns, svc, inst);
  svc.revision++;
  return inst;
}

/** Removes an instance and its DNS records now; false when it was not registered. */
export function dropInstance(ctx: CloudMapContext, svc: ServiceRecord, id: string): boolean {
  const inst = svc.instances.get(id);
  if (!inst) return false;
  const ns = ctx.state.namespaces.get(svc.namespaceId);
  if (ns) removeInstanceRecords(ctx.zones, ns, inst);
  svc.instances.delete(id);
  svc.revision++;
  return true;
}

export function registerInstance(ctx: CloudMapContext, input: JsonObject): unknown {
  const serviceId = requireStr(input, 'ServiceId', undefined, 64);
  const instanceId = requireStr(input, 'InstanceId', INSTANCE_ID, 64);
  const creatorRequestId = optStr(input, 'CreatorRequestId', undefined, 64);
  const attributes = optStringMap(input, 'Attributes');
  if (!attributes) throw invalid("1 validation error detected: Value at 'attributes' failed to satisfy constraint: Member must not be null");
  const svc = requireService(ctx, serviceId);
  checkAttributes(svc, attributes);
  if (!svc.instances.get(instanceId) && svc.instances.size >= ctx.limits.instancesPerService) {
    throw new SandboxError('ResourceLimitExceeded', `Service ${serviceId} has reached the quota of ${ctx.limits.instancesPerService} instances.`);
  }
  const op = ctx.operations.start(
    'REGISTER_INSTANCE',
    { SERVICE: serviceId, INSTANCE: instanceId },
    {
      complete: () => {
        if (ctx.state.services.get(serviceId) !== svc) return { code: 'SERVICE_NOT_FOUND', message: `Service ${serviceId} no longer exists.` };
        putInstance(ctx, svc, instanceId, attributes, creatorRequestId);
        return undefined;
      },
    },
  );
  return { OperationId: op.id };
}

export function deregisterInstance(ctx: CloudMapContext, input: JsonObject): unknown {
  const serviceId = requireStr(input, 'ServiceId', undefined, 64);
  const instanceId = requireStr(input, 'InstanceId', undefined, 64);
  const svc = requireService(ctx, serviceId);
  if (!svc.instances.get(instanceId)) throw new SandboxError('InstanceNotFound', `No instance ${instanceId} is registered in service ${serviceId}.`);
  const op = ctx.operations.start(
    'DEREGISTER_INSTANCE',
    { SERVICE: serviceId, INSTANCE: instanceId },
    {
      complete: () => {
        dropInstance(ctx, svc, instanceId);
        return undefined;
      },
    },
  );
  return { OperationId: op.id };
}

function requireInstance(svc: ServiceRecord, id: string): InstanceRecord {
  const inst = svc.instances.get(id);
  if (!inst) throw new SandboxError('InstanceNotFound', `No instance ${id} is registered in service ${svc.id}.`);
  return inst;
}

export function getInstance(ctx: CloudMapContext, input: JsonObject): unknown {
  const svc = requireService(ctx, requireStr(input, 'ServiceId', undefined, 64));
  const inst = requireInstance(svc, requireStr(input, 'InstanceId', undefined, 64));
  return { Instance: { Id: inst.id, CreatorRequestId: inst.creatorRequestId, Attributes: inst.attributes } };
}

export function listInstances(ctx: CloudMapContext, input: JsonObject): unknown {
  const svc = requireService(ctx, requireStr(input, 'ServiceId', undefined, 64));
  const page = svc.instances.page(decodeToken(input), maxResults(input, 100, 100));
  return {
    Instances: page.items.map((i) => ({ Id: i.id, Attributes: i.attributes })),
    NextToken: page.nextAfter === undefined ? undefined : encodeToken(page.nextAfter),
  };
}

export function getInstancesHealthStatus(ctx: CloudMapContext, input: JsonObject): unknown {
  const svc = requireService(ctx, requireStr(input, 'ServiceId', undefined, 64));
  const wanted = optList(input, 'Instances');
  const limit = maxResults(input, 100, 100);
  if (wanted && wanted.length > 0) {
    const status: Record<string, HealthStatus> = {};
    for (const id of wanted) status[String(id)] = requireInstance(svc, String(id)).health;
    return { Status: status };
  }
  const page = svc.instances.page(decodeToken(input), limit);
  return {
    Status: Object.fromEntries(page.items.map((i) => [i.id, i.health])),
    NextToken: page.nextAfter === undefined ? undefined : encodeToken(page.nextAfter),
  };
}

/**
 * Sets an instance's health (ECS reports task health this way); the service needs custom health.
 * AWS: "The health status updates don't update InstancesRevision" (DiscoverInstances API reference).
 */
export function setInstanceHealth(svc: ServiceRecord, instanceId: string, status: 'HEALTHY' | 'UNHEALTHY'): void {
  requireInstance(svc, instanceId).health = status;
}

export function updateInstanceCustomHealthStatus(ctx: CloudMapContext, input: JsonObject): unknown {
  const svc = requireService(ctx, requireStr(input, 'ServiceId', undefined, 64));
  const instanceId = requireStr(input, 'InstanceId', undefined, 64);
  const status = oneOf('status', input['Status'], ['HEALTHY', 'UNHEALTHY'] as const);
  if (!svc.healthCheckCustom) throw new SandboxError('CustomHealthNotFound', `Service ${svc.id} has no HealthCheckCustomConfig.`);
  setInstanceHealth(svc, instanceId, status);
  return {};
}

function discoverTarget(ctx: CloudMapContext, input: JsonObject): ServiceRecord {
  const namespaceName = requireStr(input, 'NamespaceName', undefined, 1024);
  const serviceName = requireStr(input, 'ServiceName', SERVICE_NAME, 127);
  const nsId = ctx.state.namespaceIdByName.get(namespaceName.toLowerCase());
  if (nsId === undefined || ctx.state.namespaces.get(nsId)?.status === 'CREATING') {
    throw new SandboxError('NamespaceNotFound', `No namespace exists with name: ${namespaceName}`);
  }
  visibleNamespace(ctx, nsId);
  const svcId = ctx.state.serviceIdByName.get(ctx.state.serviceKey(nsId, serviceName));
  const svc = svcId === undefined ? undefined : ctx.state.services.get(svcId);
  if (!svc) throw new SandboxError('ServiceNotFound', `No service ${serviceName} exists in namespace ${namespaceName}`);
  return svc;
}

/** DiscoverInstances: attribute filters and health filters, no pagination (max 1000). */
export function discoverInstances(ctx: CloudMapContext, input: JsonObject): unknown {
  const svc = discoverTarget(ctx, input);
  const ns = visibleNamespace(ctx, svc.namespaceId);
  const limit = optInt(input, 'MaxResults', 1, 1000) ?? 100;
  const query = optStringMap(input, 'QueryParameters') ?? {};
  const optional = optStringMap(input, 'OptionalParameters') ?? {};
  const healthFilter =
    input['HealthStatus'] === undefined
      ? 'HEALTHY'
      : oneOf('healthStatus', input['HealthStatus'], ['HEALTHY', 'UNHEALTHY', 'ALL', 'HEALTHY_OR_ELSE_ALL'] as const);
  const matchesAll = (inst: InstanceRecord, params: Record<string, string>): boolean => Object.entries(params).every(([k, v]) => inst.attributes[k] === v);
  let candidates = svc.instances.values().filter((i) => matchesAll(i, query));
  if (Object.keys(optional).length > 0) {
    const narrowed = candidates.filter((i) => matchesAll(i, optional));
    if (narrowed.length > 0) candidates = narrowed;
  }
  if (hasHealthCheck(svc)) {
    const healthy = candidates.filter((i) => i.health === 'HEALTHY');
    if (healthFilter === 'HEALTHY') candidates = healthy;
    else if (healthFilter === 'UNHEALTHY') candidates = candidates.filter((i) => i.health === 'UNHEALTHY');
    else if (healthFilter === 'HEALTHY_OR_ELSE_ALL' && healthy.length > 0) candidates = healthy;
  }
  return {
    Instances: candidates.slice(0, limit).map((i) => ({
      InstanceId: i.id,
      NamespaceName: ns.name,
      ServiceName: svc.name,
      HealthStatus: i.health,
      Attributes: i.attributes,
    })),
    InstancesRevision: svc.revision,
  };
}

export function discoverInstancesRevision(ctx: CloudMapContext, input: JsonObject): unknown {
  return { InstancesRevision: discoverTarget(ctx, input).revision };
}
