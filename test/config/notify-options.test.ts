import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { controllerOptionsHelp, loggableConfig, parseControllerConfig } from '../../src/config/controller-config.js';
import { ConfigError } from '../../src/config/options.js';

const GIT = 'git+https://github.com/acme/deploy.git//prod#main';
const files: Record<string, string> = {
  '/run/token': 'ghp_FromFile123456\n',
  '/run/slack': 'https://hooks.slack.com/services/T0/B0/SlackSecret\n',
  '/run/empty': '\n',
};
const readFile = (p: string): string => {
  const v = files[p];
  if (v === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
  return v;
};
const parse = (argv: string[], env: Record<string, string> = {}) => parseControllerConfig(['--source', GIT, ...argv], env, { readFile });

describe('notification options', () => {
  it('has no notifier unless a channel is configured', () => {
    assert.equal(parse([]).notify, undefined);
  });

  it('turns GitHub statuses on with a token, on github.com, for the repository of the git source', () => {
    const n = parse([], { ECS_GITOPS_NOTIFY_GITHUB_TOKEN: 'ghp_FromEnv1234567' }).notify!;
    assert.deepEqual(n.github, { apiUrl: 'https://api.github.com', owner: 'acme', repo: 'deploy', token: 'ghp_FromEnv1234567', context: 'ecs-gitops' });
    assert.equal(n.webhook, undefined);
  });

  it('takes a GitHub Enterprise URL, a token file, a repository, a context and a target URL', () => {
    const n = parse([
      '--notify-github-url',
      'https://ghe.example.com/api/v3',
      '--notify-github-token-file',
      '/run/token',
      '--notify-github-repo',
      'platform/manifests',
      '--notify-github-context',
      'deploy/prod',
      '--notify-github-target-url',
      'https://grafana.example/d/x?rev={revision}',
    ]).notify!;
    assert.deepEqual(n.github, {
      apiUrl: 'https://ghe.example.com/api/v3',
      owner: 'platform',
      repo: 'manifests',
      token: 'ghp_FromFile123456',
      context: 'deploy/prod',
      targetUrl: 'https://grafana.example/d/x?rev={revision}',
    });
  });

  it('needs the repository when the source does not name one', () => {
    assert.throws(
      () => parseControllerConfig(['--source', 'examples', '--notify-github-url', 'http://127.0.0.1:1'], {}),
      (e: unknown) => e instanceof ConfigError && /--notify-github-repo/.test(e.message),
    );
    const n = parseControllerConfig(['--source', 'examples', '--notify-github-url', 'http://127.0.0.1:1', '--notify-github-repo', 'o/r'], {}).notify!;
    assert.equal(n.github?.owner, 'o');
  });

  it('refuses a token from both the file and the environment, an empty file, a bad repo and an unknown event', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--notify-github-token-file', '/run/token'], { ECS_GITOPS_NOTIFY_GITHUB_TOKEN: 'x' }, /not both/],
      [['--notify-github-token-file', '/run/empty'], {}, /is empty/],
      [['--notify-github-token-file', '/run/none'], {}, /cannot read \/run\/none: ENOENT/],
      [['--notify-github-repo', 'acme'], {}, /owner\/repo/],
      [['--notify-webhook-url', 'https://hooks.example/x', '--notify-webhook-events', 'drift-detected,drift-happened'], {}, /unknown event "drift-happened"/],
      [['--notify-webhook-url', 'ftp://hooks.example/x'], {}, /http\(s\) URL/],
      [[], { ECS_GITOPS_NOTIFY_WEBHOOK_SECRET: 'k' }, /--notify-webhook-url/],
      [['--notify-webhook-url', 'https://h.example/', '--notify-rate-limit', 'fast'], {}, /rate\[:burst\]/],
      [['--notify-webhook-url', 'https://h.example/', '--notify-max-attempts', '0'], {}, /--notify-max-attempts/],
    ];
    for (const [argv, env, message] of cases) assert.throws(() => parse(argv, env), message, argv.join(' '));
  });

  it('reads the webhook, its filter and the delivery settings from ECS_GITOPS_* variables', () => {
    const n = parse([], {
      ECS_GITOPS_NOTIFY_WEBHOOK_URL: 'https://hooks.example/ecs',
      ECS_GITOPS_NOTIFY_WEBHOOK_SECRET: 'hmac-key',
      ECS_GITOPS_NOTIFY_WEBHOOK_EVENTS: 'rollout-failed, revision-failed',
      ECS_GITOPS_NOTIFY_DEDUP_WINDOW: '0s',
      ECS_GITOPS_NOTIFY_RATE_LIMIT: '0.5:3',
      ECS_GITOPS_NOTIFY_QUEUE_SIZE: '50',
      ECS_GITOPS_NOTIFY_MAX_ATTEMPTS: '3',
      ECS_GITOPS_NOTIFY_TIMEOUT: '2s',
    }).notify!;
    assert.deepEqual(n.webhook, { url: 'https://hooks.example/ecs', secret: 'hmac-key', events: ['rollout-failed', 'revision-failed'] });
    assert.equal(n.delivery.dedupWindowMs, 0);
    assert.equal(n.delivery.ratePerSecond, 0.5);
    assert.equal(n.delivery.burst, 3);
    assert.equal(n.delivery.queueSize, 50);
    assert.equal(n.delivery.maxAttempts, 3);
    assert.equal(n.delivery.timeoutMs, 2000);
  });

  it('defaults the webhook and Slack filters to applied, rollout failed, drift, stalled and prune blocked', () => {
    const n = parse(['--notify-slack-url-file', '/run/slack']).notify!;
    assert.deepEqual(n.slack?.events, ['revision-applied', 'rollout-failed', 'drift-detected', 'drift-reverted', 'resource-stalled', 'prune-blocked']);
    assert.equal(n.slack?.url, 'https://hooks.slack.com/services/T0/B0/SlackSecret');
  });

  it('logs which channels are on, never a token, an HMAC key or the Slack URL', () => {
    const c = parse(['--notify-slack-url-file', '/run/slack', '--notify-webhook-url', 'https://hooks.example/ecs?key=QuerySecret'], {
      ECS_GITOPS_NOTIFY_GITHUB_TOKEN: 'ghp_FromEnv1234567',
      ECS_GITOPS_NOTIFY_WEBHOOK_SECRET: 'hmac-key-value',
    });
    const shown = JSON.stringify(loggableConfig(c));
    for (const secret of ['ghp_FromEnv1234567', 'hmac-key-value', 'SlackSecret', 'QuerySecret']) assert.ok(!shown.includes(secret), `${secret} in ${shown}`);
    assert.match(shown, /"repo":"acme\/deploy"/);
    assert.match(shown, /"origin":"https:\/\/hooks.example"/);
  });

  it('lists every notification option in the run help, secrets as environment only', () => {
    const help = controllerOptionsHelp();
    for (const flag of ['--notify-github-url', '--notify-github-token-file', '--notify-webhook-url', '--notify-slack-url-file', '--notify-dedup-window']) {
      assert.ok(help.includes(flag), flag);
    }
    assert.match(help, /\(env\) ECS_GITOPS_NOTIFY_GITHUB_TOKEN/);
    assert.match(help, /\(env\) ECS_GITOPS_NOTIFY_SLACK_URL /);
    assert.ok(!help.includes('--notify-github-token '), 'the token itself has no flag');
  });
});
