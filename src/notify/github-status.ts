/**
 * GitHub commit statuses (REST: `POST {base}/repos/{owner}/{repo}/statuses/{sha}`): pending
 * when a revision starts, success when it succeeded, failure with the failing resources when
 * it failed. Only revisions of a commit get one (a commit SHA, or a commit rendered with Overlay values).
 */
import type { DeliveryEvent } from '../controller/delivery-events.js';
import type { PostRequest } from './post.js';
import { commitOf, describeEvent } from './describe.js';
import type { GithubStatusConfig } from './types.js';

/** GitHub refuses a longer description. */
export const GITHUB_DESCRIPTION_LIMIT = 140;
/** The REST API version the request is written against. */
const API_VERSION = '2022-11-28';

export type CommitState = 'pending' | 'success' | 'failure' | 'error';

/** The body of a commit status. */
export interface CommitStatus {
  readonly state: CommitState;
  readonly description: string;
  readonly context: string;
  readonly target_url?: string;
}

/** The status an event sets, or undefined (another event type, or a revision that is no commit). */
export function commitStatusFor(event: DeliveryEvent, config: GithubStatusConfig): { sha: string; status: CommitStatus } | undefined {
  if (event.type !== 'revision-started' && event.type !== 'revision-succeeded' && event.type !== 'revision-failed') return undefined;
  // A rendering with Overlay values is its commit's: the status goes on that commit.
  const sha = commitOf(event.revision);
  if (sha === undefined) return undefined;
  const state: CommitState = event.type === 'revision-started' ? 'pending' : event.type === 'revision-succeeded' ? 'success' : 'failure';
  const description =
    event.type === 'revision-started'
      ? 'Deploying: the controller is applying this commit'
      : event.type === 'revision-succeeded'
        ? 'Deployed: every resource is Synced and Healthy'
        : failedDescription(event);
  return {
    sha,
    status: {
      state,
      description: truncate(oneLine(description), GITHUB_DESCRIPTION_LIMIT),
      context: config.context,
      ...(config.targetUrl !== undefined ? { target_url: config.targetUrl.replaceAll('{revision}', sha) } : {}),
    },
  };
}

/** The HTTP request that sets `status` on commit `sha`. */
export function commitStatusRequest(config: GithubStatusConfig, sha: string, status: CommitStatus): PostRequest {
  const base = config.apiUrl.replace(/\/+$/, '');
  return {
    url: `${base}/repos/${encodeURIComponent(config.owner)}/${encodeURIComponent(config.repo)}/statuses/${sha}`,
    headers: {
      accept: 'application/vnd.github+json',
      'content-type': 'application/json',
      'user-agent': 'ecs-gitops',
      'x-github-api-version': API_VERSION,
      ...(config.token !== undefined ? { authorization: `Bearer ${config.token}` } : {}),
    },
    body: JSON.stringify(status),
  };
}

/**
 * Why a revision failed, in GitHub's 140 characters: with ECS's stopped reason of a failed
 * task, the resource, the condition and that reason (the rollout message before it would push
 * it out); otherwise the event's reason and the failing resources.
 */
function failedDescription(event: Extract<DeliveryEvent, { type: 'revision-failed' }>): string {
  const first = event.failing[0];
  if (first?.stoppedReason === undefined) return describeEvent(event).replace(/^Revision \S+ failed: /, 'Failed: ');
  const condition = first.reason.split(':', 1)[0];
  const more = event.failing.length > 1 ? ` (and ${event.failing.length - 1} more)` : '';
  return `Failed: ${first.key}${more}: ${condition}, a task stopped: ${first.stoppedReason}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** At most `max` characters (code points), the last one an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * `owner/repo` of a Git remote on a hosting service (`https://github.com/o/r.git`,
 * `ssh://git@host/o/r.git`), or undefined when the URL has no such path.
 */
export function githubRepoOfRemote(remote: string): { owner: string; repo: string } | undefined {
  let path: string;
  try {
    const u = new URL(remote);
    if (u.protocol === 'file:') return undefined;
    path = u.pathname;
  } catch {
    return undefined;
  }
  const parts = path
    .replace(/\.git\/?$/, '')
    .split('/')
    .filter(Boolean);
  if (parts.length !== 2) return undefined;
  const [owner, repo] = parts as [string, string];
  return REPO_PART.test(owner) && REPO_PART.test(repo) ? { owner, repo } : undefined;
}

/** Characters GitHub allows in owner and repository names. */
export const REPO_PART = /^[A-Za-z0-9_.-]{1,100}$/;
