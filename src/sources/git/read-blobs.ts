import type { GitResult } from './run-git.js';

type RunWithInput = (args: string[], input: string, maxStdoutBytes: number) => Promise<GitResult>;

/**
 * Reads blobs with one `git cat-file --batch` call: stdin lists object ids, stdout
 * answers `<oid> blob <size>\n<content>\n` for each. Returns contents by object id.
 */
export async function readBlobs(oids: readonly string[], run: RunWithInput, expectedBytes: number): Promise<Map<string, string>> {
  const unique = [...new Set(oids)];
  const out = new Map<string, string>();
  if (unique.length === 0) return out;
  const overhead = unique.length * 128;
  const { stdout } = await run(['cat-file', '--batch'], `${unique.join('\n')}\n`, expectedBytes + overhead + 1024);
  let pos = 0;
  while (pos < stdout.length) {
    const nl = stdout.indexOf(0x0a, pos);
    if (nl < 0) break;
    const [oid, type, size] = stdout.subarray(pos, nl).toString('utf8').split(' ');
    if (!oid || type !== 'blob' || size === undefined) throw new Error(`unexpected cat-file output: ${stdout.subarray(pos, nl).toString('utf8')}`);
    const start = nl + 1;
    const end = start + Number(size);
    out.set(oid, stdout.subarray(start, end).toString('utf8'));
    pos = end + 1;
  }
  return out;
}
