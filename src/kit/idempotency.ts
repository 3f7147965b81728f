import { createHash } from 'node:crypto';

/**
 * ECS `clientToken`: the API model (2022) allows 32 ASCII characters, newer docs say 36;
 * 32 is accepted by both.
 */
export const ECS_CLIENT_TOKEN_MAX = 32;
/** Cloud Map `CreatorRequestId` accepts at most 64 characters. */
export const CREATOR_REQUEST_ID_MAX = 64;

const PREFIX = 'ego-';

/**
 * Idempotency token for a create, derived from the controller id, the resource key and a
 * `generation`: the resource's immutable settings (those whose change needs a replacement).
 * A retry of the same create (after a timeout or a dropped response, in this run or the
 * next) sends the same token, so AWS returns the earlier result instead of creating twice;
 * a replacement, which by definition changes an immutable setting, gets a new token.
 */
export function idempotencyToken(controllerId: string, key: string, generation: unknown, maxLength: number): string {
  const digest = createHash('sha256').update(controllerId).update('\0').update(key).update('\0').update(stableJson(generation)).digest('hex');
  return (PREFIX + digest).slice(0, maxLength);
}

/** `CreatorRequestId` for Cloud Map CreateNamespace/CreateService. */
export function creatorRequestId(controllerId: string, key: string, generation: unknown): string {
  return idempotencyToken(controllerId, key, generation, CREATOR_REQUEST_ID_MAX);
}

/** `clientToken` for ECS CreateService (32 characters: 112 bits of digest after the prefix). */
export function ecsClientToken(controllerId: string, key: string, generation: unknown): string {
  return idempotencyToken(controllerId, key, generation, ECS_CLIENT_TOKEN_MAX);
}

/** JSON with object keys sorted, so equal values always hash equally. */
export function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
