// The benchmark estate: N pairs (an ECS service and its Cloud Map service) in one cluster and
// one private DNS namespace, written as manifests and created in the sandbox exactly as those
// manifests describe them, all owned: the steady state a restarted controller finds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateServiceCommand } from '@aws-sdk/client-ecs';
import type { AwsClients } from '../../src/aws/clients.js';
import { cloudMapServiceKey, ecsServiceKey, namespaceKey } from '../../src/manifests/keys.js';
import { createCluster, createDnsService, createPrivateNamespace, ownerTags, registerTaskDefinition, times } from '../../test/aws/sandbox-fixtures.js';

export const CLUSTER = 'bench';
export const NAMESPACE = 'bench.internal';
export const VPC = 'vpc-0b1e2c3d4e5f60718';
const SUBNETS = ['subnet-0a1b2c3d4e5f60718', 'subnet-0b2c3d4e5f6071829'];
const SECURITY_GROUP = 'sg-0c3d4e5f607182930';
export const FAMILY = 'bench';
/** The TTL every Cloud Map service declares. */
export const TTL = 60;

export const serviceName = (i: number): string => `svc-${i}`;

function namespaceManifest(): string {
  return `apiVersion: ecs-gitops.io/v1alpha1
kind: CloudMapNamespace
metadata:
  name: ${NAMESPACE}
spec:
  type: DNS_PRIVATE
  vpc: ${VPC}
`;
}

function pairManifests(i: number): string {
  const name = serviceName(i);
  return `apiVersion: ecs-gitops.io/v1alpha1
kind: CloudMapService
metadata:
  name: ${name}
spec:
  namespace: ${NAMESPACE}
  dns:
    routingPolicy: MULTIVALUE
    records:
      - { type: A, ttl: ${TTL} }
  healthCheck:
    custom: {}
---
apiVersion: ecs-gitops.io/v1alpha1
kind: EcsService
metadata:
  name: ${name}
spec:
  cluster: ${CLUSTER}
  taskDefinition:
    family: ${FAMILY}
    cpu: "256"
    memory: "512"
    networkMode: awsvpc
    requiresCompatibilities: [FARGATE]
    containers:
      - name: ${FAMILY}
        image: public.ecr.aws/example/${FAMILY}:1.0
        portMappings: [{ containerPort: 3000 }]
        environment: { PORT: "3000" }
  desiredCount: 0
  launchType: FARGATE
  networkConfiguration:
    subnets: [${SUBNETS.join(', ')}]
    securityGroups: [${SECURITY_GROUP}]
    assignPublicIp: DISABLED
  discovery: { service: ${name}, namespace: ${NAMESPACE} }
`;
}

/** Writes the namespace and one file per pair under `dir`. */
export function writeManifests(dir: string, pairs: number): void {
  mkdirSync(join(dir, 'services'), { recursive: true });
  writeFileSync(join(dir, 'namespace.yaml'), namespaceManifest());
  for (let i = 0; i < pairs; i++) writeFileSync(join(dir, 'services', `${serviceName(i)}.yaml`), pairManifests(i));
}

/** Creates what the manifests declare, owned by controller id `ecs-gitops`; resolves to the Cloud Map service ids by pair. */
export async function seedEstate(clients: AwsClients, pairs: number): Promise<string[]> {
  await createCluster(clients.ecs, CLUSTER);
  const td = await registerTaskDefinition(clients.ecs, FAMILY);
  const nsId = await createPrivateNamespace(clients.serviceDiscovery, NAMESPACE, VPC, ownerTags(namespaceKey(NAMESPACE)));
  const arns: string[] = [];
  await times(pairs, 16, async (i) => {
    arns[i] = await createDnsService(clients.serviceDiscovery, nsId, serviceName(i), {
      ttl: TTL,
      tags: ownerTags(cloudMapServiceKey(NAMESPACE, serviceName(i))),
    });
  });
  await times(pairs, 16, (i) =>
    clients.ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: serviceName(i),
        taskDefinition: td,
        desiredCount: 0,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: [SECURITY_GROUP], assignPublicIp: 'DISABLED' } },
        ...(arns[i] !== undefined ? { serviceRegistries: [{ registryArn: arns[i] }] } : {}),
        tags: Object.entries(ownerTags(ecsServiceKey(CLUSTER, serviceName(i)))).map(([key, value]) => ({ key, value })),
      }),
    ),
  );
  return arns.map((arn) => arn.slice(arn.lastIndexOf('/') + 1));
}
