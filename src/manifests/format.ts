import type { Diagnostic } from './types.js';

/**
 * One diagnostic as a line for people: `file:line:col Kind/name spec.path: message`, with
 * `warning: ` before the message of warnings. `displayFile` maps source paths to what the
 * user typed (e.g. prefixing the directory given on the command line).
 */
export function formatDiagnostic(d: Diagnostic, displayFile: (file: string) => string = (f) => f): string {
  const subject = [d.resource, d.field].filter((s): s is string => s !== undefined && s !== '').join(' ');
  const prefix = `${displayFile(d.file)}:${d.line}:${d.col}${subject ? ` ${subject}` : ''}`;
  return `${prefix}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message} [${d.code}]`;
}

/** The summary line: `N resources valid, E errors, W warnings`. */
export function formatSummary(resources: number, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(resources, 'resource')} valid, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
