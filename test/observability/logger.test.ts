import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, scrubSecrets, type LogLevel } from '../../src/observability/logger.js';

function capture(level: LogLevel = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = createLogger({ level, destination, base: { controllerId: 'test' } });
  return { logger, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>), raw: () => lines.join('\n') };
}

describe('logger', () => {
  it('writes one JSON object per line with level label, time, base fields and message', () => {
    const { logger, records } = capture();
    logger.info({ key: 'EcsService/demo/hello', durationMs: 12 }, 'reconciled');
    const [rec] = records();
    assert.equal(rec!.level, 'info');
    assert.equal(rec!.msg, 'reconciled');
    assert.equal(rec!.key, 'EcsService/demo/hello');
    assert.equal(rec!.controllerId, 'test');
    assert.ok(!Number.isNaN(Date.parse(String(rec!.time))));
  });

  it('honours the configured level', () => {
    const { logger, records } = capture('warn');
    logger.info('hidden');
    logger.debug('hidden');
    logger.warn('shown');
    assert.deepEqual(
      records().map((r) => r.msg),
      ['shown'],
    );
  });

  it('redacts authorization headers, tokens, secret keys and webhook secrets', () => {
    const { logger, records, raw } = capture();
    logger.info(
      {
        req: { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE', 'x-hub-signature-256': 'sha256=abcdef' } },
        token: 'ghp_supersecret1',
        credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' },
        config: { webhookSecret: 'hook-secret-value', secretAccessKey: 'nested-secret' },
      },
      'request',
    );
    const rec = records()[0] as { req: { headers: Record<string, string> }; token: string; credentials: string; config: Record<string, string> };
    assert.equal(rec.req.headers.authorization, '[Redacted]');
    assert.equal(rec.req.headers['x-hub-signature-256'], '[Redacted]');
    assert.equal(rec.token, '[Redacted]');
    assert.equal(rec.credentials, '[Redacted]');
    assert.equal(rec.config.webhookSecret, '[Redacted]');
    assert.equal(rec.config.secretAccessKey, '[Redacted]');
    for (const secret of ['AKIAEXAMPLE', 'ghp_supersecret1', 'wJalrXUtnFEMI', 'hook-secret-value', 'nested-secret', 'abcdef']) {
      assert.ok(!raw().includes(secret), `${secret} leaked`);
    }
  });

  it('removes URL userinfo from fields, nested objects, errors and the message', () => {
    const { logger, raw, records } = capture();
    logger.error(
      {
        source: 'https://deploy:glpat-TOKEN123@git.example.com/org/repo.git',
        nested: { url: 'ssh://git:pw@host/repo' },
        err: new Error('clone of https://u:p4ss@example.com/x failed'),
      },
      'fetch of https://user:hunter2@example.com/repo failed',
    );
    const rec = records()[0]!;
    assert.equal(rec.source, 'https://***@git.example.com/org/repo.git');
    for (const secret of ['glpat-TOKEN123', 'hunter2', 'p4ss', ':pw@']) assert.ok(!raw().includes(secret), `${secret} leaked`);
    assert.match(String(rec.msg), /https:\/\/\*\*\*@example\.com\/repo/);
  });

  it('scrubs bearer tokens from free text', () => {
    assert.equal(scrubSecrets('Authorization: Bearer abcdefghijklmnop'), 'Authorization: Bearer ***');
    assert.equal(scrubSecrets('no secrets here: https://example.com/a@b'), 'no secrets here: https://example.com/a@b');
  });
});
