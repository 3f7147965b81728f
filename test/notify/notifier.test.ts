import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { type DeliveryEvent, DeliveryEvents } from '../../src/controller/delivery-events.js';
import { commitStatusFor, commitStatusRequest, GITHUB_DESCRIPTION_LIMIT } from '../../src/notify/github-status.js';
import { Notifier } from '../../src/notify/notifier.js';
import { DEFAULT_DELIVERY, DEFAULT_NOTIFY_EVENTS, type NotifyConfig, type NotifyResult } from '../../src/notify/types.js';
import { createLogger } from '../../src/observability/logger.js';
import { checkSignature } from '../../src/webhooks/signature.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { waitFor } from '../run/helpers.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const TOKEN = 'ghp_NotifyTok3nNeverLogged';
const HMAC_KEY = 'whk_NotifySecretNeverLogged';
const AT = '2026-12-06T00:00:00.000Z';
const api = { key: 'EcsService/prod/api', kind: 'EcsService', name: 'prod/api' };

const started: DeliveryEvent = { type: 'revision-started', at: AT, revision: SHA };
const succeeded: DeliveryEvent = { type: 'revision-succeeded', at: AT, revision: SHA };
const failed: DeliveryEvent = {
  type: 'revision-failed',
  at: AT,
  revision: SHA,
  reason: 'rollout rolled back by the deployment circuit breaker',
  failing: [{ ...api, reason: 'Essential container in task exited: CannotPullContainerError' }],
};
const drift: DeliveryEvent = {
  type: 'drift-detected',
  at: AT,
  revision: SHA,
  resource: { key: 'CloudMapService/internal/name', kind: 'CloudMapService', name: 'internal/name' },
  fields: [{ path: 'spec.dns.records[0].ttl', from: 30, to: 60 }],
  mode: 'enforce',
};

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), raw: () => lines.join('\n') };
}

