/**
 * `ecs-gitops set image`: edits an Overlay's spec.images in place. A value that is already
 * written is replaced where it stands (the bytes of that one scalar change, nothing else);
 * a new key or entry goes through the yaml library's Document API, which keeps comments.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseAllDocuments, stringify, YAMLMap, type Document, type Scalar } from 'yaml';
import { isOverlayDocument } from './compose.js';

export interface ImageChangeRequest {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

/** `image=tag`, `image=new/name:tag`, `image@sha256:...`; a message for anything else. */
export function parseImageChange(text: string): ImageChangeRequest | string {
  const at = text.indexOf('@');
  const eq = text.indexOf('=');
  if (at > 0 && (eq < 0 || at < eq)) {
    const digest = text.slice(at + 1);
    if (!/^[a-z0-9]+:[a-f0-9]{32,}$/.test(digest)) return `"${digest}" is not a digest such as sha256:<hex>`;
    return { name: text.slice(0, at), digest };
  }
  if (eq <= 0 || eq === text.length - 1) return `expected <image>=<tag> (got "${text}")`;
  const name = text.slice(0, eq);
  const value = text.slice(eq + 1);
  const colon = value.lastIndexOf(':');
  if (colon > value.lastIndexOf('/') && colon > 0) return { name, newName: value.slice(0, colon), newTag: value.slice(colon + 1) };
  if (value.includes('/')) return `"${value}" names an image without a tag: write <image>=<new-name>:<tag>`;
  return { name, newTag: value };
}

export type SetImageResult = { readonly file: string; readonly changed: boolean; readonly image: string } | { readonly error: string };

/** The Overlay file of a directory (its *.yaml / *.yml files, not below), or the file itself. */
async function overlayFile(target: string): Promise<string | { error: string }> {
  const st = await stat(target).catch(() => undefined);
  if (!st) return { error: `${target}: no such file or directory` };
  if (!st.isDirectory()) return target;
  const names = (await readdir(target)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  const found: string[] = [];
  for (const n of names) {
    const text = await readFile(join(target, n), 'utf8');
    const parsed = parseAllDocuments(text);
    if ((Array.isArray(parsed) ? parsed : []).some((d) => isOverlayDocument(d.toJS()))) found.push(join(target, n));
  }
  if (found.length === 1 && found[0] !== undefined) return found[0];
  return { error: found.length === 0 ? `${target} holds no Overlay` : `${target} holds more than one Overlay file: ${found.join(', ')}` };
}

function render(value: string, like: Scalar | undefined): string {
  if (like?.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (like?.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return stringify(value).trimEnd();
}

export async function setOverlayImage(target: string, change: ImageChangeRequest): Promise<SetImageResult> {
  const file = await overlayFile(target);
  if (typeof file !== 'string') return file;
  const text = await readFile(file, 'utf8');
  const parsed = parseAllDocuments(text);
  const docs: Document.Parsed[] = Array.isArray(parsed) ? parsed : [];
  const doc = docs.find((d) => isOverlayDocument(d.toJS()));
  if (!doc) return { error: `${file} holds no Overlay` };
  if (doc.errors.length > 0) return { error: `${file} is not valid YAML: ${doc.errors[0]?.message ?? ''}` };
  const image = change.digest !== undefined ? `${change.newName ?? change.name}@${change.digest}` : `${change.newName ?? change.name}:${change.newTag}`;
  const wanted: [string, string | undefined][] = [
    ['newName', change.newName],
    ['newTag', change.newTag],
    ['digest', change.digest],
  ];

  const images = doc.getIn(['spec', 'images'], true);
  const entry = isSeq(images) ? images.items.find((i) => isMap(i) && i.get('name') === change.name) : undefined;
  if (isMap(entry)) {
    // In place: each wanted key that is written already is spliced; the rest need the Document API.
    const splices: { start: number; end: number; text: string }[] = [];
    let structural = false;
    for (const [key, value] of wanted) {
      const node = entry.get(key, true);
      if (value === undefined) {
        // A tag and a digest exclude each other: the one not set goes.
        if (node !== undefined && key !== 'newName') {
          entry.delete(key);
          structural = true;
        }
        continue;
      }
      if (isScalar(node) && node.range) {
        if (node.value !== value) splices.push({ start: node.range[0], end: node.range[1], text: render(value, node) });
      } else {
        entry.set(key, value);
        structural = true;
      }
    }
    if (structural) {
      await writeFile(file, spliceDocument(text, docs, doc));
      return { file, changed: true, image };
    }
    if (splices.length === 0) return { file, changed: false, image };
    let out = text;
    for (const s of splices.sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
    await writeFile(file, out);
    return { file, changed: true, image };
  }
  const added = new YAMLMap();
  added.set('name', change.name);
  for (const [key, value] of wanted) if (value !== undefined) added.set(key, value);
  if (isSeq(images)) images.items.push(added);
  else doc.setIn(['spec', 'images'], doc.createNode([added]));
  await writeFile(file, spliceDocument(text, docs, doc));
  return { file, changed: true, image };
}

/** The file with one document re-rendered by the Document API (comments kept) and the others as written. */
function spliceDocument(text: string, docs: readonly Document.Parsed[], changed: Document.Parsed): string {
  const [start, , end] = changed.range;
  const rendered = changed.toString({ lineWidth: 0 });
  const before = text.slice(0, start);
  const after = text.slice(end);
  return docs.length === 1 ? rendered : `${before}${rendered}${after.startsWith('\n') || after === '' ? after : `\n${after}`}`;
}
