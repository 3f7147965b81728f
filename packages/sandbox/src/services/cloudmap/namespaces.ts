import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import type { CloudMapContext } from './context.js';
import type { NamespaceRecord, NamespaceType } from './state.js';
import { applyTags, parseTags } from './tags.js';
import { decodeToken, encodeToken, epochSeconds, invalid, maxResults, optInt, optObj, optStr, parseFilters, requireObj, requireStr } from './validate.js';

const DEFAULT_SOA_TTL = 15;
const MAX_TTL = 2_147_483_647;
const HTTP_NAME = /^[!-~]{1,1024}$/;
const PRIVATE_NAME = /^[!-~]{1,253}$/;
const PUBLIC_NAME = /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

const CREATE_KIND: Record<NamespaceType, { pattern: RegExp; max: number }> = {
  HTTP: { pattern: HTTP_NAME, max: 1024 },
  DNS_PRIVATE: { pattern: PRIVATE_NAME, max: 253 },
  DNS_PUBLIC: { pattern: PUBLIC_NAME, max: 253 },
};

/** A namespace that GetNamespace can see (created, possibly being deleted). */
export function visibleNamespace(ctx: CloudMapContext, id: string): NamespaceRecord {
  const ns = ctx.state.namespaces.get(id);
  if (!ns || ns.status === 'CREATING') throw new SandboxError('NamespaceNotFound', `No namespace exists with ID: ${id}`);
  return ns;
}

function soaTtl(properties: JsonObject | undefined): number | undefined {
  if (!properties) return undefined;
  const dns = requireObj(properties, 'DnsProperties');
  const soa = requireObj(dns, 'SOA');
  const ttl = optInt(soa, 'TTL', 0, MAX_TTL);
  if (ttl === undefined)
    throw invalid("1 validation error detected: Value at 'properties.dnsProperties.sOA.tTL' failed to satisfy constraint: Member must not be null");
  return ttl;
}

/** Create{Http,PrivateDns,PublicDns}Namespace: validates now, creates through an operation. */
export function createNamespace(ctx: CloudMapContext, type: NamespaceType, input: JsonObject): unknown {
  const { state } = ctx;
  const kind = CREATE_KIND[type];
  const name = requireStr(input, 'Name', kind.pattern, kind.max);
  const creatorRequestId = optStr(input, 'CreatorRequestId', undefined, 64);
  const description = optStr(input, 'Description', undefined, 1024);
  const vpc = type === 'DNS_PRIVATE' ? requireStr(input, 'Vpc', /^vpc-[0-9a-zA-Z]+$/, 64) : undefined;
  const ttl = type === 'HTTP' ? undefined : (soaTtl(optObj(input, 'Properties')) ?? DEFAULT_SOA_TTL);
  const tags = parseTags(input);
  if (tags.length > ctx.limits.tagsPerResource) {
    throw new SandboxError('TooManyTagsException', `A resource can have at most ${ctx.limits.tagsPerResource} tags`, 400, { ResourceName: name });
  }

  const existingId = state.namespaceIdByName.get(name.toLowerCase());
  const existing = existingId === undefined ? undefined : state.namespaces.get(existingId);
  if (existing) {
    if (creatorRequestId !== undefined && existing.creatorRequestId === creatorRequestId && existing.type === type) {
      // The same request again: the same result (or the operation still in progress).
      if (ctx.operations.inProgress(existing.createOperationId)) {
        throw new SandboxError('DuplicateRequest', `The operation ${existing.createOperationId} for this request is still in progress.`, 400, {
          DuplicateOperationId: existing.createOperationId,
        });
      }
      return { OperationId: existing.createOperationId };
    }
    throw new SandboxError('NamespaceAlreadyExists', `Namespace ${name} already exists.`, 400, {
      NamespaceId: existing.id,
      ...(existing.creatorRequestId === undefined ? {} : { CreatorRequestId: existing.creatorRequestId }),
    });
  }
  if (state.namespaces.size >= ctx.limits.namespaces) {
    throw new SandboxError('ResourceLimitExceeded', `The namespace quota (${ctx.limits.namespaces}) has been reached.`);
  }

  const id = `ns-${ctx.world.hexId(16)}`;
  const arn = ctx.world.arn('servicediscovery', `namespace/${id}`);
  const op = ctx.operations.start(
    'CREATE_NAMESPACE',
    { NAMESPACE: id },
    {
      complete: () => {
        ns.status = 'ACTIVE';
        if (type !== 'HTTP') {
          ns.hostedZoneId = ctx.zones.create({
            name,
            privateZone: type === 'DNS_PRIVATE',
            vpc: vpc === undefined ? undefined : { vpcId: vpc, region: ctx.world.options.region },
            callerReference: `${id}-${ns.seq}`,
            comment: `Created by AWS Cloud Map namespace with ARN ${arn}`,
            linkedNamespaceArn: arn,
            soaTtl: ttl ?? DEFAULT_SOA_TTL,
          }).id;
        }
        applyTags(ctx, arn, tags);
        return undefined;
      },
      onFail: () => forget(ctx, ns),
    },
  );
  const ns: NamespaceRecord = {
    id,
    seq: state.nextSeq(),
    arn,
    name,
    type,
    description,
    creatorRequestId,
    createDate: ctx.world.now(),
    soaTtl: ttl,
    vpc,
    status: 'CREATING',
    createOperationId: op.id,
  };
  state.namespaces.add(ns);
  state.namespaceIdByName.set(name.toLowerCase(), id);
  state.arnToId.set(arn, id);
  return { OperationId: op.id };
}

