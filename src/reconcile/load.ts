import { KINDS } from '../kinds/registry.js';
import type { ReferenceContext } from '../kit/kind-module.js';
import type { SourceFile } from '../sources/artifact.js';
import type { DiagnosticCode } from '../manifests/codes.js';
import { closest, documentReporter, formatFieldPath, sortDiagnostics, type Reporter } from '../manifests/diagnostics.js';
import { ignorePointers } from '../manifests/rules/ignore-pointers.js';
import { resourceLabel } from '../manifests/rules/rule.js';
import { pointerToPath, reportSchemaErrors } from '../manifests/schema-errors.js';
import { validateAgainstSchema } from '../manifests/schemas.js';
import { API_VERSION, resolvePolicy, type DesiredResource, type Diagnostic, type Manifest, type ManifestKind } from '../manifests/types.js';
import { composeDocuments, type OverlayControllerId } from '../manifests/overlay/compose.js';
import type { ExternalValueRef, ExternalValues } from '../manifests/overlay/values.js';
import { parseYamlFile, type DocPath, type ParsedDocument } from '../manifests/yaml-document.js';
import { checkAwsLimits } from '../reconcile/aws-limits.js';
import { SubtreePool } from '../util/compact.js';

/** Documents whose apiVersion starts with this group are ecs-gitops manifests; all others are ignored. */
export const API_GROUP_PREFIX = 'ecs-gitops.io/';

/**
 * Files larger than this that name neither our API group nor one of our kinds are not parsed:
 * they cannot hold a manifest or cause a diagnostic, and YAML parsing of a big data file
 * (an OpenAPI spec, a CRD bundle) costs seconds. Such a file counts as one ignored document.
 */
export const UNPARSED_FOREIGN_FILE_CHARS = 1024 * 1024;

function mentionsOurs(content: string): boolean {
  return content.includes(API_GROUP_PREFIX) || KINDS.order.some((kind) => content.includes(kind));
}

/** The only logging the loader does: why a document was ignored (pino-compatible). */
export interface DebugLogger {
  debug(fields: Record<string, unknown>, message: string): void;
}

export interface LoadOptions {
  readonly logger?: DebugLogger;
  /**
   * The directory the source points at, relative to the file paths (default: their root).
   * Files outside it are read only as an Overlay's bases (docs/environments.md).
   */
  readonly entry?: string;
  /**
   * External Overlay values (environment, SSM, CloudFormation exports, Terraform state),
   * resolved by the caller (`resolveOverlayValues`). Absent: they are not read, and the
   * fields that use them are not checked (validate reads nothing outside the source).
   */
  readonly values?: ExternalValues;
}

/** What the loader makes of a source. */
export interface LoadResult {
  /** Valid resources (errors in one manifest hold back only it and what depends on it), in KIND_ORDER then key order. */
  readonly resources: DesiredResource[];
  /** Every problem found, errors and warnings, ordered by file, line and column. */
  readonly diagnostics: Diagnostic[];
  /** Documents that are not ecs-gitops manifests (other YAML in the repository). */
  readonly ignoredDocuments: number;
  /**
   * Set when the source holds Overlays: the ones below the entry that were not rendered, the
   * external values rendering used, and the controller id the entry Overlay names.
   */
  readonly overlays?: { readonly skipped: readonly string[]; readonly externalRefs: readonly ExternalValueRef[]; readonly controllerId?: OverlayControllerId };
}

/** One ecs-gitops document on its way through validation. */
interface Candidate {
  readonly kind: ManifestKind;
  readonly doc: ParsedDocument;
  readonly resource: string | undefined;
  /** Identity as far as it can be read, even from an invalid document (for duplicates and dependents). */
  readonly key: string | undefined;
  readonly reporter: Reporter;
  readonly diagnostics: Diagnostic[];
  /** True for a field whose Overlay value was not read (validate): its problems are not reported. */
  readonly unchecked: (path: DocPath) => boolean;
  /** Set when the document matches its schema. */
  manifest?: Manifest;
}

/**
 * Parses and validates manifests from any source. The rule for which documents count: a YAML
 * document (a map) whose `apiVersion` starts with `ecs-gitops.io/`. Everything else is other
 * YAML and ignored (logged at debug), except a document whose `kind` is one of ours and whose
 * apiVersion is a near-miss of ours, which is an error so that a typo never makes a resource
 * silently disappear (and get pruned). YAML syntax errors are reported only for files that
 * mention `ecs-gitops.io/`.
 */
