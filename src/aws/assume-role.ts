/**
 * Credentials of a role in another account (the targets of `run --targets`): STS AssumeRole
 * with the controller's own credentials, cached and assumed again before they expire.
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentials } from './clients.js';

export interface AssumeRoleOptions {
  readonly roleArn: string;
  readonly externalId?: string;
  /** RoleSessionName (2-64 of [\w+=,.@-]); CloudTrail in the member account shows it. */
  readonly sessionName: string;
  /** Requested lifetime (default 3600 s, the role's default maximum). */
  readonly durationSeconds?: number;
  /** Credentials this close to their expiry are assumed again (default 5 min, capped at half their lifetime). */
  readonly refreshBeforeMs?: number;
  readonly now?: () => number;
}

export type AssumedCredentials = AwsCredentials & { expiration?: Date };

/** A session name from free text: the allowed characters, 2 to 64 of them. */
export function sessionNameOf(text: string): string {
  const name = text.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return name.length >= 2 ? name : `${name}--`.slice(0, 2);
}

/**
 * A credentials provider for the SDK clients of one target. Concurrent callers share one
 * AssumeRole; a failure is thrown to each caller (the next call tries again) and never
 * replaces credentials that are still valid.
 */
export function assumeRoleProvider(sts: STSClient, options: AssumeRoleOptions): () => Promise<AssumedCredentials> {
  const now = options.now ?? Date.now;
  const duration = options.durationSeconds ?? 3_600;
  let current: { creds: AssumedCredentials; refreshAt: number; expiresAt: number } | undefined;
  let pending: Promise<AssumedCredentials> | undefined;
  const assume = async (): Promise<AssumedCredentials> => {
    const issuedAt = now();
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        RoleSessionName: options.sessionName,
        DurationSeconds: duration,
        ...(options.externalId !== undefined ? { ExternalId: options.externalId } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`STS AssumeRole ${options.roleArn} returned no credentials`);
    const expiresAt = c.Expiration ? c.Expiration.getTime() : issuedAt + duration * 1000;
    const lifetime = Math.max(0, expiresAt - issuedAt);
    const before = Math.min(options.refreshBeforeMs ?? 5 * 60_000, Math.floor(lifetime / 2));
    const creds: AssumedCredentials = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      expiration: new Date(expiresAt),
    };
    current = { creds, refreshAt: expiresAt - before, expiresAt };
    return creds;
  };
  return async () => {
    if (current && now() < current.refreshAt) return current.creds;
    pending ??= assume().finally(() => {
      pending = undefined;
    });
    try {
      return await pending;
    } catch (err) {
      // A failed refresh while the old credentials still hold: keep using them.
      if (current && now() < current.expiresAt - 10_000) return current.creds;
      throw err;
    }
  };
}
