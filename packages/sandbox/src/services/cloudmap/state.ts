import type { RecordSet } from '../route53/records.js';
import { KeyedOrderedIndex } from '../../ordered-index.js';

export type NamespaceType = 'HTTP' | 'DNS_PRIVATE' | 'DNS_PUBLIC';
export type RoutingPolicy = 'MULTIVALUE' | 'WEIGHTED';
export type DnsRecordType = 'A' | 'AAAA' | 'SRV' | 'CNAME';
export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

export interface DnsRecordSpec {
  readonly Type: DnsRecordType;
  readonly TTL: number;
}

export interface DnsConfigSpec {
  readonly RoutingPolicy: RoutingPolicy;
  readonly DnsRecords: readonly DnsRecordSpec[];
}

export interface HealthCheckSpec {
  readonly Type: 'HTTP' | 'HTTPS' | 'TCP';
  readonly ResourcePath?: string;
  readonly FailureThreshold: number;
}

/**
 * A namespace. CREATING namespaces are invisible (no GetNamespace, not listed) until their
 * create operation succeeds; DELETING ones stay visible until their delete succeeds.
 */
export interface NamespaceRecord {
  readonly id: string;
  readonly seq: number;
  readonly arn: string;
  readonly name: string;
  readonly type: NamespaceType;
  description?: string;
  readonly creatorRequestId?: string;
  readonly createDate: number;
  /** DNS namespaces: TTL of the zone's SOA record. */
  soaTtl?: number;
  readonly vpc?: string;
  hostedZoneId?: string;
  status: 'CREATING' | 'ACTIVE' | 'DELETING';
  readonly createOperationId: string;
  deleteOperationId?: string;
}

/** A registered instance and the Route 53 record sets Cloud Map wrote for it. */
export interface InstanceRecord {
  readonly id: string;
  readonly seq: number;
  readonly attributes: Readonly<Record<string, string>>;
  readonly creatorRequestId?: string;
  health: HealthStatus;
  readonly healthCheckId?: string;
  written: RecordSet[];
}

export interface ServiceRecord {
  readonly id: string;
  readonly seq: number;
  readonly arn: string;
  readonly name: string;
  readonly namespaceId: string;
  description?: string;
  dnsConfig?: DnsConfigSpec;
  healthCheckConfig?: HealthCheckSpec;
  readonly healthCheckCustom: boolean;
  readonly type: 'HTTP' | 'DNS_HTTP' | 'DNS';
  readonly createDate: number;
  readonly creatorRequestId?: string;
  readonly instances: KeyedOrderedIndex<InstanceRecord>;
  /** DiscoverInstancesRevision: bumped on every instance or health change. */
  revision: number;
}

export type OperationType = 'CREATE_NAMESPACE' | 'DELETE_NAMESPACE' | 'UPDATE_NAMESPACE' | 'UPDATE_SERVICE' | 'REGISTER_INSTANCE' | 'DEREGISTER_INSTANCE';
export type OperationStatus = 'SUBMITTED' | 'PENDING' | 'SUCCESS' | 'FAIL';

export interface OperationRecord {
  readonly id: string;
  readonly seq: number;
  readonly type: OperationType;
  status: OperationStatus;
  errorCode?: string;
  errorMessage?: string;
  readonly createDate: number;
  updateDate: number;
  readonly targets: Readonly<Partial<Record<'NAMESPACE' | 'SERVICE' | 'INSTANCE', string>>>;
}

/** Tunable quotas (AWS defaults; adjustable like AWS's). */
export interface CloudMapLimits {
  namespaces: number;
  instancesPerService: number;
  tagsPerResource: number;
}

export const DEFAULT_LIMITS: CloudMapLimits = { namespaces: 50, instancesPerService: 1000, tagsPerResource: 50 };

/** All Cloud Map state, indexed so that no call scans unrelated resources. */
export class CloudMapState {
  readonly namespaces = new KeyedOrderedIndex<NamespaceRecord>();
  readonly services = new KeyedOrderedIndex<ServiceRecord>();
  readonly operations = new KeyedOrderedIndex<OperationRecord>();
  /** Services of each namespace (ListServices with a NAMESPACE_ID filter). */
  readonly servicesByNamespace = new Map<string, KeyedOrderedIndex<ServiceRecord>>();
  /** Lower-cased namespace name -> id, including namespaces still being created. */
  readonly namespaceIdByName = new Map<string, string>();
  /** `<namespaceId>/<lower-cased service name>` -> service id. */
  readonly serviceIdByName = new Map<string, string>();
  readonly arnToId = new Map<string, string>();
  readonly tags = new Map<string, Map<string, string>>();
  /** Request ids (CreatorRequestId / UpdaterRequestId) -> the operation they started. */
  readonly operationByRequestId = new Map<string, string>();
  private seq = 0;

  nextSeq(): number {
    return ++this.seq;
  }

  serviceKey(namespaceId: string, name: string): string {
    return `${namespaceId}/${name.toLowerCase()}`;
  }

  namespaceServices(namespaceId: string): KeyedOrderedIndex<ServiceRecord> {
    let index = this.servicesByNamespace.get(namespaceId);
    if (!index) {
      index = new KeyedOrderedIndex();
      this.servicesByNamespace.set(namespaceId, index);
    }
    return index;
  }
}
