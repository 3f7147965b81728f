import { namespaceKey } from '../../manifests/keys.js';
import type { NamespaceSummary } from '@aws-sdk/client-servicediscovery';
import type { CloudMapNamespaceSpec, NamespaceType } from '../../manifests/types.js';
import type { LiveNamespace } from '../../kit/types.js';
import { ownerFromTags } from '../../kit/ownership.js';

const NAMESPACE_TYPES: ReadonlySet<string> = new Set<NamespaceType>(['HTTP', 'DNS_PRIVATE', 'DNS_PUBLIC']);

/**
 * A Cloud Map namespace summary (ListNamespaces) in manifest shape. `vpc` is not in the
 * summary: it comes from the namespace's hosted zone (pass it when known). Returns undefined
 * for summaries missing identity fields.
 */
export function convertNamespace(summary: NamespaceSummary, tags: Record<string, string>, vpc?: string): LiveNamespace | undefined {
  const { Id: id, Arn: arn, Name: name, Type: type } = summary;
  if (!id || !arn || !name || !type || !NAMESPACE_TYPES.has(type)) return undefined;
  const spec: CloudMapNamespaceSpec = { type: type as NamespaceType, tags };
  if (vpc) spec.vpc = vpc;
  if (summary.Description !== undefined) spec.description = summary.Description;
  const soaTtl = summary.Properties?.DnsProperties?.SOA?.TTL;
  if (soaTtl !== undefined) spec.soaTtl = soaTtl;
  const live: LiveNamespace = { kind: 'CloudMapNamespace', key: namespaceKey(name), name, arn, id, tags, spec };
  const owner = ownerFromTags(tags);
  if (owner) live.owner = owner;
  const zone = summary.Properties?.DnsProperties?.HostedZoneId;
  if (zone) live.hostedZoneId = zone;
  if (summary.ServiceCount !== undefined) live.serviceCount = summary.ServiceCount;
  return live;
}
