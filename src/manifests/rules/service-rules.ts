import type { CloudMapNamespaceManifest, CloudMapServiceManifest, DnsRecordType } from '../types.js';
import type { ReferenceRule, Rule } from './rule.js';

/** The record-type sets Cloud Map accepts (sorted, joined with +). */
const ALLOWED_RECORD_SETS = new Set(['A', 'AAAA', 'A+AAAA', 'SRV', 'CNAME']);

function recordTypes(m: CloudMapServiceManifest): DnsRecordType[] {
  return m.spec.dns?.records.map((rec) => rec.type) ?? [];
}

export const recordCombination: Rule<CloudMapServiceManifest> = (m, r) => {
  const types = recordTypes(m);
  if (types.length === 0) return;
  const key = [...types].sort().join('+');
  if (!ALLOWED_RECORD_SETS.has(key) || new Set(types).size !== types.length) {
    r.report(
      'EGO_RECORD_COMBINATION',
      ['spec', 'dns', 'records'],
      `record types ${types.join(', ')} are not an allowed combination (allowed: A; AAAA; A and AAAA; SRV; CNAME)`,
    );
  }
};

export const cnameRouting: Rule<CloudMapServiceManifest> = (m, r) => {
  const policy = m.spec.dns?.routingPolicy ?? 'MULTIVALUE';
  if (recordTypes(m).includes('CNAME') && policy !== 'WEIGHTED') {
    const declared = m.spec.dns?.routingPolicy !== undefined;
    r.report(
      'EGO_CNAME_ROUTING',
      declared ? ['spec', 'dns', 'routingPolicy'] : ['spec', 'dns'],
      `a CNAME record needs routingPolicy WEIGHTED (got ${policy}${declared ? '' : ', the default'})`,
      declared ? { target: 'value' } : { field: ['spec', 'dns', 'routingPolicy'] },
    );
  }
};

export const cnameHealthCheck: Rule<CloudMapServiceManifest> = (m, r) => {
  if (recordTypes(m).includes('CNAME') && m.spec.healthCheck !== undefined) {
    r.report('EGO_CNAME_HEALTH_CHECK', ['spec', 'healthCheck'], 'a service with a CNAME record cannot have a health check');
  }
};

export const healthCheckExclusive: Rule<CloudMapServiceManifest> = (m, r) => {
  if (m.spec.healthCheck?.custom !== undefined && m.spec.healthCheck.route53 !== undefined) {
    r.report('EGO_HEALTH_CHECK_EXCLUSIVE', ['spec', 'healthCheck', 'route53'], 'use either healthCheck.custom or healthCheck.route53, not both');
  }
};

export const healthCheckPath: Rule<CloudMapServiceManifest> = (m, r) => {
  const hc = m.spec.healthCheck?.route53;
  if (hc?.type === 'TCP' && hc.resourcePath !== undefined) {
    r.report('EGO_HEALTH_CHECK_PATH', ['spec', 'healthCheck', 'route53', 'resourcePath'], 'resourcePath is only for HTTP and HTTPS health checks, not TCP');
  }
};

export const customFailureThreshold: Rule<CloudMapServiceManifest> = (m, r) => {
  const threshold = m.spec.healthCheck?.custom?.failureThreshold;
  if (threshold !== undefined && threshold !== 1) {
    r.report(
      'EGO_CUSTOM_FAILURE_THRESHOLD',
      ['spec', 'healthCheck', 'custom', 'failureThreshold'],
      `AWS always uses 1 for custom health checks; ${threshold} is ignored (and never reported as drift)`,
      { severity: 'warning', target: 'value' },
    );
  }
};

export const apiOnlyDns: Rule<CloudMapServiceManifest> = (m, r) => {
  if (m.spec.type === 'HTTP' && m.spec.dns !== undefined) {
    r.report('EGO_API_ONLY_DNS', ['spec', 'dns'], 'an API-only service (type: HTTP) has no DNS config: remove "dns" or "type"');
  }
};

/** Rules over a CloudMapService on its own, in the order they run. */
export const SERVICE_RULES: readonly Rule<CloudMapServiceManifest>[] = [
  recordCombination,
  cnameRouting,
  cnameHealthCheck,
  healthCheckExclusive,
  healthCheckPath,
  customFailureThreshold,
  apiOnlyDns,
];

export const httpNamespaceDns: ReferenceRule<CloudMapServiceManifest, CloudMapNamespaceManifest> = (m, ns, r) => {
  if (ns.spec.type === 'HTTP' && m.spec.dns !== undefined) {
    r.report(
      'EGO_HTTP_NAMESPACE_DNS',
      ['spec', 'dns'],
      `namespace "${ns.metadata.name}" is an HTTP namespace (API discovery only): its services have no DNS config`,
    );
  }
};

export const route53HealthNamespace: ReferenceRule<CloudMapServiceManifest, CloudMapNamespaceManifest> = (m, ns, r) => {
  if (ns.spec.type === 'DNS_PRIVATE' && m.spec.healthCheck?.route53 !== undefined) {
    r.report(
      'EGO_ROUTE53_HEALTH_NAMESPACE',
      ['spec', 'healthCheck', 'route53'],
      `a Route 53 health check needs a DNS_PUBLIC or HTTP namespace; "${ns.metadata.name}" is DNS_PRIVATE (use healthCheck.custom)`,
    );
  }
};

/** Rules over a CloudMapService and its (valid) namespace. */
export const SERVICE_NAMESPACE_RULES: readonly ReferenceRule<CloudMapServiceManifest, CloudMapNamespaceManifest>[] = [httpNamespaceDns, route53HealthNamespace];
