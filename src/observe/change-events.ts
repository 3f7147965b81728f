/**
 * AWS change events (EventBridge, delivered through SQS) read into references to the resources
 * they touch. Pure: no AWS call. Shapes: docs/aws-behaviour.md "Change events".
 */
import { DEFAULT_CLUSTER } from '../manifests/keys.js';
import { nameFromArn } from '../kit/ownership.js';

/** A resource an event says changed, named as the event names it. */
export type ChangeRef =
  | { readonly type: 'ecs-service'; readonly cluster: string; readonly service: string }
  | { readonly type: 'cloudmap-service'; readonly id?: string; readonly arn?: string; readonly namespaceId?: string; readonly name?: string }
  | { readonly type: 'cloudmap-namespace'; readonly id?: string; readonly arn?: string }
  | { readonly type: 'route53-records'; readonly zoneId: string; readonly names: readonly string[] };

export type ParsedChangeEvent =
  | { readonly kind: 'change'; readonly refs: readonly ChangeRef[]; readonly tagsChanged: boolean }
  /** A well-formed event that names nothing the controller manages (a read, a task event, an instance registration). */
  | { readonly kind: 'irrelevant'; readonly reason: string }
  | { readonly kind: 'malformed'; readonly reason: string };

type Obj = Readonly<Record<string, unknown>>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A member by its camelCase name or PascalCase one (CloudTrail lowers the first letter; APIs differ). */
function member(o: unknown, name: string): unknown {
  if (!isObj(o)) return undefined;
  return o[name] ?? o[name.charAt(0).toUpperCase() + name.slice(1)];
}

