/**
 * The manifest model of Cloud Map services, as seen from the request shapes of
 * servicediscovery CreateService and UpdateService: which request members the CloudMapService
 * kind sets (convert, normalize, diff and apply carry them) and which it deliberately does
 * not. The coverage table of docs/manifests.md is generated from these tables.
 *
 * Manifest names: Name = metadata.name, NamespaceId = spec.namespace (resolved to the id),
 * Description = description, Type = type, DnsConfig = dns (RoutingPolicy = routingPolicy,
 * DnsRecords = records with type/ttl), HealthCheckCustomConfig = healthCheck.custom,
 * HealthCheckConfig = healthCheck.route53, Tags = tags (a map).
 */
import { unsupported, type FieldModel } from '../../kit/unexpressed.js';

const M = 'modelled';

const DNS_RECORDS: FieldModel = { items: { fields: { Type: M, TTL: M } } };
const HEALTH_CHECK_CONFIG: FieldModel = { fields: { Type: M, ResourcePath: M, FailureThreshold: M } };

/** servicediscovery CreateServiceRequest. */
export const CLOUD_MAP_CREATE_SERVICE_MODEL: FieldModel = {
  fields: {
    Name: M,
    NamespaceId: M,
    // Set by apply from the resource key and the immutable settings (kit/idempotency.ts).
    CreatorRequestId: M,
    Description: M,
    DnsConfig: {
      fields: {
        DnsRecords: DNS_RECORDS,
        RoutingPolicy: M,
        NamespaceId: unsupported('deprecated by AWS in favour of the request-level NamespaceId, which ecs-gitops sets'),
      },
    },
    HealthCheckConfig: HEALTH_CHECK_CONFIG,
    // Deprecated by AWS: it is always 1 whatever is sent; normalize compares it as 1.
    HealthCheckCustomConfig: { fields: { FailureThreshold: M } },
    Tags: { items: { fields: { Key: M, Value: M } } },
    Type: M,
  },
};

/** servicediscovery UpdateServiceRequest (ServiceChange: what an update can change). */
export const CLOUD_MAP_UPDATE_SERVICE_MODEL: FieldModel = {
  fields: {
    Id: M,
    Service: { fields: { Description: M, DnsConfig: { fields: { DnsRecords: DNS_RECORDS } }, HealthCheckConfig: HEALTH_CHECK_CONFIG } },
  },
};
