import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import type { CloudMapContext } from './context.js';
import { writeInstanceRecords } from './dns-records.js';
import { visibleNamespace } from './namespaces.js';
import { KeyedOrderedIndex } from '../../ordered-index.js';
import { checkServiceRules, parseDnsConfig, parseDnsRecords, parseHealthCheckConfig, recordTypeSet } from './service-config.js';
import type { DnsConfigSpec, ServiceRecord } from './state.js';
import { applyTags, parseTags } from './tags.js';
import {
  decodeToken,
  encodeToken,
  epochSeconds,
  invalid,
  maxResults,
  oneOf,
  optInt,
  optObj,
  optStr,
  parseFilters,
  requireObj,
  requireStr,
} from './validate.js';

export const SERVICE_NAME =
  /((?=^.{1,127}$)^([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])(\.([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9]))*$)|(^\.$)/;

export function requireService(ctx: CloudMapContext, id: string): ServiceRecord {
  const svc = ctx.state.services.get(id);
  if (!svc) throw new SandboxError('ServiceNotFound', `No service exists with ID: ${id}`);
  return svc;
}

/** CreateService (synchronous). */
export function createService(ctx: CloudMapContext, input: JsonObject): unknown {
  const { state } = ctx;
  const name = requireStr(input, 'Name', SERVICE_NAME, 127);
  const dnsInput = optObj(input, 'DnsConfig');
  const namespaceId = optStr(input, 'NamespaceId', undefined, 64) ?? (dnsInput ? optStr(dnsInput, 'NamespaceId', undefined, 64) : undefined);
  if (namespaceId === undefined) throw invalid('NamespaceId is required.');
  const creatorRequestId = optStr(input, 'CreatorRequestId', undefined, 64);
  const description = optStr(input, 'Description', undefined, 1024);
  const requestedType = input['Type'] === undefined ? undefined : oneOf('type', input['Type'], ['HTTP'] as const);
  const dns = dnsInput ? parseDnsConfig(dnsInput) : undefined;
  const hcInput = optObj(input, 'HealthCheckConfig');
  const healthCheck = hcInput ? parseHealthCheckConfig(hcInput) : undefined;
  const customInput = optObj(input, 'HealthCheckCustomConfig');
  // FailureThreshold is deprecated: validated as the model says, never stored.
  if (customInput) optInt(customInput, 'FailureThreshold', 1, 10);
  const tags = parseTags(input);

  const ns = visibleNamespace(ctx, namespaceId);
  checkServiceRules(ns.type, dns, healthCheck, customInput !== undefined);
  if (requestedType === 'HTTP' && dns) throw invalid('A service of type HTTP cannot have a DnsConfig.');
  if (ns.type !== 'HTTP' && requestedType === undefined && !dns) {
    throw invalid('DnsConfig is required for a service in a DNS namespace (or set Type to HTTP for API-only discovery).');
  }

  const existingId = state.serviceIdByName.get(state.serviceKey(namespaceId, name));
  const existing = existingId === undefined ? undefined : state.services.get(existingId);
  if (existing) {
    if (creatorRequestId !== undefined && existing.creatorRequestId === creatorRequestId) return { Service: renderService(existing) };
    throw new SandboxError('ServiceAlreadyExists', `Service ${name} already exists in namespace ${namespaceId}.`, 400, {
      ServiceId: existing.id,
      ...(existing.creatorRequestId === undefined ? {} : { CreatorRequestId: existing.creatorRequestId }),
    });
  }
  if (tags.length > ctx.limits.tagsPerResource) {
    throw new SandboxError('TooManyTagsException', `A resource can have at most ${ctx.limits.tagsPerResource} tags`, 400, { ResourceName: name });
  }

  const id = `srv-${ctx.world.hexId(16)}`;
  const svc: ServiceRecord = {
    id,
    seq: state.nextSeq(),
    arn: ctx.world.arn('servicediscovery', `service/${id}`),
    name,
    namespaceId,
    description,
    dnsConfig: dns,
    healthCheckConfig: healthCheck,
    healthCheckCustom: customInput !== undefined,
    type: ns.type === 'HTTP' || requestedType === 'HTTP' ? 'HTTP' : 'DNS_HTTP',
    createDate: ctx.world.now(),
    creatorRequestId,
    instances: new KeyedOrderedIndex(),
    revision: 1,
  };
  insertService(ctx, svc);
  applyTags(ctx, svc.arn, tags);
  return { Service: renderService(svc) };
}

/** Adds a new service record to every index (CreateService, and services ECS creates itself). */
export function insertService(ctx: CloudMapContext, svc: ServiceRecord): void {
  const { state } = ctx;
  state.services.add(svc);
  state.namespaceServices(svc.namespaceId).add(svc);
  state.serviceIdByName.set(state.serviceKey(svc.namespaceId, svc.name), svc.id);
  state.arnToId.set(svc.arn, svc.id);
}

/**
 * UpdateService (asynchronous). The request replaces the record list and the health check:
 * record types left out are deleted, HealthCheckConfig left out is removed. Refused: new
 * record types, routing-policy changes, HealthCheckCustomConfig changes, health check type
 * changes, and services in HTTP namespaces.
 */
