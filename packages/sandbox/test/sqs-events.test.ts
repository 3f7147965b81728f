import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateClusterCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  CreateServiceCommand,
  UpdateServiceCommand,
  DescribeServicesCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { GetServiceCommand, ServiceDiscoveryClient, UpdateServiceCommand as UpdateCloudMapServiceCommand } from '@aws-sdk/client-servicediscovery';
import { startSandbox, type SandboxHandle } from '../src/index.js';
import { FAST_SANDBOX } from '../src/testing.js';
import { createNamespace, createService, ManualClock } from './cloudmap-helpers.js';
import { AWSVPC, fargateTaskDefinition } from './ecs-helpers.js';

interface Envelope {
  'detail-type': string;
  source: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown> & { requestParameters?: Record<string, unknown> };
}

function bodies(messages: Message[] | undefined): Envelope[] {
  return (messages ?? []).map((m) => JSON.parse(m.Body ?? '{}') as Envelope);
}

describe('sandbox SQS (JSON protocol)', () => {
  let sandbox: SandboxHandle;
  let sqs: SQSClient;
  const clock = new ManualClock();
  before(async () => {
    sandbox = await startSandbox({ ...FAST_SANDBOX, now: clock.now });
    sqs = new SQSClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
  });
  after(async () => {
    sqs.destroy();
    await sandbox.stop();
  });

  it('creates a queue, sends, receives with a checked MD5 and deletes in a batch', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'work' }));
    assert.equal(QueueUrl, `${sandbox.endpoint}/123456789012/work`);
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'work' }))).QueueUrl, QueueUrl);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'two' }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    assert.deepEqual(
      got.Messages?.map((m) => m.Body),
      ['one', 'two'],
    );
    assert.equal(got.Messages?.[0]?.Attributes?.ApproximateReceiveCount, '1');
    const del = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', ReceiptHandle: got.Messages?.[0]?.ReceiptHandle },
          { Id: 'b', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    assert.deepEqual(
      del.Successful?.map((s) => s.Id),
      ['a'],
    );
    assert.equal(del.Failed?.[0]?.Code, 'ReceiptHandleIsInvalid');
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    assert.equal(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible, '1');
  });

  it('hides a received message for its visibility timeout, on the sandbox clock', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'vis' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 30 }));
    assert.equal(first.Messages?.length, 1);
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
    clock.advance(30_000);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    assert.equal(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount, '2');
    // The first receive's handle no longer deletes the message.
    const stale = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'old', ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }] }));
    assert.equal(stale.Successful?.length ?? 0, 0);
  });

  it('long polls: a receive that waits gets a message sent during the wait', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'long' }));
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }));
    await new Promise((r) => setImmediate(r));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'late' }));
    const got = await waiting;
    assert.equal(got.Messages?.[0]?.Body, 'late');
  });

  it('answers AWS errors: unknown queue, out-of-range values, empty and oversized batches', async () => {
    await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })), (e: Error) => e.name === 'QueueDoesNotExist');
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'errs' }));
    await assert.rejects(sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })), /MaxNumberOfMessages/);
    await assert.rejects(sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 21 })), /WaitTimeSeconds/);
    await assert.rejects(sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [] })), (e: Error) => e.name === 'EmptyBatchRequest');
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, ReceiptHandle: 'h' }));
    await assert.rejects(sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: eleven })), (e: Error) => e.name === 'TooManyEntriesInBatchRequest');
    await assert.rejects(
      sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'same', ReceiptHandle: 'h' },
            { Id: 'same', ReceiptHandle: 'h' },
          ],
        }),
      ),
      (e: Error) => e.name === 'BatchEntryIdsNotDistinct',
    );
  });
});

