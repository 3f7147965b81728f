import type { DesiredOf } from '../../manifests/types.js';
import type { FieldChange, LiveNamespace } from '../../kit/types.js';
import { diffDeclared, type Classification } from '../../kit/diff-walk.js';
import type { PathSegment } from '../../util/json-pointer.js';
import { declaredNamespaceSpec, normalizeNamespaceSpec } from './normalize.js';

/** Cloud Map can update a namespace's description, SOA TTL and tags; type and VPC are fixed at create. */
function classify(segments: readonly PathSegment[]): Classification {
  switch (segments[1]) {
    case 'type':
      return { effect: 'replace', reason: 'namespace type cannot change in place' };
    case 'vpc':
      return { effect: 'replace', reason: 'the VPC of a private DNS namespace cannot change in place' };
    default:
      return { effect: 'in-place' };
  }
}

/** Changes between a declared namespace and the live one (ignore pointers not applied here). */
export function diffNamespace(desired: DesiredOf<'CloudMapNamespace'>, live: LiveNamespace): FieldChange[] {
  const spec = desired.manifest.spec;
  const have = normalizeNamespaceSpec(live.spec);
  // Observe learns the VPC from the hosted zone; when that read failed the VPC is unknown,
  // not changed, and must not be reported as a replacement.
  if (have.vpc === undefined && have.type === 'DNS_PRIVATE' && spec.vpc !== undefined) have.vpc = spec.vpc;
  return diffDeclared(declaredNamespaceSpec(spec), normalizeNamespaceSpec(spec), have, ['spec'], { classify, isAtomic: (s) => s[s.length - 1] === 'tags' });
}
