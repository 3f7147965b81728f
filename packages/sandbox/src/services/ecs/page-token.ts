import { SandboxError } from '../../errors.js';
import type { OrderedIndex } from '../../ordered-index.js';

/** One page of an ECS listing. */
export interface TokenPage<T> {
  readonly items: T[];
  /** Opaque token for the next page; absent on the last page. */
  readonly nextToken?: string;
}

/**
 * Up to `limit` items of `index` after the position `token` names, oldest first, that pass
 * `keep`. Tokens are bound to `kind` (a token of another listing is refused as AWS refuses
 * one it did not issue), and a token is handed out only when another matching item remains.
 */
export function pageByToken<T>(index: OrderedIndex<T>, kind: string, limit: number, token: string | undefined, keep?: (item: T) => boolean): TokenPage<T> {
  const after = token === undefined ? 0 : decodePageToken(kind, token);
  const page = index.page(after, limit, { continueWhen: 'matching', ...(keep ? { filter: keep } : {}) });
  return page.nextAfter === undefined ? { items: page.items } : { items: page.items, nextToken: encodePageToken(kind, page.nextAfter) };
}

export function encodePageToken(kind: string, seq: number): string {
  return Buffer.from(JSON.stringify({ k: kind, s: seq }), 'utf8').toString('base64url');
}

export function decodePageToken(kind: string, token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { k?: unknown; s?: unknown };
    if (parsed.k === kind && typeof parsed.s === 'number' && Number.isInteger(parsed.s)) return parsed.s;
  } catch {
    // fall through to the AWS-style error
  }
  throw new SandboxError('InvalidParameterException', 'Invalid nextToken.');
}
