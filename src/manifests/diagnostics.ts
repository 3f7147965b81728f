import type { DiagnosticCode } from './codes.js';
import type { Diagnostic } from './types.js';
import type { DocPath, ParsedDocument } from './yaml-document.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Dotted field path as shown to people: `spec.taskDefinition.containers[0].portMappings[1].hostPort`. */
export function formatFieldPath(path: DocPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Where a problem is and who it belongs to; rules report through it. */
export interface Reporter {
  /**
   * Reports a problem at `path` of the document. `target` picks the key (default: the field
   * as written) or the value of that node.
   */
  report(code: DiagnosticCode, path: DocPath, message: string, options?: ReportOptions): void;
}

export interface ReportOptions {
  readonly severity?: Diagnostic['severity'];
  readonly target?: 'key' | 'value';
  /** Field path to show when it differs from `path` (e.g. a missing field under its parent). */
  readonly field?: DocPath;
}

/** A Reporter that appends to `out`, for one document and resource. */
export function documentReporter(doc: ParsedDocument, resource: string | undefined, out: Diagnostic[]): Reporter {
  return {
    report(code, path, message, options = {}) {
      const at = path.length === 0 ? doc.start : doc.locate(path, options.target ?? 'key');
      const field = formatFieldPath(options.field ?? path);
      out.push({
        severity: options.severity ?? 'error',
        code,
        file: at.file ?? doc.file,
        line: at.line,
        col: at.col,
        ...(resource === undefined ? {} : { resource }),
        ...(field === '' ? {} : { field }),
        message,
      });
    },
  };
}

/** Orders diagnostics by file, line and column (stable for equal positions). */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return list.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
}

/** Levenshtein distance, for "did you mean" hints on short identifiers. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      const left = prev[j - 1] ?? 0;
      prev[j] = Math.min(up + 1, left + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** The closest candidate within a small edit distance (or extending the word), if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const lower = word.toLowerCase();
  if (lower.length >= 3) {
    const extended = list.filter((c) => c.toLowerCase().startsWith(lower) && c.length > word.length);
    if (extended.length === 1) return extended[0];
  }
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of list) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
