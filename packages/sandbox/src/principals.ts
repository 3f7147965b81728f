import type { IncomingHttpHeaders } from 'node:http';
import { randomBytes } from 'node:crypto';

/** Temporary credentials STS issued (AssumeRole), and whose they are. */
export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** ms epoch */
  readonly expiration: number;
  /** The account of the assumed role (from its ARN). */
  readonly accountId: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` */
  readonly arn: string;
  /** `<role id>:<session>` */
  readonly userId: string;
}

/** Who signed a request: its access key, and the account it acts in. */
export interface Caller {
  /** The access key id of the signature; undefined for unsigned requests. */
  readonly accessKeyId: string | undefined;
  /** The account the call acts in: the assumed role's for STS-issued keys, else the default. */
  readonly accountId: string;
  /** The credentials when STS issued them. */
  readonly issued: IssuedCredentials | undefined;
  /** True when STS issued the key and it has expired (AWS answers ExpiredTokenException). */
  readonly expired: boolean;
}

const ACCESS_KEY = /Credential=([^/\s,]+)\//;

/** The access key id of a SigV4 `Authorization` header or presigned `X-Amz-Credential`. */
export function accessKeyOf(headers: IncomingHttpHeaders, query?: URLSearchParams): string | undefined {
  const auth = headers.authorization;
  const m = typeof auth === 'string' ? ACCESS_KEY.exec(auth) : null;
  if (m) return m[1];
  const presigned = query?.get('X-Amz-Credential');
  return presigned ? presigned.split('/')[0] : undefined;
}

/**
 * The credentials STS issued, shared by every account of a sandbox. Keys it never issued
 * (the static `sandbox` key, any other) act in the default account, as before.
 */
export class Principals {
  private readonly byKey = new Map<string, IssuedCredentials>();
  /** External id a role's trust policy requires (`sts:ExternalId`), set by tests. */
  private readonly externalIds = new Map<string, string>();

  constructor(private readonly now: () => number) {}

  issue(fields: Omit<IssuedCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>): IssuedCredentials {
    const creds: IssuedCredentials = {
      ...fields,
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(20).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
    };
    this.byKey.set(creds.accessKeyId, creds);
    return creds;
  }

  /** The caller of a request in `defaultAccount` terms. */
  resolve(accessKeyId: string | undefined, defaultAccount: string): Caller {
    const issued = accessKeyId !== undefined ? this.byKey.get(accessKeyId) : undefined;
    return {
      accessKeyId,
      accountId: issued?.accountId ?? defaultAccount,
      issued,
      expired: issued !== undefined && issued.expiration <= this.now(),
    };
  }

  /** Makes AssumeRole of `roleArn` require this external id (undefined: any or none). */
  requireExternalId(roleArn: string, externalId: string | undefined): void {
    if (externalId === undefined) this.externalIds.delete(roleArn);
    else this.externalIds.set(roleArn, externalId);
  }

  requiredExternalId(roleArn: string): string | undefined {
    return this.externalIds.get(roleArn);
  }

  /** Every issued key, newest last (admin listing; secrets left out). */
  list(): { accessKeyId: string; accountId: string; arn: string; expiration: string }[] {
    return [...this.byKey.values()].map((c) => ({
      accessKeyId: c.accessKeyId,
      accountId: c.accountId,
      arn: c.arn,
      expiration: new Date(c.expiration).toISOString(),
    }));
  }

  clear(): void {
    this.byKey.clear();
    this.externalIds.clear();
  }
}
