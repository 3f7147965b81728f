/**
 * Sharding of `run --targets` over tasks with `--lease-table`: every third of the lease
 * duration this task writes its membership heartbeat (`member#<holder>`, expiring after one
 * lease duration), reads every lease and member of its controller id (one Query), and lets
 * planShard decide which free targets to take up to its fair share, ceil(targets / live
 * tasks), and which to give back (above the share, or lost to another holder). Taking a
 * target starts its controller, whose own lease keeper takes and renews the target's lease and
 * fences its writes; giving it back stops the controller, which releases the lease after its
 * last write. No consensus beyond DynamoDB's conditional writes: two tasks that start the same
 * free target race for its lease, the loser gives it back at its next round.
 */
import type { Logger } from 'pino';
import type { AwsClientsConfig } from '../aws/clients.js';
import { createDynamoDbClient, LeaseTable } from '../aws/lease-table.js';
import type { LeaseSettings } from '../config/lease-options.js';
import { planShard } from '../controller/shard-plan.js';
import { errorMessage } from '../util/errors.js';

/** What the shard loop needs of a target slot. */
export interface ShardSlot {
  readonly key: string;
  readonly running?: unknown;
  readonly starting?: Promise<void>;
  readonly failedAt?: number;
}

export interface ShardLoopOptions<S extends ShardSlot> {
  readonly settings: LeaseSettings;
  readonly controllerId: string;
  readonly self: string;
  /** The controller's own account and region (the lease table's). */
  readonly aws: AwsClientsConfig;
  readonly slots: readonly S[];
  readonly startSlot: (slot: S) => Promise<void>;
  readonly stopSlot: (slot: S) => Promise<void>;
  /** A target that failed to start is left alone this long (another task may take it). */
  readonly retryAfterMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** The shard as `/status` shows it. */
export interface ShardState {
  readonly self: string;
  /** Live tasks (membership heartbeats not expired) at the last round, this one included. */
  readonly members: number;
  readonly share: number;
  /** Targets this task runs. */
  readonly running: number;
  readonly lastRound?: string;
  readonly lastError?: string;
}

export class ShardLoop<S extends ShardSlot> {
  private readonly client;
  private readonly table: LeaseTable;
  private readonly now: () => number;
  private readonly everyMs: number;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;
  private members = 1;
  private share = 0;
  private lastRound: number | undefined;
  private lastError: string | undefined;

  constructor(private readonly options: ShardLoopOptions<S>) {
    const { settings } = options;
    // A round that hangs must not outlive its use: the membership expires anyway.
    this.client = createDynamoDbClient({ ...options.aws, requestTimeoutMs: Math.max(1_000, Math.floor(settings.durationMs / 3)) });
    this.table = new LeaseTable(this.client, settings.table);
    this.now = options.now ?? Date.now;
    this.everyMs = Math.max(100, Math.floor(settings.durationMs / 3));
  }

  /** Creates the table when missing, joins, runs the first round (this task's first targets start) and schedules the next. */
  async start(): Promise<void> {
    await this.table.ensure();
    // Announce this task and give the others one heartbeat period to see it before counting
    // the members: tasks that start together then share at once instead of all taking all.
    await this.table.heartbeat(this.options.controllerId, this.options.self, this.now(), this.options.settings.durationMs);
    await new Promise((r) => setTimeout(r, this.everyMs));
    await this.step();
  }

  /** One round now (tests; the timer runs them otherwise). */
  async step(): Promise<void> {
    if (this.round) return this.round;
    this.round = this.run().finally(() => {
      this.round = undefined;
      this.schedule();
    });
    return this.round;
  }

  state(): ShardState {
    return {
      self: this.options.self,
      members: this.members,
      share: this.share,
      running: this.options.slots.filter((s) => s.running !== undefined).length,
      ...(this.lastRound !== undefined ? { lastRound: new Date(this.lastRound).toISOString() } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  /** Stops the rounds (the targets keep running until stopped by the caller). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
  }

  /** Removes this task's membership, so the others take its share at once; closes the client. */
  async leave(): Promise<void> {
    try {
      await this.table.leave(this.options.controllerId, this.options.self);
    } catch (err) {
      this.options.logger.warn({ error: errorMessage(err) }, 'could not remove the shard membership; it expires by itself');
    } finally {
      this.client.destroy();
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.step();
    }, this.everyMs);
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    const { controllerId, self, slots, settings, logger } = this.options;
    try {
      const now = this.now();
      await this.table.heartbeat(controllerId, self, now, settings.durationMs);
      const group = await this.table.group(controllerId);
      const live = group.members.filter((m) => m.expiresAt > now).map((m) => m.holder);
      const recentlyFailed = (s: S): boolean => s.failedAt !== undefined && now - s.failedAt < this.options.retryAfterMs;
      const considered = slots.filter((s) => !(s.running === undefined && s.starting === undefined && recentlyFailed(s)));
      const decision = planShard({
        self,
        liveMembers: live,
        targets: considered.map((s) => {
          const lease = group.leases.get(s.key);
          return {
            key: s.key,
            mine: s.running !== undefined || s.starting !== undefined,
            heldByOther: lease?.holder !== undefined && lease.holder !== self && lease.expiresAt > now,
          };
        }),
      });
      this.members = new Set([...live, self]).size;
      this.share = decision.share;
      this.lastRound = now;
      this.lastError = undefined;
      const byKey = new Map(slots.map((s) => [s.key, s]));
      if (decision.release.length > 0 || decision.take.length > 0) {
        logger.info({ members: this.members, share: decision.share, take: decision.take, release: decision.release }, 'shard rebalance');
      }
      // Give back first (their leases become free for the others), then take.
      await Promise.all(decision.release.map((k) => this.options.stopSlot(byKey.get(k)!)));
      if (this.stopped) return;
      await Promise.all(decision.take.map((k) => this.options.startSlot(byKey.get(k)!)));
    } catch (err) {
      this.lastError = errorMessage(err);
      logger.warn({ error: this.lastError }, 'shard round failed; the targets running here go on, their leases fence them');
    }
  }
}
