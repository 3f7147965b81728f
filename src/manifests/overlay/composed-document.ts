/**
 * A rendered manifest keeps the positions of what it was made from: a field a patch, an image
 * change or a common tag wrote is located in the overlay that wrote it; every other field in
 * the base file it came from.
 */
import type { DocPath, ParsedDocument, Position } from '../yaml-document.js';

/** A field (and everything under it) written by an overlay: `path` in the manifest, `at` in the overlay document. */
export interface Override {
  readonly path: DocPath;
  readonly doc: ParsedDocument;
  readonly at: DocPath;
}

function isPrefix(prefix: DocPath, path: DocPath): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));
}

/** A document with a new value, located through its overrides (last one first), then its base. */
export function composedDocument(base: ParsedDocument, value: unknown, overrides: readonly Override[]): ParsedDocument {
  return {
    file: base.file,
    index: base.index,
    value,
    start: base.start,
    locate(path, target): Position {
      for (let i = overrides.length - 1; i >= 0; i--) {
        const o = overrides[i] as Override;
        if (!isPrefix(o.path, path)) continue;
        const at = o.doc.locate([...o.at, ...path.slice(o.path.length)], target);
        return { line: at.line, col: at.col, file: at.file ?? o.doc.file };
      }
      return base.locate(path, target);
    },
  };
}
