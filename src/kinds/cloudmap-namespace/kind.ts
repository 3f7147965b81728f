/** The CloudMapNamespace kind: a Cloud Map namespace (HTTP, private or public DNS). */
import { runRules, type KindModule } from '../../kit/kind-module.js';
import { namespaceKey } from '../../manifests/keys.js';
import { NAMESPACE_RULES } from '../../manifests/rules/namespace-rules.js';
import { applyNamespace } from './apply.js';
import { diffNamespace } from './diff.js';
import { namespaceInUse } from './in-use.js';

export const cloudMapNamespaceKind: KindModule<'CloudMapNamespace'> = {
  kind: 'CloudMapNamespace',
  docs: 'docs/manifests.md#cloudmapnamespace',
  keyOfDocument: (name) => namespaceKey(name),
  keyOf: (m) => namespaceKey(m.metadata.name),
  checkRules: (m, reporter) => runRules(NAMESPACE_RULES, m, reporter),
  references: () => [],
  deleteAfter: (run, live) =>
    run
      .liveCloudMapServices()
      .filter((s) => s.namespaceId === live.id)
      .map((s) => s.key),
  diff: diffNamespace,
  inUse: namespaceInUse,
  seed: (run, live) => void run.namespaces.set(live.name, { id: live.id, arn: live.arn }),
  apply: applyNamespace,
};
