/**
 * Renders the Overlays of a source into plain manifest documents (docs/environments.md).
 *
 * Which documents come out:
 * - The entry directory (the directory the source points at) holds an Overlay: its
 *   rendering, i.e. its bases' renderings plus the manifests of its own directory tree, with
 *   its patches, images and common tags applied, then every `${name}` substituted.
 * - Otherwise the manifests of the tree as they are, except directories that hold an Overlay
 *   (an environment is rendered only when the source points at it, or when an overlay names
 *   it as a base) and directories some overlay names as a base.
 *
 * Pure: external values are resolved before and passed in. Every problem is a diagnostic
 * with a file and line: the overlay's, and the base resource's where one is involved.
 */
import { posix } from 'node:path';
import { documentReporter, type Reporter } from '../diagnostics.js';
import { resourceLabel } from '../rules/rule.js';
import { reportSchemaErrors } from '../schema-errors.js';
import { validateOverlay } from '../schemas.js';
import { API_VERSION, type Diagnostic, type ManifestKind } from '../types.js';
import type { DocPath, ParsedDocument } from '../yaml-document.js';
import { composedDocument, type Override } from './composed-document.js';
import { changeImage, type ImageChange } from './images.js';
import { applyJsonPatch, JsonPatchError, type JsonPatchOperation } from './json-patch.js';
import { docPathOf, isObject, parsePointer } from './json-pointer.js';
import { applyMergePatch, mergePatchPaths } from './merge-patch.js';
import { substitute, type ValueLookup } from './substitute.js';
import { describeDeclaration, externalRef, type ExternalValueRef, type ExternalValues, type ValueDeclaration } from './values.js';

export const OVERLAY_KIND = 'Overlay';
const GROUP = 'ecs-gitops.io/';

interface OverlaySpec {
  readonly controllerId?: string;
  readonly bases?: readonly string[];
  readonly patches?: readonly { target: { kind: ManifestKind; name: string }; merge?: Record<string, unknown>; json?: JsonPatchOperation[] }[];
  readonly images?: readonly ImageChange[];
  readonly commonTags?: Readonly<Record<string, string>>;
  readonly values?: Readonly<Record<string, ValueDeclaration>>;
}

/** A valid Overlay document and the directory it renders. */
interface Overlay {
  readonly doc: ParsedDocument;
  readonly dir: string;
  readonly label: string;
  readonly spec: OverlaySpec;
  readonly reporter: Reporter;
  /** Resolved base directories, with the index of each in spec.bases (invalid ones left out). */
  bases: { dir: string; index: number }[];
}

/** A manifest on its way through the overlays. */
interface Item {
  readonly origin: ParsedDocument;
  value: unknown;
  readonly overrides: Override[];
}

/** A declared value and the overlay that declares it. */
interface Declared {
  readonly decl: ValueDeclaration;
  readonly overlay: Overlay;
  readonly name: string;
}

export interface ComposeOptions {
  /** The directory the source points at, relative to the file paths ('' = their root). */
  readonly entry?: string;
  /** External values resolved by the caller; absent = not read (validate): fields using them are not checked. */
  readonly external?: ExternalValues;
  /** Text of a source file by path (for `file:` values). */
  readonly fileText?: (path: string) => string | undefined;
}

export interface RenderedDocument {
  readonly doc: ParsedDocument;
  /** Fields holding a placeholder whose value was not read (validate): not checked. */
  readonly unresolved: readonly DocPath[];
}

export interface ComposeResult {
  /** False when the source holds no Overlay (the documents come back as they are). */
  readonly hasOverlays: boolean;
  readonly documents: readonly RenderedDocument[];
  readonly diagnostics: readonly Diagnostic[];
  /** Overlay files below the entry that were not rendered (an environment is rendered when the source points at it). */
  readonly skippedOverlays: readonly string[];
  /** The external values the rendered overlays declare (what the caller must resolve). */
  readonly externalRefs: readonly ExternalValueRef[];
  /** The entry Overlay's `spec.controllerId` and where it is written (a base Overlay's never counts). */
  readonly controllerId?: OverlayControllerId;
}

