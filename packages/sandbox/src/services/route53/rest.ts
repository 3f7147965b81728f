import { SandboxError } from '../../errors.js';
import type { RestCall, RestRequest, RestResponse, RestService } from '../../protocol/types.js';
import { xmlDocument, type XmlNode } from '../../protocol/xml.js';
import { compareRecordKeys, fqdn, type RecordSet, type RecordStart } from './records.js';
import { stripZonePrefix, type HostedZone, type HostedZones } from './zones.js';

const API = '/2013-04-01';
const XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/';
const MAX_RECORDS_PER_PAGE = 300;
const MAX_ZONES_PER_PAGE = 100;
const RECORD_TYPES = new Set(['SOA', 'A', 'TXT', 'NS', 'CNAME', 'MX', 'NAPTR', 'PTR', 'SRV', 'SPF', 'AAAA', 'CAA', 'DS', 'HTTPS', 'SSHFP', 'SVCB', 'TLSA']);
const CLOUD_MAP_PRINCIPAL = 'servicediscovery.amazonaws.com';

/** Route 53 REST-XML: the read calls ecs-gitops makes, and refusals for Cloud Map-owned zones. */
export class Route53Rest implements RestService {
  readonly name = 'route53' as const;

  constructor(private readonly zones: HostedZones) {}

  owns(req: RestRequest): boolean {
    return req.path === API || req.path.startsWith(`${API}/`);
  }

  route(req: RestRequest): RestCall | undefined {
    const parts = req.path
      .slice(API.length + 1)
      .replace(/\/$/, '')
      .split('/');
    const [resource, id, sub] = parts;
    if (req.method === 'GET' && resource === 'hostedzone' && parts.length === 1) {
      return call('ListHostedZones', {}, () => this.listHostedZones(req.query));
    }
    if (req.method === 'GET' && resource === 'hostedzonesbyname' && parts.length === 1) {
      return call('ListHostedZonesByName', {}, () => this.listHostedZonesByName(req.query));
    }
    if (resource !== 'hostedzone' || id === undefined) return undefined;
    const log = { Id: id };
    if (req.method === 'GET' && parts.length === 2) return call('GetHostedZone', log, () => this.getHostedZone(id));
    if (req.method === 'GET' && sub === 'rrset' && parts.length === 3) {
      return call('ListResourceRecordSets', log, () => this.listResourceRecordSets(id, req.query));
    }
    if (req.method === 'POST' && sub === 'rrset' && parts.length === 3) {
      return call('ChangeResourceRecordSets', log, () => this.refuseWrite(id));
    }
    if (req.method === 'DELETE' && parts.length === 2) return call('DeleteHostedZone', log, () => this.refuseWrite(id));
    if (req.method === 'POST' && (sub === 'associatevpc' || sub === 'disassociatevpc') && parts.length === 3) {
      return call(sub === 'associatevpc' ? 'AssociateVPCWithHostedZone' : 'DisassociateVPCFromHostedZone', log, () => this.refuseWrite(id));
    }
    return undefined;
  }

  renderError(err: SandboxError, requestId: string): RestResponse {
    const type = err.status >= 500 ? 'Receiver' : 'Sender';
    return {
      status: err.status,
      body: xmlDocument('ErrorResponse', XMLNS, {
        Error: { Type: type, Code: err.code, Message: err.message },
        RequestId: requestId,
      }),
    };
  }

  private getHostedZone(id: string): RestResponse {
    const zone = this.zones.require(id);
    const body: XmlNode = {
      HostedZone: zoneXml(zone),
      DelegationSet: zone.privateZone ? undefined : { NameServers: { NameServer: [...zone.nameServers] } },
      VPCs: zone.privateZone ? { VPC: zone.vpcs.map((v) => ({ VPCRegion: v.region, VPCId: v.vpcId })) } : undefined,
    };
    return ok(xmlDocument('GetHostedZoneResponse', XMLNS, body));
  }

  private listHostedZones(query: URLSearchParams): RestResponse {
    const maxItems = parseMaxItems(query.get('maxitems'), MAX_ZONES_PER_PAGE);
    const marker = query.get('marker') ?? undefined;
    const all = this.zones.list();
    let from = 0;
    if (marker !== undefined) {
      from = all.findIndex((z) => z.id === stripZonePrefix(marker));
      if (from < 0) throw new SandboxError('InvalidInput', `Invalid marker: ${marker}`);
    }
    const page = all.slice(from, from + maxItems);
    const next = all[from + maxItems];
    return ok(
      xmlDocument('ListHostedZonesResponse', XMLNS, {
        HostedZones: { HostedZone: page.map(zoneXml) },
        Marker: marker ?? '',
        IsTruncated: next !== undefined,
        NextMarker: next?.id,
        MaxItems: String(maxItems),
      }),
    );
  }

