import { cloudMapServiceKey } from '../../manifests/keys.js';
import type { ServiceSummary } from '@aws-sdk/client-servicediscovery';
import type { CloudMapServiceSpec, DnsRecord, DnsRecordType, NamespaceType, RoutingPolicy } from '../../manifests/types.js';
import type { LiveCloudMapService } from '../../kit/types.js';
import { awsManager, ownerFromTags } from '../../kit/ownership.js';

/** The namespace a service summary was listed in (summaries do not carry it). */
export interface NamespaceRef {
  id: string;
  name: string;
  type?: NamespaceType;
}

/**
 * A Cloud Map service summary (ListServices) in manifest shape: DnsConfig -> `dns`,
 * HealthCheckCustomConfig -> `healthCheck.custom`, HealthCheckConfig -> `healthCheck.route53`.
 * Values are kept as AWS returns them (e.g. the deprecated custom FailureThreshold).
 */
export function convertCloudMapService(summary: ServiceSummary, namespace: NamespaceRef, tags: Record<string, string>): LiveCloudMapService | undefined {
  const { Id: id, Arn: arn, Name: name } = summary;
  if (!id || !arn || !name) return undefined;
  const spec: CloudMapServiceSpec = { namespace: namespace.name, tags };
  if (summary.Description !== undefined) spec.description = summary.Description;
  if (summary.Type === 'HTTP') spec.type = 'HTTP';
  const dns = summary.DnsConfig;
  if (dns) {
    const records: DnsRecord[] = (dns.DnsRecords ?? []).flatMap((r) => (r.Type && r.TTL !== undefined ? [{ type: r.Type as DnsRecordType, ttl: r.TTL }] : []));
    spec.dns = { records };
    if (dns.RoutingPolicy) spec.dns.routingPolicy = dns.RoutingPolicy as RoutingPolicy;
  }
  const custom = summary.HealthCheckCustomConfig;
  const r53 = summary.HealthCheckConfig;
  if (custom || r53) {
    spec.healthCheck = {};
    if (custom) spec.healthCheck.custom = custom.FailureThreshold !== undefined ? { failureThreshold: custom.FailureThreshold } : {};
    if (r53?.Type) {
      spec.healthCheck.route53 = { type: r53.Type };
      if (r53.ResourcePath !== undefined) spec.healthCheck.route53.resourcePath = r53.ResourcePath;
      if (r53.FailureThreshold !== undefined) spec.healthCheck.route53.failureThreshold = r53.FailureThreshold;
    }
  }
  const live: LiveCloudMapService = {
    kind: 'CloudMapService',
    key: cloudMapServiceKey(namespace.name, name),
    name,
    arn,
    id,
    namespaceId: namespace.id,
    tags,
    spec,
  };
  if (namespace.type !== undefined) live.namespaceType = namespace.type;
  const owner = ownerFromTags(tags);
  if (owner) live.owner = owner;
  const managedBy = awsManager(tags, summary.Description);
  if (managedBy) live.managedBy = managedBy;
  if (summary.InstanceCount !== undefined) live.instanceCount = summary.InstanceCount;
  return live;
}
