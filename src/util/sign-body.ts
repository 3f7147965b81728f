import { createHmac } from 'node:crypto';

/** `sha256=<hex>` of the HMAC-SHA256 of `body` under `secret`: the signature header format webhooks use both ways. */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
