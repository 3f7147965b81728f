import type { JsonObject } from '../../types.js';
import type { DnsConfigSpec, DnsRecordSpec, DnsRecordType, HealthCheckSpec, NamespaceType, RoutingPolicy } from './state.js';
import { invalid, oneOf, optInt, optList, optStr } from './validate.js';

const MAX_TTL = 2_147_483_647;
/** The record-type combinations Cloud Map accepts. */
const VALID_COMBINATIONS = ['A', 'AAAA', 'A,AAAA', 'SRV', 'CNAME'];

export function parseDnsRecords(dns: JsonObject, field: string): DnsRecordSpec[] {
  const list = optList(dns, 'DnsRecords');
  if (!list || list.length === 0)
    throw invalid(`1 validation error detected: Value at '${field}.dnsRecords' failed to satisfy constraint: Member must not be null`);
  const records = list.map((raw, i) => {
    const r = (raw ?? {}) as JsonObject;
    const type = oneOf(`${field}.dnsRecords.${i + 1}.member.type`, r['Type'], ['SRV', 'A', 'AAAA', 'CNAME'] as const);
    const ttl = optInt(r, 'TTL', 0, MAX_TTL);
    if (ttl === undefined)
      throw invalid(`1 validation error detected: Value at '${field}.dnsRecords.${i + 1}.member.tTL' failed to satisfy constraint: Member must not be null`);
    return { Type: type, TTL: ttl };
  });
  const types = records.map((r) => r.Type);
  if (new Set(types).size !== types.length) throw invalid(`DnsRecords may contain each record type once (got ${types.join(', ')}).`);
  if (!VALID_COMBINATIONS.includes(recordTypeSet(types))) {
    throw invalid(`DnsRecords must be one of: A; AAAA; A and AAAA; SRV; CNAME (got ${types.join(', ')}).`);
  }
  return records;
}

/** Canonical, order-independent spelling of a set of record types. */
export function recordTypeSet(types: readonly DnsRecordType[]): string {
  const order: DnsRecordType[] = ['A', 'AAAA', 'SRV', 'CNAME'];
  return order.filter((t) => types.includes(t)).join(',');
}

export function parseDnsConfig(dns: JsonObject): DnsConfigSpec {
  const routing: RoutingPolicy =
    dns['RoutingPolicy'] === undefined ? 'MULTIVALUE' : oneOf('dnsConfig.routingPolicy', dns['RoutingPolicy'], ['MULTIVALUE', 'WEIGHTED'] as const);
  const records = parseDnsRecords(dns, 'dnsConfig');
  if (records.some((r) => r.Type === 'CNAME') && routing !== 'WEIGHTED') {
    throw invalid('A service with a CNAME record must use the WEIGHTED routing policy.');
  }
  return { RoutingPolicy: routing, DnsRecords: records };
}

export function parseHealthCheckConfig(hc: JsonObject): HealthCheckSpec {
  const type = oneOf('healthCheckConfig.type', hc['Type'], ['HTTP', 'HTTPS', 'TCP'] as const);
  const path = optStr(hc, 'ResourcePath', undefined, 255);
  if (type === 'TCP' && path !== undefined) throw invalid('ResourcePath is not allowed for a TCP health check.');
  const threshold = optInt(hc, 'FailureThreshold', 1, 10) ?? 1;
  return type === 'TCP' ? { Type: type, FailureThreshold: threshold } : { Type: type, ResourcePath: path ?? '/', FailureThreshold: threshold };
}

/** Cross-field rules of a service's DNS and health configuration within its namespace type. */
export function checkServiceRules(
  namespaceType: NamespaceType,
  dns: DnsConfigSpec | undefined,
  healthCheck: HealthCheckSpec | undefined,
  healthCheckCustom: boolean,
): void {
  if (namespaceType === 'HTTP' && dns) throw invalid('DnsConfig is not allowed for a service in an HTTP namespace.');
  if (healthCheck && healthCheckCustom) throw invalid('A service can have HealthCheckConfig or HealthCheckCustomConfig, not both.');
  if (healthCheck && namespaceType === 'DNS_PRIVATE') {
    throw invalid('HealthCheckConfig is only allowed in public DNS and HTTP namespaces; use HealthCheckCustomConfig in a private DNS namespace.');
  }
  if (healthCheck && dns?.DnsRecords.some((r) => r.Type === 'CNAME')) {
    throw invalid('A service with a CNAME record cannot have a HealthCheckConfig.');
  }
}
