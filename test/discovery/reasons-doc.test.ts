import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DISCOVERY_REASONS } from '../../src/discovery/types.js';

const DOC = readFileSync(fileURLToPath(new URL('../../../docs/discovery.md', import.meta.url)), 'utf8');

describe('discovery reason catalogue', () => {
  it('docs/discovery.md describes every reason code, and no other', () => {
    const documented = [...DOC.matchAll(/^\| `([A-Za-z]+)` \| (?:CloudMapService|CloudMapNamespace) \|/gm)].map((m) => m[1]);
    assert.deepEqual(documented, [...DISCOVERY_REASONS]);
  });
});
