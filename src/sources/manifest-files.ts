/**
 * The one rule for which files of a source count, and how their bytes become text. Every
 * source kind (directory, Git, S3) and `validate` / `plan` / `apply` on a local path go
 * through here, so CI checks exactly the files the controller applies (docs/sources.md,
 * "Which files count").
 *
 * A file counts when its path ends in `.yaml` or `.yml` (any case) and no directory on the
 * way to it starts with a dot or is `node_modules`. A counted file is either **read** (its
 * bytes decoded to text) or **refused** with a reason; it never silently drops out. A refused
 * file is an error on that file, and holds back every prune of the revision (nobody can tell
 * which resources it held).
 */

/** Why a counted file was not read; the loader reports it as an error diagnostic with this code. */
export interface FileRefusal {
  readonly code: 'EGO_ENCODING' | 'EGO_FILE_UNREADABLE' | 'EGO_FILE_TOO_LARGE' | 'EGO_FILE_EMPTY';
  readonly message: string;
  /** Where in the file the problem is, when it is at one place (1-based). */
  readonly line?: number;
  readonly col?: number;
}

/**
 * Whether a directory is never read: its name starts with a dot (`.git`, `.github`,
 * Kubernetes' `..data`) or it is `node_modules` (an installed copy of this package carries
 * example manifests).
 */
export function isSkippedDirectory(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * Whether a path relative to the source root names a manifest file: `.yaml` / `.yml` (any
 * case), not inside a skipped directory.
 */
export function isManifestPath(path: string): boolean {
  const dirs = path.split('/');
  const file = dirs.pop() ?? '';
  return /\.ya?ml$/i.test(file) && !dirs.some(isSkippedDirectory);
}

/** The encodings YAML 1.2 (section 5.2) requires a parser to accept. */
export type YamlEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/**
 * The encoding of a YAML stream by YAML 1.2 section 5.2: a byte order mark if there is one,
 * else the pattern of null bytes around the first character (which is ASCII in any YAML
 * file: the spec requires it for detection without a BOM).
 */
export function detectEncoding(b: Uint8Array): YamlEncoding {
  const at = (i: number): number | undefined => b[i];
  if (at(0) === 0x00 && at(1) === 0x00 && at(2) === 0xfe && at(3) === 0xff) return 'utf-32be';
  if (at(0) === 0xff && at(1) === 0xfe && at(2) === 0x00 && at(3) === 0x00) return 'utf-32le';
  if (at(0) === 0x00 && at(1) === 0x00 && at(2) === 0x00 && at(3) !== undefined && at(3) !== 0x00) return 'utf-32be';
  if (at(0) !== undefined && at(0) !== 0x00 && at(1) === 0x00 && at(2) === 0x00 && at(3) === 0x00) return 'utf-32le';
  if (at(0) === 0xfe && at(1) === 0xff) return 'utf-16be';
  if (at(0) === 0xff && at(1) === 0xfe) return 'utf-16le';
  if (at(0) === 0x00 && at(1) !== undefined && at(1) !== 0x00) return 'utf-16be';
  if (at(0) !== undefined && at(0) !== 0x00 && at(1) === 0x00) return 'utf-16le';
  return 'utf-8';
}

/** Decoded text, or why the bytes are not text a YAML parser may read. */
export type DecodeResult = { readonly text: string; readonly encoding: YamlEncoding } | { readonly refusal: FileRefusal };

function refuse(message: string, at?: { line: number; col: number }): { refusal: FileRefusal } {
  return { refusal: { code: 'EGO_ENCODING', message, ...(at ?? {}) } };
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const n = b[i + k];
      if (n === undefined || (n & 0xc0) !== 0x80) return i;
    }
    // Overlong 3/4-byte forms, surrogates and code points above U+10FFFF.
    const n1 = b[i + 1] ?? 0;
    if ((c === 0xe0 && n1 < 0xa0) || (c === 0xed && n1 > 0x9f) || (c === 0xf0 && n1 < 0x90) || (c === 0xf4 && n1 > 0x8f)) return i;
    i += need + 1;
  }
  return -1;
}

function decodeUtf32(b: Uint8Array, littleEndian: boolean): string | undefined {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: string[] = [];
  for (let i = 0; i < b.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    parts.push(String.fromCodePoint(cp));
  }
  return parts.join('');
}

function swap16(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i + 1 < b.length; i += 2) {
    out[i] = b[i + 1]!;
    out[i + 1] = b[i]!;
  }
  return out;
}

