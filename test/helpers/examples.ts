// The sandbox the examples/ manifests expect, and the CLI run in-process against it.
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import type { CommandIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { FAST_SANDBOX, useSuiteFixture } from './sandbox.js';

/** Resources the examples declare (namespaces, Cloud Map services, ECS services). */
export const EXAMPLE_RESOURCES = 27;

/** Cloud Map namespaces among them. */
export const EXAMPLE_NAMESPACES = 8;

/**
 * Cloud Map services once they converged: the declared ones and those ECS creates for the
 * Service Connect discoveryNames (examples/service-connect `name`, examples/blue-green `checkout`).
 */
export const EXAMPLE_CLOUD_MAP_SERVICES = 8;

/** ECS services among them. */
export const EXAMPLE_ECS_SERVICES = 13;

/** The counted files of examples/ (every *.yaml / *.yml, Compose and Prometheus files and the environments overlays included). */
export const EXAMPLE_FILES = 27;

/** A sandbox with small delays, holding what a platform team's Terraform would: cluster `demo` and the `orders` family. */
export async function startExampleSandbox(): Promise<SandboxHandle> {
  const sandbox = await startSandbox(FAST_SANDBOX);
  await preparePlatform(sandbox);
  return sandbox;
}

/** Creates cluster `demo` and registers the `orders` task definition family (examples/http-api-only). */
export async function preparePlatform(sandbox: SandboxHandle): Promise<void> {
  const ecs = new ECSClient(sandbox.clientConfig());
  try {
    await ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'orders',
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [{ name: 'orders', image: 'public.ecr.aws/example/orders:1.0', portMappings: [{ containerPort: 8080 }] }],
      }),
    );
  } finally {
    ecs.destroy();
  }
}

/** Exit code and output of one CLI run. */
export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `ecs-gitops <argv>` in-process with `env` as the command's environment. */
export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<CliResult> {
  let out = '';
  let err = '';
  const io: CommandIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env };
  const code = await main([...argv], io);
  return { code, out, err };
}

/** The example sandbox, SDK clients to change it out of band, and the CLI pointed at it. */
export interface ExamplesCliFixture {
  readonly sandbox: SandboxHandle;
  readonly ecs: ECSClient;
  readonly sd: ServiceDiscoveryClient;
  /** Runs `ecs-gitops <argv> --region us-east-1` with the sandbox as every AWS endpoint. */
  cli(...argv: string[]): Promise<CliResult>;
  stop(): Promise<void>;
}

export async function startExamplesCliFixture(): Promise<ExamplesCliFixture> {
  const sandbox = await startExampleSandbox();
  // The SDK's default credential chain reads these; the endpoint goes through the CLI's env seam.
  process.env['AWS_ACCESS_KEY_ID'] = 'sandbox';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'sandbox';
  const env = { AWS_ENDPOINT_URL: sandbox.endpoint, AWS_REGION: 'us-east-1' };
  const ecs = new ECSClient(sandbox.clientConfig());
  const sd = new ServiceDiscoveryClient(sandbox.clientConfig());
  return {
    sandbox,
    ecs,
    sd,
    cli: (...argv) => runCli([...argv, '--region', 'us-east-1'], env),
    stop: async () => {
      ecs.destroy();
      sd.destroy();
      await sandbox.stop();
    },
  };
}

/** {@link startExamplesCliFixture} for the whole enclosing suite (see useSuiteFixture). */
export function useExamplesCli(): ExamplesCliFixture {
  return useSuiteFixture(startExamplesCliFixture);
}
