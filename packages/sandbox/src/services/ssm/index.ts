import { SandboxError } from '../../errors.js';
import type { AdminRoutes, JsonService } from '../../protocol/types.js';
import type { JsonObject } from '../../types.js';
import type { SandboxWorld } from '../../world.js';

/** One stored parameter (its newest version). */
interface Parameter {
  readonly name: string;
  readonly type: 'String' | 'StringList' | 'SecureString';
  readonly value: string;
  readonly version: number;
  readonly lastModified: number;
  readonly description?: string;
}

const TYPES = new Set(['String', 'StringList', 'SecureString']);
/** AWS: a-z, A-Z, 0-9, and _.-/ ; up to 2048 characters with the path; at most 15 levels. */
const NAME = /^[A-Za-z0-9_.\-/]{1,2048}$/;
const MAX_VALUE_BYTES = 4096; // Standard tier

function validation(message: string): SandboxError {
  return new SandboxError('ValidationException', message);
}

/**
 * AWS Systems Manager Parameter Store over the JSON protocol (AWS JSON 1.1,
 * `X-Amz-Target: AmazonSSM.<Operation>`): PutParameter, GetParameter, GetParameters,
 * DeleteParameter. Standard tier only; a SecureString is stored and, without
 * WithDecryption, returned as an opaque ciphertext as AWS does (no KMS is simulated).
 */
export class SsmService implements JsonService, AdminRoutes {
  readonly name = 'ssm' as const;
  readonly targetPrefix = 'AmazonSSM';
  readonly operations: Readonly<Record<string, (input: JsonObject) => unknown>>;
  private readonly params = new Map<string, Parameter>();

  constructor(private readonly world: SandboxWorld) {
    this.operations = {
      PutParameter: (i) => this.put(i),
      GetParameter: (i) => ({ Parameter: this.render(this.find(nameOf(i['Name'])), i['WithDecryption'] === true) }),
      GetParameters: (i) => this.getMany(i),
      DeleteParameter: (i) => this.delete(i),
    };
  }

  /** Admin: GET /_sandbox/ssm/parameters lists names, types and versions (never values). */
  admin(method: string, path: string): unknown {
    if (method === 'GET' && path === 'parameters') return [...this.params.values()].map((p) => ({ name: p.name, type: p.type, version: p.version }));
    return undefined;
  }

  private arn(name: string): string {
    const { region, accountId } = this.world.options;
    return `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
  }

  /** A name as given: plain, or the parameter's ARN. */
  private normalize(name: string): string {
    const m = /^arn:aws[a-z-]*:ssm:[^:]*:[^:]*:parameter(\/.*)$/.exec(name);
    if (!m?.[1]) return name;
    // A name without a leading slash has ARN .../parameter/name.
    return this.params.has(m[1]) ? m[1] : m[1].slice(1);
  }

  private find(name: string): Parameter {
    const p = this.params.get(this.normalize(name));
    if (!p) throw new SandboxError('ParameterNotFound', '');
    return p;
  }

  private put(input: JsonObject): { Version: number; Tier: string } {
    const name = nameOf(input['Name']);
    if (!NAME.test(name) || name.split('/').length - 1 > 15)
      throw validation(
        `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.`,
      );
    if (/^\/?(aws|ssm)/i.test(name)) throw validation(`Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`);
    const value = input['Value'];
    if (typeof value !== 'string' || value === '')
      throw validation("1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");
    if (Buffer.byteLength(value) > MAX_VALUE_BYTES)
      throw validation(`Standard tier parameters support a maximum parameter value of ${MAX_VALUE_BYTES} characters.`);
    const existing = this.params.get(name);
    const typeIn = input['Type'];
    if (typeIn !== undefined && (typeof typeIn !== 'string' || !TYPES.has(typeIn)))
      throw validation(
        `1 validation error detected: Value '${String(typeIn)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
      );
    if (existing && input['Overwrite'] !== true)
      throw new SandboxError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    if (!existing && typeIn === undefined) throw validation('A parameter type is required when you create a parameter.');
    const type = (typeIn ?? existing?.type) as Parameter['type'];
    const description = typeof input['Description'] === 'string' ? input['Description'] : existing?.description;
    const next: Parameter = {
      name,
      type,
      value,
      version: (existing?.version ?? 0) + 1,
      lastModified: this.world.now(),
      ...(description !== undefined ? { description } : {}),
    };
    this.params.set(name, next);
    return { Version: next.version, Tier: 'Standard' };
  }

  private getMany(input: JsonObject): { Parameters: JsonObject[]; InvalidParameters: string[] } {
    const names = input['Names'];
    if (!Array.isArray(names) || names.length < 1 || names.length > 10)
      throw validation(
        "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1",
      );
    const Parameters: JsonObject[] = [];
    const InvalidParameters: string[] = [];
    for (const n of names) {
      const name = nameOf(n);
      const p = this.params.get(this.normalize(name));
      if (p) Parameters.push(this.render(p, input['WithDecryption'] === true));
      else InvalidParameters.push(name);
    }
    return { Parameters, InvalidParameters };
  }

  private delete(input: JsonObject): Record<string, never> {
    const p = this.find(nameOf(input['Name']));
    this.params.delete(p.name);
    return {};
  }

  private render(p: Parameter, decrypt: boolean): JsonObject {
    const value = p.type === 'SecureString' && !decrypt ? `AQICAH${Buffer.from(`sandbox-kms:${p.name}:${p.version}`).toString('base64')}` : p.value;
    return { Name: p.name, Type: p.type, Value: value, Version: p.version, LastModifiedDate: p.lastModified / 1000, ARN: this.arn(p.name), DataType: 'text' };
  }
}

function nameOf(v: unknown): string {
  if (typeof v !== 'string' || v === '')
    throw validation("1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1");
  return v;
}
