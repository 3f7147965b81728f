import { YAMLParseError, isMap, isScalar, isSeq, visit, type Document, type Node, type Pair, type YAMLError } from 'yaml';

/** A YAML problem as shown to people: where to look (an offset into the file) and what to do. */
export interface ExplainedYamlError {
  readonly offset: number;
  readonly message: string;
}

/** Turns a file offset into "line N" for messages that point at a second place. */
export type LineOf = (offset: number) => number;

const INDENT_CODES = new Set(['BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY']);

/**
 * Rewrites a parser error of the `yaml` package for someone who has never read the YAML spec:
 * names the duplicated key, points at the opening quote or bracket that is never closed
 * (the parser notices only where the file ends or the next key starts), and says what to do.
 * Unknown errors keep the parser's message and position.
 */
export function explainParseError(err: YAMLError, doc: Document.Parsed, lineOf: LineOf): ExplainedYamlError {
  const offset = err.pos[0];
  switch (err.code) {
    case 'DUPLICATE_KEY':
      return duplicateKey(doc, offset, lineOf) ?? { offset, message: err.message };
    case 'MISSING_CHAR': {
      const quoted = /quote/i.test(err.message) ? unclosedQuote(doc, offset) : undefined;
      if (!quoted) return { offset, message: err.message };
      const mark = quoted.type === 'QUOTE_SINGLE' ? "'" : '"';
      return {
        offset: quoted.start,
        message: `this quoted string is never closed: add the closing ${mark} (without it the string runs on to line ${lineOf(offset)})`,
      };
    }
    case 'BAD_INDENT': {
      const flow = /^Flow (sequence|map)/.test(err.message) ? unclosedFlow(doc, offset) : undefined;
      if (flow) {
        const [open, close] = flow.list ? ['[', ']'] : ['{', '}'];
        return {
          offset: flow.start,
          message: `this ${open} is never closed: end the ${flow.list ? 'list' : 'map'} with ${close}, or indent the lines that continue it more than its key`,
        };
      }
      return { offset, message: `${err.message}: indent this line like the other keys of its map` };
    }
    case 'TAB_AS_INDENT':
      return { offset, message: 'a tab is used for indentation, which YAML does not allow: indent with spaces' };
    case 'RESOURCE_EXHAUSTION':
      return { offset, message: resourceMessage(err.message) };
    default:
      if (INDENT_CODES.has(err.code)) {
        return { offset, message: `${err.message}: a value runs on into the next line, which holds a "key:"; is that line indented too far?` };
      }
      return { offset, message: err.message };
  }
}

/** Errors thrown while turning a parsed document into data (aliases, merge keys, nesting depth). */
export function explainConversionError(err: Error, doc: Document.Parsed, fallbackOffset: number): ExplainedYamlError {
  // An alias without an anchor surfaces as "Unresolved alias" or, under a merge key, as "Merge sources must be maps".
  let unresolved: { name: string; offset: number } | undefined;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      unresolved = { name: node.source, offset: node.range?.[0] ?? fallbackOffset };
      return visit.BREAK;
    },
  });
  if (unresolved) {
    const { name, offset } = unresolved;
    return { offset, message: `alias *${name} refers to no anchor &${name} before it in this document (anchors do not reach across --- separators)` };
  }
  if (/merge sources/i.test(err.message)) {
    let at = fallbackOffset;
    visit(doc, {
      Pair(_, pair) {
        if (!isScalar(pair.key) || pair.key.source !== '<<') return undefined;
        at = pair.key.range?.[0] ?? at;
        return visit.BREAK;
      },
    });
    return { offset: at, message: 'a merge key (<<) takes a map, an alias of a map (*name), or a list of them' };
  }
  return { offset: fallbackOffset, message: resourceMessage(err.message) };
}

/**
 * Keys written twice in one map (YAML 1.2 forbids it), found in one pass with a set per map.
 * Merge keys (`<<`) may repeat; keys that are collections are not compared.
 */
export function findDuplicateKeys(doc: Document.Parsed): YAMLError[] {
  const found: YAMLError[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || typeof pair.key.value === 'symbol') continue;
        const id = `${typeof pair.key.value}:${String(pair.key.value)}`;
        const start = pair.key.range?.[0];
        if (seen.has(id) && start !== undefined) found.push(new YAMLParseError([start, start + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
        seen.add(id);
      }
    },
  });
  return found;
}

function resourceMessage(message: string): string {
  if (/call stack/i.test(message)) return 'nested too deeply to read (far more levels than any manifest has)';
  if (/alias count/i.test(message)) return 'aliases expand to too much data (more than 1000 expansions): expand fewer aliases';
  return message;
}

function keyText(pair: Pair): string | undefined {
  return isScalar(pair.key) && typeof pair.key.value !== 'symbol' ? String(pair.key.value) : undefined;
}

function duplicateKey(doc: Document.Parsed, offset: number, lineOf: LineOf): ExplainedYamlError | undefined {
  let found: ExplainedYamlError | undefined;
  visit(doc, {
    Map(_, map) {
      const dup = map.items.find((p) => isScalar(p.key) && p.key.range?.[0] === offset);
      if (!dup) return undefined;
      const name = keyText(dup);
      const first = map.items.find((p) => p !== dup && keyText(p) === name);
      const firstAt = isScalar(first?.key) ? first.key.range?.[0] : undefined;
      const where = firstAt === undefined ? '' : ` (first at line ${lineOf(firstAt)})`;
      found = { offset, message: `duplicate key "${name ?? ''}": a key may appear only once in a map${where}; remove one of them` };
      return visit.BREAK;
    },
  });
  return found;
}

function unclosedQuote(doc: Document.Parsed, offset: number): { start: number; type: string } | undefined {
  let best: { start: number; type: string } | undefined;
  visit(doc, {
    Scalar(_, node) {
      const [start, end] = node.range ?? [0, 0];
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && start < offset && end >= offset) best = { start, type: node.type };
    },
  });
  return best;
}

function unclosedFlow(doc: Document.Parsed, offset: number): { start: number; list: boolean } | undefined {
  let best: { start: number; list: boolean } | undefined;
  const consider = (node: Node, list: boolean): void => {
    const range = node.range;
    if (!range || !(isSeq(node) || isMap(node)) || !node.flow) return;
    if (range[0] < offset && range[2] >= offset && (best === undefined || range[0] > best.start)) best = { start: range[0], list };
  };
  visit(doc, {
    Seq: (_, node) => consider(node, true),
    Map: (_, node) => consider(node, false),
  });
  return best;
}
