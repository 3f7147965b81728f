import { closest, type Reporter } from '../diagnostics.js';
import { deref, kindSchema, schemaAt } from '../schemas.js';
import type { Manifest } from '../types.js';

/**
 * Every `syncPolicy.ignore` pointer must name a field the kind has (a typo would silently
 * ignore nothing) and must not point into the sync policy itself.
 */
export function ignorePointers(m: Manifest, r: Reporter): void {
  const pointers = m.spec.syncPolicy?.ignore ?? [];
  pointers.forEach((pointer, i) => {
    const at = ['spec', 'syncPolicy', 'ignore', i];
    const segments = pointer
      .slice(1)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (segments[1] === 'syncPolicy') {
      r.report('EGO_IGNORE_POINTER', at, `ignore pointer "${pointer}" points into the sync policy itself`, { target: 'value' });
      return;
    }
    if (schemaAt(m.kind, segments) !== undefined) return;
    r.report('EGO_IGNORE_POINTER', at, `ignore pointer "${pointer}" names no field of ${m.kind}${suggestion(m, segments)}`, { target: 'value' });
  });
}

function suggestion(m: Manifest, segments: readonly string[]): string {
  for (let n = segments.length - 1; n >= 0; n--) {
    const parent = schemaAt(m.kind, segments.slice(0, n));
    if (!parent) continue;
    const fields = Object.keys(deref(kindSchema(m.kind), parent).properties ?? {});
    const wrong = segments[n] ?? '';
    const guess = closest(wrong, fields);
    if (!guess) return '';
    const fixed = [...segments.slice(0, n), guess, ...segments.slice(n + 1)].join('/');
    return `; did you mean "/${fixed}"?`;
  }
  return '';
}
