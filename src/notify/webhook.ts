/**
 * The generic JSON webhook: the delivery event as the body, optionally signed with
 * HMAC-SHA256 (`X-Signature-256: sha256=<hex>`, the format the controller's own generic
 * webhook accepts), and a Slack-compatible incoming webhook message.
 */
import { randomUUID } from 'node:crypto';
import { signBody } from '../util/sign-body.js';
import type { DeliveryEvent } from '../controller/delivery-events.js';
import { describeEvent } from './describe.js';
import type { PostRequest } from './post.js';

/** The body of a generic webhook notification (formatVersion 1: fields are only added). */
export interface WebhookBody {
  readonly formatVersion: 1;
  readonly controllerId: string;
  /** The line a person would read. */
  readonly summary: string;
  readonly event: DeliveryEvent;
}

/** The POST of `event` to a generic webhook. The delivery id stays the same across retries. */
export function webhookRequest(url: string, secret: string | undefined, controllerId: string, event: DeliveryEvent): PostRequest {
  const body = JSON.stringify({ formatVersion: 1, controllerId, summary: describeEvent(event), event } satisfies WebhookBody);
  return {
    url,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'ecs-gitops',
      'x-ecs-gitops-event': event.type,
      'x-ecs-gitops-delivery': randomUUID(),
      ...(secret !== undefined ? { 'x-signature-256': signBody(secret, body) } : {}),
    },
    body,
  };
}

const SLACK_ICON: Readonly<Record<DeliveryEvent['type'], string>> = {
  'revision-started': ':hourglass_flowing_sand:',
  'revision-applied': ':arrow_forward:',
  'revision-succeeded': ':white_check_mark:',
  'revision-failed': ':x:',
  'rollout-failed': ':x:',
  'drift-detected': ':warning:',
  'drift-reverted': ':leftwards_arrow_with_hook:',
  'resource-stalled': ':octagonal_sign:',
  'prune-blocked': ':no_entry:',
};

/** Slack's mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The longest section text Slack accepts is 3000 characters. */
const SLACK_SECTION_LIMIT = 3000;

/** A short Slack message: `text` (notifications, fallback) and one section block. */
export function slackRequest(url: string, controllerId: string, event: DeliveryEvent): PostRequest {
  const line = slackEscape(describeEvent(event));
  const text = `${SLACK_ICON[event.type]} ${line}`;
  const context = slackEscape(`ecs-gitops ${controllerId}${event.revision !== undefined ? ` · revision ${event.revision}` : ''} · ${event.at}`);
  const body = {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: text.length > SLACK_SECTION_LIMIT ? `${text.slice(0, SLACK_SECTION_LIMIT - 3)}...` : text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
    ],
  };
  return { url, headers: { 'content-type': 'application/json', 'user-agent': 'ecs-gitops' }, body: JSON.stringify(body) };
}
