import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EcsSandboxService } from '../src/services/ecs/index.js';
import { resolveOptions, type JsonObject } from '../src/types.js';
import { SandboxWorld } from '../src/world.js';

const COUNT = 5_000;

describe('sandbox ECS with 5,000 services in one cluster (in process)', () => {
  let clock = 1_700_000_000_000;
  const world = new SandboxWorld(resolveOptions({ now: () => clock, taskStartDelayMs: 100, drainDelayMs: 100 }));
  const ecs = new EcsSandboxService(world);
  const call = (operation: string, input: JsonObject): JsonObject => ecs.operations[operation]!(input) as JsonObject;

  it('creates them all, each reaching its running task', () => {
    call('CreateCluster', { clusterName: 'big' });
    call('RegisterTaskDefinition', {
      family: 'big',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image: 'x', portMappings: [{ containerPort: 80 }] }],
    });
    for (let i = 0; i < COUNT; i++) {
      call('CreateService', {
        cluster: 'big',
        serviceName: `svc-${i}`,
        taskDefinition: 'big',
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: [`subnet-${i % 3}`] } },
      });
    }
    clock += 100;
    world.scheduler.runDue();
    const cluster = (call('DescribeClusters', { clusters: ['big'] })['clusters'] as JsonObject[])[0]!;
    assert.equal(cluster['activeServicesCount'], COUNT);
    assert.equal(cluster['runningTasksCount'], COUNT);
  });

  it('pages ListServices 100 at a time through every service exactly once, in creation order', () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = call('ListServices', { cluster: 'big', maxResults: 100, ...(token ? { nextToken: token } : {}) });
      seen.push(...(out['serviceArns'] as string[]));
      token = out['nextToken'] as string | undefined;
      pages++;
    } while (token);
    assert.equal(pages, COUNT / 100);
    assert.equal(new Set(seen).size, COUNT);
    assert.ok(seen[0]!.endsWith('/svc-0'));
    assert.ok(seen[COUNT - 1]!.endsWith(`/svc-${COUNT - 1}`));
  });

  it('keeps paging correct while services are deleted between pages', () => {
    const first = call('ListServices', { cluster: 'big', maxResults: 100 });
    // Delete the next page's services and more: the token still resumes after the last one returned.
    for (let i = 100; i < 600; i++) call('DeleteService', { cluster: 'big', service: `svc-${i}`, force: true });
    clock += 100;
    world.scheduler.runDue();
    const second = call('ListServices', { cluster: 'big', maxResults: 100, nextToken: first['nextToken'] });
    const names = (second['serviceArns'] as string[]).map((a) => a.slice(a.lastIndexOf('/') + 1));
    assert.equal(names[0], 'svc-600');
    assert.equal(names.length, 100);
  });

  it('describes services anywhere in the cluster by name', () => {
    const out = call('DescribeServices', { cluster: 'big', services: ['svc-0', `svc-${COUNT - 1}`, 'svc-150'] });
    const services = out['services'] as JsonObject[];
    assert.deepEqual(
      services.map((s) => s['status']),
      ['ACTIVE', 'ACTIVE', 'INACTIVE'],
    );
    assert.equal(services[1]!['runningCount'], 1);
  });
});
