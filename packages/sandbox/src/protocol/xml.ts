/** Minimal XML writing for the REST-XML services (Route 53, S3). */

export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** A node: element name with children (nodes), a text value, or nothing (skipped). */
export type XmlValue = string | number | boolean | undefined | null | XmlNode | XmlValue[];
export interface XmlNode {
  readonly [tag: string]: XmlValue;
}

/**
 * Renders `{Tag: value}` objects. Arrays repeat the tag: `{Member: [a, b]}` gives
 * `<Member>a</Member><Member>b</Member>`. Undefined/null values are omitted.
 */
export function renderXml(node: XmlNode): string {
  let out = '';
  for (const [tag, value] of Object.entries(node)) out += renderTag(tag, value);
  return out;
}

function renderTag(tag: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => renderTag(tag, v)).join('');
  if (typeof value === 'object') return `<${tag}>${renderXml(value)}</${tag}>`;
  return `<${tag}>${escapeXml(String(value))}</${tag}>`;
}

/** A full document with the XML declaration and a namespaced root element. */
export function xmlDocument(root: string, xmlns: string, body: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${xmlns}">${renderXml(body)}</${root}>`;
}
