// Prints how the sandbox's ECS service calls scale with the number of services in one
// cluster (in process, no HTTP): per-call cost of CreateService, DescribeServices (10 names)
// and a ListServices page (100) at 100 and at 5,000 services. Flat figures = no full scans.
//   npm run build && node dist/bench/sandbox-ecs-services.js
import { performance } from 'node:perf_hooks';
import { EcsSandboxService } from '../src/services/ecs/index.js';
import { resolveOptions, type JsonObject } from '../src/types.js';
import { SandboxWorld } from '../src/world.js';

const SIZES = [100, 1_000, 5_000];

function setUp(): (operation: string, input: JsonObject) => JsonObject {
  const ecs = new EcsSandboxService(new SandboxWorld(resolveOptions({ taskStartDelayMs: 0 })));
  const call = (operation: string, input: JsonObject): JsonObject => ecs.operations[operation]!(input) as JsonObject;
  call('CreateCluster', { clusterName: 'bench' });
  call('RegisterTaskDefinition', {
    family: 'bench',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'app', image: 'x', portMappings: [{ containerPort: 80 }] }],
  });
  return call;
}

function perCallMicros(n: number, fn: (i: number) => void): number {
  const start = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return ((performance.now() - start) * 1000) / n;
}

for (const size of SIZES) {
  const call = setUp();
  const create = perCallMicros(size, (i) =>
    call('CreateService', {
      cluster: 'bench',
      serviceName: `svc-${i}`,
      taskDefinition: 'bench',
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'] } },
    }),
  );
  const names = Array.from({ length: 10 }, (_, i) => `svc-${Math.floor((i * size) / 10)}`);
  const describe = perCallMicros(1_000, () => call('DescribeServices', { cluster: 'bench', services: names }));
  let token: string | undefined;
  let pages = 0;
  const list = perCallMicros(Math.ceil(size / 100), () => {
    const out = call('ListServices', { cluster: 'bench', maxResults: 100, ...(token ? { nextToken: token } : {}) });
    token = out['nextToken'] as string | undefined;
    pages++;
  });
  console.log(
    `${String(size).padStart(5)} services: CreateService ${create.toFixed(1)} us/call, ` +
      `DescribeServices(10) ${describe.toFixed(1)} us/call, ListServices(100) ${list.toFixed(1)} us/page over ${pages} pages`,
  );
}
