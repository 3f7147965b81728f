/**
 * Sharding of targets over controller tasks (pure): which targets this task should take up
 * and which it should give back, from what the lease table shows. Each task takes targets up
 * to its fair share, ceil(targets / live tasks), only from leases nobody holds; a task above
 * its share releases the excess, so a task that joins gets leases to take and a task that
 * leaves (or dies: its heartbeat and leases expire) leaves its targets to the others.
 */

/** One target as the lease table shows it. */
export interface ShardTarget {
  /** The lease's sort key (`lease#<account>#<region>`). */
  readonly key: string;
  /** Whether this task runs the target (holding its lease, or about to take it). */
  readonly mine: boolean;
  /** Whether another live holder has the lease now (unexpired). */
  readonly heldByOther: boolean;
}

export interface ShardInput {
  readonly self: string;
  /** Holders whose membership heartbeat has not expired (this task included or not). */
  readonly liveMembers: readonly string[];
  /** Every target, in the targets file's order. */
  readonly targets: readonly ShardTarget[];
}

export interface ShardDecision {
  /** ceil(targets / live members), the most this task should run. */
  readonly share: number;
  /** Free targets to take up (their lease is not held). */
  readonly take: readonly string[];
  /** Targets to give back: held by another (lost race or takeover), or above the share. */
  readonly release: readonly string[];
}

/** A stable small hash, so tasks start their search for free targets at different places. */
function spread(text: string, n: number): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return n === 0 ? 0 : (h >>> 0) % n;
}

export function planShard(input: ShardInput): ShardDecision {
  const live = new Set(input.liveMembers);
  live.add(input.self);
  const share = Math.ceil(input.targets.length / live.size);
  const lost = input.targets.filter((t) => t.mine && t.heldByOther).map((t) => t.key);
  const mine = input.targets.filter((t) => t.mine && !t.heldByOther).map((t) => t.key);
  // Above the share: give back the last ones (in file order), keep the first.
  const excess = mine.length > share ? mine.slice(share) : [];
  const room = Math.max(0, share - mine.length);
  const free = input.targets.filter((t) => !t.mine && !t.heldByOther).map((t) => t.key);
  const start = spread(input.self, free.length);
  const rotated = [...free.slice(start), ...free.slice(0, start)];
  return { share, take: rotated.slice(0, room), release: [...lost, ...excess] };
}
