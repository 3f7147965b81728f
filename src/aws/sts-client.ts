/** STS: the account the controller's own credentials act in (the lease key names it). */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { installAttemptMiddleware, type AwsClientHooks } from './attempt-middleware.js';
import { baseClientConfig, type AwsClientsConfig } from './clients.js';

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
