import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { DiscoverInstancesCommand } from '@aws-sdk/client-servicediscovery';
import { CallCounter, countCalls, type CallOutcome } from '../../src/aws/call-counter.js';
import { createAwsClients, destroyAwsClients, endpointOverridesFromEnv, type AwsClients } from '../../src/aws/clients.js';
import { AwsError, call } from '../../src/aws/errors.js';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { startClientsFixture } from '../helpers/sandbox.js';

describe('AWS clients against the sandbox', () => {
  let sandbox: SandboxHandle;
  let clients: AwsClients;
  let stop: () => Promise<void>;
  const seen: [string, string, CallOutcome][] = [];
  const acquired: string[] = [];

  before(async () => {
    ({ sandbox, clients, stop } = await startClientsFixture({
      maxAttempts: 4,
      hooks: {
        rateLimiter: {
          acquire: async (service, operation) => {
            acquired.push(`${service}:${operation}`);
          },
        },
        onCall: (service, operation, outcome) => seen.push([service, operation, outcome]),
      },
    }));
  });
  after(() => stop());
  beforeEach(() => {
    sandbox.reset();
    seen.length = 0;
    acquired.length = 0;
  });

  it('reports every HTTP attempt inside the retry loop: 2 throttles then success are 3 attempts', async () => {
    sandbox.fault({ service: 'ecs', operation: 'ListClusters', kind: 'throttle', count: 2 });
    const out = await clients.ecs.send(new ListClustersCommand({}));
    assert.equal(out.$metadata.attempts, 3);
    assert.deepEqual(seen, [
      ['ecs', 'ListClusters', 'throttled'],
      ['ecs', 'ListClusters', 'throttled'],
      ['ecs', 'ListClusters', 'ok'],
    ]);
    assert.deepEqual(acquired, ['ecs:ListClusters', 'ecs:ListClusters', 'ecs:ListClusters'], 'a token is taken before each attempt');
    assert.equal(sandbox.world.calls.total('ecs', 'ListClusters'), 3);
  });

  it('retries a one-shot 5xx and reports it as an error attempt', async () => {
    sandbox.fault({ service: 'ecs', operation: 'ListClusters', kind: 'error', status: 500, code: 'ServerException', count: 1 });
    await clients.ecs.send(new ListClustersCommand({}));
    assert.deepEqual(
      seen.map((s) => s[2]),
      ['error', 'ok'],
    );
  });

  it('surfaces ECS LimitExceededException at once as a quota error instead of retrying it as throttling', async () => {
    sandbox.fault({ service: 'ecs', operation: 'ListClusters', kind: 'error', status: 400, code: 'LimitExceededException', count: 5 });
    await assert.rejects(
      call('ecs', 'ListClusters', () => clients.ecs.send(new ListClustersCommand({}))),
      (err: unknown) => err instanceof AwsError && err.category === 'quota' && err.stalled && err.code === 'LimitExceededException',
    );
    assert.equal(sandbox.world.calls.total('ecs', 'ListClusters'), 1, 'no retry');
    assert.deepEqual(seen, [['ecs', 'ListClusters', 'error']]);
  });

  it('classifies a not-found answer per attempt and converts it once at the edge', async () => {
    await assert.rejects(
      call('servicediscovery', 'DiscoverInstances', () =>
        clients.serviceDiscovery.send(new DiscoverInstancesCommand({ NamespaceName: 'nope', ServiceName: 'nope' })),
      ),
      (err: unknown) => err instanceof AwsError && err.category === 'not-found' && err.service === 'servicediscovery',
    );
    // Reaching the sandbox at all proves the `data-` host prefix was disabled for a local endpoint.
    assert.deepEqual(seen, [['servicediscovery', 'DiscoverInstances', 'not-found']]);
  });

  it('counts the attempts made inside a counting scope only', async () => {
    await clients.ecs.send(new ListClustersCommand({}));
    const counter = new CallCounter();
    sandbox.fault({ service: 'ecs', operation: 'ListClusters', kind: 'error', status: 503, code: 'ServiceUnavailable', count: 1 });
    await countCalls(counter, () => clients.ecs.send(new ListClustersCommand({})));
    assert.deepEqual(counter.snapshot(), { 'ecs:ListClusters': 2 });
    assert.deepEqual(counter.byOutcome(), { ok: 1, throttled: 0, error: 1, 'not-found': 0 });
  });

  it('uses the SDK adaptive retry mode', async () => {
    const strategy = await clients.ecs.config.retryStrategy();
    assert.equal((strategy as { mode?: string }).mode, 'adaptive');
  });
});

describe('endpoint overrides from the environment', () => {
  it('reads the SDK standard variables it is given, ignoring blanks', () => {
    assert.deepEqual(
      endpointOverridesFromEnv({
        AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
        AWS_ENDPOINT_URL_ECS: ' http://127.0.0.1:5000 ',
        AWS_ENDPOINT_URL_SERVICEDISCOVERY: '',
        AWS_ENDPOINT_URL_ROUTE_53: 'http://r53',
        HOME: '/root',
      }),
      { default: 'http://127.0.0.1:4566', ecs: 'http://127.0.0.1:5000', route53: 'http://r53' },
    );
    assert.deepEqual(endpointOverridesFromEnv({}), {});
  });

  it('sets disableHostPrefix only when an endpoint is overridden', () => {
    const local = createAwsClients({ region: 'us-east-1', endpoints: { serviceDiscovery: 'http://127.0.0.1:1' } });
    const aws = createAwsClients({ region: 'us-east-1' });
    try {
      assert.equal(local.serviceDiscovery.config.disableHostPrefix, true);
      assert.equal(local.ecs.config.disableHostPrefix, true);
      assert.equal(aws.serviceDiscovery.config.disableHostPrefix, false);
    } finally {
      destroyAwsClients(local);
      destroyAwsClients(aws);
    }
  });
});
