import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  type CreateServiceCommandInput,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { startSandboxFixture, type SandboxFixture } from '../src/testing.js';
import { AWSVPC, fargateTaskDefinition } from './ecs-helpers.js';

/** A sandbox on a hand-moved clock with cluster `apps` and task definitions web:1 (good) and web:2 (`:broken` image). */
export interface ClockedSandbox extends SandboxFixture {
  advance(ms: number): Promise<void>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  create(name: string, extra?: Partial<CreateServiceCommandInput>): Promise<Service>;
  describe(name: string): Promise<Service>;
  /** The service's newest service deployment. */
  latest(name: string): Promise<ServiceDeployment>;
}

export async function startClockedSandbox(): Promise<ClockedSandbox> {
  let now = 1_700_000_000_000;
  const f = await startSandboxFixture({ now: () => now });
  await f.ecs.send(new CreateClusterCommand({ clusterName: 'apps' }));
  await f.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', 3000, 'registry.example/web:good')));
  await f.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', 3000, 'registry.example/web:broken')));
  const describe = async (name: string): Promise<Service> =>
    (await f.ecs.send(new DescribeServicesCommand({ cluster: 'apps', services: [name] }))).services![0]!;
  return {
    ...f,
    advance: async (ms) => {
      now += ms;
      // Any request applies what fell due.
      await describe('none');
    },
    admin: async (method, path, body) => {
      const res = await fetch(`${f.sandbox.endpoint}/_sandbox/${path}`, {
        method,
        ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
      });
      return { status: res.status, body: await res.json() };
    },
    create: async (name, extra = {}) =>
      (
        await f.ecs.send(
          new CreateServiceCommand({
            cluster: 'apps',
            serviceName: name,
            taskDefinition: 'web:1',
            desiredCount: 2,
            launchType: 'FARGATE',
            networkConfiguration: AWSVPC,
            ...extra,
          }),
        )
      ).service!,
    describe,
    latest: async (name) => {
      const list = await f.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'apps', service: name }));
      const arn = list.serviceDeployments![0]!.serviceDeploymentArn!;
      return (await f.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments![0]!;
    },
  };
}
