/** Load: an ECS service's discovery names a Cloud Map service of the source, and fits it (rules in src/manifests/rules/ecs-rules.ts). */
import type { LoadedDocument, ReferenceContext } from '../../kit/kind-module.js';
import { cloudMapServiceKey, DEFAULT_CLUSTER, namespaceKey } from '../../manifests/keys.js';
import { ECS_DISCOVERY_RULES } from '../../manifests/rules/ecs-rules.js';
import type { CloudMapServiceManifest, EcsServiceManifest } from '../../manifests/types.js';
import { discoveryNameOf } from './service-connect.js';

/** Load: every cross-document check of an ECS service. */
export function checkEcsServiceReferences(documents: readonly LoadedDocument[], ctx: ReferenceContext): void {
  checkDiscoveryReferences(documents, ctx);
  checkServiceConnectReferences(documents, ctx);
}

export function checkDiscoveryReferences(documents: readonly LoadedDocument[], ctx: ReferenceContext): void {
  const serviceKeysByName = new Map<string, string[]>();
  for (const c of ctx.documents) {
    if (c.kind !== 'CloudMapService' || !c.key) continue;
    const name = c.key.slice(c.key.lastIndexOf('/') + 1);
    const keys = serviceKeysByName.get(name);
    if (keys) keys.push(c.key);
    else serviceKeysByName.set(name, [c.key]);
  }
  for (const c of documents) {
    const m = c.manifest;
    if (m?.kind !== 'EcsService' || !m.spec.discovery) continue;
    const { service, namespace } = m.spec.discovery;
    const key = cloudMapServiceKey(namespace, service);
    const target = ctx.find(key);
    if (!target) {
      const elsewhere = serviceKeysByName.get(service) ?? [];
      const hint = elsewhere.length > 0 ? ` (found ${elsewhere.join(', ')})` : '';
      c.reporter.report('EGO_DISCOVERY_SERVICE_NOT_FOUND', ['spec', 'discovery', 'service'], `Cloud Map service not found: no ${key} in the source${hint}`, {
        target: 'value',
      });
    } else if (ctx.usable(c, target, ['spec', 'discovery', 'service'])) {
      for (const rule of ECS_DISCOVERY_RULES) rule(m, target.manifest as CloudMapServiceManifest, c.reporter);
    }
  }
}

/** The namespace a Service Connect configuration publishes in: its own, else the cluster's default (by cluster). */
function namespaceOf(m: EcsServiceManifest): { id: string; label: string } {
  const ns = m.spec.serviceConnect?.namespace;
  if (ns !== undefined) return { id: `ns:${ns}`, label: `namespace ${ns}` };
  const cluster = m.spec.cluster ?? DEFAULT_CLUSTER;
  return { id: `cluster:${cluster}`, label: `the default namespace of cluster ${cluster}` };
}

/**
 * Load: Service Connect across the source. A namespace of the source must be valid (else the
 * service is held back); a discoveryName is published once per namespace (ECS refuses a
 * second service with it: "SC service is already used"); and no CloudMapService manifest may
 * have that name in that namespace (ECS creates and owns that Cloud Map service).
 */
export function checkServiceConnectReferences(documents: readonly LoadedDocument[], ctx: ReferenceContext): void {
  const cloudMapKeys = new Set(ctx.documents.flatMap((c) => (c.kind === 'CloudMapService' && c.key ? [c.key] : [])));
  const published = new Map<string, string>();
  for (const c of documents) {
    const m = c.manifest;
    const sc = m?.kind === 'EcsService' ? m.spec.serviceConnect : undefined;
    if (m?.kind !== 'EcsService' || !sc?.enabled) continue;
    if (sc.namespace !== undefined) {
      const target = ctx.find(namespaceKey(sc.namespace));
      if (target && !ctx.usable(c, target, ['spec', 'serviceConnect', 'namespace'])) continue;
    }
    const ns = namespaceOf(m);
    sc.services?.forEach((s, i) => {
      const name = discoveryNameOf(s);
      const at = ['spec', 'serviceConnect', 'services', i, s.discoveryName !== undefined ? 'discoveryName' : 'portName'];
      const seen = published.get(`${ns.id}/${name}`);
      const self = c.key ?? m.metadata.name;
      if (seen !== undefined) {
        const who = seen === self ? 'an earlier entry of this service' : seen;
        c.reporter.report(
          'EGO_SERVICE_CONNECT_DISCOVERY_NAME',
          at,
          `discoveryName "${name}" is already published in ${ns.label} by ${who}; ECS allows it once per namespace`,
          {
            target: 'value',
          },
        );
        return;
      }
      published.set(`${ns.id}/${name}`, self);
      if (sc.namespace !== undefined && cloudMapKeys.has(cloudMapServiceKey(sc.namespace, name))) {
        c.reporter.report(
          'EGO_SERVICE_CONNECT_NAME_TAKEN',
          at,
          `discoveryName "${name}" is the Cloud Map service ${cloudMapServiceKey(sc.namespace, name)} of the source; ECS creates and owns the Cloud Map service of a discoveryName, so rename one of them`,
          { target: 'value' },
        );
      }
    });
  }
}
