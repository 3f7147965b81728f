import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { pino } from 'pino';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { createSqsClient } from '../../src/aws/sqs-client.js';
import { ControllerMetrics } from '../../src/observability/metrics.js';
import { EventsQueueConsumer } from '../../src/run/events-queue.js';
import { FAST_SANDBOX } from '../helpers/sandbox.js';
import { waitFor } from './helpers.js';

const QUEUE = 'standby-events';

describe('events queue under a writer lease: a standby leaves the messages to the holder (sandbox SQS)', () => {
  let sandbox: SandboxHandle;
  let sqs: SQSClient;
  let queueUrl: string;

  before(async () => {
    sandbox = await startSandbox({ ...FAST_SANDBOX, eventsQueue: QUEUE });
    queueUrl = `${sandbox.endpoint}/123456789012/${QUEUE}`;
    sqs = new SQSClient(sandbox.clientConfig());
  });
  after(async () => {
    sqs.destroy();
    await sandbox.stop();
  });

  async function waiting(): Promise<number> {
    const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }))).Attributes ?? {};
    return Number(a['ApproximateNumberOfMessages'] ?? 'NaN');
  }

  it('receives nothing while inactive, and takes the waiting messages once active', async () => {
    let active = false;
    const handled: string[] = [];
    const cfg = sandbox.clientConfig();
    const client = createSqsClient({ region: cfg.region, credentials: cfg.credentials, endpoints: { default: cfg.endpoint } });
    const consumer = new EventsQueueConsumer({
      sqs: client,
      queueUrl,
      metrics: new ControllerMetrics({ processMetrics: false }),
      logger: pino({ level: 'silent' }),
      handle: async (bodies) => {
        handled.push(...bodies);
        return bodies.map(() => true);
      },
      active: () => active,
    });
    consumer.start();
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"detail-type":"x"}' }));
      // Two inactive rechecks: the message is still waiting, never received.
      await new Promise((r) => setTimeout(r, 2_500));
      assert.equal(await waiting(), 1);
      assert.equal(handled.length, 0);
      assert.equal(sandbox.world.calls.calls(0).filter((c) => c.service === 'sqs' && c.operation === 'ReceiveMessage').length, 0);
      active = true;
      await waitFor(() => handled.length === 1, 10_000, 'the holder to take the waiting message');
      await waitFor(async () => (await waiting()) === 0, 10_000, 'the message to be deleted');
    } finally {
      await consumer.stop();
      client.destroy();
    }
  });
});
