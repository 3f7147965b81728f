import { createHash } from 'node:crypto';
import { SandboxError } from '../../errors.js';
import { accessKeyOf } from '../../principals.js';
import type { AdminRoutes, RestCall, RestRequest, RestResponse, RestService } from '../../protocol/types.js';
import { xmlDocument, type XmlNode } from '../../protocol/xml.js';
import type { JsonObject } from '../../types.js';
import type { SandboxWorld } from '../../world.js';

const VERSION = '2011-06-15';
const XMLNS = `https://sts.amazonaws.com/doc/${VERSION}/`;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** A role's default MaxSessionDuration (1 hour). */
const MAX_SESSION_SECONDS = 3_600;

function validation(message: string): SandboxError {
  return new SandboxError('ValidationError', message);
}

function formParams(req: RestRequest): URLSearchParams {
  const type = String(req.headers['content-type'] ?? '');
  if (req.method === 'POST' && type.includes('x-www-form-urlencoded')) return new URLSearchParams(req.body.toString('utf8'));
  return req.query;
}

/** The stable unique id AWS gives a role (`AROA...`), derived here from its ARN. */
function roleId(roleArn: string): string {
  return `AROA${createHash('sha256').update(roleArn).digest('hex').slice(0, 17).toUpperCase()}`;
}

/**
 * AWS STS over the query protocol (form-encoded `Action=...&Version=2011-06-15`, XML answers):
 * AssumeRole and GetCallerIdentity. AssumeRole issues temporary credentials of the account in
 * the role ARN; calls signed with them act in that account (its own ECS, Cloud Map, Route 53,
 * DynamoDB state) until they expire (then `ExpiredTokenException`). Trust policies are not
 * modelled, except the external id a test requires of a role (`POST /_sandbox/sts/roles`).
 */
export class StsService implements RestService, AdminRoutes {
  readonly name = 'sts' as const;

  constructor(private readonly world: SandboxWorld) {}

  owns(req: RestRequest): boolean {
    if (req.path !== '/') return false;
    const params = formParams(req);
    return params.get('Version') === VERSION && params.has('Action');
  }

  route(req: RestRequest): RestCall | undefined {
    const params = formParams(req);
    const action = params.get('Action') ?? '';
    if (action === 'AssumeRole') {
      const log: JsonObject = { RoleArn: params.get('RoleArn') ?? '', RoleSessionName: params.get('RoleSessionName') ?? '' };
      return { operation: action, logInput: log, run: () => this.assumeRole(params) };
    }
    if (action === 'GetCallerIdentity') return { operation: action, logInput: {}, run: () => this.getCallerIdentity(req) };
    return undefined;
  }

  renderError(err: SandboxError, requestId: string): RestResponse {
    return {
      status: err.status,
      body: xmlDocument('ErrorResponse', XMLNS, {
        Error: { Type: err.status >= 500 ? 'Receiver' : 'Sender', Code: err.code, Message: err.message },
        RequestId: requestId,
      }),
    };
  }

  /** Admin: POST /_sandbox/sts/roles {"roleArn", "externalId"} requires that external id (null: none); GET /_sandbox/sts/credentials lists issued keys. */
  admin(method: string, path: string, body: JsonObject): unknown {
    if (method === 'POST' && path === 'roles') {
      const arn = body['roleArn'];
      const ext = body['externalId'];
      if (typeof arn !== 'string' || !ROLE_ARN.test(arn)) throw validation('roleArn must be an IAM role ARN');
      if (ext !== undefined && ext !== null && typeof ext !== 'string') throw validation('externalId must be a string or null');
      this.world.principals.requireExternalId(arn, typeof ext === 'string' ? ext : undefined);
      return { roleArn: arn, externalId: ext ?? null };
    }
    if (method === 'GET' && path === 'credentials') return this.world.principals.list();
    return undefined;
  }

  private ok(action: string, result: XmlNode): RestResponse {
    return {
      status: 200,
      body: xmlDocument(`${action}Response`, XMLNS, { [`${action}Result`]: result, ResponseMetadata: { RequestId: this.world.hexId(32) } }),
    };
  }

  private assumeRole(params: URLSearchParams): RestResponse {
    const roleArn = params.get('RoleArn') ?? '';
    const session = params.get('RoleSessionName') ?? '';
    const m = ROLE_ARN.exec(roleArn);
    if (!m) throw validation(`1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must be a valid IAM role ARN`);
    if (!SESSION_NAME.test(session)) {
      throw validation(
        `1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    }
    const externalId = params.get('ExternalId') ?? undefined;
    if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
      throw validation(`1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2`);
    }
    const durationText = params.get('DurationSeconds');
    const duration = durationText === null ? 3_600 : Number(durationText);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
      throw validation(
        `1 validation error detected: Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
      );
    }
    if (duration > MAX_SESSION_SECONDS) throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    const required = this.world.principals.requiredExternalId(roleArn);
    if (required !== undefined && required !== externalId) {
      throw new SandboxError(
        'AccessDenied',
        `User: arn:aws:iam::${this.world.options.accountId}:user/sandbox is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403,
      );
    }
    const lifetimeMs = Math.min(duration * 1000, this.world.options.assumedRoleLifetimeMs ?? Number.POSITIVE_INFINITY);
    const accountId = m[1]!;
    const roleName = m[2]!;
    const id = roleId(roleArn);
    const creds = this.world.principals.issue({
      expiration: this.world.now() + lifetimeMs,
      accountId,
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${session}`,
      userId: `${id}:${session}`,
    });
    return this.ok('AssumeRole', {
      Credentials: {
        AccessKeyId: creds.accessKeyId,
        SecretAccessKey: creds.secretAccessKey,
        SessionToken: creds.sessionToken,
        Expiration: new Date(creds.expiration).toISOString(),
      },
      AssumedRoleUser: { AssumedRoleId: creds.userId, Arn: creds.arn },
      PackedPolicySize: 0,
    });
  }

  private getCallerIdentity(req: RestRequest): RestResponse {
    const caller = this.world.principals.resolve(accessKeyOf(req.headers, req.query), this.world.options.accountId);
    const account = caller.accountId;
    return this.ok('GetCallerIdentity', {
      UserId: caller.issued?.userId ?? 'AIDASANDBOXUSER000000',
      Account: account,
      Arn: caller.issued?.arn ?? `arn:aws:iam::${account}:user/sandbox`,
    });
  }
}
