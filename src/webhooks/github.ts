import { checkOptions, guard, header, parseJson, responder, withLimit } from './common.js';
import type { WebhookHandler, WebhookHeaders, WebhookOptions } from './types.js';

export interface GitHubWebhookOptions extends WebhookOptions {
  /**
   * The ref the source follows: a branch (`main`), a tag (`v1.2.0`), a full ref
   * (`refs/heads/main`) or a commit SHA (pinned: no push triggers). Undefined = the
   * repository's default branch.
   */
  readonly ref?: string;
}

const SIGNATURE_HEADER = 'x-hub-signature-256';

/**
 * GitHub webhook endpoint (`X-GitHub-Event`, `X-Hub-Signature-256: sha256=<hex>` over the
 * raw body; JSON or form-encoded `payload=`). `ping` answers 200; a `push` to the followed
 * ref asks for one fetch and answers 202; any other event or ref answers 200 ignored.
 */
export function createGitHubWebhook(options: GitHubWebhookOptions): WebhookHandler {
  const maxBodyBytes = checkOptions(options);
  return withLimit((headers: WebhookHeaders, rawBody: Buffer) => {
    const delivery = header(headers, 'x-github-delivery');
    const answer = responder('github', options, delivery);
    const denied = guard(headers, rawBody, maxBodyBytes, SIGNATURE_HEADER, options, answer);
    if (denied) return denied;

    const event = header(headers, 'x-github-event');
    if (!event) return answer('malformed', 'missing X-GitHub-Event header');
    if (event === 'ping') return answer('ignored', 'pong');
    if (event !== 'push') return answer('ignored', `event "${event}" does not trigger a fetch`);

    const payload = parsePayload(header(headers, 'content-type'), rawBody);
    if (!isObject(payload) || typeof payload['ref'] !== 'string') return answer('malformed', 'push payload is not JSON with a "ref"');
    const pushed = payload['ref'];
    if (payload['deleted'] === true) return answer('ignored', `${pushed} was deleted`);
    const repo = payload['repository'];
    const defaultBranch = isObject(repo) && typeof repo['default_branch'] === 'string' ? repo['default_branch'] : undefined;
    if (!refMatches(options.ref, pushed, defaultBranch)) return answer('ignored', `push to ${pushed} is not the followed ref`);

    const after = typeof payload['after'] === 'string' ? payload['after'] : undefined;
    options.onTrigger({ kind: 'github', ref: pushed, revision: after, delivery });
    return answer('triggered', `push to ${pushed} triggers a fetch`);
  }, maxBodyBytes);
}

/** Whether a pushed full ref (`refs/heads/x`, `refs/tags/y`) is the one a source follows. */
export function refMatches(followed: string | undefined, pushed: string, defaultBranch: string | undefined): boolean {
  if (followed === undefined || followed === 'HEAD') return defaultBranch === undefined || pushed === `refs/heads/${defaultBranch}`;
  if (/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(followed)) return false;
  return pushed === followed || pushed === `refs/heads/${followed}` || pushed === `refs/tags/${followed}`;
}

function parsePayload(contentType: string | undefined, body: Buffer): unknown {
  const text = body.toString('utf8');
  if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const inner = new URLSearchParams(text).get('payload');
    return inner === null ? undefined : parseJson(inner);
  }
  return parseJson(text);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
