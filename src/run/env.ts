/**
 * The one place the process environment becomes controller and source settings: the CLI
 * passes its environment map here; modules below never read process.env.
 */
import { endpointOverridesFromEnv, type AwsClientsConfig } from '../aws/clients.js';
import type { ValueReaderOptions } from '../aws/value-reader.js';
import { gitAuthFromEnv } from '../sources/git/auth.js';
import type { OpenSourceOptions } from '../sources/open-source.js';

type Env = Readonly<Record<string, string | undefined>>;

function pick(env: Env, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = env[n]?.trim();
    if (v) return v;
  }
  return undefined;
}

/** AWS client settings: region (`AWS_REGION`, `AWS_DEFAULT_REGION`) and endpoint overrides (`AWS_ENDPOINT_URL*`). */
export function awsConfigFromEnv(env: Env): AwsClientsConfig {
  const region = pick(env, 'AWS_REGION', 'AWS_DEFAULT_REGION');
  return { ...(region ? { region } : {}), endpoints: endpointOverridesFromEnv(env) };
}

/**
 * Source settings: Git credentials (`ECS_GITOPS_GIT_*`, see docs/sources.md) and the S3
 * client (`AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`, region).
 */
export function sourceOptionsFromEnv(env: Env): OpenSourceOptions {
  const region = pick(env, 'AWS_REGION', 'AWS_DEFAULT_REGION');
  const endpoint = pick(env, 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL');
  return {
    git: { auth: gitAuthFromEnv(env) },
    s3: { clientConfig: { ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) } },
  };
}

/**
 * How Overlay values outside the source are read (docs/environments.md): the AWS settings
 * above with the SSM, CloudFormation and S3 endpoints (`AWS_ENDPOINT_URL_SSM`,
 * `AWS_ENDPOINT_URL_CLOUDFORMATION`, `AWS_ENDPOINT_URL_S3`), and the environment variables an
 * Overlay may read (`ECS_GITOPS_VALUES_ENV`, comma separated; none by default).
 */
export function valueReaderOptionsFromEnv(env: Env, region?: string): ValueReaderOptions {
  const aws = awsConfigFromEnv(env);
  const ssm = pick(env, 'AWS_ENDPOINT_URL_SSM');
  const cloudformation = pick(env, 'AWS_ENDPOINT_URL_CLOUDFORMATION');
  const s3 = pick(env, 'AWS_ENDPOINT_URL_S3');
  const allowedEnv = (env['ECS_GITOPS_VALUES_ENV'] ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return {
    aws: region !== undefined ? { ...aws, region } : aws,
    endpoints: { ...(ssm ? { ssm } : {}), ...(cloudformation ? { cloudformation } : {}), ...(s3 ? { s3 } : {}) },
    env,
    allowedEnv,
  };
}
