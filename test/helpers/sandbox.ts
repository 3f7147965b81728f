// Sandbox set-up shared by the product's integration tests: the sandbox package's fixtures
// (raw SDK clients), plus the product's AwsClients pointed at a sandbox.
import { startSandbox, type SandboxHandle, type SandboxOptions } from '@ecs-gitops/sandbox';
import { FAST_SANDBOX } from '@ecs-gitops/sandbox/testing';
import { createAwsClients, destroyAwsClients, type AwsClientHooks, type AwsClients, type AwsClientsConfig } from '../../src/aws/clients.js';

export {
  FAST_SANDBOX,
  startSandboxFixture,
  useFreshSandboxFixture,
  useSandboxFixture,
  useSuiteFixture,
  type SandboxFixture,
} from '@ecs-gitops/sandbox/testing';

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
