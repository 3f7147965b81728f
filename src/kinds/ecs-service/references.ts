/** Load: an ECS service's discovery names a Cloud Map service of the source, and fits it (rules in src/manifests/rules/ecs-rules.ts). */
import type { LoadedDocument, ReferenceContext } from '../../kit/kind-module.js';
import { cloudMapServiceKey } from '../../manifests/keys.js';
import { ECS_DISCOVERY_RULES } from '../../manifests/rules/ecs-rules.js';
import type { CloudMapServiceManifest } from '../../manifests/types.js';

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
