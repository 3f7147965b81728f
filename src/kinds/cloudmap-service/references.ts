/** Load: a Cloud Map service names a namespace of the source, and fits it (rules in src/manifests/rules/service-rules.ts). */
import type { LoadedDocument, ReferenceContext } from '../../kit/kind-module.js';
import { closest } from '../../manifests/diagnostics.js';
import { namespaceKey } from '../../manifests/keys.js';
import { SERVICE_NAMESPACE_RULES } from '../../manifests/rules/service-rules.js';
import type { CloudMapNamespaceManifest } from '../../manifests/types.js';

export function checkServiceReferences(documents: readonly LoadedDocument[], ctx: ReferenceContext): void {
  // Hints for missing namespaces come from these, built once (not once per broken reference).
  const prefix = namespaceKey('');
  const namespaceNames = ctx.documents.flatMap((c) => (c.kind === 'CloudMapNamespace' && c.key ? [c.key.slice(prefix.length)] : []));
  const guesses = new Map<string, string | undefined>();
  const guessNamespace = (name: string): string | undefined => {
    if (!guesses.has(name)) guesses.set(name, closest(name, namespaceNames));
    return guesses.get(name);
  };
  for (const c of documents) {
    const m = c.manifest;
    if (m?.kind !== 'CloudMapService') continue;
    const target = ctx.find(namespaceKey(m.spec.namespace));
    if (!target) {
      const guess = guessNamespace(m.spec.namespace);
      c.reporter.report(
        'EGO_NAMESPACE_NOT_FOUND',
        ['spec', 'namespace'],
        `namespace "${m.spec.namespace}" not found: no ${namespaceKey(m.spec.namespace)} in the source${guess ? `; did you mean "${guess}"?` : ''}`,
        { target: 'value' },
      );
    } else if (ctx.usable(c, target, ['spec', 'namespace'])) {
      for (const rule of SERVICE_NAMESPACE_RULES) rule(m, target.manifest as CloudMapNamespaceManifest, c.reporter);
    }
  }
}
