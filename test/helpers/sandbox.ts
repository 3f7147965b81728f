// Sandbox set-up shared by integration tests: a fast in-process sandbox with either raw SDK
// clients (for testing the sandbox itself) or the product's AwsClients pointed at it.
import { after, before, beforeEach } from 'node:test';
import { ECSClient } from '@aws-sdk/client-ecs';
import { Route53Client } from '@aws-sdk/client-route-53';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { createAwsClients, destroyAwsClients, type AwsClientHooks, type AwsClients, type AwsClientsConfig } from '../../src/aws/clients.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import type { SandboxOptions } from '../../src/sandbox/types.js';

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

/** A fast sandbox plus the product's AWS clients pointed at it. */
export interface ClientsFixture {
  readonly sandbox: SandboxHandle;
  readonly clients: AwsClients;
  stop(): Promise<void>;
}

/** What to vary from the defaults of {@link startClientsFixture}. */
export interface ClientsFixtureOptions {
  readonly sandbox?: SandboxOptions;
  /** SDK attempts per call (SDK default when absent). */
  readonly maxAttempts?: number;
  readonly hooks?: AwsClientHooks;
}

export async function startClientsFixture(options: ClientsFixtureOptions = {}): Promise<ClientsFixture> {
  const sandbox = await startSandbox({ ...FAST_SANDBOX, ...options.sandbox });
  const cfg = sandbox.clientConfig();
  const config: AwsClientsConfig = {
    region: cfg.region,
    credentials: cfg.credentials,
    endpoints: { default: cfg.endpoint },
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  };
  const clients = createAwsClients(config, options.hooks);
  return {
    sandbox,
    clients,
    stop: async () => {
      destroyAwsClients(clients);
      await sandbox.stop();
    },
  };
}
