import { createHmac, timingSafeEqual } from 'node:crypto';

export { signBody } from '../util/sign-body.js';

export type SignatureCheck = 'valid' | 'missing' | 'malformed' | 'mismatch';

const HEADER_FORMAT = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks a `sha256=<hex>` signature header against every secret in constant time
 * (`timingSafeEqual` on two 32-byte digests; the header's format is checked first, so the
 * lengths are always equal).
 */
export function checkSignature(header: string | undefined, body: Buffer, secrets: readonly string[]): SignatureCheck {
  if (header === undefined || header.trim() === '') return 'missing';
  const m = HEADER_FORMAT.exec(header.trim());
  if (!m) return 'malformed';
  const given = Buffer.from(m[1]!, 'hex');
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    // No early exit: the time taken does not tell which secret (if any) matched.
    if (timingSafeEqual(expected, given)) ok = true;
  }
  return ok ? 'valid' : 'mismatch';
}
