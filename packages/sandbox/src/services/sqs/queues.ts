import { createHash, randomUUID } from 'node:crypto';
import { SandboxError } from '../../errors.js';

/** SQS defaults and bounds (API reference, CreateQueue / ReceiveMessage). */
export const SQS_LIMITS = {
  defaultVisibilityTimeoutSeconds: 30,
  maxVisibilityTimeoutSeconds: 43_200,
  maxWaitTimeSeconds: 20,
  maxMessagesPerReceive: 10,
  maxBatchEntries: 10,
  maxDelaySeconds: 900,
  maxBodyBytes: 262_144,
} as const;

interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly md5: string;
  readonly sentAt: number;
  /** Not handed out before this time (ms, sandbox clock): DelaySeconds, then the visibility timeout. */
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  /** The handle of the newest receive; older handles no longer delete the message. */
  receiptHandle?: string;
}

export interface Queue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly createdAt: number;
  visibilityTimeoutSeconds: number;
  /** ReceiveMessageWaitTimeSeconds: the wait of a ReceiveMessage that names none. */
  receiveWaitSeconds: number;
  readonly messages: StoredMessage[];
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * The queues of one sandbox: messages kept in send order, each invisible until its delay and
 * then its visibility timeout have passed (times on the sandbox clock), deleted by the receipt
 * handle of its newest receive. Order is best-effort as in a standard queue.
 */
export class QueueStore {
  private readonly queues = new Map<string, Queue>();
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly now: () => number,
    private readonly urlOf: (name: string) => string,
    private readonly arnOf: (name: string) => string,
  ) {}

  create(name: string, visibilityTimeoutSeconds?: number, receiveWaitSeconds?: number): Queue {
    const existing = this.queues.get(name);
    if (existing) {
      // CreateQueue of an existing name with different attributes is refused (QueueNameExists).
      if (
        (visibilityTimeoutSeconds !== undefined && visibilityTimeoutSeconds !== existing.visibilityTimeoutSeconds) ||
        (receiveWaitSeconds !== undefined && receiveWaitSeconds !== existing.receiveWaitSeconds)
      ) {
        throw new SandboxError('QueueNameExists', `A queue already exists with the same name and a different value for attribute(s) of ${name}`);
      }
      return existing;
    }
    const queue: Queue = {
      name,
      url: this.urlOf(name),
      arn: this.arnOf(name),
      createdAt: this.now(),
      visibilityTimeoutSeconds: visibilityTimeoutSeconds ?? SQS_LIMITS.defaultVisibilityTimeoutSeconds,
      receiveWaitSeconds: receiveWaitSeconds ?? 0,
      messages: [],
    };
    this.queues.set(name, queue);
    return queue;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  byName(name: string): Queue | undefined {
    return this.queues.get(name);
  }

  /** The queue a QueueUrl names (its last path segment), or QueueDoesNotExist. */
  byUrl(url: string): Queue {
    const name = url.replace(/\/+$/, '').split('/').pop() ?? '';
    const queue = this.queues.get(name);
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  delete(queue: Queue): void {
    this.queues.delete(queue.name);
  }

  send(queue: Queue, body: string, delayMs = 0): { MessageId: string; MD5OfMessageBody: string } {
    const at = this.now();
    const message: StoredMessage = { id: randomUUID(), body, md5: md5Hex(body), sentAt: at, visibleAt: at + delayMs, receiveCount: 0 };
    queue.messages.push(message);
    this.wake();
    return { MessageId: message.id, MD5OfMessageBody: message.md5 };
  }

  /** Takes up to `max` visible messages, hiding each for `visibilitySeconds`. */
  receive(queue: Queue, max: number, visibilitySeconds: number, withAttributes: boolean): ReceivedMessage[] {
    const at = this.now();
    const out: ReceivedMessage[] = [];
    for (const m of queue.messages) {
      if (out.length >= max) break;
      if (m.visibleAt > at) continue;
      m.receiveCount++;
      m.firstReceiveAt ??= at;
      m.visibleAt = at + visibilitySeconds * 1000;
      m.receiptHandle = `${m.id}#${randomUUID()}`;
      const r: ReceivedMessage = { MessageId: m.id, ReceiptHandle: m.receiptHandle, MD5OfBody: m.md5, Body: m.body };
      if (withAttributes) {
        r.Attributes = {
          SentTimestamp: String(m.sentAt),
          ApproximateReceiveCount: String(m.receiveCount),
          ApproximateFirstReceiveTimestamp: String(m.firstReceiveAt),
        };
      }
      out.push(r);
    }
    return out;
  }

  /** Deletes the message whose newest receive gave `handle`; false when the handle is not that. */
  deleteByHandle(queue: Queue, handle: string): boolean {
    const i = queue.messages.findIndex((m) => m.receiptHandle === handle);
    if (i < 0) {
      // A handle of a message already deleted is accepted, as SQS does for a recent handle.
      return handle.includes('#') && !queue.messages.some((m) => handle.startsWith(`${m.id}#`));
    }
    queue.messages.splice(i, 1);
    return true;
  }

  /** Messages visible now, and those in flight (received, not deleted, still hidden). */
  counts(queue: Queue): { visible: number; notVisible: number } {
    const at = this.now();
    let visible = 0;
    for (const m of queue.messages) if (m.visibleAt <= at) visible++;
    return { visible, notVisible: queue.messages.length - visible };
  }

  /** Resolves at the next send (or after `ms` of real time, or when `signal` aborts). */
  waitForSend(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      timer.unref();
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

export function queueDoesNotExist(): SandboxError {
  return new SandboxError('QueueDoesNotExist', 'The specified queue does not exist.', 400, {});
}