export function updateService(ctx: CloudMapContext, input: JsonObject): unknown {
  const id = requireStr(input, 'Id', undefined, 64);
  const change = requireObj(input, 'Service');
  const svc = requireService(ctx, id);
  const ns = visibleNamespace(ctx, svc.namespaceId);
  if (ns.type === 'HTTP') throw invalid(`Service ${id} is in an HTTP namespace; UpdateService does not apply to it.`);
  const description = optStr(change, 'Description', undefined, 1024);
  const dnsInput = optObj(change, 'DnsConfig');
  const hcInput = optObj(change, 'HealthCheckConfig');
  const healthCheck = hcInput ? parseHealthCheckConfig(hcInput) : undefined;

  if (change['HealthCheckCustomConfig'] !== undefined) {
    const wants = change['HealthCheckCustomConfig'] !== null;
    if (wants !== svc.healthCheckCustom) throw invalid('HealthCheckCustomConfig cannot be added or removed; recreate the service.');
  }
  let dns: DnsConfigSpec | undefined;
  if (svc.dnsConfig) {
    if (!dnsInput) throw invalid('DnsConfig.DnsRecords is required: UpdateService replaces the whole record list.');
    if (dnsInput['RoutingPolicy'] !== undefined && dnsInput['RoutingPolicy'] !== svc.dnsConfig.RoutingPolicy) {
      throw invalid(`The routing policy (${svc.dnsConfig.RoutingPolicy}) cannot be changed; recreate the service.`);
    }
    const records = parseDnsRecords(dnsInput, 'service.dnsConfig');
    const current = svc.dnsConfig.DnsRecords.map((r) => r.Type);
    const added = records.filter((r) => !current.includes(r.Type)).map((r) => r.Type);
    if (added.length > 0) {
      throw invalid(
        `Record types cannot be added (${added.join(', ')}); the service has ${recordTypeSet(current)}. Recreate the service to change record types.`,
      );
    }
    dns = { RoutingPolicy: svc.dnsConfig.RoutingPolicy, DnsRecords: records };
  } else if (dnsInput) {
    throw invalid(`Service ${id} has no DnsConfig; one cannot be added.`);
  }
  if (healthCheck && svc.healthCheckConfig && healthCheck.Type !== svc.healthCheckConfig.Type) {
    throw invalid(`The health check type (${svc.healthCheckConfig.Type}) cannot be changed; recreate the service.`);
  }
  checkServiceRules(ns.type, dns, healthCheck, svc.healthCheckCustom);

  const op = ctx.operations.start(
    'UPDATE_SERVICE',
    { SERVICE: id },
    {
      complete: () => {
        if (ctx.state.services.get(id) !== svc) return { code: 'SERVICE_NOT_FOUND', message: `Service ${id} no longer exists.` };
        if (description !== undefined) svc.description = description;
        svc.healthCheckConfig = healthCheck;
        if (dns) {
          svc.dnsConfig = dns;
          for (const inst of svc.instances.values()) writeInstanceRecords(ctx.zones, ns, svc, inst);
        }
        return undefined;
      },
    },
  );
  return { OperationId: op.id };
}

/** DeleteService (synchronous): refused while instances are registered. */
export function deleteService(ctx: CloudMapContext, input: JsonObject): unknown {
  const svc = requireService(ctx, requireStr(input, 'Id', undefined, 64));
  if (svc.instances.size > 0) {
    throw new SandboxError('ResourceInUse', `Service ${svc.id} has ${svc.instances.size} registered instance(s); deregister them first.`);
  }
  const { state } = ctx;
  state.services.delete(svc.id);
  state.servicesByNamespace.get(svc.namespaceId)?.delete(svc.id);
  state.serviceIdByName.delete(state.serviceKey(svc.namespaceId, svc.name));
  state.arnToId.delete(svc.arn);
  state.tags.delete(svc.arn);
  return {};
}

export function getService(ctx: CloudMapContext, input: JsonObject): unknown {
  return { Service: renderService(requireService(ctx, requireStr(input, 'Id', undefined, 64))) };
}

/** ListServices; with a NAMESPACE_ID filter it pages the namespace's own index. */
export function listServices(ctx: CloudMapContext, input: JsonObject): unknown {
  const filters = parseFilters(input, ['NAMESPACE_ID']);
  if (filters.some((f) => f.condition !== 'EQ')) throw invalid('The NAMESPACE_ID filter supports only the EQ condition.');
  const limit = maxResults(input, 100, 100);
  const namespaceId = filters[0]?.values[0];
  const index = namespaceId === undefined ? ctx.state.services : ctx.state.servicesByNamespace.get(namespaceId);
  const page = index ? index.page(decodeToken(input), limit) : { items: [], nextAfter: undefined };
  return {
    Services: page.items.map(renderSummary),
    NextToken: page.nextAfter === undefined ? undefined : encodeToken(page.nextAfter),
  };
}

function renderSummary(svc: ServiceRecord): Record<string, unknown> {
  return {
    Id: svc.id,
    Arn: svc.arn,
    Name: svc.name,
    Type: svc.type,
    Description: svc.description,
    InstanceCount: svc.instances.size,
    DnsConfig: svc.dnsConfig ? { RoutingPolicy: svc.dnsConfig.RoutingPolicy, DnsRecords: svc.dnsConfig.DnsRecords } : undefined,
    HealthCheckConfig: svc.healthCheckConfig,
    // FailureThreshold is deprecated: AWS answers 1 whatever was sent.
    HealthCheckCustomConfig: svc.healthCheckCustom ? { FailureThreshold: 1 } : undefined,
    CreateDate: epochSeconds(svc.createDate),
  };
}

export function renderService(svc: ServiceRecord): Record<string, unknown> {
  const summary = renderSummary(svc);
  return {
    ...summary,
    NamespaceId: svc.namespaceId,
    DnsConfig: svc.dnsConfig ? { NamespaceId: svc.namespaceId, ...svc.dnsConfig } : undefined,
    CreatorRequestId: svc.creatorRequestId,
  };
}
