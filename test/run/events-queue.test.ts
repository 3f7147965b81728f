import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import type { RunningController } from '../../src/run/app.js';
import { FAST_SANDBOX } from '../helpers/sandbox.js';
import { changeTtlOutOfBand, get, isWrite, liveTtl, metricValue, preparePlatform, startTestController, waitConverged, waitFor } from './helpers.js';

const QUEUE = 'ecs-gitops-events';

/** A CloudTrail event as EventBridge delivers it to the queue. */
function cloudTrail(eventSource: string, eventName: string, requestParameters: Record<string, unknown>): string {
  return JSON.stringify({
    version: '0',
    id: 'e1',
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${eventSource.split('.')[0]}`,
    account: '123456789012',
    time: '2025-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { eventSource, eventName, requestParameters, responseElements: null, eventType: 'AwsApiCall', userIdentity: { type: 'IAMUser' } },
  });
}

describe('ecs-gitops run --events-queue (sandbox)', () => {
  let sandbox: SandboxHandle;
  let running: RunningController;
  let sqs: SQSClient;
  let queueUrl: string;

  before(async () => {
    sandbox = await startSandbox({ ...FAST_SANDBOX, eventsQueue: QUEUE, eventDelayMs: 300 });
    await preparePlatform(sandbox);
    queueUrl = `${sandbox.endpoint}/123456789012/${QUEUE}`;
    sqs = new SQSClient(sandbox.clientConfig());
    ({ running } = await startTestController(sandbox, ['--resync', '10m', '--events-queue', queueUrl]));
    await waitConverged(running);
  });
  after(async () => {
    await running.stop(5_000);
    sqs.destroy();
    await sandbox.stop();
  });

  async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    return metricValue((await get(running, '/metrics')).body, name, labels) ?? Number.NaN;
  }

  /** Waits until the controller has taken every message off the queue and its work queue is idle. */
  async function settled(): Promise<void> {
    await waitFor(
      async () => {
        const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }))).Attributes ?? {};
        const empty = a['ApproximateNumberOfMessages'] === '0' && a['ApproximateNumberOfMessagesNotVisible'] === '0';
        return empty && running.controller.queue.length === 0 && running.controller.inFlight().length === 0 && running.rescanIdle();
      },
      10_000,
      'the events queue, the work queue and pending rescans to drain',
    );
  }

  it('reverts a Cloud Map TTL changed by hand within 5 s, with a 10 min resync', async () => {
    await settled();
    const handled = await metric('ecs_gitops_events_handled_total');
    const changedAt = Date.now();
    await changeTtlOutOfBand(sandbox, 'internal', 'name', 300);
    await waitFor(async () => (await liveTtl(sandbox, 'internal', 'name')) === 60, 5_000 - (Date.now() - changedAt), 'the TTL to be reverted to 60');
    assert.ok(Date.now() - changedAt <= 5_000);
    assert.ok((await metric('ecs_gitops_events_handled_total')) > handled, 'an event was handled');
    // Reverted from the event's own re-observe: the revert needed no full scan before it.
    const writes = sandbox.world.calls.calls(changedAt).filter((c) => c.service === 'servicediscovery' && c.operation === 'UpdateService');
    assert.equal(writes.length, 2, 'the hand change and the one revert');
    const revertAt = writes[1]?.time ?? 0;
    // A full scan lists the ECS services of cluster demo (the test's own helpers call only Cloud Map).
    const fullScans = sandbox.world.calls.calls(changedAt).filter((c) => c.service === 'ecs' && c.operation === 'ListServices' && c.time <= revertAt);
    assert.deepEqual(fullScans, [], 'no full scan before the revert: the event alone found the drift');
  });

  it('makes no AWS call for an event about a resource it does not manage', async () => {
    await settled();
    const ignored = await metric('ecs_gitops_events_ignored_total', { reason: 'unmanaged' });
    const mark = Date.now();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: cloudTrail('ecs.amazonaws.com', 'UpdateService', { cluster: 'demo', service: 'not-managed', desiredCount: 3 }),
      }),
    );
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: cloudTrail('servicediscovery.amazonaws.com', 'UpdateService', { id: 'srv-unknown0000000' }) }),
    );
    await waitFor(async () => (await metric('ecs_gitops_events_ignored_total', { reason: 'unmanaged' })) === ignored + 2, 5_000, 'two unmanaged events');
    await settled();
    const calls = sandbox.world.calls.calls(mark).filter((c) => c.service !== 'sqs');
    assert.deepEqual(calls, []);
  });

  it('handles a duplicated event with reads only, and deletes malformed messages', async () => {
    await settled();
    const handled = await metric('ecs_gitops_events_handled_total');
    const malformed = await metric('ecs_gitops_events_ignored_total', { reason: 'malformed' });
    const mark = Date.now();
    const body = cloudTrail('ecs.amazonaws.com', 'UpdateService', { cluster: 'demo', service: 'name', desiredCount: 1 });
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'not json {' }));
    await waitFor(async () => (await metric('ecs_gitops_events_handled_total')) === handled + 2, 5_000, 'both copies handled');
    await waitFor(async () => (await metric('ecs_gitops_events_ignored_total', { reason: 'malformed' })) === malformed + 1, 5_000, 'the malformed one');
    await settled();
    const calls = sandbox.world.calls.calls(mark).filter((c) => c.service !== 'sqs');
    assert.deepEqual(
      calls.filter((c) => isWrite(c.operation)),
      [],
      'nothing written',
    );
    assert.ok(calls.length >= 1 && calls.length <= 2, `one DescribeServices per delivery at most, got ${calls.map((c) => c.operation).join(', ')}`);
    assert.ok(calls.every((c) => c.operation === 'DescribeServices'));
    assert.ok(running.status.snapshot().resources.every((r) => r.syncStatus === 'Synced'));
  });
});
