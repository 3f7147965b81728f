// Test fixtures for code that runs against the sandbox: a fast in-process sandbox plus raw SDK
// clients of every service pointed at it, set up and torn down by node:test hooks.
import { after, before, beforeEach } from 'node:test';
import { ECSClient } from '@aws-sdk/client-ecs';
import { Route53Client } from '@aws-sdk/client-route-53';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { startSandbox, type SandboxHandle } from './server.js';
import type { SandboxOptions } from './types.js';

/** Small sandbox delays so the suite stays fast. */
export const FAST_SANDBOX = { operationDelayMs: 20, taskStartDelayMs: 20, drainDelayMs: 20 } as const;

/**
 * Starts a fixture in a `before` hook of the enclosing suite and stops it in an `after` hook.
 * Returns the fixture object, whose members are there once the suite's tests (and any
 * `before` hook registered after this call) run.
 */
export function useSuiteFixture<T extends { stop(): Promise<void> }>(start: () => Promise<T>): T {
  const fixture = {} as T;
  let started = false;
  before(async () => {
    Object.assign(fixture, await start());
    started = true;
  });
  after(async () => {
    if (started) await fixture.stop();
  });
  return fixture;
}

/** A fast sandbox plus SDK clients of every service, one attempt per call, pointed at it. */
export interface SandboxFixture {
  readonly sandbox: SandboxHandle;
  readonly ecs: ECSClient;
  readonly sd: ServiceDiscoveryClient;
  readonly r53: Route53Client;
  stop(): Promise<void>;
}

export async function startSandboxFixture(options: SandboxOptions = {}): Promise<SandboxFixture> {
  const sandbox = await startSandbox({ ...FAST_SANDBOX, ...options });
  const ecs = new ECSClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
  // DiscoverInstances uses the `data-` host prefix, which a local endpoint cannot resolve.
  const sd = new ServiceDiscoveryClient({ ...sandbox.clientConfig(), maxAttempts: 1, disableHostPrefix: true });
  const r53 = new Route53Client({ ...sandbox.clientConfig(), maxAttempts: 1 });
  return {
    sandbox,
    ecs,
    sd,
    r53,
    stop: async () => {
      ecs.destroy();
      sd.destroy();
      r53.destroy();
      await sandbox.stop();
    },
  };
}

/** {@link startSandboxFixture} for the whole enclosing suite (see {@link useSuiteFixture}). */
export function useSandboxFixture(options: SandboxOptions = {}): SandboxFixture {
  return useSuiteFixture(() => startSandboxFixture(options));
}

/**
 * {@link useSandboxFixture} whose sandbox is emptied before every test of the suite; the
 * suite's own `beforeEach` hooks, registered after this call, run on the emptied sandbox.
 */
export function useFreshSandboxFixture(options: SandboxOptions = {}): SandboxFixture {
  const fixture = useSandboxFixture(options);
  beforeEach(() => fixture.sandbox.reset());
  return fixture;
}
export { cliJson, runAwsCli, type CliResult } from './aws-cli.js';
