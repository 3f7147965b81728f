/**
 * The notification options of `run` (flags and `ECS_GITOPS_NOTIFY_*`): GitHub commit
 * statuses, a generic JSON webhook, a Slack incoming webhook, and how they deliver. Secrets
 * (the GitHub token, the webhook HMAC key, the Slack URL, which is itself a credential) come
 * from a file or an environment variable, never from a flag value, and are never logged.
 */
import type { DeliveryEventType } from '../controller/delivery-events.js';
import { REPO_PART, githubRepoOfRemote } from '../notify/github-status.js';
import { DEFAULT_DELIVERY, DEFAULT_NOTIFY_EVENTS, NOTIFY_EVENT_TYPES, type DeliveryConfig, type NotifyConfig } from '../notify/types.js';
import { parseSourceUrl } from '../sources/url.js';
import { formatDuration } from '../util/duration.js';
import { ConfigError, integerValue, optionLabel, textValue, type OptionSpec, type RawOptions, durationValue } from './options.js';

const DEFAULT_GITHUB_URL = 'https://api.github.com';
const EVENT_LIST = NOTIFY_EVENT_TYPES.join(', ');

/** The notification options, in help order. */
export const NOTIFY_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'notify-github-url',
    env: 'ECS_GITOPS_NOTIFY_GITHUB_URL',
    type: 'string',
    placeholder: '<url>',
    description: `GitHub API base URL of commit statuses (${DEFAULT_GITHUB_URL} when another --notify-github-* option is set; https://<host>/api/v3 for GitHub Enterprise Server)`,
  },
  {
    name: 'notify-github-repo',
    env: 'ECS_GITOPS_NOTIFY_GITHUB_REPO',
    type: 'string',
    placeholder: '<owner/repo>',
    description: 'repository of the commit statuses (default: from the git source URL)',
  },
  {
    name: 'notify-github-token-file',
    env: 'ECS_GITOPS_NOTIFY_GITHUB_TOKEN_FILE',
    type: 'string',
    placeholder: '<path>',
    description: 'file holding the GitHub token of commit statuses (statuses: write)',
  },
  {
    name: 'notify-github-token',
    env: 'ECS_GITOPS_NOTIFY_GITHUB_TOKEN',
    type: 'string',
    envOnly: true,
    description: 'GitHub token of commit statuses (environment only; never logged)',
  },
  {
    name: 'notify-github-context',
    env: 'ECS_GITOPS_NOTIFY_GITHUB_CONTEXT',
    type: 'string',
    placeholder: '<name>',
    default: 'ecs-gitops',
    description: 'context of the commit status (one status line per context on a commit)',
  },
  {
    name: 'notify-github-target-url',
    env: 'ECS_GITOPS_NOTIFY_GITHUB_TARGET_URL',
    type: 'string',
    placeholder: '<url>',
    description: 'link of the commit status, e.g. a dashboard; {revision} is replaced by the commit SHA',
  },
  {
    name: 'notify-webhook-url',
    env: 'ECS_GITOPS_NOTIFY_WEBHOOK_URL',
    type: 'string',
    placeholder: '<url>',
    description: 'URL that receives each delivery event as JSON (POST)',
  },
  {
    name: 'notify-webhook-secret-file',
    env: 'ECS_GITOPS_NOTIFY_WEBHOOK_SECRET_FILE',
    type: 'string',
    placeholder: '<path>',
    description: 'file holding the HMAC-SHA256 key of the X-Signature-256 header of webhook notifications',
  },
  {
    name: 'notify-webhook-secret',
    env: 'ECS_GITOPS_NOTIFY_WEBHOOK_SECRET',
    type: 'string',
    envOnly: true,
    description: 'HMAC-SHA256 key of webhook notifications (environment only; never logged)',
  },
  {
    name: 'notify-webhook-events',
    env: 'ECS_GITOPS_NOTIFY_WEBHOOK_EVENTS',
    type: 'list',
    placeholder: '<event>',
    default: DEFAULT_NOTIFY_EVENTS.join(','),
    description: `events sent to the webhook, repeatable or comma-separated; any of ${EVENT_LIST}`,
  },
  {
    name: 'notify-slack-url-file',
    env: 'ECS_GITOPS_NOTIFY_SLACK_URL_FILE',
    type: 'string',
    placeholder: '<path>',
    description: 'file holding a Slack-compatible incoming webhook URL (the URL is a credential)',
  },
  {
    name: 'notify-slack-url',
    env: 'ECS_GITOPS_NOTIFY_SLACK_URL',
    type: 'string',
    envOnly: true,
    description: 'Slack-compatible incoming webhook URL (environment only; never logged)',
  },
  {
    name: 'notify-slack-events',
    env: 'ECS_GITOPS_NOTIFY_SLACK_EVENTS',
    type: 'list',
    placeholder: '<event>',
    default: DEFAULT_NOTIFY_EVENTS.join(','),
    description: 'events sent to Slack, repeatable or comma-separated (same names as --notify-webhook-events)',
  },
  {
    name: 'notify-dedup-window',
    env: 'ECS_GITOPS_NOTIFY_DEDUP_WINDOW',
    type: 'string',
    placeholder: '<duration>',
    default: formatDuration(DEFAULT_DELIVERY.dedupWindowMs),
    description: 'the same event for the same resource within this window is sent once per channel (0s = off)',
  },
  {
    name: 'notify-rate-limit',
    env: 'ECS_GITOPS_NOTIFY_RATE_LIMIT',
    type: 'string',
    placeholder: '<rate[:burst]>',
    default: `${DEFAULT_DELIVERY.ratePerSecond}:${DEFAULT_DELIVERY.burst}`,
    description: 'notifications per second (and burst) per channel',
  },
  {
    name: 'notify-queue-size',
    env: 'ECS_GITOPS_NOTIFY_QUEUE_SIZE',
    type: 'string',
    placeholder: '<n>',
    default: String(DEFAULT_DELIVERY.queueSize),
    description: 'notifications waiting per channel at most; when full the oldest is dropped (counted)',
  },
  {
    name: 'notify-max-attempts',
    env: 'ECS_GITOPS_NOTIFY_MAX_ATTEMPTS',
    type: 'string',
    placeholder: '<n>',
    default: String(DEFAULT_DELIVERY.maxAttempts),
    description: 'attempts per notification on 5xx, 429 and network errors (exponential backoff with jitter, Retry-After honoured)',
  },
  {
    name: 'notify-timeout',
    env: 'ECS_GITOPS_NOTIFY_TIMEOUT',
    type: 'string',
    placeholder: '<duration>',
    default: formatDuration(DEFAULT_DELIVERY.timeoutMs),
    description: 'one notification HTTP request at most',
  },
];

