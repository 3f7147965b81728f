import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planShard, type ShardTarget } from '../../src/controller/shard-plan.js';

const keys = Array.from({ length: 12 }, (_, i) => `lease#1000000000${String(i).padStart(2, '0')}#us-east-1`);

function targets(mine: readonly number[], other: readonly number[] = []): ShardTarget[] {
  return keys.map((key, i) => ({ key, mine: mine.includes(i), heldByOther: other.includes(i) }));
}

describe('shard plan', () => {
  it('alone, a task takes every free target', () => {
    const d = planShard({ self: 'a', liveMembers: ['a'], targets: targets([]) });
    assert.equal(d.share, 12);
    assert.equal(d.take.length, 12);
    assert.deepEqual(d.release, []);
  });

  it('a third member joining makes the holder of 12 give back 8 (the last in file order), keeping 4', () => {
    const all = keys.map((_, i) => i);
    const d = planShard({ self: 'a', liveMembers: ['a', 'b', 'c'], targets: targets(all) });
    assert.equal(d.share, 4);
    assert.deepEqual(d.release, keys.slice(4));
    assert.deepEqual(d.take, []);
  });

  it('takes only free targets, up to the share; never one another holds', () => {
    const d = planShard({ self: 'c', liveMembers: ['a', 'b', 'c'], targets: targets([], [0, 1, 2, 3, 4, 5, 6, 7]) });
    assert.equal(d.share, 4);
    assert.deepEqual([...d.take].sort(), keys.slice(8).sort());
    const partial = planShard({ self: 'c', liveMembers: ['a', 'b', 'c'], targets: targets([8, 9], [0, 1, 2, 3, 4, 5, 6]) });
    assert.equal(partial.take.length, 2);
    assert.ok(partial.take.every((k) => [keys[7], keys[10], keys[11]].includes(k)));
  });

  it('gives back a target it started but lost to another holder, and counts it out of its share', () => {
    const d = planShard({ self: 'a', liveMembers: ['a', 'b'], targets: targets([0, 1], [1]) });
    assert.deepEqual(d.release, [keys[1]]);
    assert.equal(d.take.length, 5);
    assert.ok(!d.take.includes(keys[1]!));
  });

  it('counts itself live even before its heartbeat shows; a share rounds up', () => {
    const d = planShard({ self: 'a', liveMembers: ['b', 'c', 'd', 'e'], targets: targets([]) });
    assert.equal(d.share, 3);
    assert.equal(d.take.length, 3);
  });

  it('different tasks start their search at different places', () => {
    const starts = new Set(
      ['task-1', 'task-2', 'task-3', 'task-4', 'task-5'].map((self) => planShard({ self, liveMembers: [self, 'x', 'y'], targets: targets([]) }).take[0]),
    );
    assert.ok(starts.size > 1);
  });
});
