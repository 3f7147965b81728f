import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createGitHubWebhook } from '../../src/webhooks/github.js';
import { createGenericWebhook } from '../../src/webhooks/generic.js';
import { checkSignature, signBody } from '../../src/webhooks/signature.js';
import type { WebhookRequestEvent, WebhookTrigger } from '../../src/webhooks/types.js';

const SECRET = 'whsec-8d1f0c';

function github(ref?: string, maxBodyBytes?: number) {
  const triggers: WebhookTrigger[] = [];
  const events: WebhookRequestEvent[] = [];
  const handler = createGitHubWebhook({ secrets: [SECRET], ref, maxBodyBytes, onTrigger: (t) => triggers.push(t), onRequest: (e) => events.push(e) });
  return { handler, triggers, events };
}

function pushBody(ref: string, extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(JSON.stringify({ ref, after: 'a'.repeat(40), repository: { default_branch: 'main' }, ...extra }));
}

function signed(event: string, body: Buffer, secret = SECRET): Record<string, string> {
  return { 'x-github-event': event, 'x-hub-signature-256': signBody(secret, body), 'x-github-delivery': 'd-1', 'content-type': 'application/json' };
}

describe('GitHub webhook', () => {
  it('triggers one fetch for a signed push to the followed branch (202)', () => {
    const t = github('main');
    const body = pushBody('refs/heads/main');
    const res = t.handler(signed('push', body), body);
    assert.equal(res.status, 202);
    assert.equal(res.body.result, 'triggered');
    assert.deepEqual(t.triggers, [{ kind: 'github', ref: 'refs/heads/main', revision: 'a'.repeat(40), delivery: 'd-1' }]);
    assert.deepEqual(
      t.events.map((e) => [e.result, e.status]),
      [['triggered', 202]],
    );
  });

  const ignored: [string, string | undefined, Buffer][] = [
    ['a push to another branch', 'main', pushBody('refs/heads/feature')],
    ['a push to a tag when following a branch', 'main', pushBody('refs/tags/main-backup')],
    ['a deleted branch', 'main', pushBody('refs/heads/main', { deleted: true })],
    ['any push when pinned to a commit', 'c'.repeat(40), pushBody('refs/heads/main')],
    ['a push to a non-default branch when following HEAD', undefined, pushBody('refs/heads/dev')],
  ];
  for (const [name, ref, body] of ignored) {
    it(`ignores ${name} (200, no fetch)`, () => {
      const t = github(ref);
      const res = t.handler(signed('push', body), body);
      assert.equal(res.status, 200);
      assert.equal(res.body.result, 'ignored');
      assert.equal(t.triggers.length, 0);
    });
  }

  it('matches a followed tag and the default branch when following HEAD', () => {
    const tag = github('v2.0.0');
    const tb = pushBody('refs/tags/v2.0.0');
    assert.equal(tag.handler(signed('push', tb), tb).status, 202);
    const head = github(undefined);
    const hb = pushBody('refs/heads/main');
    assert.equal(head.handler(signed('push', hb), hb).status, 202);
  });

  it('answers ping with 200 and other events as ignored', () => {
    const t = github('main');
    const body = Buffer.from('{"zen":"Keep it logically awesome."}');
    assert.equal(t.handler(signed('ping', body), body).status, 200);
    const res = t.handler(signed('issues', body), body);
    assert.equal(res.status, 200);
    assert.equal(res.body.result, 'ignored');
    assert.equal(t.triggers.length, 0);
  });

  it('refuses a missing, malformed or wrong signature with 401 and counts each', () => {
    const t = github('main');
    const body = pushBody('refs/heads/main');
    const headers = signed('push', body);
    const { 'x-hub-signature-256': _, ...unsigned } = headers;
    const cases = [
      unsigned,
      { ...headers, 'x-hub-signature-256': 'sha1=abc' },
      { ...headers, 'x-hub-signature-256': `sha256=${'0'.repeat(63)}` },
      signed('push', body, 'another-secret'),
    ];
    for (const h of cases) {
      const res = t.handler(h, body);
      assert.equal(res.status, 401);
      assert.doesNotMatch(JSON.stringify(res.body), new RegExp(SECRET));
    }
    assert.equal(t.triggers.length, 0);
    assert.deepEqual(
      t.events.map((e) => e.result),
      ['unauthorized', 'unauthorized', 'unauthorized', 'unauthorized'],
    );
  });

  it('refuses a body changed after signing (signature over the raw bytes)', () => {
    const t = github('main');
    const body = pushBody('refs/heads/main');
    const headers = signed('push', body);
    const tampered = Buffer.from(body.toString('utf8').replace('main', 'prod'));
    assert.equal(t.handler(headers, tampered).status, 401);
  });

  it('answers 413 for a body over the limit, before checking anything else', () => {
    const t = github('main', 100);
    const body = pushBody('refs/heads/main', { padding: 'x'.repeat(200) });
    assert.equal(t.handler.maxBodyBytes, 100);
    assert.equal(t.handler(signed('push', body), body).status, 413);
    assert.equal(t.handler({ 'content-length': '5000' }, Buffer.alloc(0)).status, 413);
    assert.deepEqual(
      t.events.map((e) => e.result),
      ['too_large', 'too_large'],
    );
  });

  it('answers 400 for a signed push that is not JSON or lacks a ref, or a missing event header', () => {
    const t = github('main');
    const notJson = Buffer.from('{"ref": ');
    assert.equal(t.handler(signed('push', notJson), notJson).status, 400);
    const noRef = Buffer.from('{"after":"x"}');
    assert.equal(t.handler(signed('push', noRef), noRef).status, 400);
    const body = pushBody('refs/heads/main');
    const { 'x-github-event': _, ...noEvent } = signed('push', body);
    assert.equal(t.handler(noEvent, body).status, 400);
    assert.equal(t.triggers.length, 0);
  });

  it('accepts the form-encoded payload GitHub sends for application/x-www-form-urlencoded hooks', () => {
    const t = github('main');
    const body = Buffer.from(`payload=${encodeURIComponent(pushBody('refs/heads/main').toString('utf8'))}`);
    const headers = { ...signed('push', body), 'content-type': 'application/x-www-form-urlencoded' };
    assert.equal(t.handler(headers, body).status, 202);
  });

  it('accepts any of several secrets (rotation) and refuses an empty secret at setup', () => {
    const triggers: WebhookTrigger[] = [];
    const handler = createGitHubWebhook({ secrets: ['old-secret', 'new-secret'], ref: 'main', onTrigger: (x) => triggers.push(x) });
    const body = pushBody('refs/heads/main');
    assert.equal(handler(signed('push', body, 'old-secret'), body).status, 202);
    assert.equal(handler(signed('push', body, 'new-secret'), body).status, 202);
    assert.throws(() => createGitHubWebhook({ secrets: [''], onTrigger: () => {} }), RangeError);
    assert.throws(() => createGitHubWebhook({ secrets: [], onTrigger: () => {} }), RangeError);
  });
});

