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

  it('tells apart every kind of leaf and every nesting (keys are built from the parts)', () => {
    const pool = new SubtreePool();
    // Leaves whose spellings could meet in a key: the string "T" and true, "N" and null, "1" and 1,
    // a string spelled like a token ("#0", "s0"), -0 and 0, NaN and "NaN", undefined and "U".
    const leaves: unknown[] = ['T', true, 'N', null, '1', 1, '#0', 's0', -0, 0, Number.NaN, 'NaN', undefined, 'U', [], {}, [[]], [{}], { a: [] }];
    const copies = leaves.map((leaf) => pool.share({ v: leaf }));
    for (let i = 0; i < copies.length; i++)
      for (let j = 0; j < copies.length; j++) if (i !== j) assert.notEqual(copies[i], copies[j], `${String(leaves[i])} and ${String(leaves[j])}`);
    // The same shapes again are the pooled objects, however deep.
    assert.equal(pool.share({ v: 'T' }), copies[0]);
    const deep = { a: { b: { c: [{ d: ['x', { e: 1 }] }] } } };
    assert.equal(pool.share(structuredClone(deep)), pool.share(structuredClone(deep)));
    assert.notEqual(pool.share({ a: { b: { c: [{ d: ['x', { e: 2 }] }] } } }), pool.share(deep));
    // A key and a value with the same text are told apart by position.
    assert.notEqual(pool.share({ x: 'y' }), pool.share({ y: 'x' }));
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
