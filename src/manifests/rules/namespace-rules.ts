import type { CloudMapNamespaceManifest } from '../types.js';
import type { Rule } from './rule.js';

// Route 53 rules for zone names: dot-separated labels of letters, digits and hyphens.
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const MAX_DOMAIN_LENGTH = 253;

/** DNS namespaces create a hosted zone of the same name, so the name must be a domain name. */
export const namespaceName: Rule<CloudMapNamespaceManifest> = (m, r) => {
  if (m.spec.type === 'HTTP') return;
  const name = m.metadata.name.replace(/\.$/, '');
  const labels = name.split('.');
  if (name.length > MAX_DOMAIN_LENGTH || !labels.every((l) => DOMAIN_LABEL.test(l))) {
    r.report(
      'EGO_NAMESPACE_NAME',
      ['metadata', 'name'],
      `"${m.metadata.name}" is not a valid domain name for a ${m.spec.type} namespace: use labels of letters, digits and - (1-63 each, not starting or ending with -) separated by dots, at most ${MAX_DOMAIN_LENGTH} characters`,
      { target: 'value' },
    );
  }
};

export const vpcRequired: Rule<CloudMapNamespaceManifest> = (m, r) => {
  if (m.spec.type === 'DNS_PRIVATE' && m.spec.vpc === undefined) {
    r.report('EGO_VPC_REQUIRED', ['spec'], 'a DNS_PRIVATE namespace needs "vpc": the VPC its private hosted zone is associated with', {
      field: ['spec', 'vpc'],
    });
  }
};

export const vpcNotAllowed: Rule<CloudMapNamespaceManifest> = (m, r) => {
  if (m.spec.type !== 'DNS_PRIVATE' && m.spec.vpc !== undefined) {
    r.report('EGO_VPC_NOT_ALLOWED', ['spec', 'vpc'], `"vpc" is only for DNS_PRIVATE namespaces (this one is ${m.spec.type})`);
  }
};

export const soaTtlNotAllowed: Rule<CloudMapNamespaceManifest> = (m, r) => {
  if (m.spec.type === 'HTTP' && m.spec.soaTtl !== undefined) {
    r.report('EGO_SOA_TTL_NOT_ALLOWED', ['spec', 'soaTtl'], '"soaTtl" is only for DNS namespaces: an HTTP namespace has no hosted zone');
  }
};

/** Rules over a CloudMapNamespace on its own, in the order they run. */
export const NAMESPACE_RULES: readonly Rule<CloudMapNamespaceManifest>[] = [namespaceName, vpcRequired, vpcNotAllowed, soaTtlNotAllowed];
