import { SandboxError } from '../../errors.js';
import { RecordTable, fqdn, type RecordSet } from './records.js';

/** A VPC associated with a private hosted zone. */
export interface ZoneVpc {
  readonly vpcId: string;
  readonly region: string;
}

/** A hosted zone; in the sandbox every zone is created by Cloud Map for a DNS namespace. */
export interface HostedZone {
  /** Bare id (`Z0...`), without the `/hostedzone/` prefix. */
  readonly id: string;
  /** With the trailing dot. */
  readonly name: string;
  readonly callerReference: string;
  readonly comment: string;
  readonly privateZone: boolean;
  vpcs: ZoneVpc[];
  readonly nameServers: readonly string[];
  /** ARN of the Cloud Map namespace that owns the zone (`LinkedService`); absent = not linked. */
  readonly linkedNamespaceArn?: string;
  readonly records: RecordTable;
  /** Creation order, for ListHostedZones. */
  readonly seq: number;
}

export interface CreateZoneInput {
  readonly name: string;
  readonly privateZone: boolean;
  readonly vpc?: ZoneVpc;
  readonly callerReference: string;
  readonly comment: string;
  readonly linkedNamespaceArn?: string;
  /** TTL of the SOA record set. */
  readonly soaTtl: number;
}

const PRIVATE_NAME_SERVERS = ['ns-1536.awsdns-00.co.uk.', 'ns-0.awsdns-00.com.', 'ns-1024.awsdns-00.org.', 'ns-512.awsdns-00.net.'];
const NS_TTL = 172_800;
const ZONE_ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The hosted zones of one sandbox, shared by the Route 53 API and Cloud Map. */
export class HostedZones {
  private readonly zones = new Map<string, HostedZone>();
  private seq = 0;

  /** Creates a zone with its SOA and NS record sets. */
  create(input: CreateZoneInput): HostedZone {
    const id = this.newZoneId();
    const nameServers = input.privateZone ? PRIVATE_NAME_SERVERS : this.publicNameServers();
    const zone: HostedZone = {
      id,
      name: fqdn(input.name),
      callerReference: input.callerReference,
      comment: input.comment,
      privateZone: input.privateZone,
      vpcs: input.vpc ? [input.vpc] : [],
      nameServers,
      linkedNamespaceArn: input.linkedNamespaceArn,
      records: new RecordTable(),
      seq: this.seq++,
    };
    zone.records.upsert({
      name: zone.name,
      type: 'SOA',
      ttl: input.soaTtl,
      values: [`${nameServers[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`],
    });
    zone.records.upsert({ name: zone.name, type: 'NS', ttl: NS_TTL, values: [...nameServers] });
    this.zones.set(id, zone);
    return zone;
  }

  get(id: string): HostedZone | undefined {
    return this.zones.get(stripZonePrefix(id));
  }

  /** The zone, or NoSuchHostedZone (404) as Route 53 answers it. */
  require(id: string): HostedZone {
    const zone = this.get(id);
    if (!zone) throw new SandboxError('NoSuchHostedZone', `No hosted zone found with ID: ${stripZonePrefix(id)}`, 404);
    return zone;
  }

  delete(id: string): void {
    this.zones.delete(stripZonePrefix(id));
  }

  /** All zones in creation order. */
  list(): HostedZone[] {
    return [...this.zones.values()];
  }

  upsertRecord(zoneId: string, record: RecordSet): void {
    this.require(zoneId).records.upsert(record);
  }

  deleteRecord(zoneId: string, name: string, type: string, setIdentifier?: string): void {
    this.get(zoneId)?.records.delete(name, type, setIdentifier);
  }

  setSoaTtl(zoneId: string, ttl: number): void {
    const zone = this.require(zoneId);
    const soa = zone.records.get(zone.name, 'SOA');
    if (soa) zone.records.upsert({ ...soa, ttl });
  }

  /**
   * Out-of-band edit (admin switch): sets the TTL of one record set, as someone editing the
   * record in the console would. Throws when the record set does not exist.
   */
  setRecordTtl(zoneId: string, name: string, type: string, setIdentifier: string | undefined, ttl: number): RecordSet {
    const zone = this.require(zoneId);
    const record = zone.records.get(name, type, setIdentifier);
    if (!record) {
      throw new SandboxError('InvalidInput', `No record set ${fqdn(name)} ${type}${setIdentifier ? ` (${setIdentifier})` : ''} in zone ${zone.id}`, 404);
    }
    const updated = { ...record, ttl };
    zone.records.upsert(updated);
    return updated;
  }

  /** Admin switch: removes a VPC association from a private zone (even the last one). */
  disassociateVpc(zoneId: string, vpcId: string): void {
    const zone = this.require(zoneId);
    if (!zone.vpcs.some((v) => v.vpcId === vpcId)) {
      throw new SandboxError('VPCAssociationNotFound', `The VPC ${vpcId} is not associated with the hosted zone ${zone.id}`, 404);
    }
    zone.vpcs = zone.vpcs.filter((v) => v.vpcId !== vpcId);
  }

  private newZoneId(): string {
    let id = 'Z0';
    for (let i = 0; i < 19; i++) id += ZONE_ID_ALPHABET[Math.floor(Math.random() * ZONE_ID_ALPHABET.length)];
    return this.zones.has(id) ? this.newZoneId() : id;
  }

  private publicNameServers(): string[] {
    const n = (max: number): number => Math.floor(Math.random() * max);
    return [
      `ns-${n(512)}.awsdns-${String(n(64)).padStart(2, '0')}.com.`,
      `ns-${512 + n(512)}.awsdns-${String(n(64)).padStart(2, '0')}.net.`,
      `ns-${1024 + n(512)}.awsdns-${String(n(64)).padStart(2, '0')}.org.`,
      `ns-${1536 + n(512)}.awsdns-${String(n(64)).padStart(2, '0')}.co.uk.`,
    ];
  }
}

/** `/hostedzone/Z123` -> `Z123` (the SDK strips the prefix; other clients may not). */
export function stripZonePrefix(id: string): string {
  return id.replace(/^\/?hostedzone\//, '');
}