/** A controller id an Overlay names, and the file and line of its `spec.controllerId`. */
export interface OverlayControllerId {
  readonly id: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** True when a document is an Overlay of our API group (any version: a wrong one is reported). */
/**
 * False when no file can hold an Overlay (none names the kind at all), so callers can skip
 * rendering work: a cheap text search, never a parse. True does not mean there is one.
 */
export function mayHoldOverlays(files: readonly { readonly content: string; readonly refused?: unknown }[]): boolean {
  return files.some((f) => !f.refused && f.content.includes(OVERLAY_KIND));
}

export function isOverlayDocument(value: unknown): boolean {
  return isObject(value) && value['kind'] === OVERLAY_KIND && typeof value['apiVersion'] === 'string' && value['apiVersion'].startsWith(GROUP);
}

function normalizeDir(dir: string): string {
  const n = posix.normalize(dir.replace(/\\/g, '/')).replace(/\/+$/, '');
  return n === '.' ? '' : n;
}

/** True when `path` (a file or directory) is `dir` or inside it; '' is the entry root (not `../`). */
function isUnder(path: string, dir: string): boolean {
  if (dir === '') return path !== '..' && !path.startsWith('../');
  return path === dir || path.startsWith(`${dir}/`);
}

function dirOf(file: string): string {
  return normalizeDir(posix.dirname(file));
}

/**
 * Renders the documents of a source. Without any Overlay document the documents come back
 * as they are (and nothing else is done).
 */
export function composeDocuments(docs: readonly ParsedDocument[], filePaths: readonly string[], options: ComposeOptions = {}): ComposeResult {
  const diagnostics: Diagnostic[] = [];
  if (!docs.some((d) => isOverlayDocument(d.value))) {
    return { hasOverlays: false, documents: docs.map((doc) => ({ doc, unresolved: [] })), diagnostics, skippedOverlays: [], externalRefs: [] };
  }
  const entry = normalizeDir(options.entry ?? '');
  const overlays = readOverlays(docs, diagnostics);
  const files = filePaths.map((f) => posix.normalize(f));
  const allOverlayDirs = new Set(docs.filter((d) => isOverlayDocument(d.value)).map((d) => dirOf(d.file)));
  for (const overlay of overlays.values()) resolveBases(overlay, files);
  const baseDirs = new Set([...overlays.values()].flatMap((o) => o.bases.map((b) => b.dir)));
  const consumed = [...allOverlayDirs, ...baseDirs];
  const plainDocs = docs.filter((d) => !isOverlayDocument(d.value));

  /** Documents of a tree that are not in a nested overlay directory (below `dir`) or in `excluded`. */
  const treeDocs = (dir: string, excluded: readonly string[]): ParsedDocument[] =>
    plainDocs.filter(
      (d) =>
        isUnder(d.file, dir) &&
        ![...allOverlayDirs].some((o) => o !== dir && isUnder(o, dir) && isUnder(d.file, o)) &&
        !excluded.some((e) => isUnder(d.file, e)),
    );

  const rendered = new Map<string, { items: Item[]; values: Map<string, Declared> }>();
  const render = (overlay: Overlay, stack: readonly string[]): { items: Item[]; values: Map<string, Declared> } => {
    const done = rendered.get(overlay.dir);
    if (done) return { items: done.items.map(copyItem), values: done.values };
    const items: Item[] = treeDocs(
      overlay.dir,
      overlay.bases.map((b) => b.dir),
    ).map((doc) => ({ origin: doc, value: doc.value, overrides: [] }));
    const values = new Map<string, Declared>();
    for (const base of overlay.bases) {
      if (stack.includes(base.dir)) {
        const cycle = [...stack.slice(stack.indexOf(base.dir)), base.dir].map((d) => d || '.').join(' -> ');
        overlay.reporter.report('EGO_OVERLAY_BASE', ['spec', 'bases', base.index], `base "${overlay.spec.bases?.[base.index]}" forms a cycle: ${cycle}`, {
          target: 'value',
        });
        continue;
      }
      const inner = overlays.get(base.dir);
      if (inner) {
        const sub = render(inner, [...stack, base.dir]);
        items.push(...sub.items);
        for (const [name, d] of sub.values) if (!values.has(name)) values.set(name, d);
      } else if (allOverlayDirs.has(base.dir)) {
        // An Overlay there that is invalid (its own error is reported where it is).
        overlay.reporter.report('EGO_OVERLAY_BASE', ['spec', 'bases', base.index], `base "${overlay.spec.bases?.[base.index]}" holds an invalid Overlay`, {
          target: 'value',
        });
      } else {
        items.push(...treeDocs(base.dir, []).map((doc) => ({ origin: doc, value: doc.value, overrides: [] })));
      }
    }
    applyPatches(overlay, items, diagnostics);
    applyImages(overlay, items);
    applyCommonTags(overlay, items);
    for (const [name, decl] of Object.entries(overlay.spec.values ?? {})) values.set(name, { decl, overlay, name });
    const result = { items, values };
    rendered.set(overlay.dir, result);
    return { items: items.map(copyItem), values };
  };

  const entryOverlay = overlays.get(entry);
  const skippedOverlays = [...overlays.values()].filter((o) => o.dir !== entry && isUnder(o.dir, entry) && !baseDirs.has(o.dir)).map((o) => o.doc.file);
  if (!entryOverlay) {
    // The entry's own overlay is invalid: render nothing (its error names no resource, so nothing is pruned).
    if (allOverlayDirs.has(entry)) return { hasOverlays: true, documents: [], diagnostics, skippedOverlays, externalRefs: [] };
    const documents = plainDocs.filter((d) => isUnder(d.file, entry) && !consumed.some((c) => isUnder(d.file, c))).map((doc) => ({ doc, unresolved: [] }));
    return { hasOverlays: true, documents, diagnostics, skippedOverlays, externalRefs: [] };
  }
  const { items, values } = render(entryOverlay, [entry]);
  const controllerId = controllerIdOf(entryOverlay);
  const externalRefs = uniqueRefs([...values.values()].flatMap((d) => externalRef(d.decl) ?? []));
  const documents: RenderedDocument[] = [];
  for (const item of items) {
    const doc = composedDocument(item.origin, item.value, item.overrides);
    const out = substitute(item.value, lookupIn(values, options));
    const label = labelOf(item.value);
    const reporter = documentReporter(doc, label, diagnostics);
    for (const p of out.problems) reporter.report(p.code, p.path, p.message, { target: 'value' });
    const final = composedDocument(item.origin, out.value, item.overrides);
    if (out.problems.length === 0) documents.push({ doc: final, unresolved: out.unresolved });
  }
  return { hasOverlays: true, documents, diagnostics, skippedOverlays, externalRefs, ...(controllerId ? { controllerId } : {}) };
}

/** The controller id the entry Overlay names: the ownership scope of what it renders (docs/environments.md). */
function controllerIdOf(overlay: Overlay): OverlayControllerId | undefined {
  const id = overlay.spec.controllerId;
  if (id === undefined) return undefined;
  const { line, col } = overlay.doc.locate(['spec', 'controllerId'], 'value');
  return { id, file: overlay.doc.file, line, col };
}

function copyItem(i: Item): Item {
  return { origin: i.origin, value: i.value, overrides: [...i.overrides] };
}

function uniqueRefs(refs: readonly ExternalValueRef[]): ExternalValueRef[] {
  const byKey = new Map(refs.map((r) => [r.key, r]));
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function labelOf(value: unknown): string | undefined {
  if (!isObject(value) || typeof value['kind'] !== 'string' || !isObject(value['metadata']) || typeof value['metadata']['name'] !== 'string') return undefined;
  return resourceLabel(value['kind'] as ManifestKind, value['metadata']['name']);
}

function readOverlays(docs: readonly ParsedDocument[], diagnostics: Diagnostic[]): Map<string, Overlay> {
  const out = new Map<string, Overlay>();
  for (const doc of docs) {
    if (!isOverlayDocument(doc.value)) continue;
    const value = doc.value as Record<string, unknown>;
    const name = isObject(value['metadata']) && typeof value['metadata']['name'] === 'string' ? value['metadata']['name'] : undefined;
    const label = `Overlay/${name ?? '(unnamed)'}`;
    const reporter = documentReporter(doc, label, diagnostics);
    const dir = dirOf(doc.file);
    if (value['apiVersion'] !== API_VERSION) {
      reporter.report('EGO_API_VERSION', ['apiVersion'], `unsupported apiVersion "${String(value['apiVersion'])}" (this release reads ${API_VERSION})`, {
        target: 'value',
      });
      continue;
    }
    const errors = validateOverlay(value);
    if (errors.length > 0) {
      reportSchemaErrors(errors, reporter);
      continue;
    }
    const spec = value['spec'] as OverlaySpec;
    const twoWays = (spec.patches ?? []).findIndex((p) => (p.merge === undefined) === (p.json === undefined));
    if (twoWays >= 0) {
      reporter.report('EGO_OVERLAY', ['spec', 'patches', twoWays], 'a patch needs exactly one of merge (RFC 7386) or json (RFC 6902)');
      continue;
    }
    const first = out.get(dir);
    if (first) {
      reporter.report(
        'EGO_OVERLAY',
        [],
        `a second Overlay in ${dir || 'the source root'} (the first is at ${first.doc.file}:${first.doc.start.line}); a directory holds at most one`,
      );
      continue;
    }
    out.set(dir, { doc, dir, label, spec, reporter, bases: [] });
  }
  return out;
}

function resolveBases(overlay: Overlay, files: readonly string[]): void {
  (overlay.spec.bases ?? []).forEach((written, index) => {
    const at: DocPath = ['spec', 'bases', index];
    if (written.startsWith('/') || /^[a-z][a-z0-9+.-]*:\/\//i.test(written)) {
      overlay.reporter.report('EGO_OVERLAY_BASE', at, `base "${written}" must be a directory relative to this file, inside the source`, { target: 'value' });
      return;
    }
    const dir = normalizeDir(posix.join(overlay.dir || '.', written));
    if (dir === overlay.dir) {
      overlay.reporter.report('EGO_OVERLAY_BASE', at, `base "${written}" is the overlay's own directory (its manifests are included already)`, {
        target: 'value',
      });
      return;
    }
    if (isUnder(overlay.dir, dir)) {
      overlay.reporter.report('EGO_OVERLAY_BASE', at, `base "${written}" holds this overlay (a cycle)`, { target: 'value' });
      return;
    }
    if (!files.some((f) => isUnder(f, dir))) {
      overlay.reporter.report(
        'EGO_OVERLAY_BASE',
        at,
        `base "${written}" (${dir || '.'}) holds no manifest files in the source: a base is a directory inside the source root (docs/environments.md)`,
        { target: 'value' },
      );
      return;
    }
    overlay.bases.push({ dir, index });
  });
}

function where(item: Item): string {
  return `${item.origin.file}:${item.origin.start.line}`;
}

function applyPatches(overlay: Overlay, items: Item[], diagnostics: Diagnostic[]): void {
  (overlay.spec.patches ?? []).forEach((patch, i) => {
    const selected = items.filter(
      (it) =>
        isObject(it.value) && it.value['kind'] === patch.target.kind && isObject(it.value['metadata']) && it.value['metadata']['name'] === patch.target.name,
    );
    if (selected.length === 0) {
      overlay.reporter.report(
        'EGO_PATCH_NO_TARGET',
        ['spec', 'patches', i, 'target'],
        `patch selects no resource: there is no ${patch.target.kind} named "${patch.target.name}" in the bases or the overlay's directory`,
      );
      return;
    }
    for (const item of selected) {
      if (patch.merge !== undefined) {
        item.value = applyMergePatch(item.value, patch.merge);
        for (const leaf of mergePatchPaths(patch.merge))
          item.overrides.push({ path: leaf, doc: overlay.doc, at: ['spec', 'patches', i, 'merge'].concat(leaf) });
        continue;
      }
      const ops = patch.json ?? [];
      try {
        item.value = applyJsonPatch(item.value, ops);
      } catch (err) {
        if (!(err instanceof JsonPatchError)) throw err;
        // Reported for the resource, so that it is held back (and never pruned) in this revision.
        const label = labelOf(item.value);
        documentReporter(overlay.doc, label, diagnostics).report(
          'EGO_PATCH_FAILED',
          ['spec', 'patches', i, 'json', err.index],
          `JSON patch does not apply to ${label ?? 'the resource'} (${where(item)}): ${err.message}`,
        );
        item.value = undefined;
        continue;
      }
      ops.forEach((op, j) => {
        if (op.op === 'remove' || op.op === 'test') return;
        const path = docPathOf(item.value, parsePointer(op.path));
        const at: DocPath = op.op === 'add' || op.op === 'replace' ? ['spec', 'patches', i, 'json', j, 'value'] : ['spec', 'patches', i, 'json', j];
        item.overrides.push({ path, doc: overlay.doc, at });
      });
    }
  });
  // A resource a patch could not apply to is left out (its error holds it back).
  for (let k = items.length - 1; k >= 0; k--) if ((items[k] as Item).value === undefined) items.splice(k, 1);
}

function applyImages(overlay: Overlay, items: readonly Item[]): void {
  (overlay.spec.images ?? []).forEach((change, m) => {
    let used = false;
    for (const item of items) {
      const containers = containersOf(item.value);
      containers.forEach((c, k) => {
        if (typeof c['image'] !== 'string') return;
        const next = changeImage(c['image'], change);
        if (next === undefined) return;
        used = true;
        c['image'] = next;
        item.overrides.push({ path: ['spec', 'taskDefinition', 'containers', k, 'image'], doc: overlay.doc, at: ['spec', 'images', m] });
      });
    }
    if (!used)
      overlay.reporter.report('EGO_IMAGE_UNUSED', ['spec', 'images', m, 'name'], `no container image is named "${change.name}"`, {
        severity: 'warning',
        target: 'value',
      });
  });
}

/** The containers of an inline task definition, made writable in the item's own copy. */
function containersOf(value: unknown): Record<string, unknown>[] {
  if (!isObject(value) || value['kind'] !== 'EcsService') return [];
  const spec = value['spec'];
  if (!isObject(spec) || !isObject(spec['taskDefinition']) || !Array.isArray(spec['taskDefinition']['containers'])) return [];
  const td = { ...spec['taskDefinition'], containers: spec['taskDefinition']['containers'].map((c: unknown) => (isObject(c) ? { ...c } : c)) };
  value['spec'] = { ...spec, taskDefinition: td };
  return td.containers.filter(isObject);
}

function applyCommonTags(overlay: Overlay, items: Item[]): void {
  const tags = overlay.spec.commonTags;
  if (!tags || Object.keys(tags).length === 0) return;
  for (const item of items) {
    if (!isObject(item.value) || !isObject(item.value['spec'])) continue;
    const spec = item.value['spec'];
    const own = isObject(spec['tags']) ? spec['tags'] : {};
    item.value = { ...item.value, spec: { ...spec, tags: { ...own, ...tags } } };
    for (const key of Object.keys(tags)) item.overrides.push({ path: ['spec', 'tags', key], doc: overlay.doc, at: ['spec', 'commonTags', key] });
  }
}

function lookupIn(values: ReadonlyMap<string, Declared>, options: ComposeOptions): ValueLookup {
  return (name) => {
    const d = values.get(name);
    if (!d) return undefined;
    const declaredAt = `${d.overlay.doc.file}:${d.overlay.doc.locate(['spec', 'values', name], 'key').line}`;
    const { decl } = d;
    if (decl.value !== undefined) return { value: decl.value };
    if (decl.file !== undefined) {
      const path = normalizeDir(posix.join(d.overlay.dir || '.', decl.file));
      const text = options.fileText?.(path);
      if (text === undefined) return { error: `\${${name}}: ${describeDeclaration(decl)} (${path}) is not in the source (declared at ${declaredAt})` };
      return { value: text.replace(/\r?\n$/, '') };
    }
    const ref = externalRef(decl);
    if (!ref || !options.external) return 'unresolved';
    const got = options.external.get(ref.key);
    if (!got) return { error: `\${${name}}: ${describeDeclaration(decl)} was not read (declared at ${declaredAt})` };
    if ('error' in got) return { error: `\${${name}}: ${describeDeclaration(decl)}: ${got.error} (declared at ${declaredAt})` };
    return got;
  };
}
