import type { JsonObject } from '../../types.js';
import type { EcsContext } from './context.js';
import { resolveCluster } from './clusters.js';
import type { ClusterRecord, ServiceConnectEndpoint, ServiceConnectPlan, ServiceSpec, TaskDefinitionRecord } from './state.js';
import { invalidParameter, namespaceNotFound, objectList, optBool, optInt, optObject, optString } from './validation.js';

/** `discoveryName`: up to 64 lowercase letters, digits, `_` and `-`, not starting with `-`. */
const DISCOVERY_NAME = /^[a-z0-9_][a-z0-9_-]{0,63}$/;
/** `dnsName`: up to 127 lowercase letters, digits, `_`, `-` and `.`, not starting with `-`. */
const DNS_NAME = /^[a-z0-9_.][a-z0-9_.-]{0,126}$/;
const MAX_PORT = 65535;
const MAX_SECONDS = 2_147_483_647;

/** A Service Connect configuration as requested (echoed on deployments) and what it resolves to. */
export interface ParsedServiceConnect {
  readonly config: JsonObject;
  readonly plan: ServiceConnectPlan | undefined;
}

/**
 * Validates a `serviceConnectConfiguration` for a service in `cluster` running `td`.
 * Disabled: kept as requested, no plan. Enabled: the namespace (name or ARN; absent =
 * `fallbackNamespace`, else the cluster's `serviceConnectDefaults`) must exist in Cloud Map,
 * and every `services[]` entry must name a named port mapping of the task definition.
 */
export function parseServiceConnect(
  ctx: EcsContext,
  cluster: ClusterRecord,
  td: TaskDefinitionRecord,
  raw: JsonObject,
  fallbackNamespace?: string,
): ParsedServiceConnect {
  const enabled = optBool(raw, 'enabled');
  if (enabled === undefined) throw invalidParameter('serviceConnectConfiguration.enabled must be specified.');
  const services = objectList(raw, 'services');
  checkLogging(raw);
  if (!enabled) return { config: raw, plan: undefined };

  const namespaceRef = optString(raw, 'namespace') ?? fallbackNamespace ?? cluster.serviceConnectDefaults?.namespace;
  if (namespaceRef === undefined || namespaceRef === '') {
    throw invalidParameter('A Service Connect namespace must be specified: the cluster has no default Service Connect namespace.');
  }
  const namespace = resolveNamespace(ctx, namespaceRef);
  const mappings = namedPortMappings(td);
  const endpoints = services.map((s, i) => parseEndpoint(s, i, mappings));
  checkUnique(
    endpoints.map((e) => e.discoveryName),
    (name) => `The discoveryName '${name}' is used by more than one Service Connect service.`,
  );
  const aliases = services.flatMap((s, i) =>
    objectList(s, 'clientAliases').map((a) => `${optString(a, 'dnsName') ?? endpoints[i]!.discoveryName}:${optInt(a, 'port')}`),
  );
  checkUnique(aliases, (alias) => `The client alias ${alias} is used by more than one Service Connect service.`);
  return { config: raw, plan: { namespace, endpoints } };
}

/** The namespace a name or ARN refers to; an ARN of another account or Region is refused. */
function resolveNamespace(ctx: EcsContext, ref: string): ServiceConnectPlan['namespace'] {
  if (ref.startsWith('arn:')) {
    const [, partition, service, region, account] = ref.split(':');
    const { region: ours, accountId } = ctx.world.options;
    if (partition !== 'aws' || service !== 'servicediscovery' || region !== ours || account !== accountId) {
      throw invalidParameter(`The namespace ${ref} must be a Cloud Map namespace in account ${accountId} and Region ${ours}.`);
    }
  }
  const ns = ctx.serviceConnect?.findNamespace(ref);
  if (!ns) throw namespaceNotFound();
  return ns;
}

interface NamedPort {
  readonly containerPort: number;
  readonly appProtocol: string | undefined;
}

/** Port mappings with a `name`, across every container of the task definition. */
function namedPortMappings(td: TaskDefinitionRecord): Map<string, NamedPort> {
  const out = new Map<string, NamedPort>();
  for (const c of (td.body['containerDefinitions'] as JsonObject[] | undefined) ?? []) {
    for (const p of (c['portMappings'] as JsonObject[] | undefined) ?? []) {
      const name = p['name'];
      if (typeof name !== 'string' || name === '') continue;
      out.set(name, { containerPort: p['containerPort'] as number, appProtocol: typeof p['appProtocol'] === 'string' ? p['appProtocol'] : undefined });
    }
  }
  return out;
}

