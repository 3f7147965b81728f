/**
 * Decodes an `aws-chunked` body (what the SDK sends for streaming uploads with trailing
 * checksums): `<hex size>[;chunk-signature=..]\r\n<data>\r\n` ... `0\r\n<trailers>\r\n\r\n`.
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) throw new Error('aws-chunked body: missing chunk header');
    const size = parseInt(body.subarray(pos, eol).toString('latin1').split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) throw new Error('aws-chunked body: bad chunk size');
    if (size === 0) return Buffer.concat(parts);
    const start = eol + 2;
    parts.push(body.subarray(start, start + size));
    pos = start + size + 2;
  }
}

/** Whether a request body is aws-chunked encoded. */
export function isAwsChunked(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const enc = String(headers['content-encoding'] ?? '');
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  return enc.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}
