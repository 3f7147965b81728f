/** The CloudMapService kind: a Cloud Map service in a namespace of the source. */
import { runRules, type KindModule } from '../../kit/kind-module.js';
import { cloudMapServiceKey, namespaceKey } from '../../manifests/keys.js';
import { SERVICE_RULES } from '../../manifests/rules/service-rules.js';
import { applyCloudMapService } from './apply.js';
import { diffCloudMapService } from './diff.js';
import { cloudMapServiceInUse } from './in-use.js';
import { checkServiceReferences } from './references.js';

export const cloudMapServiceKind: KindModule<'CloudMapService'> = {
  kind: 'CloudMapService',
  docs: 'docs/manifests.md#cloudmapservice',
  keyOfDocument: (name, spec) => (typeof spec['namespace'] === 'string' ? cloudMapServiceKey(spec['namespace'], name) : undefined),
  keyOf: (m) => cloudMapServiceKey(m.spec.namespace, m.metadata.name),
  checkRules: (m, reporter) => runRules(SERVICE_RULES, m, reporter),
  checkReferences: checkServiceReferences,
  references: (d) => [namespaceKey(d.manifest.spec.namespace)],
  deleteAfter: (run, live) =>
    run
      .liveEcsServices()
      .filter((s) => s.serviceRegistryArns.includes(live.arn))
      .map((s) => s.key),
  diff: diffCloudMapService,
  inUse: cloudMapServiceInUse,
  seed: (run, live) => void run.cloudMapServices.set(live.key, { id: live.id, arn: live.arn }),
  apply: applyCloudMapService,
};