export function loadManifests(files: readonly SourceFile[], options: LoadOptions = {}): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const candidates: Candidate[] = [];
  let ignoredDocuments = 0;
  const ignore = (fields: Record<string, unknown>, reason: string): void => {
    ignoredDocuments++;
    options.logger?.debug(fields, `ignored document: ${reason}`);
  };

  const docs: ParsedDocument[] = [];
  // The desired state lives as long as its revision: compact, with equal subtrees shared. Each
  // document is compacted as soon as it is parsed, so a source of 10,000 manifests is never
  // held as the parser's plain objects all at once (about 2 KB each, ~10x the compact copy),
  // and its strings are its own, not views that would keep the files' text alive.
  const pool = new SubtreePool({ ownStrings: true });
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (file.refused) {
      // A file that counts but was not read: an error naming no resource, so no prune can run.
      const code: DiagnosticCode = file.refused.code;
      diagnostics.push({
        severity: 'error',
        code,
        file: file.path,
        line: file.refused.line ?? 1,
        col: file.refused.col ?? 1,
        message: `the file ${file.refused.message}`,
      });
      continue;
    }
    // A file an Overlay reads as a value (a tag in version.txt) is text, not YAML.
    if (!/\.ya?ml$/i.test(file.path)) continue;
    if (file.content.length > UNPARSED_FOREIGN_FILE_CHARS && !mentionsOurs(file.content)) {
      ignore({ file: file.path, chars: file.content.length }, 'large file that names no ecs-gitops kind or API group: not parsed');
      continue;
    }
    const parsed = parseYamlFile(file);
    const brokenDocs = new Set<number>();
    for (const err of parsed.errors) {
      if (err.mentionsApiGroup) {
        diagnostics.push({ severity: 'error', code: 'EGO_YAML_SYNTAX', file: file.path, line: err.line, col: err.col, message: err.message });
      } else if (!brokenDocs.has(err.documentIndex)) {
        ignore({ file: file.path, document: err.documentIndex }, 'not valid YAML and not an ecs-gitops manifest');
      }
      brokenDocs.add(err.documentIndex);
    }
    for (const doc of parsed.documents) docs.push({ ...doc, value: pool.shareFields(doc.value) });
  }
  const texts = new Map(files.filter((f) => !f.refused).map((f) => [f.path, f.content]));
  const composed = composeDocuments(
    docs,
    files.map((f) => f.path),
    {
      ...(options.entry !== undefined ? { entry: options.entry } : {}),
      ...(options.values ? { external: options.values } : {}),
      fileText: (p) => texts.get(p),
    },
  );
  diagnostics.push(...composed.diagnostics);
  for (const { doc, unresolved } of composed.documents) {
    const candidate = classify(doc, diagnostics, ignore, unresolved);
    if (candidate) candidates.push(candidate);
  }
  const overlays = composed.hasOverlays
    ? {
        skipped: composed.skippedOverlays,
        externalRefs: composed.externalRefs,
        ...(composed.controllerId ? { controllerId: composed.controllerId } : {}),
      }
    : undefined;

  for (const c of candidates) checkOwnRules(c);
  reportDuplicates(candidates);
  checkReferences(candidates);

  const resources: DesiredResource[] = [];
  for (const c of candidates) {
    diagnostics.push(...c.diagnostics);
    if (c.manifest && !hasErrors(c)) resources.push(toDesired(c.manifest, c.doc, pool));
  }
  resources.sort((a, b) => KINDS.rank(a.kind) - KINDS.rank(b.kind) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { resources, diagnostics: sortDiagnostics(diagnostics), ignoredDocuments, ...(overlays ? { overlays } : {}) };
}

/** Whether a path is (under) a field whose placeholder was not resolved (validate does not read AWS). */
function uncheckedFields(unresolved: readonly DocPath[]): (path: DocPath) => boolean {
  if (unresolved.length === 0) return () => false;
  const fields = unresolved.map((p) => formatFieldPath(p));
  return (path) => {
    const f = formatFieldPath(path);
    return fields.some((u) => f === u || f.startsWith(`${u}.`) || f.startsWith(`${u}[`));
  };
}

