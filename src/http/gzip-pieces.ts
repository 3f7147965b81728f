import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/**
 * The pieces of a text, gzip-compressed into one buffer as they come: the only large buffer
 * is the compressed result, never the whole text (a checkpoint, a /metrics exposition).
 */
export async function gzipPieces(pieces: AsyncIterable<string> | Iterable<string>): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(pieces), createGzip(), async (compressed: AsyncIterable<Buffer>) => {
    for await (const b of compressed) out.push(b);
  });
  return Buffer.concat(out);
}
