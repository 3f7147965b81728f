import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type YAMLError, type YAMLMap } from 'yaml';
import type { SourceFile } from '../sources/artifact.js';
import { explainConversionError, explainParseError, findDuplicateKeys } from './yaml-errors.js';

/** 1-based line and column in a file. */
export interface Position {
  readonly line: number;
  readonly col: number;
  /** Set when the position is in another file than the document's (a field an Overlay wrote). */
  readonly file?: string;
}

/** A path into a document: map keys and sequence indexes, e.g. ['spec', 'records', 0, 'type']. */
export type DocPath = readonly (string | number)[];

/** One YAML document of a file, as plain data plus a way back to where each node was written. */
export interface ParsedDocument {
  readonly file: string;
  /** 0-based index of the document in its file. */
  readonly index: number;
  /** The document as plain JavaScript data (aliases resolved). */
  readonly value: unknown;
  /** Where the document's content starts. */
  readonly start: Position;
  /**
   * Where the node at `path` was written: its key (`key`, for a map entry) or its value
   * (`value`). A path that does not exist resolves to its deepest existing ancestor.
   */
  locate(path: DocPath, target: 'key' | 'value'): Position;
}

/** A YAML syntax error with its position. */
export interface YamlSyntaxError extends Position {
  readonly message: string;
  /** 0-based index of the document it belongs to. */
  readonly documentIndex: number;
  /** True when the broken document's text mentions the ecs-gitops.io API group. */
  readonly mentionsApiGroup: boolean;
}

export interface ParsedFile {
  /** Documents without syntax errors (empty documents are dropped). */
  readonly documents: readonly ParsedDocument[];
  readonly errors: readonly YamlSyntaxError[];
}

const API_GROUP_MARKER = 'ecs-gitops.io/';
const MERGE_KEY = '<<';

/**
 * Splits a file into YAML documents, keeping the position of every node. YAML 1.2 core
 * schema (yes/no/on/off stay strings), plus `<<` merge keys, which GitOps repositories use
 * to share blocks between documents' fields.
 */
export function parseYamlFile(file: SourceFile): ParsedFile {
  const { docs, pos } = parseDocuments(file.content);
  const documents: ParsedDocument[] = [];
  const errors: YamlSyntaxError[] = [];
  const locate = locatorOf(file);
  const lineOf = (offset: number): number => pos(offset).line;
  docs.forEach((doc, index) => {
    const text = file.content.slice(doc.range[0], doc.range[2]);
    const mentionsApiGroup = text.includes(API_GROUP_MARKER);
    const docErrors = [...doc.errors, ...findDuplicateKeys(doc)].sort((a, b) => a.pos[0] - b.pos[0]);
    if (docErrors.length > 0) {
      const lines = new Set<number>();
      for (const err of reliableErrors(docErrors)) {
        const explained = explainParseError(err, doc, lineOf);
        const at = pos(explained.offset);
        if (lines.has(at.line)) continue;
        lines.add(at.line);
        errors.push({ ...at, message: explained.message, documentIndex: index, mentionsApiGroup });
      }
      return;
    }
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) return; // empty document
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      const explained = explainConversionError(err as Error, doc, contents.range?.[0] ?? doc.range[0]);
      errors.push({ ...pos(explained.offset), message: explained.message, documentIndex: index, mentionsApiGroup });
      return;
    }
    documents.push({
      file: file.path,
      index,
      value,
      start: pos(contents.range?.[0] ?? doc.range[0]),
      locate: documentLocator(locate, index),
    });
  });
  return { documents, errors };
}

type FileLocator = (index: number, path: DocPath, target: 'key' | 'value') => Position;

/**
 * Where a node of a file's document was written. Asked only to report a problem, so the syntax
 * trees are not kept for it (a tree weighs ~10x the data it describes, and a source of 10,000
 * manifests would hold them all until every one is validated): the file is parsed again on the
 * first such question, and that parse is shared by its documents. Made outside parseYamlFile
 * so that what it keeps is the file alone, not the parse's plain documents.
 */