  private listHostedZonesByName(query: URLSearchParams): RestResponse {
    const maxItems = parseMaxItems(query.get('maxitems'), MAX_ZONES_PER_PAGE);
    const dnsName = query.get('dnsname') ?? undefined;
    const zoneId = query.get('hostedzoneid') ?? undefined;
    if (zoneId !== undefined && dnsName === undefined) {
      throw new SandboxError('InvalidInput', 'HostedZoneId can only be specified with DNSName');
    }
    const sorted = this.zones.list().sort((a, b) => compareRecordKeys({ name: a.name }, { name: b.name }) || cmp(a.id, b.id));
    let from = 0;
    if (dnsName !== undefined) {
      const start = { name: fqdn(dnsName) };
      from = sorted.findIndex((z) => {
        const c = compareRecordKeys({ name: z.name }, start);
        return c > 0 || (c === 0 && (zoneId === undefined || cmp(z.id, stripZonePrefix(zoneId)) >= 0));
      });
      if (from < 0) from = sorted.length;
    }
    const page = sorted.slice(from, from + maxItems);
    const next = sorted[from + maxItems];
    return ok(
      xmlDocument('ListHostedZonesByNameResponse', XMLNS, {
        HostedZones: { HostedZone: page.map(zoneXml) },
        DNSName: dnsName,
        HostedZoneId: zoneId,
        IsTruncated: next !== undefined,
        NextDNSName: next?.name,
        NextHostedZoneId: next?.id,
        MaxItems: String(maxItems),
      }),
    );
  }

  private listResourceRecordSets(id: string, query: URLSearchParams): RestResponse {
    const zone = this.zones.require(id);
    const maxItems = parseMaxItems(query.get('maxitems'), MAX_RECORDS_PER_PAGE);
    const name = query.get('name') ?? undefined;
    const type = query.get('type') ?? undefined;
    const identifier = query.get('identifier') ?? undefined;
    if (type !== undefined && name === undefined) throw new SandboxError('InvalidInput', 'The input is not valid: a record type requires a record name');
    if (identifier !== undefined && type === undefined) throw new SandboxError('InvalidInput', 'The input is not valid: an identifier requires a record type');
    if (type !== undefined && !RECORD_TYPES.has(type)) throw new SandboxError('InvalidInput', `Invalid type: ${type}`);
    const start: RecordStart | undefined = name === undefined ? undefined : { name, type, setIdentifier: identifier };
    const { records, next } = zone.records.page(start, maxItems);
    return ok(
      xmlDocument('ListResourceRecordSetsResponse', XMLNS, {
        ResourceRecordSets: { ResourceRecordSet: records.map(recordXml) },
        IsTruncated: next !== undefined,
        NextRecordName: next?.name,
        NextRecordType: next?.type,
        NextRecordIdentifier: next?.setIdentifier,
        MaxItems: String(maxItems),
      }),
    );
  }

  /** Zones linked to Cloud Map can only be changed through Cloud Map, as in AWS. */
  private refuseWrite(id: string): RestResponse {
    const zone = this.zones.require(id);
    if (zone.linkedNamespaceArn) {
      throw new SandboxError(
        'AccessDenied',
        `The resource hostedzone/${zone.id} can only be managed through ${CLOUD_MAP_PRINCIPAL} (${zone.linkedNamespaceArn})`,
        403,
      );
    }
    throw new SandboxError('InvalidInput', 'The ecs-gitops sandbox only has zones owned by Cloud Map; it does not write Route 53 records directly.');
  }
}

function call(operation: string, logInput: Record<string, unknown>, run: () => RestResponse): RestCall {
  return { operation, logInput, run };
}

function ok(body: string): RestResponse {
  return { status: 200, body };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseMaxItems(raw: string | null, max: number): number {
  if (raw === null) return max;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new SandboxError('InvalidInput', `Invalid maxitems: ${raw}`);
  // Route 53 answers at most `max` items whatever larger value is asked for.
  return Math.min(n, max);
}

function zoneXml(zone: HostedZone): XmlNode {
  return {
    Id: `/hostedzone/${zone.id}`,
    Name: zone.name,
    CallerReference: zone.callerReference,
    Config: { Comment: zone.comment, PrivateZone: zone.privateZone },
    ResourceRecordSetCount: zone.records.size,
    LinkedService: zone.linkedNamespaceArn ? { ServicePrincipal: CLOUD_MAP_PRINCIPAL, Description: zone.linkedNamespaceArn } : undefined,
  };
}

function recordXml(r: RecordSet): XmlNode {
  return {
    Name: r.name,
    Type: r.type,
    SetIdentifier: r.setIdentifier,
    Weight: r.weight,
    MultiValueAnswer: r.multiValueAnswer,
    TTL: r.ttl,
    ResourceRecords: { ResourceRecord: r.values.map((v) => ({ Value: v })) },
    HealthCheckId: r.healthCheckId,
  };
}
