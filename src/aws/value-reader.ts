/**
 * Reads the external values of Overlays (docs/environments.md): environment variables on an
 * allow list, SSM Parameter Store parameters (GetParameters, 10 names per call; String and
 * StringList; a SecureString is refused, never decrypted), CloudFormation exports
 * (ListExports, every page) and Terraform state outputs (S3 GetObject, `outputs.<name>.value`).
 * The SDK clients are built here, with the same per-attempt hooks as every other client.
 * A value that cannot be read is an outcome, not an exception: the loader reports it at the
 * fields that use it, and nothing else is held back.
 */
import { CloudFormationClient, ListExportsCommand } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { installAttemptMiddleware, type AwsClientHooks } from './attempt-middleware.js';
import { baseClientConfig, type AwsClientsConfig } from './clients.js';
import { createS3Client } from './s3-client.js';

/** One value to read (the shape of the loader's ExternalValueRef). */
export type ValueRequest =
  | { readonly key: string; readonly source: 'env' | 'ssm' | 'cloudFormationExport'; readonly name: string }
  | { readonly key: string; readonly source: 'tfstate'; readonly url: string; readonly output: string };

export type ValueOutcome = { readonly value: string | readonly string[] } | { readonly error: string };

export interface ValueReaderOptions {
  readonly aws?: AwsClientsConfig;
  /** Endpoints of SSM, CloudFormation and S3 when not the default (`AWS_ENDPOINT_URL_SSM`, ...). */
  readonly endpoints?: { readonly ssm?: string; readonly cloudformation?: string; readonly s3?: string };
  readonly hooks?: AwsClientHooks;
  /** The process environment, and the variables an Overlay may read from it. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly allowedEnv?: readonly string[];
}

const SSM_BATCH = 10;

function message(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return e.name && e.message ? `${e.name}: ${e.message}` : String(e.message ?? err);
}

/** Reads every requested value; resolves to an outcome per key. */
export async function readValues(requests: readonly ValueRequest[], options: ValueReaderOptions = {}): Promise<Map<string, ValueOutcome>> {
  const out = new Map<string, ValueOutcome>();
  if (requests.length === 0) return out;
  const base = baseClientConfig(options.aws ?? {});
  const endpoint = (own: string | undefined): { endpoint?: string } => {
    const e = own ?? options.aws?.endpoints?.default;
    return e ? { endpoint: e } : {};
  };
  for (const r of requests) if (r.source === 'env') out.set(r.key, readEnv(r.name, options));
  const ssm = requests.filter((r) => r.source === 'ssm');
  if (ssm.length > 0) {
    const client = new SSMClient({ ...base, ...endpoint(options.endpoints?.ssm) });
    installAttemptMiddleware(client.middlewareStack, 'ssm', options.hooks ?? {});
    try {
      for (const [k, v] of await readParameters(
        client,
        ssm.map((r) => (r.source === 'tfstate' ? '' : r.name)),
      ))
        out.set(`ssm:${k}`, v);
    } finally {
      client.destroy();
    }
  }
  const cfn = requests.filter((r) => r.source === 'cloudFormationExport');
  if (cfn.length > 0) {
    const client = new CloudFormationClient({ ...base, ...endpoint(options.endpoints?.cloudformation) });
    installAttemptMiddleware(client.middlewareStack, 'cloudformation', options.hooks ?? {});
    try {
      const exports = await listExports(client);
      for (const r of cfn) {
        if (r.source === 'tfstate') continue;
        const value = exports instanceof Error ? undefined : exports.get(r.name);
        out.set(
          r.key,
          exports instanceof Error
            ? { error: `ListExports failed: ${message(exports)}` }
            : value !== undefined
              ? { value }
              : { error: 'no such export in this account and Region' },
        );
      }
    } finally {
      client.destroy();
    }
  }
  const tf = requests.filter((r) => r.source === 'tfstate');
  if (tf.length > 0) {
    const s3Endpoint = options.endpoints?.s3 ?? options.aws?.endpoints?.default;
    const client = createS3Client({ ...base, ...(s3Endpoint ? { endpoint: s3Endpoint } : {}) }, options.hooks ?? {});
    try {
      const states = new Map<string, Promise<unknown>>();
      for (const r of tf) {
        if (r.source !== 'tfstate') continue;
        if (!states.has(r.url))
          states.set(
            r.url,
            readState(client, r.url).catch((err: unknown) => new Error(message(err))),
          );
        const state = await states.get(r.url);
        out.set(r.key, state instanceof Error ? { error: `cannot read the state ${r.url}: ${state.message}` } : stateOutput(state, r.output));
      }
    } finally {
      client.destroy();
    }
  }
  return out;
}

function readEnv(name: string, options: ValueReaderOptions): ValueOutcome {
  if (!(options.allowedEnv ?? []).includes(name)) return { error: `${name} is not in the allowed list (--values-env / ECS_GITOPS_VALUES_ENV)` };
  const v = options.env?.[name];
  return v === undefined ? { error: `${name} is not set` } : { value: v };
}

async function readParameters(client: SSMClient, names: readonly string[]): Promise<Map<string, ValueOutcome>> {
  const out = new Map<string, ValueOutcome>();
  const unique = [...new Set(names)];
  for (let i = 0; i < unique.length; i += SSM_BATCH) {
    const batch = unique.slice(i, i + SSM_BATCH);
    try {
      // WithDecryption false: a SecureString comes back encrypted and is refused below.
      const res = await client.send(new GetParametersCommand({ Names: batch, WithDecryption: false }));
      for (const p of res.Parameters ?? []) {
        const requested = batch.find((n) => n === p.Name || n === p.ARN) ?? p.Name ?? '';
        if (p.Type === 'SecureString') {
          out.set(requested, {
            error: "is a SecureString: secrets are never rendered into manifests; reference it in a container's secrets (ECS reads it at task start)",
          });
        } else if (p.Type === 'StringList') {
          out.set(requested, { value: (p.Value ?? '').split(',') });
        } else {
          out.set(requested, { value: p.Value ?? '' });
        }
      }
      for (const n of res.InvalidParameters ?? []) out.set(n, { error: 'ParameterNotFound' });
      for (const n of batch) if (!out.has(n)) out.set(n, { error: 'not returned by GetParameters' });
    } catch (err) {
      for (const n of batch) out.set(n, { error: `GetParameters failed: ${message(err)}` });
    }
  }
  return out;
}

async function listExports(client: CloudFormationClient): Promise<Map<string, string> | Error> {
  const out = new Map<string, string>();
  let token: string | undefined;
  try {
    do {
      const page = await client.send(new ListExportsCommand(token ? { NextToken: token } : {}));
      for (const e of page.Exports ?? []) if (e.Name !== undefined && e.Value !== undefined) out.set(e.Name, e.Value);
      token = page.NextToken;
    } while (token);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  return out;
}

async function readState(client: ReturnType<typeof createS3Client>, url: string): Promise<unknown> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!m?.[1] || !m[2]) throw new Error('not an s3://bucket/key URL');
  const res = await client.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }));
  const text = (await res.Body?.transformToString('utf8')) ?? '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error('the object is not JSON (a Terraform state file is)');
  }
}

function stateOutput(state: unknown, output: string): ValueOutcome {
  const outputs = (state as { outputs?: Record<string, { value?: unknown; sensitive?: boolean }> } | null)?.outputs;
  if (!outputs || typeof outputs !== 'object') return { error: 'the state has no outputs' };
  const o = outputs[output];
  if (!o || !Object.hasOwn(o, 'value')) return { error: `the state has no output "${output}" (outputs: ${Object.keys(outputs).join(', ') || 'none'})` };
  if (o.sensitive === true) return { error: `output "${output}" is sensitive: secrets are never rendered into manifests` };
  const v = o.value;
  if (typeof v === 'string') return { value: v };
  if (typeof v === 'number' || typeof v === 'boolean') return { value: String(v) };
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return { value: v.map(String) };
  return { error: `output "${output}" is not a string or a list of strings` };
}
