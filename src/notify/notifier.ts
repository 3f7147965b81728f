/**
 * The notifier: subscribes to the delivery events and hands each one, formatted, to the queue
 * of every channel that wants it. The listener only filters, formats and enqueues; sending,
 * retries and waits happen in the channel queues, so reconciliation never waits on a channel.
 */
import type { DeliveryEvent, DeliveryEvents } from '../controller/delivery-events.js';
import { ChannelQueue, type Notification, type NotifyLog, type QueueSeams } from './channel-queue.js';
import { eventIdentity } from './describe.js';
import { commitStatusFor, commitStatusRequest } from './github-status.js';
import type { NotifyChannel, NotifyConfig, NotifyResult } from './types.js';
import { slackRequest, webhookRequest } from './webhook.js';

export interface NotifierOptions extends QueueSeams {
  readonly config: NotifyConfig;
  /** Named in webhook bodies and Slack messages. */
  readonly controllerId: string;
  /** Called once per notification with its fate (ecs_gitops_notifications_total). */
  readonly record: (channel: NotifyChannel, result: NotifyResult) => void;
  readonly log: NotifyLog;
}

type Formatter = (event: DeliveryEvent) => Notification | undefined;

export class Notifier {
  private readonly channels: { readonly queue: ChannelQueue; readonly format: Formatter }[] = [];

  constructor(options: NotifierOptions) {
    const { config, controllerId } = options;
    const queue = (channel: NotifyChannel): ChannelQueue => new ChannelQueue({ ...options, channel, config: config.delivery });
    const github = config.github;
    if (github) {
      this.channels.push({
        queue: queue('github'),
        format: (event) => {
          const s = commitStatusFor(event, github);
          return s && { event: event.type, dedupKey: `${s.sha}:${s.status.state}`, request: commitStatusRequest(github, s.sha, s.status) };
        },
      });
    }
    const webhook = config.webhook;
    if (webhook) {
      this.channels.push({
        queue: queue('webhook'),
        format: (event) =>
          webhook.events.includes(event.type)
            ? { event: event.type, dedupKey: eventIdentity(event), request: webhookRequest(webhook.url, webhook.secret, controllerId, event) }
            : undefined,
      });
    }
    const slack = config.slack;
    if (slack) {
      this.channels.push({
        queue: queue('slack'),
        format: (event) =>
          slack.events.includes(event.type)
            ? { event: event.type, dedupKey: eventIdentity(event), request: slackRequest(slack.url, controllerId, event) }
            : undefined,
      });
    }
  }

  /** Enqueues the event on every channel that wants it; never waits. */
  notify(event: DeliveryEvent): void {
    for (const { queue, format } of this.channels) {
      const n = format(event);
      if (n) queue.enqueue(n);
    }
  }

  /** Subscribes to the bus; returns the function that unsubscribes. */
  attach(bus: DeliveryEvents): () => void {
    return bus.subscribe((event) => this.notify(event));
  }

  /** Whether every channel queue is empty and idle. */
  idle(): boolean {
    return this.channels.every(({ queue }) => queue.idle() && queue.length === 0);
  }

  /** Sends what is queued for up to `graceMs`, then drops the rest. */
  async stop(graceMs: number): Promise<void> {
    await Promise.all(this.channels.map(({ queue }) => queue.stop(graceMs)));
  }
}
