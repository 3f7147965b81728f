import type { CloudMapServiceSpec, DnsRecord } from '../../manifests/types.js';
import { normalizeTags } from '../../kit/diff-tags.js';
import { sortedBy } from '../../util/deep-equal.js';

type HealthCheck = NonNullable<CloudMapServiceSpec['healthCheck']>;
type Route53Check = NonNullable<HealthCheck['route53']>;

/** Routing policy when the manifest leaves it out (the manifest format's default). */
export const DEFAULT_ROUTING_POLICY = 'MULTIVALUE';

function normalizeRoute53(check: Route53Check): Route53Check {
  const out: Route53Check = { type: check.type };
  // Cloud Map fills "/" for HTTP and HTTPS checks; TCP checks have no path.
  const path = check.resourcePath ?? (check.type === 'TCP' ? undefined : '/');
  if (path !== undefined) out.resourcePath = path;
  if (check.failureThreshold !== undefined) out.failureThreshold = check.failureThreshold;
  return out;
}

function normalizeHealthCheck(check: HealthCheck): HealthCheck {
  const out: HealthCheck = {};
  // HealthCheckCustomConfig.FailureThreshold is deprecated and always 1 in AWS: any declared
  // value would otherwise be reported as drift forever.
  if (check.custom !== undefined) out.custom = { failureThreshold: 1 };
  if (check.route53 !== undefined) out.route53 = normalizeRoute53(check.route53);
  return out;
}

/**
 * A Cloud Map service spec in comparable form (a new object; the input is not modified):
 * routing policy defaulted, records sorted by type, custom health threshold fixed at 1,
 * Route 53 resource path defaulted, empty description = none, tags cleaned.
 */
export function normalizeCloudMapServiceSpec(spec: CloudMapServiceSpec): CloudMapServiceSpec {
  const out: CloudMapServiceSpec = { namespace: spec.namespace };
  if (spec.description !== undefined && spec.description !== '') out.description = spec.description;
  if (spec.type !== undefined) out.type = spec.type;
  if (spec.dns !== undefined) {
    out.dns = {
      routingPolicy: spec.dns.routingPolicy ?? DEFAULT_ROUTING_POLICY,
      records: sortedBy(
        spec.dns.records.map((r): DnsRecord => ({ type: r.type, ttl: r.ttl })),
        (r) => r.type,
      ),
    };
  }
  if (spec.healthCheck !== undefined) out.healthCheck = normalizeHealthCheck(spec.healthCheck);
  out.tags = normalizeTags(spec.tags);
  return out;
}

/**
 * The fields the manifest declares, plus the routing policy whenever `dns` is declared: the
 * manifest format defines MULTIVALUE as its default, so leaving it out still says MULTIVALUE.
 */
export function declaredCloudMapServiceSpec(spec: CloudMapServiceSpec): Omit<CloudMapServiceSpec, 'syncPolicy'> {
  const { syncPolicy: _policy, ...rest } = spec;
  if (rest.dns !== undefined) rest.dns = { ...rest.dns, routingPolicy: rest.dns.routingPolicy ?? DEFAULT_ROUTING_POLICY };
  return rest;
}
