/**
 * The notifier's configuration and vocabulary: channels, results, event filters. Parsed once
 * by src/config (flags + `ECS_GITOPS_NOTIFY_*`), then passed down.
 */
import type { DeliveryEventType } from '../controller/delivery-events.js';

/** Where notifications go. */
export const NOTIFY_CHANNELS = ['github', 'webhook', 'slack'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

/** What became of one notification (`result` label of ecs_gitops_notifications_total). */
export const NOTIFY_RESULTS = ['sent', 'failed', 'dropped', 'deduplicated'] as const;
export type NotifyResult = (typeof NOTIFY_RESULTS)[number];

/** Every event type a filter may name. */
export const NOTIFY_EVENT_TYPES: readonly DeliveryEventType[] = [
  'revision-started',
  'revision-applied',
  'revision-succeeded',
  'revision-failed',
  'rollout-failed',
  'drift-detected',
  'drift-reverted',
  'resource-stalled',
  'prune-blocked',
];

/** The events the webhook and Slack channels send unless told otherwise. */
export const DEFAULT_NOTIFY_EVENTS: readonly DeliveryEventType[] = [
  'revision-applied',
  'rollout-failed',
  'drift-detected',
  'drift-reverted',
  'resource-stalled',
  'prune-blocked',
];

/** GitHub commit statuses on the revision's commit (git sources only). */
export interface GithubStatusConfig {
  /** API base URL: https://api.github.com, or `https://<host>/api/v3` for GitHub Enterprise Server. */
  readonly apiUrl: string;
  readonly owner: string;
  readonly repo: string;
  /** Sent as `Authorization: Bearer`; never logged. Absent: no Authorization header. */
  readonly token?: string;
  /** The status `context` (one status line per context on the commit). */
  readonly context: string;
  /** Link of the status; `{revision}` is replaced by the commit SHA. */
  readonly targetUrl?: string;
}

/** A generic JSON webhook: the event as JSON, optionally signed. */
export interface WebhookConfig {
  readonly url: string;
  /** HMAC-SHA256 key of the `X-Signature-256` header; never logged. */
  readonly secret?: string;
  readonly events: readonly DeliveryEventType[];
}

/** A Slack-compatible incoming webhook (the URL is a secret: never logged). */
export interface SlackConfig {
  readonly url: string;
  readonly events: readonly DeliveryEventType[];
}

/** How every channel delivers: de-duplication, rate, queue, retries. */
export interface DeliveryConfig {
  /** The same event for the same resource within this window is sent once (ms; 0 = off). */
  readonly dedupWindowMs: number;
  /** Sends per second and burst, per channel. */
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Notifications waiting per channel at most; the oldest is dropped when full. */
  readonly queueSize: number;
  /** Attempts per notification (the first included) on 5xx, 429 and network errors. */
  readonly maxAttempts: number;
  /** First retry delay (ms), doubled each attempt up to `maxBackoffMs`, with jitter. */
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
  /** One HTTP attempt at most (ms). */
  readonly timeoutMs: number;
}

/** The notifier's configuration: a channel is on when present. */
export interface NotifyConfig {
  readonly github?: GithubStatusConfig;
  readonly webhook?: WebhookConfig;
  readonly slack?: SlackConfig;
  readonly delivery: DeliveryConfig;
}

export const DEFAULT_DELIVERY: DeliveryConfig = {
  dedupWindowMs: 5 * 60_000,
  ratePerSecond: 1,
  burst: 10,
  queueSize: 1000,
  maxAttempts: 6,
  baseBackoffMs: 1_000,
  maxBackoffMs: 5 * 60_000,
  timeoutMs: 10_000,
};

/** Whether any channel is configured. */
export function notifyEnabled(config: NotifyConfig | undefined): config is NotifyConfig {
  return config !== undefined && (config.github !== undefined || config.webhook !== undefined || config.slack !== undefined);
}
