/**
 * What import needs of each kind: the live spec as a manifest would write it, and the
 * normalizer the kind's diff compares with. The minimizer (minimize.ts) does the rest.
 */
import { normalizeNamespaceSpec } from '../kinds/cloudmap-namespace/normalize.js';
import { normalizeCloudMapServiceSpec } from '../kinds/cloudmap-service/normalize.js';
import { normalizeEcsServiceSpec } from '../kinds/ecs-service/normalize.js';
import type { LiveResource } from '../kit/types.js';
import { validateAgainstSchema } from '../manifests/schemas.js';
import { API_VERSION, type Manifest, type ManifestKind } from '../manifests/types.js';
import { minimize, sameNormalized } from './minimize.js';

type Spec = Record<string, unknown>;

interface ImportKind {
  /** The live spec as a manifest writes it (e.g. the inline task definition, not its ARN). */
  readonly fromLive: (live: LiveResource) => Spec;
  readonly normalize: (spec: Spec) => unknown;
}

// The normalizers take their kind's spec type; the minimizer hands them that shape with members removed.
const IMPORT_KINDS: Readonly<Record<ManifestKind, ImportKind>> = {
  CloudMapNamespace: {
    fromLive: (live) => ({ ...live.spec }),
    normalize: (spec) => normalizeNamespaceSpec(spec as unknown as Parameters<typeof normalizeNamespaceSpec>[0]),
  },
  CloudMapService: {
    fromLive: (live) => ({ ...live.spec }),
    normalize: (spec) => normalizeCloudMapServiceSpec(spec as unknown as Parameters<typeof normalizeCloudMapServiceSpec>[0]),
  },
  EcsService: {
    // The inline task definition is written out; the ARN it came from is not (a reference
    // would pin the revision instead of managing it).
    fromLive: (live) => {
      const spec: Spec = { ...live.spec };
      if (spec['taskDefinition'] !== undefined) delete spec['taskDefinitionRef'];
      return spec;
    },
    // Literal: a task definition setting equal to what ECS assumes (operatingSystemFamily LINUX,
    // readOnly false) is reported only because it was asked for; dropping it would change the
    // revision a later apply registers.
    normalize: (spec) => normalizeEcsServiceSpec(spec as unknown as Parameters<typeof normalizeEcsServiceSpec>[0], undefined, true),
  },
};

/** Tags last (after the settings), in the spec and in an inline task definition. */
function tagsLast(spec: Spec): Spec {
  const { tags, ...rest } = spec;
  const td = rest['taskDefinition'];
  if (td !== null && typeof td === 'object' && !Array.isArray(td)) rest['taskDefinition'] = tagsLast(td as Spec);
  return tags === undefined ? rest : { ...rest, tags };
}

function manifestOf(kind: ManifestKind, name: string, spec: Spec): Manifest {
  return { apiVersion: API_VERSION, kind, metadata: { name }, spec } as unknown as Manifest;
}

/**
 * The minimal manifest of a live resource: its live spec with every member dropped whose
 * removal leaves the kind's normalized form (AWS defaults filled in) unchanged and the
 * document valid against its schema, then `syncPolicy: { adopt: true }` so the first apply
 * takes it over by adding the ownership tags only.
 */
export function importManifest(live: LiveResource): Manifest {
  const k = IMPORT_KINDS[live.kind];
  const valid = (spec: Spec): boolean => validateAgainstSchema(live.kind, manifestOf(live.kind, live.name, spec)).length === 0;
  const spec = minimize(k.fromLive(live), sameNormalized(k.fromLive(live), k.normalize, valid));
  return manifestOf(live.kind, live.name, { ...tagsLast(spec), syncPolicy: { adopt: true } });
}