describe('notifier', () => {
  let github: RecordingServer;
  let hook: RecordingServer;
  let slack: RecordingServer;
  before(async () => {
    github = await startRecordingServer(() => ({ status: 201, body: { id: 1 } }));
    hook = await startRecordingServer(() => ({ status: 204 }));
    slack = await startRecordingServer(() => ({ status: 200, body: 'ok' }));
  });
  after(async () => {
    await Promise.all([github.close(), hook.close(), slack.close()]);
  });

  function make(overrides: Partial<NotifyConfig> = {}) {
    const results: [string, NotifyResult][] = [];
    const log = capture();
    const config: NotifyConfig = {
      github: {
        apiUrl: `${github.url}/api/v3`,
        owner: 'acme',
        repo: 'deploy',
        token: TOKEN,
        context: 'ecs-gitops/prod',
        targetUrl: 'https://grafana.example/d/x?var-rev={revision}',
      },
      webhook: { url: `${hook.url}/events`, secret: HMAC_KEY, events: DEFAULT_NOTIFY_EVENTS },
      slack: { url: `${slack.url}/services/T000/B000/XXXX`, events: DEFAULT_NOTIFY_EVENTS },
      delivery: { ...DEFAULT_DELIVERY, baseBackoffMs: 10 },
      ...overrides,
    };
    const notifier = new Notifier({ config, controllerId: 'prod-eu', record: (c, r) => results.push([c, r]), log: log.logger });
    const bus = new DeliveryEvents();
    notifier.attach(bus);
    return { notifier, bus, results, log };
  }

  it('posts pending, then failure naming the failing resource, then success to GitHub statuses of the commit', async () => {
    github.received.length = 0;
    const { notifier, bus } = make();
    bus.emit(started);
    bus.emit(failed);
    bus.emit(succeeded);
    await waitFor(() => github.received.length === 3 && notifier.idle(), 10_000, 'three statuses');
    for (const r of github.received) {
      assert.equal(r.method, 'POST');
      assert.equal(r.path, `/api/v3/repos/acme/deploy/statuses/${SHA}`);
      assert.equal(r.headers['authorization'], `Bearer ${TOKEN}`);
      assert.equal(r.headers['accept'], 'application/vnd.github+json');
      assert.ok(r.headers['user-agent']);
    }
    const bodies = github.received.map((r) => JSON.parse(r.body) as Record<string, string>);
    assert.deepEqual(
      bodies.map((b) => b['state']),
      ['pending', 'failure', 'success'],
    );
    for (const b of bodies) {
      assert.equal(b['context'], 'ecs-gitops/prod');
      assert.equal(b['target_url'], `https://grafana.example/d/x?var-rev=${SHA}`);
      assert.ok(b['description']!.length <= GITHUB_DESCRIPTION_LIMIT);
      assert.deepEqual(Object.keys(b).toSorted(), ['context', 'description', 'state', 'target_url']);
    }
    assert.match(bodies[1]!['description']!, /^Failed: rollout rolled back .*EcsService\/prod\/api/);
  });

  it('keeps the description within 140 characters and on one line', () => {
    const long: DeliveryEvent = { ...failed, reason: `line one\nline two ${'x'.repeat(300)}` } as DeliveryEvent;
    const s = commitStatusFor(long, { apiUrl: 'https://api.github.com', owner: 'o', repo: 'r', context: 'c' })!;
    assert.equal([...s.status.description].length, GITHUB_DESCRIPTION_LIMIT);
    assert.ok(s.status.description.endsWith('…'));
    assert.ok(!s.status.description.includes('\n'));
  });

  it('a failed rollout with a stopped reason: the description names the resource, the condition and the stopped reason within 140 characters', () => {
    const message = `ECS rolled back ecs-svc/7943864288057551893 of the source's revision: ECS deployment circuit breaker: tasks failed to start.`;
    const stopped = 'Essential container in task exited (container api: exit code 1)';
    const rolledBack: DeliveryEvent = {
      type: 'revision-failed',
      at: AT,
      revision: SHA,
      reason: `EcsService/prod/api: RolledBack: ${message}; a task stopped: ${stopped} (and 1 more)`,
      failing: [
        { ...api, reason: `RolledBack: ${message}; a task stopped: ${stopped}`, stoppedReason: stopped },
        { key: 'EcsService/prod/web', kind: 'EcsService', name: 'prod/web', reason: 'RolloutFailed: deployment ecs-svc/2 failed' },
      ],
    };
    const s = commitStatusFor(rolledBack, { apiUrl: 'https://api.github.com', owner: 'o', repo: 'r', context: 'c' })!;
    assert.equal(s.status.state, 'failure');
    assert.equal(s.status.description, `Failed: EcsService/prod/api (and 1 more): RolledBack, a task stopped: ${stopped}`);
    const long = commitStatusFor({ ...rolledBack, failing: [{ ...rolledBack.failing[0]!, stoppedReason: `${stopped} ${'x'.repeat(200)}` }] } as DeliveryEvent, {
      apiUrl: 'https://api.github.com',
      owner: 'o',
      repo: 'r',
      context: 'c',
    })!;
    assert.equal([...long.status.description].length, GITHUB_DESCRIPTION_LIMIT);
    assert.match(long.status.description, /^Failed: EcsService\/prod\/api: RolledBack, a task stopped: Essential container in task exited/);
  });

  it('sets no commit status for a revision that is not a commit (S3 digest, directory)', () => {
    const cfg = { apiUrl: 'https://api.github.com', owner: 'o', repo: 'r', context: 'c' };
    assert.equal(commitStatusFor({ type: 'revision-started', at: AT, revision: `sha256:${'a'.repeat(64)}` }, cfg), undefined);
    assert.equal(commitStatusFor(drift, cfg), undefined);
    assert.equal(commitStatusFor(started, cfg)?.status.state, 'pending');
  });

  it('a commit rendered with Overlay values (<sha>+values.<digest>) gets its status on the commit', () => {
    const cfg = { apiUrl: 'https://api.github.com', owner: 'o', repo: 'r', context: 'c', targetUrl: 'https://grafana.example/d/x?var-rev={revision}' };
    const rendered = commitStatusFor({ ...succeeded, revision: `${SHA}+values.0123456789ab` } as DeliveryEvent, cfg)!;
    assert.equal(rendered.sha, SHA);
    assert.equal(rendered.status.state, 'success');
    assert.equal(rendered.status.target_url, `https://grafana.example/d/x?var-rev=${SHA}`);
    assert.equal(commitStatusRequest(cfg, rendered.sha, rendered.status).url, `https://api.github.com/repos/o/r/statuses/${SHA}`);
    assert.equal(commitStatusFor({ ...succeeded, revision: `${SHA}+values.` } as DeliveryEvent, cfg), undefined);
    assert.equal(commitStatusFor({ ...succeeded, revision: `${SHA.slice(1)}+values.0123456789ab` } as DeliveryEvent, cfg), undefined);
  });

  it('posts the event JSON to the webhook with an HMAC-SHA256 signature the receiver verifies', async () => {
    hook.received.length = 0;
    const { notifier, bus } = make();
    bus.emit(drift);
    bus.emit(started); // not in the webhook's default filter
    await waitFor(() => hook.received.length >= 1 && notifier.idle(), 10_000, 'the webhook');
    assert.equal(hook.received.length, 1);
    const r = hook.received[0]!;
    assert.equal(checkSignature(String(r.headers['x-signature-256']), Buffer.from(r.body), [HMAC_KEY]), 'valid');
    assert.equal(checkSignature(String(r.headers['x-signature-256']), Buffer.from(r.body), ['another-key']), 'mismatch');
    assert.equal(r.headers['x-ecs-gitops-event'], 'drift-detected');
    const body = JSON.parse(r.body) as { formatVersion: number; controllerId: string; summary: string; event: DeliveryEvent };
    assert.equal(body.formatVersion, 1);
    assert.equal(body.controllerId, 'prod-eu');
    assert.deepEqual(body.event, drift);
    assert.match(body.summary, /Drift on CloudMapService\/internal\/name \(enforce\): spec\.dns\.records\[0\]\.ttl is 30 \(manifest: 60\)/);
  });

  it('sends Slack a short {text, blocks} message with mrkdwn escaped', async () => {
    slack.received.length = 0;
    const { notifier, bus } = make();
    bus.emit({ type: 'resource-stalled', at: AT, resource: api, reason: 'role <arn> & policy denied' });
    await waitFor(() => slack.received.length === 1 && notifier.idle(), 10_000, 'slack');
    const body = JSON.parse(slack.received[0]!.body) as { text: string; blocks: { type: string; text?: { type: string; text: string } }[] };
    assert.match(body.text, /EcsService\/prod\/api stalled: role &lt;arn&gt; &amp; policy denied/);
    assert.equal(body.blocks[0]?.type, 'section');
    assert.equal(body.blocks[0]?.text?.type, 'mrkdwn');
    assert.equal(slack.received[0]!.path, '/services/T000/B000/XXXX');
  });

  it('sends a repeated event once per channel within the window and counts it deduplicated', async () => {
    hook.received.length = 0;
    const { notifier, bus, results } = make({ github: undefined, slack: undefined });
    bus.emit(drift);
    bus.emit({ ...drift, at: '2026-12-06T00:01:00.000Z' });
    bus.emit({ ...drift, fields: [{ path: 'spec.dns.records[0].ttl', from: 10, to: 60 }] });
    await waitFor(() => results.length === 3 && notifier.idle(), 10_000, 'three results');
    assert.equal(hook.received.length, 2);
    assert.deepEqual(results.map(([, r]) => r).toSorted(), ['deduplicated', 'sent', 'sent']);
  });

  it('never writes the token, the HMAC key or the Slack URL to the log, even when a server echoes them', async () => {
    const echo = await startRecordingServer((r) => ({ status: 500, body: { url: r.path, auth: String(r.headers['authorization']).split(' ')[1] } }));
    try {
      const { notifier, bus, log } = make({
        github: { apiUrl: echo.url, owner: 'acme', repo: 'deploy', token: TOKEN, context: 'c' },
        webhook: { url: `${echo.url}/events`, secret: HMAC_KEY, events: DEFAULT_NOTIFY_EVENTS },
        slack: { url: `${echo.url}/services/T000/B000/SlackUrlSecretPart`, events: DEFAULT_NOTIFY_EVENTS },
        delivery: { ...DEFAULT_DELIVERY, baseBackoffMs: 5, maxBackoffMs: 20, maxAttempts: 2 },
      });
      bus.emit(started);
      bus.emit(drift);
      await waitFor(() => echo.received.length === 6 && notifier.idle(), 10_000, 'every attempt');
      const raw = log.raw();
      assert.match(raw, /notification failed/);
      assert.match(raw, /HTTP 500/);
      for (const secret of [TOKEN, HMAC_KEY, 'SlackUrlSecretPart']) assert.ok(!raw.includes(secret), `${secret} leaked: ${raw}`);
    } finally {
      await echo.close();
    }
  });

  it('enqueues from the bus listener without waiting for the receivers', async () => {
    const stuck = await startRecordingServer(() => new Promise(() => {}));
    try {
      const { notifier, bus } = make({
        github: undefined,
        slack: undefined,
        webhook: { url: stuck.url, events: DEFAULT_NOTIFY_EVENTS },
        delivery: { ...DEFAULT_DELIVERY, timeoutMs: 60_000 },
      });
      for (let i = 0; i < 50; i++) bus.emit({ ...drift, fields: [{ path: 'x', from: i, to: -1 }] });
      // emit returned for all 50 while the receiver answers nothing.
      assert.equal(notifier.idle(), false);
      await notifier.stop(10);
    } finally {
      await stuck.close();
    }
  });
});
