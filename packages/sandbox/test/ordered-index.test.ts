import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedOrderedIndex, OrderedIndex } from '../src/ordered-index.js';
import { pageByToken } from '../src/services/ecs/page-token.js';

const filled = (n: number): { index: OrderedIndex<number>; handles: number[] } => {
  const index = new OrderedIndex<number>();
  const handles = Array.from({ length: n }, (_, i) => index.add(i));
  return { index, handles };
};

describe('sandbox ECS paging on the ordered index (ListServices/ListTasks)', () => {
  it('pages in insertion order with a token after each full page and none after the last', () => {
    const { index } = filled(25);
    const first = pageByToken(index, 'test', 10, undefined);
    assert.deepEqual(first.items, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const second = pageByToken(index, 'test', 10, first.nextToken);
    assert.deepEqual(second.items, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const third = pageByToken(index, 'test', 10, second.nextToken);
    assert.deepEqual(third.items, [20, 21, 22, 23, 24]);
    assert.equal(third.nextToken, undefined);
  });

  it('gives no token when the last page is exactly full', () => {
    const { index } = filled(10);
    assert.equal(pageByToken(index, 'test', 10, undefined).nextToken, undefined);
  });

  it('resumes after the last returned item even when removals compact the list in between', () => {
    const { index, handles } = filled(300);
    const first = pageByToken(index, 'test', 50, undefined);
    for (let i = 0; i < 250; i++) if (i !== 120) index.remove(handles[i]!);
    assert.equal(index.size, 51);
    const next = pageByToken(index, 'test', 100, first.nextToken);
    assert.deepEqual(next.items, [120, ...Array.from({ length: 50 }, (_, i) => 250 + i)]);
  });

  it('applies the filter without counting filtered items toward the page', () => {
    const { index } = filled(30);
    const even = pageByToken(index, 'test', 5, undefined, (n) => n % 2 === 0);
    assert.deepEqual(even.items, [0, 2, 4, 6, 8]);
    assert.deepEqual(pageByToken(index, 'test', 5, even.nextToken, (n) => n % 2 === 0).items, [10, 12, 14, 16, 18]);
  });

  it('gives no token when only items the filter drops remain after a full page', () => {
    const { index } = filled(10);
    const page = pageByToken(index, 'test', 5, undefined, (n) => n < 5);
    assert.deepEqual(page.items, [0, 1, 2, 3, 4]);
    assert.equal(page.nextToken, undefined);
  });

  it('refuses a token it did not issue with InvalidParameterException', () => {
    const { index } = filled(3);
    for (const token of ['garbage', Buffer.from(JSON.stringify({ k: 'other', s: 1 })).toString('base64url')]) {
      assert.throws(
        () => pageByToken(index, 'test', 1, token),
        (err: Error & { code?: string }) => err.code === 'InvalidParameterException',
      );
    }
  });
});

describe('sandbox Cloud Map paging on the keyed ordered index (ListNamespaces/ListServices/ListInstances)', () => {
  interface Rec {
    readonly id: string;
    readonly seq: number;
    readonly tag: string;
  }
  const keyed = (n: number): KeyedOrderedIndex<Rec> => {
    const index = new KeyedOrderedIndex<Rec>();
    // Sequence numbers come from a counter shared by several indexes, so they have gaps.
    for (let i = 0; i < n; i++) index.add({ id: `r${i}`, seq: 3 * i + 1, tag: i % 2 === 0 ? 'even' : 'odd' });
    return index;
  };
  const ids = (items: readonly Rec[]): string[] => items.map((r) => r.id);

  it('pages in creation order and continues after the position it hands out', () => {
    const index = keyed(7);
    const first = index.page(undefined, 3);
    assert.deepEqual(ids(first.items), ['r0', 'r1', 'r2']);
    assert.equal(first.nextAfter, 7);
    const second = index.page(first.nextAfter, 3);
    assert.deepEqual(ids(second.items), ['r3', 'r4', 'r5']);
    const third = index.page(second.nextAfter, 3);
    assert.deepEqual(ids(third.items), ['r6']);
    assert.equal(third.nextAfter, undefined);
  });

  it('keeps a continuation while unexamined items remain, so a filtered page can come back empty', () => {
    const index = keyed(5);
    const first = index.page(undefined, 1, { filter: (r) => r.id === 'r0' });
    assert.deepEqual(ids(first.items), ['r0']);
    assert.notEqual(first.nextAfter, undefined);
    const rest = index.page(first.nextAfter, 1, { filter: (r) => r.id === 'r0' });
    assert.deepEqual(rest.items, []);
    assert.equal(rest.nextAfter, undefined);
  });

  it('finds, replaces in place and deletes by id without disturbing the order', () => {
    const index = keyed(4);
    assert.equal(index.get('r2')?.tag, 'even');
    index.replace({ id: 'r2', seq: 7, tag: 'changed' });
    assert.equal(index.get('r2')?.tag, 'changed');
    assert.equal(index.delete('r1'), true);
    assert.equal(index.delete('r1'), false);
    assert.equal(index.size, 3);
    assert.deepEqual(
      index.values().map((r) => `${r.id}:${r.tag}`),
      ['r0:even', 'r2:changed', 'r3:odd'],
    );
    assert.throws(() => index.replace({ id: 'r1', seq: 4, tag: 'gone' }), /not present/);
  });

  it('refuses an item whose sequence number is not after the last one added', () => {
    const index = keyed(2);
    assert.throws(() => index.add({ id: 'late', seq: 2, tag: 'odd' }), /not after/);
  });
});
