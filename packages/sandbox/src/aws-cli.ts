// Runs the real AWS CLI against a sandbox endpoint (tests of the sandbox and of the product use it).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';

/** Exit code and output of one AWS CLI run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the AWS CLI against `endpoint` with JSON output, dummy credentials and no user
 * configuration or pager. Never rejects: a failing command comes back with its exit code.
 */
export async function runAwsCli(endpoint: string, args: readonly string[]): Promise<CliResult> {
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/tmp',
    AWS_ACCESS_KEY_ID: 'sandbox',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  try {
    const { stdout, stderr } = await run(AWS, ['--endpoint-url', endpoint, '--output', 'json', ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The JSON a successful run printed; fails the test with the CLI's stderr when the run failed. */
export function cliJson<T>(result: CliResult): T {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}
