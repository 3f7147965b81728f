import type { RecordSet } from '../route53/records.js';
import type { HostedZones } from '../route53/zones.js';
import type { InstanceRecord, NamespaceRecord, ServiceRecord } from './state.js';

/**
 * The record sets Cloud Map keeps for one instance of a DNS-discoverable service: at
 * `<service>.<namespace>.` one per configured type, routed by the instance id
 * (MultiValueAnswer for MULTIVALUE, Weight 1 for WEIGHTED) with the service's TTL; SRV
 * records point at `<instance>.<service>.<namespace>`, which gets its own A/AAAA record.
 * Types whose attribute the instance lacks are skipped.
 */
export function instanceRecordSets(ns: NamespaceRecord, svc: ServiceRecord, inst: InstanceRecord): RecordSet[] {
  const dns = svc.dnsConfig;
  if (!dns) return [];
  const serviceName = `${svc.name}.${ns.name}`.toLowerCase();
  const routing = {
    setIdentifier: inst.id,
    ...(dns.RoutingPolicy === 'MULTIVALUE' ? { multiValueAnswer: true } : { weight: 1 }),
    ...(inst.healthCheckId ? { healthCheckId: inst.healthCheckId } : {}),
  };
  const ipv4 = inst.attributes['AWS_INSTANCE_IPV4'];
  const ipv6 = inst.attributes['AWS_INSTANCE_IPV6'];
  const cname = inst.attributes['AWS_INSTANCE_CNAME'];
  const port = inst.attributes['AWS_INSTANCE_PORT'];
  const out: RecordSet[] = [];
  const add = (name: string, type: string, ttl: number, value: string | undefined): void => {
    if (value !== undefined) out.push({ name: `${name}.`, type, ttl, values: [value], ...routing });
  };
  for (const r of dns.DnsRecords) {
    if (r.Type === 'A') add(serviceName, 'A', r.TTL, ipv4);
    else if (r.Type === 'AAAA') add(serviceName, 'AAAA', r.TTL, ipv6);
    else if (r.Type === 'CNAME') add(serviceName, 'CNAME', r.TTL, cname);
    else if (port !== undefined && (ipv4 !== undefined || ipv6 !== undefined)) {
      const host = `${inst.id}.${serviceName}`.toLowerCase();
      add(serviceName, 'SRV', r.TTL, `1 1 ${port} ${host}`);
      add(host, 'A', r.TTL, ipv4);
      add(host, 'AAAA', r.TTL, ipv6);
    }
  }
  return out;
}

/** Replaces the instance's record sets in the namespace's zone with the current ones. */
export function writeInstanceRecords(zones: HostedZones, ns: NamespaceRecord, svc: ServiceRecord, inst: InstanceRecord): void {
  removeInstanceRecords(zones, ns, inst);
  if (!ns.hostedZoneId) return;
  inst.written = instanceRecordSets(ns, svc, inst);
  for (const r of inst.written) zones.upsertRecord(ns.hostedZoneId, r);
}

export function removeInstanceRecords(zones: HostedZones, ns: NamespaceRecord, inst: InstanceRecord): void {
  if (ns.hostedZoneId) for (const r of inst.written) zones.deleteRecord(ns.hostedZoneId, r.name, r.type, r.setIdentifier);
  inst.written = [];
}
