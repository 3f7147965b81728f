import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateClusterCommand, ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { ListNamespacesCommand, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { FakeClock } from '../helpers/fake-clock.js';
import { FamilyRateLimiter, type AwsRateLimiter } from '../../src/controller/rate-limiter.js';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';

interface Stackable {
  middlewareStack: { add(mw: unknown, opts: { step: 'initialize'; name: string }): void };
}

/** What the AWS adapter does: take a token before each call (here in a test-local middleware). */
function limited<C extends Stackable>(client: C, limiter: AwsRateLimiter): C {
  client.middlewareStack.add(
    (next: (a: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => async (args: unknown) => {
      await limiter.acquire(context.clientName ?? '', context.commandName ?? '');
      return next(args);
    },
    { step: 'initialize', name: 'ecsGitopsRateLimit' },
  );
  return client;
}

/** Polls `check` until it holds, with a wall-clock deadline (a poll count stretches and shrinks with machine load). */
async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await sleep(5);
  assert.ok(check(), `timed out after ${timeoutMs}ms waiting for ${what}`);
}

describe('rate limiter in front of the real SDK clients (sandbox)', () => {
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandbox({ operationDelayMs: 20, taskStartDelayMs: 20, drainDelayMs: 20 });
  });
  after(() => sandbox.stop());

  it('lets only the burst through, then one call per refill, per API family', async () => {
    const clock = new FakeClock();
    const limiter = new FamilyRateLimiter({
      clock,
      limits: { 'ecs-read': { burst: 3, perSecond: 1 }, servicediscovery: { burst: 1, perSecond: 1 } },
    });
    const ecs = limited(new ECSClient({ ...sandbox.clientConfig(), maxAttempts: 1 }), limiter);
    const cloudmap = limited(new ServiceDiscoveryClient({ ...sandbox.clientConfig(), maxAttempts: 1 }), limiter);
    const reads = () => sandbox.world.calls.total('ecs', 'ListClusters');

    const pending = Array.from({ length: 6 }, () => ecs.send(new ListClustersCommand({})));
    await until(() => reads() === 3, 'the burst of 3 reads');
    // Other families are not held up by the waiting ECS reads.
    await ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
    await cloudmap.send(new ListNamespacesCommand({}));
    await sleep(50);
    assert.equal(reads(), 3, 'no read beyond the burst before time moves');

    await clock.advance(1_000);
    await until(() => reads() === 4, 'one more read after 1s');
    await clock.advance(2_000);
    await Promise.all(pending);
    assert.equal(reads(), 6);
    assert.equal(sandbox.world.calls.total('ecs', 'CreateCluster'), 1);
    ecs.destroy();
    cloudmap.destroy();
  });
});