describe('generic HMAC webhook', () => {
  function generic() {
    const triggers: WebhookTrigger[] = [];
    const handler = createGenericWebhook({ secrets: [SECRET], maxBodyBytes: 1024, onTrigger: (t) => triggers.push(t) });
    return { handler, triggers };
  }

  it('triggers a fetch for a signed empty body or JSON object (202)', () => {
    const t = generic();
    const empty = Buffer.alloc(0);
    assert.equal(t.handler({ 'x-signature-256': signBody(SECRET, empty) }, empty).status, 202);
    const body = Buffer.from('{"ref":"main","revision":"abc"}');
    assert.equal(t.handler({ 'x-signature-256': signBody(SECRET, body) }, body).status, 202);
    assert.deepEqual(
      t.triggers.map((x) => [x.kind, x.ref, x.revision]),
      [
        ['generic', undefined, undefined],
        ['generic', 'main', 'abc'],
      ],
    );
  });

  it('answers 401 without or with a wrong signature, 400 for a non-object body, 413 over the limit', () => {
    const t = generic();
    const body = Buffer.from('{}');
    assert.equal(t.handler({}, body).status, 401);
    assert.equal(t.handler({ 'x-signature-256': signBody('nope', body) }, body).status, 401);
    const arr = Buffer.from('[1,2]');
    assert.equal(t.handler({ 'x-signature-256': signBody(SECRET, arr) }, arr).status, 400);
    const big = Buffer.alloc(2048, 0x20);
    assert.equal(t.handler({ 'x-signature-256': signBody(SECRET, big) }, big).status, 413);
    assert.equal(t.triggers.length, 0);
  });
});

describe('signature check', () => {
  it('is valid only for the exact body and secret, and tolerates upper-case hex', () => {
    const body = Buffer.from('hello');
    const sig = signBody('k', body);
    assert.equal(checkSignature(sig, body, ['k']), 'valid');
    assert.equal(checkSignature(sig.toUpperCase().replace('SHA256=', 'sha256='), body, ['k']), 'valid');
    assert.equal(checkSignature(sig, Buffer.from('hello!'), ['k']), 'mismatch');
    assert.equal(checkSignature(undefined, body, ['k']), 'missing');
    assert.equal(checkSignature('sha256=zz', body, ['k']), 'malformed');
  });
});
