import { SandboxError } from '../../errors.js';
import type { AdminRoutes, JsonService } from '../../protocol/types.js';
import type { JsonObject } from '../../types.js';
import type { SandboxWorld } from '../../world.js';
import { QueueStore, SQS_LIMITS, type Queue } from './queues.js';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** Real time between two looks at the queue while a long poll waits (sends wake it at once). */
const POLL_TICK_MS = 50;

function invalid(message: string): SandboxError {
  return new SandboxError('InvalidParameterValue', message);
}

function queueUrlOf(input: JsonObject): string {
  const url = input['QueueUrl'];
  if (typeof url !== 'string' || url === '') throw new SandboxError('MissingParameter', 'The request must contain the parameter QueueUrl.');
  return url;
}

function optionalInt(input: JsonObject, field: string, min: number, max: number): number | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw invalid(`Value ${String(v)} for parameter ${field} is invalid. Reason: must be between ${min} and ${max}.`);
  }
  return v;
}

/** A queue attribute given as text (CreateQueue Attributes), as a whole number in range. */
function attributeInt(attrs: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const v = attrs[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < min || n > max)
    throw new SandboxError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);
  return n;
}

/**
 * Amazon SQS over the JSON protocol (AWS JSON 1.0, `X-Amz-Target: AmazonSQS.<Operation>`):
 * the calls a consumer of EventBridge events makes, plus CreateQueue/SendMessage to set one up.
 * Long polling waits in real time for up to WaitTimeSeconds; message delays and visibility
 * timeouts count on the sandbox clock.
 */
export class SqsService implements JsonService, AdminRoutes {
  readonly name = 'sqs' as const;
  readonly targetPrefix = 'AmazonSQS';
  readonly contentType = 'application/x-amz-json-1.0';
  readonly operations: Readonly<Record<string, (input: JsonObject) => unknown>>;
  readonly queues: QueueStore;

  constructor(private readonly world: SandboxWorld) {
    const { accountId, region } = world.options;
    this.queues = new QueueStore(
      () => world.now(),
      (name) => `${world.endpoint}/${accountId}/${name}`,
      (name) => `arn:aws:sqs:${region}:${accountId}:${name}`,
    );
    this.operations = {
      CreateQueue: (i) => this.createQueue(i),
      GetQueueUrl: (i) => this.getQueueUrl(i),
      GetQueueAttributes: (i) => this.getQueueAttributes(i),
      SendMessage: (i) => this.sendMessage(i),
      ReceiveMessage: (i) => this.receiveMessage(i),
      DeleteMessage: (i) => this.deleteMessage(i),
      DeleteMessageBatch: (i) => this.deleteMessageBatch(i),
      PurgeQueue: (i) => this.purgeQueue(i),
      DeleteQueue: (i) => this.deleteQueue(i),
    };
  }

  /** Admin: GET /_sandbox/sqs/queues lists the queues with their message counts. */
  admin(method: string, path: string): unknown {
    if (method === 'GET' && path === 'queues') return this.list();
    return undefined;
  }

  list(): { name: string; url: string; visible: number; notVisible: number }[] {
    return this.queues.all().map((q) => ({ name: q.name, url: q.url, ...this.queues.counts(q) }));
  }

