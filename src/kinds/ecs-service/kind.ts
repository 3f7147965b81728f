/**
 * The EcsService kind: an ECS service and its task definition. The task definition is part
 * of this kind, not a kind of its own: it has no manifest and no key in the plan; it is
 * registered (or reused) as a step of the service's apply (task-definition/), and diffed as
 * the service's `spec.taskDefinition`. Apply events name it `TaskDefinition/<family>`.
 */
import { runRules, type KindModule } from '../../kit/kind-module.js';
import { cloudMapServiceKey, DEFAULT_CLUSTER, ecsServiceKey, namespaceKey } from '../../manifests/keys.js';
import { ECS_RULES } from '../../manifests/rules/ecs-rules.js';
import { TASK_DEFINITION_RULES } from '../../manifests/rules/task-definition-rules.js';
import { SERVICE_CONNECT_RULES } from '../../manifests/rules/service-connect-rules.js';
import { applyEcsService } from './apply.js';
import { diffEcsService } from './diff.js';
import { blockedByCluster } from './plan-cluster.js';
import { strippedSettings } from './plan-strip.js';
import { checkEcsServiceReferences } from './references.js';
import { deregisterRevision, planRevisionTidy } from './task-definition/tidy.js';

export const ecsServiceKind: KindModule<'EcsService'> = {
  kind: 'EcsService',
  docs: 'docs/manifests.md#ecsservice',
  keyOfDocument: (name, spec) => {
    const cluster = spec['cluster'] === undefined ? DEFAULT_CLUSTER : spec['cluster'];
    return typeof cluster === 'string' ? ecsServiceKey(cluster, name) : undefined;
  },
  keyOf: (m) => ecsServiceKey(m.spec.cluster, m.metadata.name),
  checkRules: (m, reporter) => runRules([...ECS_RULES, ...TASK_DEFINITION_RULES, ...SERVICE_CONNECT_RULES], m, reporter),
  checkReferences: checkEcsServiceReferences,
  // What it needs first: the Cloud Map service of `discovery`, the namespace of Service Connect
  // (a key not in the source, e.g. an existing namespace or an ARN, is simply not waited for).
  references: (d) => {
    const { discovery, serviceConnect } = d.manifest.spec;
    const keys = discovery ? [cloudMapServiceKey(discovery.namespace, discovery.service)] : [];
    if (serviceConnect?.namespace !== undefined) keys.push(namespaceKey(serviceConnect.namespace));
    return keys;
  },
  // A service being drained is gone for planning: a new one of the same name may be created.
  isPresent: (live) => live.status === 'ACTIVE',
  planAbsent: blockedByCluster,
  diff: diffEcsService,
  stripped: strippedSettings,
  apply: applyEcsService,
  tidy: { plan: planRevisionTidy, apply: deregisterRevision },
};
