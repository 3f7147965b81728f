import { cloudMapServiceKey, ecsServiceKey, namespaceKey } from './keys.js';
import type { SourceFile } from '../sources/artifact.js';
import type { DiagnosticCode } from './codes.js';
import { closest, documentReporter, sortDiagnostics, type Reporter } from './diagnostics.js';
import { ECS_DISCOVERY_RULES, ECS_RULES } from './rules/ecs-rules.js';
import { ignorePointers } from './rules/ignore-pointers.js';
import { NAMESPACE_RULES } from './rules/namespace-rules.js';
import { resourceLabel, type ReferenceRule, type Rule } from './rules/rule.js';
import { SERVICE_NAMESPACE_RULES, SERVICE_RULES } from './rules/service-rules.js';
import { reportSchemaErrors } from './schema-errors.js';
import { validateAgainstSchema } from './schemas.js';
import {
  API_VERSION,
  KIND_ORDER,
  resolvePolicy,
  resourceKey,
  type CloudMapNamespaceManifest,
  type CloudMapServiceManifest,
  type DesiredResource,
  type Diagnostic,
  type EcsServiceManifest,
  type Manifest,
  type ManifestKind,
} from './types.js';
import { parseYamlFile, type ParsedDocument } from './yaml-document.js';

/** Documents whose apiVersion starts with this group are ecs-gitops manifests; all others are ignored. */
export const API_GROUP_PREFIX = 'ecs-gitops.io/';

/**
 * Files larger than this that name neither our API group nor one of our kinds are not parsed:
 * they cannot hold a manifest or cause a diagnostic, and YAML parsing of a big data file
 * (an OpenAPI spec, a CRD bundle) costs seconds. Such a file counts as one ignored document.
 */
export const UNPARSED_FOREIGN_FILE_CHARS = 1024 * 1024;

function mentionsOurs(content: string): boolean {
  return content.includes(API_GROUP_PREFIX) || KIND_ORDER.some((kind) => content.includes(kind));
}

/** The only logging the loader does: why a document was ignored (pino-compatible). */
export interface DebugLogger {
  debug(fields: Record<string, unknown>, message: string): void;
}

export interface LoadOptions {
  readonly logger?: DebugLogger;
}

/** What the loader makes of a source. */
export interface LoadResult {
  /** Valid resources (errors in one manifest hold back only it and what depends on it), in KIND_ORDER then key order. */
  readonly resources: DesiredResource[];
  /** Every problem found, errors and warnings, ordered by file, line and column. */
  readonly diagnostics: Diagnostic[];
  /** Documents that are not ecs-gitops manifests (other YAML in the repository). */
  readonly ignoredDocuments: number;
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

  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (file.refused) {
      // A file that counts but was not read: an error naming no resource, so no prune can run.
      const code: DiagnosticCode = file.refused.code;
      diagnostics.push({ severity: 'error', code, file: file.path, line: file.refused.line ?? 1, col: file.refused.col ?? 1, message: `the file ${file.refused.message}` });
      continue;
    }
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
    for (const doc of parsed.documents) {
      const candidate = classify(doc, diagnostics, ignore);
      if (candidate) candidates.push(candidate);
    }
  }

  for (const c of candidates) checkOwnRules(c);
  reportDuplicates(candidates);
  checkReferences(candidates);

  const resources: DesiredResource[] = [];
  for (const c of candidates) {
    diagnostics.push(...c.diagnostics);
    if (c.manifest && !hasErrors(c)) resources.push(toDesired(c.manifest, c.doc));
  }
  resources.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { resources, diagnostics: sortDiagnostics(diagnostics), ignoredDocuments };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function classify(doc: ParsedDocument, diagnostics: Diagnostic[], ignore: (f: Record<string, unknown>, reason: string) => void): Candidate | undefined {
  const where = { file: doc.file, document: doc.index, line: doc.start.line };
  if (reportNestedManifests(doc, diagnostics)) return undefined;
  if (!isRecord(doc.value)) {
    ignore(where, 'not a map');
    return undefined;
  }
  const value = doc.value;
  const apiVersion = str(value['apiVersion']);
  const kindValue = str(value['kind']);
  const knownKind = KIND_ORDER.find((k) => k === kindValue);
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
    const kinds = KIND_ORDER.join(', ');
    const written = Object.hasOwn(value, 'kind');
    const hint = kindValue === undefined ? '' : closest(kindValue, KIND_ORDER);
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
  return { kind: knownKind, doc, resource, key: bestEffortKey(knownKind, value, name), reporter: documentReporter(doc, resource, own), diagnostics: own };
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
  const spec = isRecord(value['spec']) ? value['spec'] : {};
  switch (kind) {
    case 'CloudMapNamespace':
      return namespaceKey(name);
    case 'CloudMapService': {
      const ns = str(spec['namespace']);
      return ns === undefined ? undefined : cloudMapServiceKey(ns, name);
    }
    case 'EcsService': {
      const cluster = spec['cluster'] === undefined ? 'default' : str(spec['cluster']);
      return cluster === undefined ? undefined : ecsServiceKey(cluster, name);
    }
  }
}