/**
 * The first character YAML does not allow in a stream (c-printable: tab, LF, CR, x20-x7E,
 * x85, xA0 and up without surrogates and xFFFE/xFFFF), as an index, or -1.
 */
function firstUnprintable(text: string): number {
  // eslint-disable-next-line no-control-regex
  const m = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/.exec(text);
  return m ? m.index : -1;
}

function position(text: string, index: number): { line: number; col: number } {
  const before = text.slice(0, index);
  return { line: before.split('\n').length, col: index - before.lastIndexOf('\n') };
}

/**
 * Decodes a file's bytes as YAML 1.2 does (UTF-8, UTF-16 or UTF-32, with or without a byte
 * order mark; the mark is dropped) or says why it cannot: bytes that are not valid in the
 * detected encoding, or characters YAML does not allow (NUL and other control characters:
 * a binary file).
 */
export function decodeManifestBytes(bytes: Uint8Array): DecodeResult {
  const encoding = detectEncoding(bytes);
  let text: string | undefined;
  try {
    switch (encoding) {
      case 'utf-8':
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        break;
      case 'utf-16le':
      case 'utf-16be':
        if (bytes.length % 2 !== 0) return refuse(`is ${encoding.toUpperCase()} by YAML 1.2's detection but has an odd number of bytes (${bytes.length})`);
        text = new TextDecoder('utf-16le', { fatal: true }).decode(encoding === 'utf-16le' ? bytes : swap16(bytes));
        break;
      case 'utf-32le':
      case 'utf-32be':
        if (bytes.length % 4 !== 0)
          return refuse(`is ${encoding.toUpperCase()} by YAML 1.2's detection but its length (${bytes.length} bytes) is not a multiple of 4`);
        text = decodeUtf32(bytes, encoding === 'utf-32le');
        break;
    }
  } catch {
    text = undefined;
  }
  if (text === undefined && encoding === 'utf-8') {
    const at = firstInvalidUtf8(bytes);
    const where = position(new TextDecoder('utf-8').decode(bytes.subarray(0, Math.max(at, 0))), Math.max(at, 0));
    const hex = at >= 0 ? ` (byte 0x${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')})` : '';
    return refuse(
      `is not valid UTF-8 at line ${where.line}, column ${where.col}${hex}: YAML 1.2 allows UTF-8, UTF-16 and UTF-32; re-save the file as UTF-8`,
      where,
    );
  }
  if (text === undefined) {
    return refuse(`is not valid ${encoding.toUpperCase()} (YAML 1.2 allows UTF-8, UTF-16 and UTF-32; re-save the file as UTF-8)`);
  }
  if (text.startsWith('\ufeff')) text = text.slice(1);
  const bad = firstUnprintable(text);
  if (bad >= 0) {
    const code = text.codePointAt(bad)!;
    const what = code === 0 ? 'a NUL character (a binary file?)' : `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    const at = position(text, bad);
    return refuse(`holds ${what} at line ${at.line}, column ${at.col}, which YAML does not allow (read as ${encoding.toUpperCase()})`, at);
  }
  return { text, encoding };
}

/** A file as sources hand it out: its text, or its refusal (with empty content). */
export interface CountedFile {
  readonly path: string;
  readonly content: string;
  readonly refused?: FileRefusal;
}

/**
 * A counted file from its bytes: decoded, or refused with EGO_ENCODING, or with EGO_FILE_EMPTY
 * when it holds nothing but white space (a file cut short while it was written or uploaded
 * looks the same, and reading it as "no resources" would prune what it held). A file with
 * only a comment is read: someone meant it to be empty.
 */
export function fileFromBytes(path: string, bytes: Uint8Array): CountedFile {
  const decoded = decodeManifestBytes(bytes);
  if ('refusal' in decoded) return { path, content: '', refused: decoded.refusal };
  if (decoded.text.trim() === '') {
    const what = bytes.length === 0 ? 'is empty (0 bytes)' : `holds only white space (${bytes.length} bytes)`;
    return {
      path,
      content: '',
      refused: {
        code: 'EGO_FILE_EMPTY',
        message: `${what}: a file cut short while it was written looks the same, so it is refused and nothing is pruned; delete it, or write a comment in it if it is meant to be empty; not read`,
      },
    };
  }
  return { path, content: decoded.text };
}

/** A counted file that could not be read at all (a dangling link, a link in Git, a read error). */
export function unreadableFile(path: string, message: string): CountedFile {
  return { path, content: '', refused: { code: 'EGO_FILE_UNREADABLE', message } };
}
