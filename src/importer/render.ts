/** Import output as text: YAML documents with a schema modeline, checked as `validate` checks them. */
import { stringify } from 'yaml';
import type { LiveSet } from '../kit/types.js';
import type { Diagnostic } from '../manifests/types.js';
import { loadManifests } from '../reconcile/load.js';
import { importManifest } from './kinds.js';
import { planImport, type ImportProblem, type ImportSelection } from './select.js';

/** One file to write, path relative to the output directory (forward slashes). */
export interface ImportedFile {
  readonly path: string;
  readonly content: string;
  /** Keys of the resources in it, in document order. */
  readonly keys: readonly string[];
}

export interface ImportResult {
  readonly files: ImportedFile[];
  readonly problems: ImportProblem[];
  /** Errors `validate` would report on the files written (empty unless import has a bug: nothing is written then). */
  readonly errors: Diagnostic[];
}

/** The `$schema` a file's modeline names, from the file's path in the output. */
export type SchemaRef = (filePath: string) => string;

/**
 * Turns a scan into the files of an import: minimal manifests (kinds.ts), a modeline naming
 * the any-kind schema, documents separated by `---`, long values never folded. The files are
 * loaded as `validate` loads them; any error is returned, never hidden.
 */
export function renderImport(set: LiveSet, selection: ImportSelection, schemaRef: SchemaRef): ImportResult {
  const plan = planImport(set, selection);
  const files = plan.files.map((f): ImportedFile => {
    const docs = f.resources.map((r) => stringify(importManifest(r), { lineWidth: 0 }));
    return { path: f.path, content: `# yaml-language-server: $schema=${schemaRef(f.path)}\n${docs.join('---\n')}`, keys: f.resources.map((r) => r.key) };
  });
  // A file validate would refuse is not written: its resources are reported with the errors.
  const problems = [...plan.problems];
  const bad = new Map<string, Diagnostic[]>();
  for (const d of errorsOf(files)) bad.set(d.file, [...(bad.get(d.file) ?? []), d]);
  const good = files.filter((f) => !bad.has(f.path));
  for (const f of files) {
    const errors = bad.get(f.path);
    if (!errors) continue;
    const text = errors.map((d) => `${d.field ? `${d.field}: ` : ''}${d.message} [${d.code}]`).join('; ');
    for (const key of f.keys) problems.push({ resource: key, severity: 'failed', message: `not imported: the manifest would not validate: ${text}` });
  }
  // What is left must validate as a whole (references between the files included).
  return { files: good, problems, errors: errorsOf(good) };
}

function errorsOf(files: readonly ImportedFile[]): Diagnostic[] {
  return loadManifests(files.map((f) => ({ path: f.path, content: f.content }))).diagnostics.filter((d) => d.severity === 'error');
}
