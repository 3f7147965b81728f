/**
 * `spec.serviceConnect` both ways. The manifest has ECS's member names of
 * serviceConnectConfiguration; DescribeServices reports it on the PRIMARY deployment, with the
 * namespace as ECS was given it (a name or an ARN). ECS replaces the whole configuration on
 * UpdateService, so a change sends it whole and starts a new deployment.
 */
import type { Deployment, ServiceConnectConfiguration } from '@aws-sdk/client-ecs';
import type { ServiceConnect, ServiceConnectService } from '../../manifests/types.js';
import { sortedBy } from '../../util/deep-equal.js';

/** A Cloud Map namespace as the scan saw it, to read a namespace ARN as its name. */
export interface NamespaceIdentity {
  readonly name: string;
  readonly arn: string;
}

/** Resolves the namespace ECS reports (name or ARN) to the namespace seen in the same scan. */
export type NamespaceLookup = (nameOrArn: string) => NamespaceIdentity | undefined;

type Writable = Record<string, unknown>;

/** Copies the members that are set (deeply), dropping undefined and null. */
function defined<T extends object>(value: object): T {
  const out: Writable = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = structuredClone(v);
  return out as T;
}

/** A PRIMARY deployment's serviceConnectConfiguration in manifest shape (namespace ARN read as its name when known). */
export function convertServiceConnect(primary: Deployment | undefined, lookup: NamespaceLookup = () => undefined): ServiceConnect | undefined {
  const sc = primary?.serviceConnectConfiguration;
  if (!sc) return undefined;
  const out = defined<ServiceConnect>({ ...sc, enabled: sc.enabled ?? false });
  if (sc.namespace !== undefined) out.namespace = lookup(sc.namespace)?.name ?? sc.namespace;
  return out;
}

/** The discovery name a service entry publishes (ECS: absent = portName). */
export function discoveryNameOf(s: ServiceConnectService): string {
  return s.discoveryName ?? s.portName;
}

function normalizeService(s: ServiceConnectService): ServiceConnectService {
  const out: ServiceConnectService = { portName: s.portName, discoveryName: discoveryNameOf(s), clientAliases: structuredClone(s.clientAliases ?? []) };
  if (s.ingressPortOverride !== undefined) out.ingressPortOverride = s.ingressPortOverride;
  if (s.timeout !== undefined) out.timeout = { ...s.timeout };
  if (s.tls !== undefined) out.tls = structuredClone(s.tls);
  return out;
}

/**
 * Comparable form: absent = `{enabled: false}`; switched off, nothing else counts; otherwise
 * discoveryName defaulted to portName, no client aliases and no proxy settings = [], services
 * sorted by port name, access logs without query parameters by default (ECS's defaults).
 * `canonicalNamespace` maps a namespace ARN to its name (the live side's namespace).
 */
export function normalizeServiceConnect(sc: ServiceConnect | undefined, canonicalNamespace: (ns: string) => string = (ns) => ns): ServiceConnect {
  if (!sc?.enabled) return { enabled: false };
  const out: ServiceConnect = { enabled: true };
  if (sc.namespace !== undefined) out.namespace = canonicalNamespace(sc.namespace);
  out.services = sortedBy((sc.services ?? []).map(normalizeService), (s) => s.portName);
  if (sc.logConfiguration !== undefined) out.logConfiguration = structuredClone(sc.logConfiguration);
  if (sc.accessLogConfiguration !== undefined) {
    out.accessLogConfiguration = {
      format: sc.accessLogConfiguration.format,
      includeQueryParameters: sc.accessLogConfiguration.includeQueryParameters ?? 'DISABLED',
    };
  }
  out.containerConfigurations = structuredClone(sc.containerConfigurations ?? []);
  return out;
}

/** The request's serviceConnectConfiguration (CreateService and UpdateService): the manifest's, as written. */
export function serviceConnectRequest(sc: ServiceConnect | undefined): ServiceConnectConfiguration | undefined {
  return sc ? (structuredClone(sc) as ServiceConnectConfiguration) : undefined;
}