function hasErrors(c: Candidate): boolean {
  return c.diagnostics.some((d) => d.severity === 'error');
}

function runRules<M>(rules: readonly Rule<M>[], m: M, r: Reporter): void {
  for (const rule of rules) rule(m, r);
}

function checkOwnRules(c: Candidate): void {
  const errors = validateAgainstSchema(c.kind, c.doc.value);
  if (errors.length > 0) {
    reportSchemaErrors(errors, c.reporter);
    return;
  }
  const m = c.doc.value as Manifest;
  c.manifest = m;
  switch (m.kind) {
    case 'CloudMapNamespace':
      runRules(NAMESPACE_RULES, m, c.reporter);
      break;
    case 'CloudMapService':
      runRules(SERVICE_RULES, m, c.reporter);
      break;
    case 'EcsService':
      runRules(ECS_RULES, m, c.reporter);
      break;
  }
  ignorePointers(m, c.reporter);
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

function checkReferences(candidates: readonly Candidate[]): void {
  const byKey = new Map<string, Candidate>();
  for (const c of candidates) if (c.key !== undefined && !byKey.has(c.key)) byKey.set(c.key, c);
  // Hints for missing references come from these, built once (not once per broken reference).
  const namespaceNames = candidates.flatMap((c) => (c.kind === 'CloudMapNamespace' && c.key ? [c.key.slice('CloudMapNamespace/'.length)] : []));
  const serviceKeysByName = new Map<string, string[]>();
  for (const c of candidates) {
    if (c.kind !== 'CloudMapService' || !c.key) continue;
    const name = c.key.slice(c.key.lastIndexOf('/') + 1);
    const keys = serviceKeysByName.get(name);
    if (keys) keys.push(c.key);
    else serviceKeysByName.set(name, [c.key]);
  }
  const guesses = new Map<string, string | undefined>();
  const guessNamespace = (name: string): string | undefined => {
    if (!guesses.has(name)) guesses.set(name, closest(name, namespaceNames));
    return guesses.get(name);
  };

  // Namespaces first, then Cloud Map services, then ECS services: validity flows along references.
  for (const c of candidates) {
    const m = c.manifest;
    if (m?.kind !== 'CloudMapService') continue;
    const target = byKey.get(namespaceKey(m.spec.namespace));
    if (!target) {
      const guess = guessNamespace(m.spec.namespace);
      c.reporter.report(
        'EGO_NAMESPACE_NOT_FOUND',
        ['spec', 'namespace'],
        `namespace "${m.spec.namespace}" not found: no CloudMapNamespace/${m.spec.namespace} in the source${guess ? `; did you mean "${guess}"?` : ''}`,
        { target: 'value' },
      );
    } else if (dependencyUsable(c, target, ['spec', 'namespace'])) {
      runReferenceRules(SERVICE_NAMESPACE_RULES, m, target.manifest as CloudMapNamespaceManifest, c.reporter);
    }
  }
  for (const c of candidates) {
    const m = c.manifest;
    if (m?.kind !== 'EcsService' || !m.spec.discovery) continue;
    const { service, namespace } = m.spec.discovery;
    const key = cloudMapServiceKey(namespace, service);
    const target = byKey.get(key);
    if (!target) {
      const elsewhere = serviceKeysByName.get(service) ?? [];
      const hint = elsewhere.length > 0 ? ` (found ${elsewhere.join(', ')})` : '';
      c.reporter.report('EGO_DISCOVERY_SERVICE_NOT_FOUND', ['spec', 'discovery', 'service'], `Cloud Map service not found: no ${key} in the source${hint}`, {
        target: 'value',
      });
    } else if (dependencyUsable(c, target, ['spec', 'discovery', 'service'])) {
      runReferenceRules(ECS_DISCOVERY_RULES, m, target.manifest as CloudMapServiceManifest, c.reporter);
    }
  }
}

function runReferenceRules<M, R>(rules: readonly ReferenceRule<M, R>[], m: M, referenced: R, r: Reporter): void {
  for (const rule of rules) rule(m, referenced, r);
}

/** A dependency that is itself invalid holds its dependents back, with a diagnostic saying why. */
function dependencyUsable(c: Candidate, target: Candidate, path: readonly string[]): boolean {
  if (target.manifest && !hasErrors(target)) return true;
  c.reporter.report('EGO_DEPENDENCY_INVALID', path, `held back: depends on ${target.key ?? target.resource ?? 'a resource'} (${target.doc.file}:${target.doc.start.line}), which is invalid`, {
    target: 'value',
  });
  return false;
}

function toDesired(m: Manifest, doc: ParsedDocument): DesiredResource {
  const base = { key: resourceKey(m), name: m.metadata.name, policy: resolvePolicy(m.spec.syncPolicy), source: { file: doc.file, line: doc.start.line, col: doc.start.col } };
  switch (m.kind) {
    case 'CloudMapNamespace':
      return { ...base, kind: m.kind, manifest: m };
    case 'CloudMapService':
      return { ...base, kind: m.kind, manifest: m };
    case 'EcsService':
      return { ...base, kind: m.kind, manifest: m as EcsServiceManifest };
  }
}
