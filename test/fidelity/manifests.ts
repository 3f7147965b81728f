/** Manifests of the fidelity suite, with ids and ARNs the schema accepts. */
import { API_VERSION, type CloudMapNamespaceManifest, type CloudMapServiceManifest, type EcsServiceManifest } from '../../src/manifests/types.js';

export const CLUSTER = 'fidelity';
export const NAMESPACE = 'internal';
export const PUBLIC_NAMESPACE = 'example.com';
export const VPC = 'vpc-0abc1234';
export const SUBNETS = ['subnet-0aaa1111', 'subnet-0bbb2222', 'subnet-0ccc3333'] as const;
export const SECURITY_GROUPS = ['sg-0aaa1111', 'sg-0bbb2222'] as const;
export const EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole';
export const TASK_ROLE = 'arn:aws:iam::123456789012:role/app-task';

export function targetGroup(name: string): string {
  return `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0123456789abcdef`;
}

export function secret(name: string): string {
  return `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}`;
}

export function privateNamespace(): CloudMapNamespaceManifest {
  return {
    apiVersion: API_VERSION,
    kind: 'CloudMapNamespace',
    metadata: { name: NAMESPACE },
    spec: { type: 'DNS_PRIVATE', vpc: VPC, description: 'internal discovery', soaTtl: 60, tags: { team: 'platform' } },
  };
}

export function publicNamespace(): CloudMapNamespaceManifest {
  return {
    apiVersion: API_VERSION,
    kind: 'CloudMapNamespace',
    metadata: { name: PUBLIC_NAMESPACE },
    spec: { type: 'DNS_PUBLIC', description: 'public discovery' },
  };
}

export const HTTP_NAMESPACE = 'api-only';

export function httpNamespace(): CloudMapNamespaceManifest {
  return {
    apiVersion: API_VERSION,
    kind: 'CloudMapNamespace',
    metadata: { name: HTTP_NAMESPACE },
    spec: { type: 'HTTP', description: 'API discovery', tags: { team: 'platform', env: 'test' } },
  };
}

/** The three namespaces (private DNS `internal`, public DNS `example.com`, HTTP `api-only`). */
export function namespaces(): CloudMapNamespaceManifest[] {
  return [privateNamespace(), publicNamespace(), httpNamespace()];
}

/** A MULTIVALUE A-record service with custom health checking in `internal`. */
export function cloudMapService(name: string): CloudMapServiceManifest {
  return {
    apiVersion: API_VERSION,
    kind: 'CloudMapService',
    metadata: { name },
    spec: {
      namespace: NAMESPACE,
      description: `the ${name} service`,
      dns: { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl: 60 }] },
      healthCheck: { custom: { failureThreshold: 1 } },
      tags: { team: 'names', tier: 'backend' },
    },
  };
}

/**
 * A Fargate service with one container `app` (ports 3000 and 3001, environment, secrets,
 * awslogs) and most service settings spelled out; family = name.
 */
export function ecsService(name: string): EcsServiceManifest {
  return {
    apiVersion: API_VERSION,
    kind: 'EcsService',
    metadata: { name },
    spec: {
      cluster: CLUSTER,
      taskDefinition: {
        family: name,
        cpu: '256',
        memory: '512',
        requiresCompatibilities: ['FARGATE'],
        executionRoleArn: EXECUTION_ROLE,
        containers: [
          {
            name: 'app',
            image: `public.ecr.aws/example/${name}:1.0`,
            portMappings: [{ containerPort: 3000 }, { containerPort: 3001, name: 'admin' }],
            environment: { PORT: '3000', LOG_LEVEL: 'info', MODE: 'blue' },
            secrets: [
              { name: 'DB_PASSWORD', valueFrom: secret('db') },
              { name: 'API_KEY', valueFrom: secret('api') },
            ],
            logConfiguration: {
              logDriver: 'awslogs',
              options: { 'awslogs-group': `/ecs/${name}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'app' },
            },
          },
        ],
      },
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { subnets: [SUBNETS[0], SUBNETS[1]], securityGroups: [SECURITY_GROUPS[0]] },
      tags: { team: 'names', tier: 'backend' },
    },
  };
}

/** The inline task definition of an ECS service manifest (the builders always set one). */
export function td(m: EcsServiceManifest): NonNullable<EcsServiceManifest['spec']['taskDefinition']> {
  const t = m.spec.taskDefinition;
  if (!t) throw new Error(`${m.metadata.name} has no inline task definition`);
  return t;
}

/** The first container of an ECS service manifest's inline task definition. */
export function app(m: EcsServiceManifest): NonNullable<EcsServiceManifest['spec']['taskDefinition']>['containers'][number] {
  const c = td(m).containers[0];
  if (!c) throw new Error(`${m.metadata.name} has no container`);
  return c;
}
