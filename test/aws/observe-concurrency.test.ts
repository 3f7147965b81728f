import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';
import type { AwsClients } from '../../src/aws/clients.js';
import { createObserveCaches, observe } from '../../src/observe/index.js';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { startClientsFixture } from '../helpers/sandbox.js';
import { createCluster, createEcsService, registerTaskDefinition, times } from './sandbox-fixtures.js';

/** Counts HTTP requests in flight across the clients it is installed on. */
class InFlight {
  now = 0;
  peak = 0;

  install<I extends object, O extends object>(stack: MiddlewareStack<I, O>): void {
    const middleware: FinalizeRequestMiddleware<I, O> = (next) => async (args) => {
      this.peak = Math.max(this.peak, ++this.now);
      try {
        return await next(args);
      } finally {
        this.now--;
      }
    };
    stack.add(middleware, { step: 'finalizeRequest', name: 'testInFlight' });
  }
}

describe('observe: the concurrency option bounds the AWS calls in flight for the whole scan', () => {
  const CLUSTERS = ['a', 'b', 'c'];
  let sandbox: SandboxHandle;
  let clients: AwsClients;
  let stop: () => Promise<void>;

  before(async () => {
    ({ sandbox, clients, stop } = await startClientsFixture());
    const td = await registerTaskDefinition(clients.ecs, 'web');
    for (const cluster of CLUSTERS) {
      await createCluster(clients.ecs, cluster);
      await times(30, 5, (i) => createEcsService(clients.ecs, { cluster, name: `web-${i}`, taskDefinition: td }));
    }
  });
  after(() => stop());

  it('never has more than `concurrency` calls in flight across clusters, batches and Cloud Map', async () => {
    // Slow reads, so the calls a scan allows at once really overlap.
    sandbox.fault({ service: 'ecs', kind: 'latency', latencyMs: 40, count: 1_000 });
    sandbox.fault({ service: 'servicediscovery', kind: 'latency', latencyMs: 40, count: 1_000 });
    const inFlight = new InFlight();
    inFlight.install(clients.ecs.middlewareStack);
    inFlight.install(clients.serviceDiscovery.middlewareStack);
    inFlight.install(clients.route53.middlewareStack);

    const live = await observe(clients, { clusters: CLUSTERS }, createObserveCaches(), { concurrency: 2 });

    assert.equal([...live.resources.values()].filter((r) => r.kind === 'EcsService').length, 90);
    assert.equal(live.calls['ecs:DescribeServices'], 9);
    assert.equal(inFlight.peak, 2, `peak in flight ${inFlight.peak}`);
  });
});
