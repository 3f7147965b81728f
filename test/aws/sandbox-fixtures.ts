// Creates resources in the sandbox directly through the SDK (as a user or another tool
// would), for observe tests and the scan benchmark.
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateHttpNamespaceCommand,
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand as CreateCloudMapServiceCommand,
  GetOperationCommand,
  type ServiceDiscoveryClient,
} from '@aws-sdk/client-servicediscovery';
import { setTimeout as sleep } from 'node:timers/promises';
import { OWNER_TAGS } from '../../src/kit/types.js';

/** Owner tags as ecs-gitops writes them, as a plain map. */
export function ownerTags(resourceKey: string, controllerId = 'ecs-gitops'): Record<string, string> {
  return { [OWNER_TAGS.controller]: controllerId, [OWNER_TAGS.resource]: resourceKey };
}

const cmTags = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const ecsTags = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));

async function namespaceIdOf(sd: ServiceDiscoveryClient, operationId: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const { Operation: op } = await sd.send(new GetOperationCommand({ OperationId: operationId }));
    if (op?.Status === 'SUCCESS') return op.Targets?.['NAMESPACE'] ?? '';
    if (op?.Status === 'FAIL') throw new Error(`operation ${operationId} failed: ${op.ErrorMessage ?? ''}`);
    await sleep(10);
  }
  throw new Error(`operation ${operationId} did not finish`);
}

export async function createPrivateNamespace(sd: ServiceDiscoveryClient, name: string, vpc: string, tags: Record<string, string> = {}): Promise<string> {
  const out = await sd.send(
    new CreatePrivateDnsNamespaceCommand({ Name: name, Vpc: vpc, Tags: cmTags(tags), Properties: { DnsProperties: { SOA: { TTL: 60 } } } }),
  );
  return namespaceIdOf(sd, out.OperationId ?? '');
}

export async function createHttpNamespace(sd: ServiceDiscoveryClient, name: string, tags: Record<string, string> = {}): Promise<string> {
  const out = await sd.send(new CreateHttpNamespaceCommand({ Name: name, Tags: cmTags(tags) }));
  return namespaceIdOf(sd, out.OperationId ?? '');
}

/** A DNS service with A records (MULTIVALUE) and custom health checking; returns its ARN. */
export async function createDnsService(
  sd: ServiceDiscoveryClient,
  namespaceId: string,
  name: string,
  opts: { ttl?: number; tags?: Record<string, string>; description?: string } = {},
): Promise<string> {
  const out = await sd.send(
    new CreateCloudMapServiceCommand({
      Name: name,
      NamespaceId: namespaceId,
      ...(opts.description ? { Description: opts.description } : {}),
      DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: opts.ttl ?? 60 }] },
      HealthCheckCustomConfig: {},
      Tags: cmTags(opts.tags ?? {}),
    }),
  );
  return out.Service?.Arn ?? '';
}

export async function createCluster(ecs: ECSClient, name: string): Promise<void> {
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
}

/** A Fargate task definition with one container listening on 3000; returns its ARN. */
export async function registerTaskDefinition(ecs: ECSClient, family: string, tags: Record<string, string> = {}): Promise<string> {
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      containerDefinitions: [
        {
          name: family,
          image: `public.ecr.aws/example/${family}:1.0`,
          portMappings: [{ containerPort: 3000 }],
          environment: [{ name: 'PORT', value: '3000' }],
        },
      ],
      ...(Object.keys(tags).length ? { tags: ecsTags(tags) } : {}),
    }),
  );
  return out.taskDefinition?.taskDefinitionArn ?? '';
}

export interface EcsServiceFixture {
  cluster: string;
  name: string;
  taskDefinition: string;
  desiredCount?: number;
  registryArn?: string;
  tags?: Record<string, string>;
}

/** A Fargate service in private subnets; returns its ARN. */
export async function createEcsService(ecs: ECSClient, f: EcsServiceFixture): Promise<string> {
  const out = await ecs.send(
    new CreateServiceCommand({
      cluster: f.cluster,
      serviceName: f.name,
      taskDefinition: f.taskDefinition,
      desiredCount: f.desiredCount ?? 0,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-b', 'subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
      ...(f.registryArn ? { serviceRegistries: [{ registryArn: f.registryArn }] } : {}),
      ...(f.tags ? { tags: ecsTags(f.tags) } : {}),
    }),
  );
  return out.service?.serviceArn ?? '';
}

/** An API-only (HTTP) Cloud Map service; returns its ARN. */
export async function createApiService(sd: ServiceDiscoveryClient, namespaceId: string, name: string): Promise<string> {
  const out = await sd.send(new CreateCloudMapServiceCommand({ Name: name, NamespaceId: namespaceId, Type: 'HTTP' }));
  return out.Service?.Arn ?? '';
}

/** Runs `fn` for 0..n-1 with at most `limit` at once (creating many fixtures quickly). */
export async function times(n: number, limit: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}
