import type { GitResult } from './run-git.js';

type RunWithInput = (args: string[], input: string, maxStdoutBytes: number) => Promise<GitResult>;

/**
 * Reads blobs with one `git cat-file --batch` call: stdin lists object ids, stdout
 * answers `<oid> blob <size>\n<content>\n` for each. Returns the bytes of every id, or
 * throws: a blob read short or not at all would look like a manifest removed (and pruned).
 */
export async function readBlobs(oids: readonly string[], run: RunWithInput, expectedBytes: number): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  const out = new Map<string, Buffer>();
  if (unique.length === 0) return out;
  const overhead = unique.length * 128;
  const { stdout } = await run(['cat-file', '--batch'], `${unique.join('\n')}\n`, expectedBytes + overhead + 1024);
  let pos = 0;
  while (pos < stdout.length) {
    const nl = stdout.indexOf(0x0a, pos);
    const header = stdout.subarray(pos, nl < 0 ? stdout.length : nl).toString('utf8');
    const [oid, type, size] = header.split(' ');
    if (nl < 0 || !oid || type !== 'blob' || size === undefined) throw new Error(`unexpected cat-file output: ${header}`);
    const start = nl + 1;
    const end = start + Number(size);
    if (end > stdout.length) throw new Error(`cat-file output ends inside object ${oid}`);
    out.set(oid, stdout.subarray(start, end));
    pos = end + 1;
  }
  const missing = unique.find((oid) => !out.has(oid));
  if (missing !== undefined) throw new Error(`cat-file did not return object ${missing}`);
  return out;
}
