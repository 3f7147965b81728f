import { setTimeout as sleep } from 'node:timers/promises';
import type { NetworkConfiguration, RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';

/** Reads until `ok` holds (the sandbox applies due events on each request); fails after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await sleep(10);
  }
}

/** A valid Fargate task definition with one container listening on `port`. */
export function fargateTaskDefinition(family: string, port = 3000, image = 'public.ecr.aws/nginx/nginx:latest'): RegisterTaskDefinitionCommandInput {
  return {
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'app', image, portMappings: [{ containerPort: port }] }],
  };
}

/** Subnets and security group for awsvpc services. */
export const AWSVPC: NetworkConfiguration = { awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'] } };
