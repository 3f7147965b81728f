/** Writes import output without ever replacing a file unless asked to. */
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ImportedFile } from './render.js';

/** Output paths (relative) that already exist below `dir`. */
export async function existingFiles(dir: string, files: readonly ImportedFile[]): Promise<string[]> {
  const found: string[] = [];
  for (const f of files) {
    const st = await stat(join(dir, f.path)).catch(() => undefined);
    if (st) found.push(f.path);
  }
  return found;
}

/**
 * Writes the files below `dir` (creating directories). Without `force`, a file that exists
 * is never touched: each is opened with O_EXCL, so a file that appears between the check and
 * the write is refused too. Files not in `files` are never touched.
 */
export async function writeImport(dir: string, files: readonly ImportedFile[], force: boolean): Promise<void> {
  for (const f of files) {
    const full = join(dir, f.path);
    await mkdir(dirname(full), { recursive: true });
    const handle = await open(full, force ? 'w' : 'wx');
    try {
      await handle.writeFile(f.content, 'utf8');
    } finally {
      await handle.close();
    }
  }
}
