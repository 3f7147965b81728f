import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { acceptsGzip } from '../../src/http/accept-encoding.js';

describe('Accept-Encoding', () => {
  it('admits gzip when listed with a non-zero weight or through *', () => {
    for (const h of ['gzip', 'gzip, deflate, br', 'GZIP;q=0.5', 'x-gzip', 'br;q=1, gzip;q=0.001', '*', 'identity, *;q=0.1', ['deflate', 'gzip']]) {
      assert.equal(acceptsGzip(h), true, String(h));
    }
  });

  it('refuses gzip when absent, weighted 0, or refused by name despite *', () => {
    for (const h of [undefined, '', 'identity', 'br, deflate', 'gzip;q=0', 'gzip;q=0.000', '*;q=0', 'gzip;q=0, *', 'gzip;q=nonsense']) {
      assert.equal(acceptsGzip(h), false, String(h));
    }
  });
});