const UPDATE_TYPE: Record<string, NamespaceType> = {
  UpdateHttpNamespace: 'HTTP',
  UpdatePrivateDnsNamespace: 'DNS_PRIVATE',
  UpdatePublicDnsNamespace: 'DNS_PUBLIC',
};

/** Update{Http,PrivateDns,PublicDns}Namespace: description and SOA TTL, through an operation. */
export function updateNamespace(ctx: CloudMapContext, operation: keyof typeof UPDATE_TYPE, input: JsonObject): unknown {
  const id = requireStr(input, 'Id', undefined, 64);
  const updaterRequestId = optStr(input, 'UpdaterRequestId', undefined, 64);
  const change = requireObj(input, 'Namespace');
  const type = UPDATE_TYPE[operation]!;
  const description = type === 'HTTP' ? requireStr(change, 'Description', undefined, 1024) : optStr(change, 'Description', undefined, 1024);
  const ttl = type === 'HTTP' ? undefined : soaTtl(optObj(change, 'Properties'));
  const ns = visibleNamespace(ctx, id);
  if (ns.type !== type) throw invalid(`Namespace ${id} is of type ${ns.type}; ${operation} updates ${type} namespaces only.`);
  if (ns.status === 'DELETING') throw new SandboxError('ResourceInUse', `Namespace ${id} is being deleted.`);
  const requestKey = updaterRequestId === undefined ? undefined : `update:${id}:${updaterRequestId}`;
  const previous = requestKey === undefined ? undefined : ctx.state.operationByRequestId.get(requestKey);
  if (previous !== undefined) {
    if (ctx.operations.inProgress(previous)) {
      throw new SandboxError('DuplicateRequest', `The operation ${previous} for this request is still in progress.`, 400, { DuplicateOperationId: previous });
    }
    return { OperationId: previous };
  }
  const op = ctx.operations.start(
    'UPDATE_NAMESPACE',
    { NAMESPACE: id },
    {
      complete: () => {
        if (ns.status !== 'ACTIVE') return { code: 'NAMESPACE_NOT_FOUND', message: `Namespace ${id} no longer exists.` };
        if (description !== undefined) ns.description = description;
        if (ttl !== undefined) {
          ns.soaTtl = ttl;
          if (ns.hostedZoneId && ctx.zones.get(ns.hostedZoneId)) ctx.zones.setSoaTtl(ns.hostedZoneId, ttl);
        }
        return undefined;
      },
    },
  );
  if (requestKey !== undefined) ctx.state.operationByRequestId.set(requestKey, op.id);
  return { OperationId: op.id };
}