  private createQueue(input: JsonObject): { QueueUrl: string } {
    const name = input['QueueName'];
    if (typeof name !== 'string' || !QUEUE_NAME.test(name)) {
      throw invalid('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    }
    const attrs = (input['Attributes'] ?? {}) as Record<string, unknown>;
    const vt = attributeInt(attrs, 'VisibilityTimeout', 0, SQS_LIMITS.maxVisibilityTimeoutSeconds);
    const wait = attributeInt(attrs, 'ReceiveMessageWaitTimeSeconds', 0, SQS_LIMITS.maxWaitTimeSeconds);
    const queue = this.queues.create(name, vt, wait);
    return { QueueUrl: queue.url };
  }

  private getQueueUrl(input: JsonObject): { QueueUrl: string } {
    const name = input['QueueName'];
    const queue = typeof name === 'string' ? this.queues.byName(name) : undefined;
    if (!queue) throw new SandboxError('QueueDoesNotExist', 'The specified queue does not exist.');
    return { QueueUrl: queue.url };
  }

  private getQueueAttributes(input: JsonObject): { Attributes: Record<string, string> } {
    const queue = this.queues.byUrl(queueUrlOf(input));
    const { visible, notVisible } = this.queues.counts(queue);
    const all: Record<string, string> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(notVisible),
      VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
      ReceiveMessageWaitTimeSeconds: String(queue.receiveWaitSeconds),
      CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    };
    const names = Array.isArray(input['AttributeNames']) ? (input['AttributeNames'] as unknown[]).map(String) : [];
    if (names.includes('All')) return { Attributes: all };
    return { Attributes: Object.fromEntries(Object.entries(all).filter(([k]) => names.includes(k))) };
  }

  private sendMessage(input: JsonObject): { MessageId: string; MD5OfMessageBody: string } {
    const queue = this.queues.byUrl(queueUrlOf(input));
    const body = input['MessageBody'];
    if (typeof body !== 'string' || body === '') throw new SandboxError('MissingParameter', 'The request must contain the parameter MessageBody.');
    if (Buffer.byteLength(body) > SQS_LIMITS.maxBodyBytes)
      throw invalid(`One or more parameters are invalid. Reason: Message must be shorter than ${SQS_LIMITS.maxBodyBytes} bytes.`);
    const delay = optionalInt(input, 'DelaySeconds', 0, SQS_LIMITS.maxDelaySeconds) ?? 0;
    return this.queues.send(queue, body, delay * 1000);
  }

  private async receiveMessage(input: JsonObject): Promise<{ Messages?: unknown[] }> {
    const queue = this.queues.byUrl(queueUrlOf(input));
    const max = optionalInt(input, 'MaxNumberOfMessages', 1, SQS_LIMITS.maxMessagesPerReceive) ?? 1;
    const wait = optionalInt(input, 'WaitTimeSeconds', 0, SQS_LIMITS.maxWaitTimeSeconds) ?? queue.receiveWaitSeconds;
    const visibility = optionalInt(input, 'VisibilityTimeout', 0, SQS_LIMITS.maxVisibilityTimeoutSeconds) ?? queue.visibilityTimeoutSeconds;
    const wanted = [...asStrings(input['AttributeNames']), ...asStrings(input['MessageSystemAttributeNames'])];
    const withAttributes = wanted.length > 0;
    const deadline = Date.now() + wait * 1000;
    for (;;) {
      const live = this.queues.byUrl(queue.url);
      const messages = this.queues.receive(live, max, visibility, withAttributes);
      if (messages.length > 0) return { Messages: messages };
      const left = deadline - Date.now();
      if (left <= 0 || this.world.closing.aborted) return {};
      await this.queues.waitForSend(Math.min(POLL_TICK_MS, left), this.world.closing);
      // Deferred state changes (and the events they send) are due on the sandbox clock.
      this.world.scheduler.runDue();
    }
  }

  private deleteMessage(input: JsonObject): Record<string, never> {
    const queue = this.queues.byUrl(queueUrlOf(input));
    const handle = input['ReceiptHandle'];
    if (typeof handle !== 'string' || !this.queues.deleteByHandle(queue, handle)) {
      throw new SandboxError('ReceiptHandleIsInvalid', `The input receipt handle "${String(handle)}" is not a valid receipt handle.`);
    }
    return {};
  }

  private deleteMessageBatch(input: JsonObject): { Successful: { Id: string }[]; Failed: unknown[] } {
    const queue = this.queues.byUrl(queueUrlOf(input));
    const entries = Array.isArray(input['Entries']) ? (input['Entries'] as JsonObject[]) : [];
    if (entries.length === 0) throw new SandboxError('EmptyBatchRequest', 'There should be at least one DeleteMessageBatchRequestEntry in the request.');
    if (entries.length > SQS_LIMITS.maxBatchEntries) {
      throw new SandboxError(
        'TooManyEntriesInBatchRequest',
        `Maximum number of entries per request are ${SQS_LIMITS.maxBatchEntries}. You have sent ${entries.length}.`,
      );
    }
    const ids = entries.map((e) => e['Id']);
    for (const id of ids) {
      if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
        throw new SandboxError(
          'InvalidBatchEntryId',
          'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        );
      }
    }
    if (new Set(ids).size !== ids.length) throw new SandboxError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    const Successful: { Id: string }[] = [];
    const Failed: unknown[] = [];
    for (const e of entries) {
      const id = e['Id'] as string;
      const handle = e['ReceiptHandle'];
      if (typeof handle === 'string' && this.queues.deleteByHandle(queue, handle)) Successful.push({ Id: id });
      else
        Failed.push({
          Id: id,
          SenderFault: true,
          Code: 'ReceiptHandleIsInvalid',
          Message: `The input receipt handle "${String(handle)}" is not a valid receipt handle.`,
        });
    }
    return { Successful, Failed };
  }

  private purgeQueue(input: JsonObject): Record<string, never> {
    const queue: Queue = this.queues.byUrl(queueUrlOf(input));
    queue.messages.length = 0;
    return {};
  }

  private deleteQueue(input: JsonObject): Record<string, never> {
    const queue = this.queues.byUrl(queueUrlOf(input));
    this.queues.delete(queue);
    return {};
  }
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}