function parseEndpoint(raw: JsonObject, index: number, mappings: Map<string, NamedPort>): ServiceConnectEndpoint {
  const at = `serviceConnectConfiguration.services[${index}]`;
  const portName = optString(raw, 'portName');
  if (portName === undefined || portName === '') throw invalidParameter(`${at}.portName can not be blank.`);
  const mapping = mappings.get(portName);
  if (!mapping) throw invalidParameter(`${at}.portName '${portName}' does not match the name of a port mapping in the task definition.`);
  const discoveryName = optString(raw, 'discoveryName') ?? portName;
  if (!DISCOVERY_NAME.test(discoveryName)) {
    throw invalidParameter(
      `${at}.discoveryName '${discoveryName}' is not valid: up to 64 lowercase letters, numbers, underscores and hyphens, not starting with a hyphen.`,
    );
  }
  const aliases = objectList(raw, 'clientAliases');
  if (aliases.length > 1) throw invalidParameter(`${at}.clientAliases can have at most 1 item.`);
  aliases.forEach((a, i) => checkAlias(a, `${at}.clientAliases[${i}]`));
  const ingress = optInt(raw, 'ingressPortOverride');
  if (ingress !== undefined) checkRange(ingress, 0, MAX_PORT, `${at}.ingressPortOverride`);
  const timeout = optObject(raw, 'timeout');
  const idle = timeout ? optInt(timeout, 'idleTimeoutSeconds') : undefined;
  const perRequest = timeout ? optInt(timeout, 'perRequestTimeoutSeconds') : undefined;
  if (idle !== undefined) checkRange(idle, 0, MAX_SECONDS, `${at}.timeout.idleTimeoutSeconds`);
  if (perRequest !== undefined) {
    checkRange(perRequest, 0, MAX_SECONDS, `${at}.timeout.perRequestTimeoutSeconds`);
    if (mapping.appProtocol === undefined) {
      throw invalidParameter(`${at}.timeout.perRequestTimeoutSeconds can only be set when the port mapping's appProtocol is http, http2 or grpc (not TCP).`);
    }
  }
  checkTls(optObject(raw, 'tls'), `${at}.tls`);
  return {
    portName,
    discoveryName,
    port: ingress ?? mapping.containerPort,
    ...(idle !== undefined ? { idleTimeoutSeconds: idle } : {}),
    ...(perRequest !== undefined ? { perRequestTimeoutSeconds: perRequest } : {}),
  };
}

function checkAlias(alias: JsonObject, at: string): void {
  const port = optInt(alias, 'port');
  if (port === undefined) throw invalidParameter(`${at}.port must be specified.`);
  checkRange(port, 0, MAX_PORT, `${at}.port`);
  const dnsName = optString(alias, 'dnsName');
  if (dnsName !== undefined && !DNS_NAME.test(dnsName)) {
    throw invalidParameter(
      `${at}.dnsName '${dnsName}' is not valid: up to 127 lowercase letters, numbers, underscores, hyphens and periods, not starting with a hyphen.`,
    );
  }
  const rules = optObject(alias, 'testTrafficRules');
  if (rules) {
    const header = optObject(rules, 'header');
    if (!header || !optString(header, 'name')) throw invalidParameter(`${at}.testTrafficRules.header.name must be specified.`);
    const value = optObject(header, 'value');
    if (value && optString(value, 'exact') === undefined) throw invalidParameter(`${at}.testTrafficRules.header.value.exact must be specified.`);
  }
}

function checkTls(tls: JsonObject | undefined, at: string): void {
  if (!tls) return;
  const issuer = optObject(tls, 'issuerCertificateAuthority');
  if (!issuer) throw invalidParameter(`${at}.issuerCertificateAuthority must be specified.`);
  optString(issuer, 'awsPcaAuthorityArn');
  optString(tls, 'kmsKey');
  optString(tls, 'roleArn');
}

/** logConfiguration needs a logDriver; access logs need a format and a logConfiguration. */
function checkLogging(raw: JsonObject): void {
  const log = optObject(raw, 'logConfiguration');
  if (log && !optString(log, 'logDriver')) throw invalidParameter('serviceConnectConfiguration.logConfiguration.logDriver must be specified.');
  const access = optObject(raw, 'accessLogConfiguration');
  if (!access) return;
  const format = optString(access, 'format');
  if (format !== 'TEXT' && format !== 'JSON') throw invalidParameter('serviceConnectConfiguration.accessLogConfiguration.format must be TEXT or JSON.');
  const query = optString(access, 'includeQueryParameters');
  if (query !== undefined && query !== 'ENABLED' && query !== 'DISABLED') {
    throw invalidParameter('serviceConnectConfiguration.accessLogConfiguration.includeQueryParameters must be ENABLED or DISABLED.');
  }
  if (!log) throw invalidParameter('To enable access logs, serviceConnectConfiguration.logConfiguration must also be specified.');
}

function checkRange(value: number, min: number, max: number, field: string): void {
  if (value < min || value > max) throw invalidParameter(`${field} must be between ${min} and ${max}.`);
}

function checkUnique(values: readonly string[], message: (value: string) => string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw invalidParameter(message(v));
    seen.add(v);
  }
}

/**
 * The Service Connect members of a service spec for a CreateService (`base` absent) or
 * UpdateService request: the request's configuration, else the current one (checked again
 * against the task definition, which the update may change). A configuration without a
 * namespace keeps the service's current namespace on update; a new service takes the
 * cluster's default.
 */
export function serviceConnectSpec(
  ctx: EcsContext,
  base: ServiceSpec | undefined,
  input: JsonObject,
  td: TaskDefinitionRecord,
): Pick<ServiceSpec, 'serviceConnectConfiguration' | 'serviceConnect'> {
  const raw = input['serviceConnectConfiguration'] !== undefined ? optObject(input, 'serviceConnectConfiguration') : base?.serviceConnectConfiguration;
  if (raw === undefined) return {};
  const cluster = resolveCluster(ctx, optString(input, 'cluster'));
  const parsed = parseServiceConnect(ctx, cluster, td, raw, base?.serviceConnect?.namespace.arn);
  return { serviceConnectConfiguration: parsed.config, ...(parsed.plan ? { serviceConnect: parsed.plan } : {}) };
}
