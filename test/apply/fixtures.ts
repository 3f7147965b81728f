/** Manifests used by the apply tests: the `hello` -> `name` pattern on private DNS namespace `internal`. */
import {
  API_VERSION,
  type CloudMapNamespaceManifest,
  type CloudMapServiceManifest,
  type EcsServiceManifest,
  type Manifest,
  type SyncPolicy,
} from '../../src/manifests/types.js';

export function namespace(name = 'internal', extra: Partial<CloudMapNamespaceManifest['spec']> = {}): CloudMapNamespaceManifest {
  return {
    apiVersion: API_VERSION,
    kind: 'CloudMapNamespace',
    metadata: { name },
    spec: { type: 'DNS_PRIVATE', vpc: 'vpc-0abc', description: 'internal service discovery', soaTtl: 60, tags: { team: 'platform' }, ...extra },
  };
}

export function cloudMapService(name = 'name', extra: Partial<CloudMapServiceManifest['spec']> = {}): CloudMapServiceManifest {
  return {
    apiVersion: API_VERSION,
    kind: 'CloudMapService',
    metadata: { name },
    spec: {
      namespace: 'internal',
      description: `the ${name} service`,
      dns: { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl: 60 }] },
      healthCheck: { custom: { failureThreshold: 1 } },
      ...extra,
    },
  };
}

export function ecsService(name = 'name', extra: Partial<EcsServiceManifest['spec']> = {}): EcsServiceManifest {
  return {
    apiVersion: API_VERSION,
    kind: 'EcsService',
    metadata: { name },
    spec: {
      cluster: 'demo',
      taskDefinition: {
        family: name,
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
        containers: [
          {
            name,
            image: `public.ecr.aws/example/${name}:1.0`,
            portMappings: [{ containerPort: 3000, protocol: 'tcp' }],
            environment: { PORT: '3000' },
          },
        ],
      },
      desiredCount: 2,
      launchType: 'FARGATE',
      networkConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' },
      discovery: { service: name, namespace: 'internal' },
      tags: { team: 'names' },
      ...extra,
    },
  };
}

/** namespace `internal`, Cloud Map service `name`, ECS service `name` registering into it, ECS service `hello` without discovery. */
export function helloName(): Manifest[] {
  return [namespace(), cloudMapService('name'), ecsService('name'), ecsService('hello', { discovery: undefined, desiredCount: 1 })];
}

export function withPolicy<M extends Manifest>(m: M, policy: SyncPolicy): M {
  return { ...m, spec: { ...m.spec, syncPolicy: policy } } as M;
}