function locatorOf(file: SourceFile): FileLocator {
  let again: ReturnType<typeof parseDocuments> | undefined;
  return (index, path, target) => {
    again ??= parseDocuments(file.content);
    const doc = again.docs[index];
    const contents = doc?.contents;
    if (!doc || !contents) return { line: 1, col: 1 };
    return again.pos(locateOffset(doc, contents, path, target));
  };
}

/** One document's `locate`, holding only the file's locator and the document's index. */
function documentLocator(locate: FileLocator, index: number): ParsedDocument['locate'] {
  return (path, target) => locate(index, path, target);
}

/** The YAML documents of a text, and line/column of an offset in it. */
function parseDocuments(content: string): { docs: readonly Document.Parsed[]; pos: (offset: number) => Position } {
  const lineCounter = new LineCounter();
  // logLevel error: other people's YAML (Helm templates, ...) must not print warnings of ours.
  // uniqueKeys off: the parser's own check is quadratic in a map's size (a 400,000-key data
  // file took minutes); findDuplicateKeys does the same check in linear time.
  const parsed = parseAllDocuments(content, {
    lineCounter,
    prettyErrors: false,
    keepSourceTokens: false,
    merge: true,
    logLevel: 'error',
    uniqueKeys: false,
  });
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  return { docs: Array.isArray(parsed) ? parsed : [], pos };
}

/**
 * One slip (a bad indent, a missing bracket) trips a cascade of parser errors after it; only
 * the first of those says something. Duplicate keys and tabs are found independently of the
 * rest, so every one of them is worth reporting.
 */
function reliableErrors(errors: readonly YAMLError[]): YAMLError[] {
  const independent = (e: YAMLError): boolean => e.code === 'DUPLICATE_KEY' || e.code === 'TAB_AS_INDENT';
  const firstStructural = errors.find((e) => e.code !== 'DUPLICATE_KEY');
  return errors.filter((e) => independent(e) || e === firstStructural);
}

function locateOffset(doc: Document.Parsed, root: Node, path: DocPath, target: 'key' | 'value'): number {
  let node: Node | null = root;
  let keyNode: Node | null = null;
  let best = root.range?.[0] ?? 0;
  for (const segment of path) {
    node = deref(doc, node);
    let next: Node | null = null;
    let nextKey: Node | null = null;
    if (isMap(node)) {
      const pair = findPair(doc, node, String(segment), 0);
      if (pair) {
        nextKey = isScalar(pair.key) ? pair.key : null;
        next = isNodeLike(pair.value) ? pair.value : null;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      next = isNodeLike(item) ? item : null;
    }
    if (!next && !nextKey) return best;
    keyNode = nextKey;
    node = next;
    best = (keyNode ?? node)?.range?.[0] ?? best;
  }
  if (target === 'value' && node?.range && !(isScalar(node) && node.value === null && keyNode)) return node.range[0];
  return keyNode?.range?.[0] ?? node?.range?.[0] ?? best;
}

/** The pair that supplies `key` in a map: its own, else the first merge source (`<<`) that has it. */
function findPair(doc: Document.Parsed, map: YAMLMap, key: string, depth: number): Pair | undefined {
  const own = map.items.find((p) => isScalar(p.key) && typeof p.key.value !== 'symbol' && String(p.key.value) === key);
  if (own || depth > 16) return own;
  for (const p of map.items) {
    if (!isScalar(p.key) || p.key.source !== MERGE_KEY || !isNodeLike(p.value)) continue;
    const value = deref(doc, p.value);
    const sources = isSeq(value) ? value.items.map((i) => (isNodeLike(i) ? deref(doc, i) : null)) : [value];
    for (const source of sources) {
      const found = isMap(source) ? findPair(doc, source, key, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

function deref(doc: Document.Parsed, node: Node | null): Node | null {
  if (node && isAlias(node)) {
    const target: unknown = node.resolve(doc);
    return isNodeLike(target) ? target : null;
  }
  return node;
}

function isNodeLike(v: unknown): v is Node {
  return isScalar(v) || isMap(v) || isSeq(v) || isAlias(v);
}
