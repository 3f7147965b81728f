/**
 * The manifest model of Cloud Map namespaces, as seen from the request shapes of
 * servicediscovery Create{Private,Public}DnsNamespace, CreateHttpNamespace and their Update*
 * counterparts: which request members the CloudMapNamespace kind sets and which it
 * deliberately does not. The coverage table of docs/manifests.md is generated from these.
 *
 * Manifest names: Name = metadata.name, Vpc = vpc, Description = description,
 * Properties.DnsProperties.SOA.TTL = soaTtl, Tags = tags (a map); the operation follows type.
 */
import { unsupported, type FieldModel } from '../../kit/unexpressed.js';

const M = 'modelled';

const SOA_PROPERTIES: FieldModel = { fields: { DnsProperties: { fields: { SOA: { fields: { TTL: M } } } } } };
const TAGS: FieldModel = { items: { fields: { Key: M, Value: M } } };
const UPDATER_REQUEST_ID = unsupported(
  'an idempotency token only: a namespace update sets absolute values (description, SOA TTL), so a repeated update is harmless and ecs-gitops sends none',
);

/** CreatePrivateDnsNamespaceRequest and CreatePublicDnsNamespaceRequest (Vpc: private only). */
export const CREATE_DNS_NAMESPACE_MODEL: FieldModel = {
  fields: { Name: M, Vpc: M, CreatorRequestId: M, Description: M, Tags: TAGS, Properties: SOA_PROPERTIES },
};

/** CreateHttpNamespaceRequest. */
export const CREATE_HTTP_NAMESPACE_MODEL: FieldModel = { fields: { Name: M, CreatorRequestId: M, Description: M, Tags: TAGS } };

/** UpdatePrivateDnsNamespaceRequest and UpdatePublicDnsNamespaceRequest. */
export const UPDATE_DNS_NAMESPACE_MODEL: FieldModel = {
  fields: { Id: M, Namespace: { fields: { Description: M, Properties: SOA_PROPERTIES } }, UpdaterRequestId: UPDATER_REQUEST_ID },
};

/** UpdateHttpNamespaceRequest. */
export const UPDATE_HTTP_NAMESPACE_MODEL: FieldModel = {
  fields: { Id: M, Namespace: { fields: { Description: M } }, UpdaterRequestId: UPDATER_REQUEST_ID },
};
