import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSourceUrl, redactUserinfo } from '../../src/sources/url.js';
import { SourceError } from '../../src/sources/errors.js';

describe('source URLs', () => {
  const cases: { url: string; expect: Record<string, unknown> }[] = [
    { url: '/srv/manifests', expect: { kind: 'directory', path: '/srv/manifests' } },
    { url: 'manifests', expect: { kind: 'directory', path: '/srv/deploy/manifests' } },
    { url: 'file:///srv/manifests', expect: { kind: 'directory', path: '/srv/manifests' } },
    {
      url: 'git+file:///srv/repo.git//deploy/manifests#main',
      expect: { kind: 'git', transport: 'file', remote: 'file:///srv/repo.git', subPath: 'deploy/manifests', ref: 'main' },
    },
    {
      url: 'git+https://github.com/acme/deploy.git#v1.2.0',
      expect: { kind: 'git', transport: 'https', remote: 'https://github.com/acme/deploy.git', subPath: '', ref: 'v1.2.0' },
    },
    {
      url: 'git+ssh://git@github.com/acme/deploy.git//envs/prod',
      expect: { kind: 'git', transport: 'ssh', remote: 'ssh://git@github.com/acme/deploy.git', subPath: 'envs/prod', ref: undefined },
    },
    { url: 'git://127.0.0.1:9418/repo.git#main', expect: { kind: 'git', transport: 'git', remote: 'git://127.0.0.1:9418/repo.git' } },
    { url: 's3://my-bucket/deploy/prod', expect: { kind: 's3', bucket: 'my-bucket', prefix: 'deploy/prod/', url: 's3://my-bucket/deploy/prod/' } },
    { url: 's3://my-bucket', expect: { kind: 's3', bucket: 'my-bucket', prefix: '' } },
  ];
  for (const c of cases) {
    it(`parses ${c.url}`, () => {
      const spec = parseSourceUrl(c.url, '/srv/deploy') as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.expect)) assert.deepEqual(spec[k], v, k);
    });
  }

  it('moves HTTPS credentials out of every URL it hands on', () => {
    const spec = parseSourceUrl('git+https://bot:s3cr3t@git.example.com/acme/deploy.git#main');
    assert.equal(spec.kind, 'git');
    if (spec.kind !== 'git') return;
    assert.equal(spec.url, 'git+https://git.example.com/acme/deploy.git#main');
    assert.equal(spec.remote, 'https://git.example.com/acme/deploy.git');
    assert.deepEqual(spec.urlCredentials, { username: 'bot', password: 's3cr3t' });
  });

  const invalid = [
    'ftp://example.com/x',
    'git+ext::sh -c id',
    'git+https://h/r.git#-upload-pack=evil',
    'git+https://h/r.git#a..b',
    'git+file:///srv/r.git//../etc',
    's3://Bad_Bucket/x',
    'git+ssh://git:pw@h/r.git',
    '',
  ];
  for (const url of invalid) {
    it(`refuses ${JSON.stringify(url)} as invalid_url`, () => {
      assert.throws(
        () => parseSourceUrl(url),
        (err: unknown) => err instanceof SourceError && err.reason === 'invalid_url',
      );
    });
  }

  it('never repeats a password in an invalid-URL error', () => {
    assert.throws(
      () => parseSourceUrl('git+https://u:hunter2@h/r.git#bad..ref'),
      (err: Error) => !err.message.includes('hunter2'),
    );
    assert.equal(redactUserinfo('fatal: https://u:p@h/x failed'), 'fatal: https://h/x failed');
  });
});