/** A reporter that drops problems in unchecked fields. */
function skipping(reporter: Reporter, unchecked: (path: DocPath) => boolean): Reporter {
  return { report: (code, path, message, opts) => (unchecked(path) ? undefined : reporter.report(code, path, message, opts)) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function classify(
  doc: ParsedDocument,
  diagnostics: Diagnostic[],
  ignore: (f: Record<string, unknown>, reason: string) => void,
  unresolved: readonly DocPath[] = [],
): Candidate | undefined {
  const where = { file: doc.file, document: doc.index, line: doc.start.line };
  if (reportNestedManifests(doc, diagnostics)) return undefined;
  if (!isRecord(doc.value)) {
    ignore(where, 'not a map');
    return undefined;
  }
  const value = doc.value;
  const apiVersion = str(value['apiVersion']);
  const kindValue = str(value['kind']);
  const knownKind = kindValue !== undefined && KINDS.has(kindValue) ? (kindValue as ManifestKind) : undefined;
  const name = isRecord(value['metadata']) ? str(value['metadata']['name']) : undefined;
  const resource = knownKind && name !== undefined ? resourceLabel(knownKind, name) : undefined;
  const reporter = documentReporter(doc, resource, diagnostics);

  if (apiVersion === undefined || !apiVersion.startsWith(API_GROUP_PREFIX)) {
    if (knownKind && !Object.hasOwn(value, 'apiVersion')) {
      reporter.report('EGO_API_VERSION', [], `missing "apiVersion: ${API_VERSION}" (without it this ${knownKind} would be ignored)`, { field: ['apiVersion'] });
      return undefined;
    }
    // Another group's kind may share a name with ours; a near miss or a bare version is ours.
    if (knownKind && (apiVersion === undefined || !apiVersion.includes('/') || closest(apiVersion, [API_VERSION]) !== undefined)) {
      const written = apiVersion === undefined ? String(value['apiVersion']) : apiVersion;
      reporter.report('EGO_API_VERSION', ['apiVersion'], `apiVersion "${written}" is not ${API_VERSION} (a typo would make this ${knownKind} invisible)`, {
        target: 'value',
      });
      return undefined;
    }
    ignore({ ...where, apiVersion }, 'apiVersion is not in the ecs-gitops.io group');
    return undefined;
  }
  if (apiVersion !== API_VERSION) {
    reporter.report('EGO_API_VERSION', ['apiVersion'], `unsupported apiVersion "${apiVersion}" (this release reads ${API_VERSION})`, { target: 'value' });
    return undefined;
  }
  if (!knownKind) {
    const kinds = KINDS.order.join(', ');
    const written = Object.hasOwn(value, 'kind');
    const hint = kindValue === undefined ? '' : closest(kindValue, KINDS.order);
    const message =
      kindValue !== undefined
        ? `unknown kind "${kindValue}" (one of ${kinds})${hint ? `; did you mean "${hint}"?` : ''}`
        : written
          ? `"kind" must be one of ${kinds} (got ${Array.isArray(value['kind']) ? 'a list' : isRecord(value['kind']) ? 'a map' : String(value['kind'])})`
          : `missing "kind" (one of ${kinds})`;
    reporter.report('EGO_UNKNOWN_KIND', written ? ['kind'] : [], message, { target: 'value', field: ['kind'] });
    return undefined;
  }
  const own: Diagnostic[] = [];
  const unchecked = uncheckedFields(unresolved);
  return {
    kind: knownKind,
    doc,
    resource,
    key: bestEffortKey(knownKind, value, name),
    reporter: skipping(documentReporter(doc, resource, own), unchecked),
    diagnostics: own,
    unchecked,
  };
}

/**
 * Manifests of ours inside a list document (or a Kubernetes `List`'s items) would otherwise be
 * ignored, and the resources they describe pruned: reports them and says how to fix it.
 */
function reportNestedManifests(doc: ParsedDocument, diagnostics: Diagnostic[]): boolean {
  const value = doc.value;
  const base: string[] = Array.isArray(value) ? [] : ['items'];
  const items: unknown = Array.isArray(value) ? value : isRecord(value) ? value['items'] : undefined;
  if (!Array.isArray(items)) return false;
  const ours = items.flatMap((item: unknown, i) => (isRecord(item) && str(item['apiVersion'])?.startsWith(API_GROUP_PREFIX) ? [i] : []));
  const first = ours[0];
  if (first === undefined) return false;
  const where = base.length === 0 ? 'in a list' : 'in the items of a list';
  const count = ours.length === 1 ? '1 ecs-gitops manifest' : `${ours.length} ecs-gitops manifests`;
  documentReporter(doc, undefined, diagnostics).report(
    'EGO_NESTED_MANIFEST',
    [...base, first],
    `${count} ${where} ${ours.length === 1 ? 'is' : 'are'} not read: give each its own document, separated by ---`,
    { target: 'value' },
  );
  return true;
}

function bestEffortKey(kind: ManifestKind, value: Record<string, unknown>, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  return KINDS.get(kind).keyOfDocument(name, isRecord(value['spec']) ? value['spec'] : {});
}

function hasErrors(c: Candidate): boolean {
  return c.diagnostics.some((d) => d.severity === 'error');
}

function checkOwnRules(c: Candidate): void {
  const errors = validateAgainstSchema(c.kind, c.doc.value).filter((e) => !c.unchecked(pointerToPath(e.instancePath)));
  if (errors.length > 0) {
    reportSchemaErrors(errors, c.reporter);
    return;
  }
  const m = c.doc.value as Manifest;
  c.manifest = m;
  KINDS.get(m.kind).checkRules(m, c.reporter);
  ignorePointers(m, c.reporter);
  checkAwsLimits(m, c.reporter);
}

/** How many other places a duplicate's message lists; a copied manifest must not make the output quadratic. */
const MAX_LISTED_DUPLICATES = 5;

function reportDuplicates(candidates: readonly Candidate[]): void {
  const byKey = new Map<string, Candidate[]>();
  for (const c of candidates) {
    if (c.key === undefined) continue;
    const group = byKey.get(c.key);
    if (group) group.push(c);
    else byKey.set(c.key, [c]);
  }
  for (const [key, group] of byKey) {
    if (group.length < 2) continue;
    // The other definition is named by the line of its name, where its own diagnostic points.
    const places = group.map((o) => `${o.doc.file}:${o.doc.locate(['metadata', 'name'], 'value').line}`);
    group.forEach((c, i) => {
      const others = places.filter((_, j) => j !== i).slice(0, MAX_LISTED_DUPLICATES);
      const more = group.length - 1 - others.length;
      const list = `${others.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
      c.reporter.report('EGO_DUPLICATE_RESOURCE', ['metadata', 'name'], `${key} is also defined at ${list}; identities must be unique`, { target: 'value' });
    });
  }
}

/** Each kind checks its references in registry order: validity flows along references. */
function checkReferences(candidates: readonly Candidate[]): void {
  const byKey = new Map<string, Candidate>();
  for (const c of candidates) if (c.key !== undefined && !byKey.has(c.key)) byKey.set(c.key, c);
  const ctx: ReferenceContext = {
    documents: candidates,
    find: (key) => byKey.get(key),
    usable: (doc, target, path) => dependencyUsable(doc as Candidate, target as Candidate, path),
  };
  for (const kind of KINDS.modules) {
    if (!kind.checkReferences) continue;
    kind.checkReferences(
      candidates.filter((c) => c.kind === kind.kind),
      ctx,
    );
  }
}

/** A dependency that is itself invalid holds its dependents back, with a diagnostic saying why. */
function dependencyUsable(c: Candidate, target: Candidate, path: readonly string[]): boolean {
  if (target.manifest && !hasErrors(target)) return true;
  c.reporter.report(
    'EGO_DEPENDENCY_INVALID',
    path,
    `held back: depends on ${target.key ?? target.resource ?? 'a resource'} (${target.doc.file}:${target.doc.start.line}), which is invalid`,
    {
      target: 'value',
    },
  );
  return false;
}

function toDesired(m: Manifest, doc: ParsedDocument, pool: SubtreePool): DesiredResource {
  const key = KINDS.get(m.kind).keyOf(m);
  const manifest = pool.shareFields(m);
  // The manifest matched its kind's schema: kind and manifest agree.
  return {
    kind: manifest.kind,
    key,
    name: manifest.metadata.name,
    manifest,
    policy: pool.share(resolvePolicy(m.spec.syncPolicy)),
    source: { file: doc.file, line: doc.start.line, col: doc.start.col },
  } as DesiredResource;
}
