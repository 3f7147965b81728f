import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { startRecordingServer, type Received, type RecordingServer, type Reply } from '../helpers/recording-server.js';

const SCRIPT = join(PACKAGE_ROOT, 'scripts', 'pr-comment.mjs');
const EVENT = join(PACKAGE_ROOT, 'test', 'fixtures', 'github', 'pull_request.synchronize.json');
const TOKEN = 'ghs_ActionTok3nNeverPrinted';
const MARKER = '<!-- ecs-gitops-plan -->';

interface Comment {
  id: number;
  body: string;
  user: { login: string };
}

/**
 * The three GitHub REST calls the script makes, over an in-memory comment list of issue 42 of
 * acme/deploy: GET .../issues/42/comments (paged, Link header), POST .../issues/42/comments,
 * PATCH .../issues/comments/{id}. Anything else, or a wrong token, is refused like GitHub does.
 */
function githubApi(comments: Comment[], options: { failPost?: number } = {}) {
  let nextId = 1000;
  return (req: Received): Reply => {
    if (req.headers['authorization'] !== `Bearer ${TOKEN}`) return { status: 401, body: { message: 'Bad credentials' } };
    const url = new URL(req.path, 'http://x');
    if (req.method === 'GET' && url.pathname === '/repos/acme/deploy/issues/42/comments') {
      const per = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const slice = comments.slice((page - 1) * per, page * per);
      const last = Math.max(1, Math.ceil(comments.length / per));
      const link = page < last ? `<http://x/repos/acme/deploy/issues/42/comments?per_page=${per}&page=${page + 1}>; rel="next"` : '';
      return { status: 200, headers: link ? { link } : {}, body: slice };
    }
    if (req.method === 'POST' && url.pathname === '/repos/acme/deploy/issues/42/comments') {
      if (options.failPost) return { status: options.failPost, body: { message: `Resource not accessible by integration; token ${TOKEN}` } };
      const c = { id: nextId++, body: (JSON.parse(req.body) as { body: string }).body, user: { login: 'github-actions[bot]' } };
      comments.push(c);
      return { status: 201, body: c };
    }
    const patch = /^\/repos\/acme\/deploy\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (req.method === 'PATCH' && patch) {
      const c = comments.find((x) => x.id === Number(patch[1]));
      if (!c) return { status: 404, body: { message: 'Not Found' } };
      c.body = (JSON.parse(req.body) as { body: string }).body;
      return { status: 200, body: c };
    }
    return { status: 404, body: { message: 'Not Found' } };
  };
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('the pull request comment of the GitHub Action (scripts/pr-comment.mjs, recorded pull_request event, local API)', () => {
  let api: RecordingServer;
  let work: string;
  let comments: Comment[];
  let env: Record<string, string>;
  const planFile = () => join(work, 'plan.md');
  const validateFile = () => join(work, 'validate.txt');

  before(async () => {
    api = await startRecordingServer();
    work = await mkdtemp(join(tmpdir(), 'ecs-gitops-action-'));
    await writeFile(validateFile(), '');
    await writeFile(
      planFile(),
      '### ecs-gitops plan\n\n**Plan: 0 to create, 1 to update, 0 to replace, 0 to delete, 0 blocked.**\n\n<details><summary>x</summary>\n\n```diff\n- spec.desiredCount: 2\n+ spec.desiredCount: 4\n```\n\n</details>\n',
    );
  });
  after(async () => {
    await api.close();
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(() => {
    comments = [{ id: 1, body: 'LGTM', user: { login: 'octocat' } }];
    api.received.length = 0;
    api.respond = githubApi(comments);
    env = { GITHUB_EVENT_PATH: EVENT, GITHUB_API_URL: api.url, GITHUB_TOKEN: TOKEN };
  });

  const planArgs = () => ['--validate', validateFile(), '--validate-exit', '0', '--plan', planFile(), '--plan-exit', '2'];

  it('creates one comment with the marker, the validate result and the plan, then updates that same comment', async () => {
    const first = await run(planArgs(), env);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /created comment 1000 on acme\/deploy#42/);
    assert.equal(comments.length, 2);
    const body = comments[1]!.body;
    assert.ok(body.startsWith(`${MARKER}\n## ecs-gitops\n`), body);
    assert.match(body, /\*\*validate\*\*: the manifests are valid\./);
    assert.match(body, /- spec\.desiredCount: 2\n\+ spec\.desiredCount: 4/);
    assert.match(body, /Commit 9f2c4e0\./);
    assert.deepEqual(
      api.received.map((r) => `${r.method} ${new URL(r.path, 'http://x').pathname}`),
      ['GET /repos/acme/deploy/issues/42/comments', 'POST /repos/acme/deploy/issues/42/comments'],
    );

    await writeFile(join(work, 'plan2.md'), '### ecs-gitops plan\n\n**No changes. Live state matches the source.**\n');
    const second = await run(['--validate', validateFile(), '--validate-exit', '0', '--plan', join(work, 'plan2.md'), '--plan-exit', '0'], env);
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /updated comment 1000/);
    assert.equal(comments.length, 2, 'still one comment of ours');
    assert.match(comments[1]!.body, /No changes/);
    assert.doesNotMatch(comments[1]!.body, /desiredCount/);
    assert.equal(comments[0]!.body, 'LGTM', 'other comments are left alone');
    assert.equal(api.received.at(-1)!.method, 'PATCH');
  });

  it('finds its comment on a later page of a long conversation', async () => {
    for (let i = 2; i <= 230; i++) comments.push({ id: i, body: i === 170 ? `${MARKER}\nold plan` : `comment ${i}`, user: { login: 'someone' } });
    const r = await run(planArgs(), env);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /updated comment 170/);
    assert.equal(comments.length, 230);
    assert.equal(api.received.filter((x) => x.method === 'GET').length, 2);
  });

  it('shows validate errors and no plan when the manifests are invalid', async () => {
    await writeFile(join(work, 'invalid.txt'), 'deploy/api.yaml:7:5 error EcsService/prod/api spec.cpu: 300 is not a Fargate CPU value\n1 error\n');
    const r = await run(['--validate', join(work, 'invalid.txt'), '--validate-exit', '1'], env);
    assert.equal(r.code, 0, r.err);
    const body = comments.at(-1)!.body;
    assert.match(body, /\*\*validate\*\* failed \(exit 1\):\n\n```text\ndeploy\/api\.yaml:7:5 error EcsService\/prod\/api spec\.cpu/);
    assert.match(body, /No plan: fix the manifests first\./);
  });

  it('keeps the body within 65,536 characters whatever it is given', async () => {
    await writeFile(join(work, 'huge.md'), `### ecs-gitops plan\n\n${'x'.repeat(70_000)}\n`);
    await writeFile(join(work, 'huge.txt'), 'e'.repeat(50_000));
    const r = await run(['--validate', join(work, 'huge.txt'), '--validate-exit', '1', '--plan', join(work, 'huge.md'), '--plan-exit', '2'], env);
    assert.equal(r.code, 0, r.err);
    const body = comments.at(-1)!.body;
    assert.ok(body.length <= 65_536, `${body.length}`);
    assert.ok(body.startsWith(MARKER));
    assert.match(body, /output cut: 38000 more characters/);
  });

  it('gives each comment key its own comment', async () => {
    assert.equal((await run([...planArgs(), '--key', 'prod'], env)).code, 0);
    assert.equal((await run([...planArgs(), '--key', 'staging'], env)).code, 0);
    assert.equal((await run([...planArgs(), '--key', 'prod'], env)).code, 0);
    assert.equal(comments.length, 3);
    assert.ok(comments[1]!.body.startsWith('<!-- ecs-gitops-plan:prod -->\n## ecs-gitops (prod)'));
    assert.ok(comments[2]!.body.startsWith('<!-- ecs-gitops-plan:staging -->'));
  });

  it('fails with the status and a hint when the token cannot comment, without printing the token', async () => {
    api.respond = githubApi(comments, { failPost: 403 });
    const r = await run(planArgs(), env);
    assert.equal(r.code, 1);
    assert.match(r.err, /POST \/repos\/acme\/deploy\/issues\/42\/comments: HTTP 403 \(the token needs pull-requests: write/);
    assert.ok(!r.err.includes(TOKEN) && !r.out.includes(TOKEN), r.err);
  });

  it('refuses an event that is not a pull request', async () => {
    await writeFile(join(work, 'push.json'), JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'acme/deploy' } }));
    const r = await run(planArgs(), { ...env, GITHUB_EVENT_PATH: join(work, 'push.json') });
    assert.equal(r.code, 1);
    assert.match(r.err, /is not a pull_request event/);
    assert.equal(api.received.length, 0);
  });
});
