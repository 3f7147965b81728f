/**
 * From a source artifact to the desired set the controller works on: manifests loaded and
 * validated, the default sync mode applied, and the manifests that are invalid in this
 * revision collected (they block only themselves and their dependents, and are never pruned).
 */
import { loadManifests, type DebugLogger, type LoadResult } from '../reconcile/load.js';
import { KIND_ORDER, type DesiredResource, type Diagnostic, type ManifestKind } from '../manifests/types.js';
import type { Artifact } from '../sources/artifact.js';
import type { ExternalValues } from '../manifests/overlay/values.js';

/** A manifest the loader held back in this revision (schema or rule error, or an invalid dependency). */
export interface InvalidManifest {
  readonly kind: ManifestKind;
  readonly name: string;
  /** `file:line: message [CODE]` of each error, in source order. */
  readonly problems: readonly string[];
}

/** The desired state of one source revision. */
export interface DesiredState {
  readonly url: string;
  readonly revision: string;
  /** Valid resources, with the controller's default mode where the manifest sets none. */
  readonly desired: readonly DesiredResource[];
  /** Invalid manifests by `Kind/name`. */
  readonly invalid: ReadonlyMap<string, InvalidManifest>;
  /**
   * Errors that name no resource (a YAML syntax error in a file, an unknown kind): the
   * resources of that file cannot be told apart from removed ones, so no prune may run.
   */
  readonly unattributedErrors: readonly Diagnostic[];
  readonly diagnostics: readonly Diagnostic[];
}

function formatProblem(d: Diagnostic): string {
  return `${d.file}:${d.line}: ${d.field ? `${d.field}: ` : ''}${d.message} [${d.code}]`;
}

/** `Kind/name` -> kind and name, when the kind is a manifest kind. */
function parseResourceLabel(label: string): { kind: ManifestKind; name: string } | undefined {
  const slash = label.indexOf('/');
  if (slash <= 0) return undefined;
  const kind = KIND_ORDER.find((k) => k === label.slice(0, slash));
  return kind ? { kind, name: label.slice(slash + 1) } : undefined;
}

/** Applies the controller's default mode to resources whose manifest declares no mode. */
export function withDefaultMode(desired: readonly DesiredResource[], mode: 'enforce' | 'observe'): DesiredResource[] {
  return desired.map((d) =>
    d.manifest.spec.syncPolicy?.mode !== undefined || d.policy.mode === mode ? d : ({ ...d, policy: { ...d.policy, mode } } as DesiredResource),
  );
}

/**
 * Loads and validates an artifact's manifests. Pure apart from debug logging. Overlay values
 * read outside the source come in `values` (a value not there is an error that holds back the
 * resources using it: the controller never applies a placeholder); `revision` is then the
 * artifact's revision with the values digest (overlay-values.ts).
 *
 * `controllerId`, the controller's own: a revision whose Overlay names another one is refused
 * whole (no desired resource, an error naming no resource, so nothing is applied or pruned).
 */
export function loadDesiredState(
  artifact: Artifact,
  defaultMode: 'enforce' | 'observe',
  logger?: DebugLogger,
  values?: { readonly values: ExternalValues; readonly revision: string },
  controllerId?: string,
): DesiredState {
  const loaded = loadManifests(artifact.files, { ...(logger ? { logger } : {}), values: values?.values ?? new Map() });
  return desiredStateOf(artifact, loaded, defaultMode, values?.revision, controllerId);
}

/**
 * The desired state of manifests already loaded from `artifact` (loadDesiredState without the
 * load): `revision` is the artifact's own unless Overlay values were rendered into it.
 */
export function desiredStateOf(
  artifact: Artifact,
  loaded: LoadResult,
  defaultMode: 'enforce' | 'observe',
  revision = artifact.revision,
  controllerId?: string,
): DesiredState {
  const named = loaded.overlays?.controllerId;
  if (controllerId !== undefined && named !== undefined && named.id !== controllerId) {
    const refused: Diagnostic = {
      severity: 'error',
      code: 'EGO_OVERLAY',
      file: named.file,
      line: named.line,
      col: named.col,
      field: 'spec.controllerId',
      message:
        `the Overlay is for controller id "${named.id}", this controller's id is "${controllerId}": the revision is refused, nothing is applied or pruned ` +
        `(run one controller per environment with --controller-id ${named.id})`,
    };
    return {
      url: artifact.url,
      revision,
      desired: [],
      invalid: new Map(),
      unattributedErrors: [refused],
      diagnostics: [...loaded.diagnostics, refused],
    };
  }
  const invalid = new Map<string, { kind: ManifestKind; name: string; problems: string[] }>();
  const unattributed: Diagnostic[] = [];
  for (const d of loaded.diagnostics) {
    if (d.severity !== 'error') continue;
    const ref = d.resource !== undefined ? parseResourceLabel(d.resource) : undefined;
    if (!ref || d.resource === undefined) {
      unattributed.push(d);
      continue;
    }
    const entry = invalid.get(d.resource) ?? { ...ref, problems: [] };
    entry.problems.push(formatProblem(d));
    invalid.set(d.resource, entry);
  }
  return {
    url: artifact.url,
    revision,
    desired: withDefaultMode(loaded.resources, defaultMode),
    invalid,
    unattributedErrors: unattributed,
    diagnostics: loaded.diagnostics,
  };
}
