#!/usr/bin/env node
// Posts the result of `ecs-gitops validate` and `ecs-gitops plan --output markdown` on a pull
// request as ONE comment: the comment carrying the hidden marker is edited on every run, or
// created the first time. Run by action.yml; plain Node (no dependencies) so it runs before
// and without a build.
//
//   node scripts/pr-comment.mjs --validate <file> --validate-exit <n> [--plan <file> --plan-exit <n>] [--key <name>]
//
// Environment (set by GitHub Actions): GITHUB_EVENT_PATH (the pull_request event payload),
// GITHUB_API_URL (default https://api.github.com), GITHUB_TOKEN (issues/pull-requests: write),
// GITHUB_REPOSITORY (fallback when the payload names none). The token is never printed.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export const MARKER = '<!-- ecs-gitops-plan -->';
/** GitHub refuses longer comment bodies (characters). */
export const COMMENT_LIMIT = 65_536;
const VALIDATE_LIMIT = 12_000;

/** The marker of a comment; a key gives each environment its own comment. */
export function markerFor(key) {
  return key ? `<!-- ecs-gitops-plan:${key} -->` : MARKER;
}

function fence(body, info = 'text') {
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${info}\n${body.replace(/\n+$/, '')}\n${f}`;
}

function cut(text, max, what) {
  return text.length <= max ? text : `${text.slice(0, max)}\n... (${what} cut: ${text.length - max} more characters)`;
}

/** The comment body: marker, what ran, validate's result, the plan; at most COMMENT_LIMIT characters. */
export function commentBody({ marker, validate, validateExit, plan, planExit, sha, key }) {
  const title = `## ecs-gitops${key ? ` (${key})` : ''}`;
  const parts = [marker, title, ''];
  if (validateExit === 0) parts.push('**validate**: the manifests are valid.');
  else parts.push(`**validate** failed (exit ${validateExit}):`, '', fence(cut(validate, VALIDATE_LIMIT, 'output')));
  if (plan !== undefined) {
    parts.push('');
    if (planExit === 1) parts.push(`**plan** failed (exit 1):`, '', fence(cut(plan, VALIDATE_LIMIT, 'output')));
    else parts.push(plan.replace(/\n+$/, ''));
  } else if (validateExit !== 0) {
    parts.push('', 'No plan: fix the manifests first.');
  }
  const footer = `\n\n<sub>${sha ? `Commit ${sha.slice(0, 7)}. ` : ''}Updated by ecs-gitops on every push; exit codes: validate ${validateExit}${plan !== undefined ? `, plan ${planExit}` : ''}.</sub>\n`;
  let body = parts.join('\n');
  const room = COMMENT_LIMIT - footer.length;
  if (body.length > room) {
    const note = "\n\n> [!NOTE]\n> Cut to stay within GitHub's comment size limit: run `ecs-gitops plan` for everything.";
    body = `${body.slice(0, room - note.length)}${note}`;
  }
  return `${body}${footer}`;
}

/** A small GitHub REST client: JSON in and out, errors name the call and the status, never the token. */
export function github({ apiUrl, token, fetchFn = fetch }) {
  const base = apiUrl.replace(/\/+$/, '');
  return async (method, path, body) => {
    const res = await fetchFn(`${base}${path}`, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'ecs-gitops-action',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) {
      const hint = res.status === 403 || res.status === 404 ? ' (the token needs pull-requests: write; pull requests from forks get a read-only token)' : '';
      const message = text.replace(/\s+/g, ' ').slice(0, 300);
      throw new Error(`${method} ${path}: HTTP ${res.status}${hint}${message ? `: ${token ? message.replaceAll(token, '***') : message}` : ''}`);
    }
    return { data: text ? JSON.parse(text) : undefined, link: res.headers.get('link') ?? '' };
  };
}

/** The first comment of the pull request holding `marker` (every page is read), or undefined. */
export async function findComment(call, repo, number, marker) {
  for (let page = 1; page <= 100; page++) {
    const { data, link } = await call('GET', `/repos/${repo}/issues/${number}/comments?per_page=100&page=${page}`);
    const hit = data.find((c) => typeof c.body === 'string' && c.body.includes(marker));
    if (hit) return hit;
    if (data.length < 100 && !/rel="next"/.test(link)) return undefined;
  }
  return undefined;
}

/** Creates or updates the one comment; resolves to what was done and the comment id. */
export async function upsertComment(call, repo, number, marker, body) {
  const existing = await findComment(call, repo, number, marker);
  if (existing) {
    await call('PATCH', `/repos/${repo}/issues/comments/${existing.id}`, { body });
    return { action: 'updated', id: existing.id };
  }
  const { data } = await call('POST', `/repos/${repo}/issues/${number}/comments`, { body });
  return { action: 'created', id: data?.id };
}

async function main() {
  const { values } = parseArgs({
    options: {
      validate: { type: 'string' },
      'validate-exit': { type: 'string' },
      plan: { type: 'string' },
      'plan-exit': { type: 'string' },
      key: { type: 'string', default: '' },
    },
    strict: true,
  });
  const env = process.env;
  if (!env.GITHUB_EVENT_PATH) throw new Error('GITHUB_EVENT_PATH is not set: run in a GitHub Actions pull_request workflow');
  const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
  const pr = event.pull_request ?? (event.issue?.pull_request ? event.issue : undefined);
  if (!pr?.number) throw new Error(`${env.GITHUB_EVENT_PATH} is not a pull_request event (no pull_request.number)`);
  const repo = event.repository?.full_name ?? env.GITHUB_REPOSITORY;
  if (!repo) throw new Error('the repository is unknown (no repository.full_name in the event, no GITHUB_REPOSITORY)');
  if (!env.GITHUB_TOKEN) throw new Error('GITHUB_TOKEN is not set');
  const validateExit = Number(values['validate-exit'] ?? '0');
  const body = commentBody({
    marker: markerFor(values.key),
    key: values.key,
    validate: values.validate ? readFileSync(values.validate, 'utf8') : '',
    validateExit,
    plan: values.plan ? readFileSync(values.plan, 'utf8') : undefined,
    planExit: Number(values['plan-exit'] ?? '0'),
    sha: pr.head?.sha,
  });
  const call = github({ apiUrl: env.GITHUB_API_URL || 'https://api.github.com', token: env.GITHUB_TOKEN });
  const done = await upsertComment(call, repo, pr.number, markerFor(values.key), body);
  console.log(`ecs-gitops: ${done.action} comment ${done.id} on ${repo}#${pr.number} (${body.length} characters)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(`ecs-gitops: cannot comment on the pull request: ${err.message}`);
    process.exit(1);
  });
}