function str(o: unknown, name: string): string | undefined {
  const v = member(o, name);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** ECS's service ARN: `arn:aws:ecs:<region>:<account>:service/<cluster>/<name>` (the old format has no cluster). */
export function ecsServiceFromArn(arn: string): { cluster?: string; service: string } | undefined {
  const m = /^arn:[^:]+:ecs:[^:]*:[^:]*:service\/(?:([^/]+)\/)?([^/]+)$/.exec(arn);
  if (!m?.[2]) return undefined;
  return m[1] ? { cluster: m[1], service: m[2] } : { service: m[2] };
}

function ecsRef(cluster: string | undefined, service: string | undefined): ChangeRef[] {
  if (!service) return [];
  if (service.startsWith('arn:')) {
    const parsed = ecsServiceFromArn(service);
    if (!parsed) return [];
    return [{ type: 'ecs-service', cluster: parsed.cluster ?? nameFromArn(cluster ?? DEFAULT_CLUSTER), service: parsed.service }];
  }
  return [{ type: 'ecs-service', cluster: nameFromArn(cluster ?? DEFAULT_CLUSTER), service }];
}

/** Cloud Map ARNs: `arn:aws:servicediscovery:<region>:<account>:service/srv-...` or `namespace/ns-...`. */
function cloudMapRefFromArn(arn: string): ChangeRef[] {
  const m = /^arn:[^:]+:servicediscovery:[^:]*:[^:]*:(service|namespace)\/(.+)$/.exec(arn);
  if (!m) return [];
  return m[1] === 'service' ? [{ type: 'cloudmap-service', arn, id: m[2] as string }] : [{ type: 'cloudmap-namespace', arn, id: m[2] as string }];
}

/** Cloud Map and Route 53 write themselves (service-linked): those writes are not drift and are skipped. */
const SERVICE_CALLERS = new Set(['servicediscovery.amazonaws.com', 'ecs.amazonaws.com']);

function fromEcsCall(name: string, req: unknown, res: unknown): ChangeRef[] {
  switch (name) {
    case 'CreateService':
    case 'UpdateService':
    case 'DeleteService': {
      const out = ecsRef(str(req, 'cluster'), str(req, 'service') ?? str(req, 'serviceName'));
      if (out.length > 0) return out;
      const arn = str(member(res, 'service'), 'serviceArn');
      return arn ? ecsRef(undefined, arn) : [];
    }
    case 'TagResource':
    case 'UntagResource': {
      const arn = str(req, 'resourceArn');
      return arn && ecsServiceFromArn(arn) ? ecsRef(undefined, arn) : [];
    }
    default:
      // RegisterTaskDefinition and the like change no service until a service names the revision.
      return [];
  }
}

function fromCloudMapCall(name: string, req: unknown, res: unknown): ChangeRef[] {
  switch (name) {
    case 'UpdateService':
    case 'DeleteService':
    case 'UpdateServiceAttributes':
    case 'DeleteServiceAttributes': {
      const id = str(req, 'id') ?? str(req, 'serviceId');
      return id ? [{ type: 'cloudmap-service', id }] : [];
    }
    case 'CreateService': {
      const created = member(res, 'service');
      const id = str(created, 'id');
      const namespaceId = str(req, 'namespaceId') ?? str(created, 'namespaceId');
      const nm = str(req, 'name') ?? str(created, 'name');
      return id || (namespaceId && nm)
        ? [{ type: 'cloudmap-service', ...(id ? { id } : {}), ...(namespaceId ? { namespaceId } : {}), ...(nm ? { name: nm } : {}) }]
        : [];
    }
    case 'UpdateHttpNamespace':
    case 'UpdatePrivateDnsNamespace':
    case 'UpdatePublicDnsNamespace':
    case 'DeleteNamespace': {
      const id = str(req, 'id');
      return id ? [{ type: 'cloudmap-namespace', id }] : [];
    }
    case 'TagResource':
    case 'UntagResource': {
      const arn = str(req, 'resourceARN') ?? str(req, 'resourceArn');
      return arn ? cloudMapRefFromArn(arn) : [];
    }
    default:
      // Instance registrations and health status are discovery's concern, not a resource's spec.
      return [];
  }
}

function fromRoute53Call(name: string, req: unknown): ChangeRef[] {
  if (name !== 'ChangeResourceRecordSets') return [];
  const zone = str(req, 'hostedZoneId');
  if (!zone) return [];
  const changes = member(member(req, 'changeBatch'), 'changes');
  const names = Array.isArray(changes) ? changes.flatMap((c) => str(member(c, 'resourceRecordSet'), 'name') ?? []) : [];
  return [{ type: 'route53-records', zoneId: zone.replace(/^\/?hostedzone\//, ''), names }];
}

/** Reads one SQS message body (an EventBridge event as the rule target delivers it). */
export function parseChangeEvent(body: string): ParsedChangeEvent {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return { kind: 'malformed', reason: 'the message is not JSON' };
  }
  if (!isObj(event)) return { kind: 'malformed', reason: 'the message is not a JSON object' };
  const detailType = event['detail-type'];
  const source = event['source'];
  const detail = event['detail'];
  if (typeof detailType !== 'string' || typeof source !== 'string' || !isObj(detail)) {
    return { kind: 'malformed', reason: 'the message is not an EventBridge event (detail-type, source, detail)' };
  }
  if (source === 'aws.ecs' && (detailType === 'ECS Service Action' || detailType === 'ECS Deployment State Change')) {
    const resources = Array.isArray(event['resources']) ? event['resources'] : [];
    const refs = resources.flatMap((r) => (typeof r === 'string' && ecsServiceFromArn(r) ? ecsRef(str(detail, 'clusterArn'), r) : []));
    return refs.length > 0 ? { kind: 'change', refs, tagsChanged: false } : { kind: 'irrelevant', reason: `${detailType} names no ECS service` };
  }
  if (detailType !== 'AWS API Call via CloudTrail') return { kind: 'irrelevant', reason: `${source} ${detailType}` };
  const name = str(detail, 'eventName');
  const eventSource = str(detail, 'eventSource');
  if (!name || !eventSource) return { kind: 'malformed', reason: 'a CloudTrail event without eventName or eventSource' };
  if (detail['errorCode'] !== undefined) return { kind: 'irrelevant', reason: `${eventSource} ${name} failed` };
  const invokedBy = str(member(detail, 'userIdentity'), 'invokedBy');
  if (invokedBy && SERVICE_CALLERS.has(invokedBy)) return { kind: 'irrelevant', reason: `${name} made by ${invokedBy}` };
  const req = member(detail, 'requestParameters');
  const res = member(detail, 'responseElements');
  let refs: ChangeRef[];
  switch (eventSource) {
    case 'ecs.amazonaws.com':
      refs = fromEcsCall(name, req, res);
      break;
    case 'servicediscovery.amazonaws.com':
      refs = fromCloudMapCall(name, req, res);
      break;
    case 'route53.amazonaws.com':
      refs = fromRoute53Call(name, req);
      break;
    default:
      refs = [];
  }
  if (refs.length === 0) return { kind: 'irrelevant', reason: `${eventSource} ${name}` };
  return { kind: 'change', refs, tagsChanged: name === 'TagResource' || name === 'UntagResource' };
}
