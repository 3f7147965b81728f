import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { SubtreePool } from '../../src/util/compact.js';

describe('SubtreePool', () => {
  it('copies plain data exactly (deep-equal, including undefined-valued keys, -0 and NaN)', () => {
    const pool = new SubtreePool();
    const value = { a: [1, 'x', null, true], b: { c: undefined, d: -0, e: Number.NaN }, f: [] };
    const copy = pool.share(value);
    assert.ok(isDeepStrictEqual(copy, value));
    assert.notEqual(copy, value);
    assert.ok(Object.hasOwn(copy.b, 'c'), 'an undefined-valued key stays');
  });

  it('shares equal subtrees, told apart by value and by key', () => {
    const pool = new SubtreePool();
    const one = pool.shareFields({ name: 'a', net: { subnets: ['s-1', 's-2'] }, tags: { k: '1' } });
    const two = pool.shareFields({ name: 'b', net: { subnets: ['s-1', 's-2'] }, tags: { k: 1 } });
    const three = pool.shareFields({ name: 'c', net: { subnets: ['s-2', 's-1'] }, tags: { j: '1' } });
    assert.equal(one.net, two.net);
    assert.notEqual(one.tags, two.tags, "'1' and 1 differ");
    assert.notEqual(one.net, three.net, 'order matters in a list');
    assert.notEqual(one.tags, three.tags);
    assert.ok(Object.isFrozen(one.net) && Object.isFrozen(one.net.subnets));
    assert.ok(!Object.isFrozen(one));
  });

  it('gives lists their exact length', () => {
    const pool = new SubtreePool();
    const pushed: string[] = [];
    pushed.push('only');
    const copy = pool.share({ list: pushed });
    assert.deepEqual(copy.list, ['only']);
    assert.notEqual(copy.list, pushed);
  });

  it('keeps what is not plain data as it is, and does not share what holds it', () => {
    const pool = new SubtreePool();
    const when = new Date(0);
    const a = pool.share({ at: when, x: [1] });
    const b = pool.share({ at: when, x: [1] });
    assert.equal(a.at, when, 'a Date is kept, not copied');
    assert.notEqual(a, b, 'an object holding a Date is never shared');
    assert.equal(a.x, b.x, 'its plain parts still are');
    const bare = Object.assign(Object.create(null) as Record<string, number>, { n: 1 });
    assert.equal(pool.share({ bare }).bare, bare, 'a null-prototype object is kept as it is');
  });
});