function spec(name: string): OptionSpec {
  return NOTIFY_OPTIONS.find((s) => s.name === name)!;
}

/** A secret from `<name>-file` or the environment-only `<name>`, never both; files are trimmed. */
function secret(raw: RawOptions, name: string, readFile: (path: string) => string): string | undefined {
  const direct = textValue(raw, name);
  const file = textValue(raw, `${name}-file`);
  if (file === undefined) return direct;
  const label = optionLabel(spec(`${name}-file`));
  if (direct !== undefined) throw new ConfigError(`set either ${spec(name).env} or ${label}, not both`);
  let value: string;
  try {
    value = readFile(file).trim();
  } catch (err) {
    throw new ConfigError(`${label}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (value === '') throw new ConfigError(`${label}: ${file} is empty`);
  return value;
}

/** An http(s) URL; `shown` is what an error may print (a secret URL is never printed). */
function httpUrl(text: string, label: string, shown: string): string {
  let u: URL | undefined;
  try {
    u = new URL(text);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) throw new ConfigError(`${label} must be an http(s) URL (got ${shown})`);
  return text;
}

function duration(raw: RawOptions, name: string, minMs: number): number {
  return durationValue(spec(name), raw, minMs);
}

function events(raw: RawOptions, name: string): DeliveryEventType[] {
  // A flag may repeat and each value may be a comma list, like the variable.
  const list = ((raw[name] as string[] | undefined) ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const e of list) {
    if (!(NOTIFY_EVENT_TYPES as readonly string[]).includes(e))
      throw new ConfigError(`${optionLabel(spec(name))}: unknown event "${e}" (known: ${EVENT_LIST})`);
  }
  return [...new Set(list)] as DeliveryEventType[];
}

function delivery(raw: RawOptions): DeliveryConfig {
  const rateText = textValue(raw, 'notify-rate-limit')!;
  const m = /^(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(rateText.trim());
  const ratePerSecond = m ? Number(m[1]) : NaN;
  const burst = m?.[2] !== undefined ? Number(m[2]) : Math.max(1, Math.ceil(ratePerSecond * 2));
  if (!m || !(ratePerSecond > 0) || !(burst >= 1)) {
    throw new ConfigError(`${optionLabel(spec('notify-rate-limit'))} must be rate[:burst] with a rate > 0 and a burst >= 1, e.g. 1:10 (got "${rateText}")`);
  }
  return {
    ...DEFAULT_DELIVERY,
    dedupWindowMs: duration(raw, 'notify-dedup-window', 0),
    ratePerSecond,
    burst,
    queueSize: integerValue(spec('notify-queue-size'), raw, 1, 1_000_000),
    maxAttempts: integerValue(spec('notify-max-attempts'), raw, 1, 20),
    timeoutMs: duration(raw, 'notify-timeout', 100),
  };
}

function githubRepo(raw: RawOptions, source: string): { owner: string; repo: string } {
  const given = textValue(raw, 'notify-github-repo');
  if (given !== undefined) {
    const [owner = '', repo = '', ...rest] = given.trim().split('/');
    if (rest.length > 0 || !REPO_PART.test(owner) || !REPO_PART.test(repo)) {
      throw new ConfigError(`${optionLabel(spec('notify-github-repo'))} must be owner/repo (got "${given}")`);
    }
    return { owner, repo };
  }
  let spec_: ReturnType<typeof parseSourceUrl> | undefined;
  try {
    spec_ = parseSourceUrl(source);
  } catch {
    spec_ = undefined;
  }
  const fromSource = spec_?.kind === 'git' ? githubRepoOfRemote(spec_.remote) : undefined;
  if (!fromSource) {
    throw new ConfigError(
      `GitHub commit statuses need the repository: set ${optionLabel(spec('notify-github-repo'))} (the source is not a git URL of the form https://host/owner/repo.git)`,
    );
  }
  return fromSource;
}

/**
 * The notifier's configuration, or undefined when no channel is set. A channel is on when
 * its URL (or, for GitHub, any `--notify-github-*` option but the context) is set.
 */
export function parseNotifyOptions(raw: RawOptions, source: string, readFile: (path: string) => string): NotifyConfig | undefined {
  const token = secret(raw, 'notify-github-token', readFile);
  const githubUrl = textValue(raw, 'notify-github-url');
  const githubOn =
    githubUrl !== undefined ||
    token !== undefined ||
    textValue(raw, 'notify-github-repo') !== undefined ||
    textValue(raw, 'notify-github-target-url') !== undefined;
  const webhookUrl = textValue(raw, 'notify-webhook-url');
  const webhookSecret = secret(raw, 'notify-webhook-secret', readFile);
  const slackUrl = secret(raw, 'notify-slack-url', readFile);
  if (webhookSecret !== undefined && webhookUrl === undefined) {
    throw new ConfigError(`a webhook notification secret is set but ${optionLabel(spec('notify-webhook-url'))} is not`);
  }
  if (!githubOn && webhookUrl === undefined && slackUrl === undefined) return undefined;
  const targetUrl = textValue(raw, 'notify-github-target-url');
  return {
    ...(githubOn
      ? {
          github: {
            apiUrl: httpUrl(githubUrl ?? DEFAULT_GITHUB_URL, optionLabel(spec('notify-github-url')), `"${githubUrl}"`),
            ...githubRepo(raw, source),
            ...(token !== undefined ? { token } : {}),
            context: textValue(raw, 'notify-github-context')!,
            ...(targetUrl !== undefined ? { targetUrl: httpUrl(targetUrl, optionLabel(spec('notify-github-target-url')), `"${targetUrl}"`) } : {}),
          },
        }
      : {}),
    ...(webhookUrl !== undefined
      ? {
          webhook: {
            url: httpUrl(webhookUrl, optionLabel(spec('notify-webhook-url')), 'a URL that does not parse'),
            ...(webhookSecret !== undefined ? { secret: webhookSecret } : {}),
            events: events(raw, 'notify-webhook-events'),
          },
        }
      : {}),
    ...(slackUrl !== undefined
      ? { slack: { url: httpUrl(slackUrl, 'the Slack notification URL', 'a URL that does not parse'), events: events(raw, 'notify-slack-events') } }
      : {}),
    delivery: delivery(raw),
  };
}

/** The notification settings as they may be logged: which channels are on, no secret, no secret URL. */
export function loggableNotify(config: NotifyConfig | undefined): Record<string, unknown> | undefined {
  if (!config) return undefined;
  const { github, webhook, slack, delivery: d } = config;
  return {
    ...(github
      ? {
          github: {
            apiUrl: github.apiUrl,
            repo: `${github.owner}/${github.repo}`,
            context: github.context,
            hasToken: github.token !== undefined,
          },
        }
      : {}),
    ...(webhook ? { webhook: { origin: new URL(webhook.url).origin, events: webhook.events, signed: webhook.secret !== undefined } } : {}),
    ...(slack ? { slack: { url: 'set', events: slack.events } } : {}),
    delivery: d,
  };
}
