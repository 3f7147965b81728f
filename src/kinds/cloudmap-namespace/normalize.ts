import type { CloudMapNamespaceSpec } from '../../manifests/types.js';
import { normalizeTags } from '../../kit/diff-tags.js';

/**
 * A namespace spec in comparable form (a new object; the input is not modified): empty
 * description = none, tags without `aws:*` and ownership tags, syncPolicy dropped (it is
 * configuration of ecs-gitops, not of the namespace).
 */
export function normalizeNamespaceSpec(spec: CloudMapNamespaceSpec): CloudMapNamespaceSpec {
  const out: CloudMapNamespaceSpec = { type: spec.type };
  if (spec.vpc !== undefined) out.vpc = spec.vpc;
  if (spec.description !== undefined && spec.description !== '') out.description = spec.description;
  if (spec.soaTtl !== undefined) out.soaTtl = spec.soaTtl;
  out.tags = normalizeTags(spec.tags);
  return out;
}

/** The fields the manifest declares (what diff compares). */
export function declaredNamespaceSpec(spec: CloudMapNamespaceSpec): Omit<CloudMapNamespaceSpec, 'syncPolicy'> {
  const { syncPolicy: _policy, ...rest } = spec;
  return rest;
}
