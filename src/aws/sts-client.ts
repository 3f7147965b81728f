/**
 * STS: the account the controller's own credentials act in (the lease key names it), and
 * AssumeRole credentials for targets in other accounts, refreshed before they expire.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { installAttemptMiddleware, type AwsClientHooks } from './attempt-middleware.js';
import { baseClientConfig, type AwsClientsConfig, type AwsCredentials } from './clients.js';

export function createStsClient(config: AwsClientsConfig = {}, hooks: AwsClientHooks = {}): STSClient {
  const endpoint = config.endpoints?.sts ?? config.endpoints?.default;
  const client = new STSClient({ ...baseClientConfig(config), ...(endpoint ? { endpoint } : {}) });
  installAttemptMiddleware(client.middlewareStack, 'sts', hooks);
  return client;
}

/** The account id of the caller's credentials. */
export async function callerAccount(sts: STSClient): Promise<string> {
  const out = await sts.send(new GetCallerIdentityCommand({}));
  if (!out.Account) throw new Error('STS GetCallerIdentity returned no account');
  return out.Account;
}

/** What to assume for one target. */
export interface AssumeRoleSpec {
  readonly roleArn: string;
  readonly externalId?: string;
  /** RoleSessionName (2-64 of `[\w+=,.@-]`). */
  readonly sessionName: string;
  /** Requested lifetime in seconds (900 to the role's maximum; default 3600). */
  readonly durationSeconds?: number;
}

/**
 * A credential provider for the SDK: assumes the role on first use and again once the
 * credentials are within `refreshBeforeMs` of their Expiration (the SDK calls the provider
 * before each request and reuses what it returns until `expiration` nears). Concurrent
 * callers share one AssumeRole.
 */
export function assumeRoleProvider(sts: STSClient, spec: AssumeRoleSpec, refreshBeforeMs = 5 * 60_000, now: () => number = Date.now) {
  let current: (AwsCredentials & { expiration: Date }) | undefined;
  let inFlight: Promise<AwsCredentials & { expiration: Date }> | undefined;
  const fetch = async (): Promise<AwsCredentials & { expiration: Date }> => {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: spec.roleArn,
        RoleSessionName: spec.sessionName,
        ...(spec.externalId !== undefined ? { ExternalId: spec.externalId } : {}),
        ...(spec.durationSeconds !== undefined ? { DurationSeconds: spec.durationSeconds } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.Expiration) throw new Error(`STS AssumeRole of ${spec.roleArn} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      expiration: c.Expiration,
    };
  };
  return async (): Promise<AwsCredentials & { expiration: Date }> => {
    // Hand the SDK an expiration `refreshBeforeMs` early, so it asks again in time.
    if (current && current.expiration.getTime() - refreshBeforeMs > now()) return current;
    inFlight ??= fetch().finally(() => {
      inFlight = undefined;
    });
    const fresh = await inFlight;
    current = fresh;
    return fresh;
  };
}