describe('sandbox change events', () => {
  let sandbox: SandboxHandle;
  let sqs: SQSClient;
  let sd: ServiceDiscoveryClient;
  let ecs: ECSClient;
  const clock = new ManualClock();
  let queueUrl = '';
  before(async () => {
    sandbox = await startSandbox({ ...FAST_SANDBOX, now: clock.now, eventsQueue: 'changes', eventDelayMs: 500 });
    const cfg = { ...sandbox.clientConfig(), maxAttempts: 1 };
    sqs = new SQSClient(cfg);
    sd = new ServiceDiscoveryClient({ ...cfg, disableHostPrefix: true });
    ecs = new ECSClient(cfg);
    queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'changes' }))).QueueUrl ?? '';
  });
  after(async () => {
    sqs.destroy();
    sd.destroy();
    ecs.destroy();
    await sandbox.stop();
  });

  async function drain(): Promise<Envelope[]> {
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    if (got.Messages?.length) {
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: got.Messages.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })) }),
      );
    }
    return bodies(got.Messages);
  }

  it('sends a CloudTrail event for a Cloud Map write after the delay, none for reads', async () => {
    clock.advance(10_000);
    const nsId = await tick(() => createNamespace(sd, 'private', 'events.local'));
    const svcId = await createService(sd, nsId, 'api');
    clock.advance(1_000);
    await drain();
    await sd.send(new UpdateCloudMapServiceCommand({ Id: svcId, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 99 }] } } }));
    await sd.send(new GetServiceCommand({ Id: svcId }));
    assert.deepEqual(await drain(), [], 'not receivable before the delay');
    clock.advance(500);
    const events = await drain();
    assert.equal(events.length, 1);
    const [e] = events as [Envelope];
    assert.equal(e['detail-type'], 'AWS API Call via CloudTrail');
    assert.equal(e.source, 'aws.servicediscovery');
    assert.equal(e.detail['eventSource'], 'servicediscovery.amazonaws.com');
    assert.equal(e.detail['eventName'], 'UpdateService');
    assert.equal(e.detail.requestParameters?.['id'], svcId);
    assert.deepEqual(e.detail.requestParameters?.['service'], { dnsConfig: { dnsRecords: [{ type: 'A', tTL: 99 }] } });
  });

  it('sends a CloudTrail event and a deployment state change for an ECS service update', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'ev' }));
    await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('ev')));
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'ev',
        serviceName: 'web',
        taskDefinition: 'ev',
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: AWSVPC,
      }),
    );
    clock.advance(1_000);
    await drain();
    await ecs.send(new UpdateServiceCommand({ cluster: 'ev', service: 'web', desiredCount: 2 }));
    await ecs.send(new DescribeServicesCommand({ cluster: 'ev', services: ['web'] }));
    clock.advance(500);
    const events = await drain();
    const trail = events.find((e) => e['detail-type'] === 'AWS API Call via CloudTrail');
    assert.equal(trail?.source, 'aws.ecs');
    assert.equal(trail?.detail['eventName'], 'UpdateService');
    assert.deepEqual(trail?.detail.requestParameters, { cluster: 'ev', service: 'web', desiredCount: 2 });
    const deployment = events.find((e) => e['detail-type'] === 'ECS Deployment State Change');
    assert.deepEqual(deployment?.resources, ['arn:aws:ecs:us-east-1:123456789012:service/ev/web']);
    assert.equal(deployment?.detail['eventName'], 'SERVICE_DEPLOYMENT_IN_PROGRESS');
    assert.equal(events.length, 2, 'DescribeServices sends nothing');
  });

  it('is switched by the admin endpoint', async () => {
    const off = await fetch(`${sandbox.endpoint}/_sandbox/events`, { method: 'DELETE' });
    assert.equal(off.status, 200);
    await ecs.send(new UpdateServiceCommand({ cluster: 'ev', service: 'web', desiredCount: 1 }));
    clock.advance(1_000);
    assert.deepEqual(await drain(), []);
    const on = await fetch(`${sandbox.endpoint}/_sandbox/events`, { method: 'POST', body: JSON.stringify({ queueName: 'other', delayMs: 0 }) });
    const { queueUrl: other } = (await on.json()) as { queueUrl: string };
    assert.equal(other, `${sandbox.endpoint}/123456789012/other`);
    await ecs.send(new UpdateServiceCommand({ cluster: 'ev', service: 'web', desiredCount: 2 }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: other, MaxNumberOfMessages: 10 }));
    assert.equal(got.Messages?.length, 2);
    const bad = await fetch(`${sandbox.endpoint}/_sandbox/events`, { method: 'POST', body: JSON.stringify({ queueName: 'bad name' }) });
    assert.equal(bad.status, 400);
  });

  /** Runs `fn` while moving the clock, so asynchronous Cloud Map operations it waits for finish. */
  async function tick<T>(fn: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => clock.advance(100), 5);
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }
});
