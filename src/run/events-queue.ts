/**
 * The `--events-queue` consumer: long polls the SQS queue the EventBridge rules fill
 * (ReceiveMessage: 10 messages, 20 s wait), hands each batch to the change handler and deletes
 * what it is done with in one DeleteMessageBatch. A failing receive backs off; nothing a message
 * holds can stop the loop.
 */
import type { Logger } from 'pino';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { ControllerMetrics } from '../observability/metrics.js';
import { errorMessage } from '../util/errors.js';

const MAX_MESSAGES = 10;
const WAIT_SECONDS = 20;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

export interface EventsQueueDeps {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** Whether each message (by body) is done with and may be deleted. */
  readonly handle: (bodies: readonly string[]) => Promise<boolean[]>;
  readonly metrics: ControllerMetrics;
  readonly logger: Logger;
  /**
   * Whether to take messages now (absent: always). Under a writer lease a standby leaves them
   * in the queue for the holder: a message it received and deleted would be lost to the writer.
   */
  readonly active?: () => boolean;
}

/** How often an inactive consumer (a standby) looks again whether it may receive. */
const INACTIVE_RECHECK_MS = 1_000;

export class EventsQueueConsumer {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  /** Batches received (tests and logs). */
  batches = 0;

  constructor(private readonly deps: EventsQueueDeps) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the long poll in flight and waits for the batch being handled. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { sqs, queueUrl, logger } = this.deps;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      if (!this.isActive()) {
        await this.sleep(INACTIVE_RECHECK_MS);
        continue;
      }
      let messages: Message[];
      try {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: MAX_MESSAGES, WaitTimeSeconds: WAIT_SECONDS }), {
          abortSignal: this.abort.signal,
        });
        messages = out.Messages ?? [];
        failures = 0;
      } catch (err) {
        if (this.abort.signal.aborted) return;
        failures++;
        const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failures - 1));
        logger.warn({ error: errorMessage(err), retryInMs: delay }, 'could not receive from the events queue');
        await this.sleep(delay);
        continue;
      }
      if (messages.length === 0) continue;
      // Became a standby during the long poll: not handled, not deleted; SQS delivers them
      // again after their visibility timeout, to the holder.
      if (!this.isActive()) continue;
      this.batches++;
      this.deps.metrics.recordEventsReceived(messages.length);
      await this.handleBatch(messages);
    }
  }

  private isActive(): boolean {
    return this.deps.active?.() ?? true;
  }

  private async handleBatch(messages: Message[]): Promise<void> {
    const { sqs, queueUrl, logger } = this.deps;
    let done: boolean[];
    try {
      done = await this.deps.handle(messages.map((m) => m.Body ?? ''));
    } catch (err) {
      // A bug must not stop the loop: the messages come back after their visibility timeout.
      logger.error({ error: errorMessage(err) }, 'handling change events failed');
      return;
    }
    const entries = messages.flatMap((m, i) => (done[i] && m.ReceiptHandle ? [{ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle }] : []));
    if (entries.length === 0) return;
    try {
      const out = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      if (out.Failed?.length) logger.debug({ failed: out.Failed.map((f) => f.Code) }, 'some events were not deleted; their second delivery is harmless');
    } catch (err) {
      logger.warn({ error: errorMessage(err) }, 'could not delete handled events; their second delivery is harmless');
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
