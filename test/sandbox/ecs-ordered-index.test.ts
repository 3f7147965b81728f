import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OrderedIndex } from '../../src/sandbox/services/ecs/ordered-index.js';

describe('sandbox ECS ordered index (ListServices/ListTasks paging)', () => {
  const filled = (n: number): { index: OrderedIndex<number>; handles: number[] } => {
    const index = new OrderedIndex<number>('test');
    const handles = Array.from({ length: n }, (_, i) => index.add(i));
    return { index, handles };
  };

  it('pages in insertion order with a token after each full page and none after the last', () => {
    const { index } = filled(25);
    const first = index.page(10, undefined);
    assert.deepEqual(first.items, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const second = index.page(10, first.nextToken);
    assert.deepEqual(second.items, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const third = index.page(10, second.nextToken);
    assert.deepEqual(third.items, [20, 21, 22, 23, 24]);
    assert.equal(third.nextToken, undefined);
  });

  it('gives no token when the last page is exactly full', () => {
    const { index } = filled(10);
    assert.equal(index.page(10, undefined).nextToken, undefined);
  });

  it('resumes after the last returned item even when removals compact the list in between', () => {
    const { index, handles } = filled(300);
    const first = index.page(50, undefined);
    for (let i = 0; i < 250; i++) if (i !== 120) index.remove(handles[i]!);
    assert.equal(index.size, 51);
    const next = index.page(100, first.nextToken);
    assert.deepEqual(next.items, [120, ...Array.from({ length: 50 }, (_, i) => 250 + i)]);
  });

  it('applies the filter without counting filtered items toward the page', () => {
    const { index } = filled(30);
    const even = index.page(5, undefined, (n) => n % 2 === 0);
    assert.deepEqual(even.items, [0, 2, 4, 6, 8]);
    assert.deepEqual(index.page(5, even.nextToken, (n) => n % 2 === 0).items, [10, 12, 14, 16, 18]);
  });

  it('refuses a token it did not issue with InvalidParameterException', () => {
    const { index } = filled(3);
    for (const token of ['garbage', Buffer.from(JSON.stringify({ k: 'other', s: 1 })).toString('base64url')]) {
      assert.throws(() => index.page(1, token), (err: Error & { code?: string }) => err.code === 'InvalidParameterException');
    }
  });
});
