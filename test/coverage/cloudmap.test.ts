/**
 * Every member of the servicediscovery request shapes behind the CloudMapService and
 * CloudMapNamespace kinds (CreateService, UpdateService and its ServiceChange, the three
 * Create*Namespace and Update*Namespace requests) is modelled or listed with a reason, and
 * the table in docs/manifests.md is generated from the same rows.
 */
import { describe, it } from 'node:test';
import {
  CreateHttpNamespaceRequest$,
  CreatePrivateDnsNamespaceRequest$,
  CreatePublicDnsNamespaceRequest$,
  CreateServiceRequest$,
  UpdateHttpNamespaceRequest$,
  UpdatePrivateDnsNamespaceRequest$,
  UpdatePublicDnsNamespaceRequest$,
  UpdateServiceRequest$,
} from '@aws-sdk/client-servicediscovery';
import { CLOUD_MAP_CREATE_SERVICE_MODEL, CLOUD_MAP_UPDATE_SERVICE_MODEL } from '../../src/kinds/cloudmap-service/model.js';
import {
  CREATE_DNS_NAMESPACE_MODEL,
  CREATE_HTTP_NAMESPACE_MODEL,
  UPDATE_DNS_NAMESPACE_MODEL,
  UPDATE_HTTP_NAMESPACE_MODEL,
} from '../../src/kinds/cloudmap-namespace/model.js';
import { assertClassified, assertPublished, renderSection, rowsOf, type ShapeGroup } from './service-table.js';

const GROUPS: ShapeGroup[] = [
  { title: 'CreateService (servicediscovery)', schema: CreateServiceRequest$, model: CLOUD_MAP_CREATE_SERVICE_MODEL },
  { title: 'UpdateService (servicediscovery)', schema: UpdateServiceRequest$, model: CLOUD_MAP_UPDATE_SERVICE_MODEL },
  { title: 'CreatePrivateDnsNamespace', schema: CreatePrivateDnsNamespaceRequest$, model: CREATE_DNS_NAMESPACE_MODEL },
  { title: 'CreatePublicDnsNamespace', schema: CreatePublicDnsNamespaceRequest$, model: CREATE_DNS_NAMESPACE_MODEL },
  { title: 'CreateHttpNamespace', schema: CreateHttpNamespaceRequest$, model: CREATE_HTTP_NAMESPACE_MODEL },
  { title: 'UpdatePrivateDnsNamespace', schema: UpdatePrivateDnsNamespaceRequest$, model: UPDATE_DNS_NAMESPACE_MODEL },
  { title: 'UpdatePublicDnsNamespace', schema: UpdatePublicDnsNamespaceRequest$, model: UPDATE_DNS_NAMESPACE_MODEL },
  { title: 'UpdateHttpNamespace', schema: UpdateHttpNamespaceRequest$, model: UPDATE_HTTP_NAMESPACE_MODEL },
];

describe('coverage: Cloud Map services and namespaces', () => {
  for (const g of GROUPS) {
    it(`classifies every member of ${g.title}`, () => assertClassified(rowsOf(g)));
  }

  it('is published in docs/manifests.md', () => assertPublished('cloudmap', renderSection(GROUPS)));
});