/** DeleteNamespace: refused while services exist; removes the namespace and its zone. */
export function deleteNamespace(ctx: CloudMapContext, input: JsonObject): unknown {
  const id = requireStr(input, 'Id', undefined, 64);
  const ns = visibleNamespace(ctx, id);
  if (ns.deleteOperationId !== undefined && ctx.operations.inProgress(ns.deleteOperationId)) {
    throw new SandboxError('DuplicateRequest', `Namespace ${id} is already being deleted.`, 400, { DuplicateOperationId: ns.deleteOperationId });
  }
  const services = ctx.state.servicesByNamespace.get(id)?.size ?? 0;
  if (services > 0) throw new SandboxError('ResourceInUse', `Namespace ${id} has ${services} associated service(s); delete them first.`);
  ns.status = 'DELETING';
  const op = ctx.operations.start(
    'DELETE_NAMESPACE',
    { NAMESPACE: id },
    {
      complete: () => {
        if ((ctx.state.servicesByNamespace.get(id)?.size ?? 0) > 0) {
          return { code: 'RESOURCE_IN_USE', message: `Namespace ${id} has associated services.` };
        }
        forget(ctx, ns);
        return undefined;
      },
      onFail: () => {
        ns.status = 'ACTIVE';
      },
    },
  );
  ns.deleteOperationId = op.id;
  return { OperationId: op.id };
}

function forget(ctx: CloudMapContext, ns: NamespaceRecord): void {
  const { state } = ctx;
  state.namespaces.delete(ns.id);
  state.namespaceIdByName.delete(ns.name.toLowerCase());
  state.arnToId.delete(ns.arn);
  state.tags.delete(ns.arn);
  state.servicesByNamespace.delete(ns.id);
  if (ns.hostedZoneId) ctx.zones.delete(ns.hostedZoneId);
}

function render(ctx: CloudMapContext, ns: NamespaceRecord): Record<string, unknown> {
  return {
    Id: ns.id,
    Arn: ns.arn,
    Name: ns.name,
    Type: ns.type,
    Description: ns.description,
    ServiceCount: ctx.state.servicesByNamespace.get(ns.id)?.size ?? 0,
    Properties: {
      DnsProperties: ns.type === 'HTTP' ? {} : { HostedZoneId: ns.hostedZoneId, SOA: { TTL: ns.soaTtl } },
      HttpProperties: { HttpName: ns.name },
    },
    CreateDate: epochSeconds(ns.createDate),
  };
}

export function getNamespace(ctx: CloudMapContext, input: JsonObject): unknown {
  const ns = visibleNamespace(ctx, requireStr(input, 'Id', undefined, 64));
  return { Namespace: { ...render(ctx, ns), CreatorRequestId: ns.creatorRequestId } };
}

export function listNamespaces(ctx: CloudMapContext, input: JsonObject): unknown {
  const filters = parseFilters(input, ['TYPE', 'NAME', 'HTTP_NAME']);
  for (const f of filters) {
    const allowed = f.name === 'TYPE' ? ['EQ', 'IN'] : ['EQ', 'BEGINS_WITH'];
    if (!allowed.includes(f.condition)) throw invalid(`Filter ${f.name} does not support condition ${f.condition}`);
  }
  const limit = maxResults(input, 100, 100);
  const matches = (ns: NamespaceRecord): boolean =>
    ns.status !== 'CREATING' &&
    filters.every((f) => {
      if (f.name === 'TYPE') return f.values.includes(ns.type);
      const value = f.values[0]!;
      return f.condition === 'BEGINS_WITH' ? ns.name.startsWith(value) : ns.name === value;
    });
  const page = ctx.state.namespaces.page(decodeToken(input), limit, { filter: matches });
  return {
    Namespaces: page.items.map((ns) => render(ctx, ns)),
    NextToken: page.nextAfter === undefined ? undefined : encodeToken(page.nextAfter),
  };
}
