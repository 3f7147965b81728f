/**
 * Writes the observation checkpoint after full scans (at most once per interval, one write at
 * a time) and at shutdown, and reads it back at start. A checkpoint that is missing, unreadable,
 * of another controller id or region, or older than the maximum age is ignored with a log
 * line: the controller then starts cold, as without one. A failed write never fails a scan.
 */
import type { Logger } from 'pino';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../observe/checkpoint.js';
import { errorMessage } from '../util/errors.js';
import type { CheckpointStore } from './checkpoint-store.js';
import type { Snapshot } from './scanner.js';

export interface CheckpointerSettings {
  readonly controllerId: string;
  /** Region of the AWS clients ('' when the SDK resolves it). */
  readonly region: string;
  /** Least time between two writes after scans (ms). */
  readonly intervalMs: number;
  /** An older checkpoint (by the start of its observe) is ignored (ms). */
  readonly maxAgeMs: number;
}

export class Checkpointer {
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private writing: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly store: CheckpointStore,
    private readonly settings: CheckpointerSettings,
    private readonly logger: Logger,
    now?: () => number,
  ) {
    this.now = now ?? Date.now;
  }

  get location(): string {
    return this.store.location;
  }

  /** The checkpoint to start from, if there is a usable one. */
  async read(): Promise<Checkpoint | undefined> {
    const t0 = this.now();
    let cp: Checkpoint;
    try {
      const bytes = await this.store.read();
      if (!bytes) {
        this.logger.info({ checkpoint: this.store.location }, 'no checkpoint yet; the first scan starts cold');
        return undefined;
      }
      cp = await decodeCheckpoint(bytes);
    } catch (err) {
      const why = err instanceof CheckpointError ? err.message : errorMessage(err);
      this.logger.warn({ checkpoint: this.store.location, error: why }, 'checkpoint not used; the first scan starts cold');
      return undefined;
    }
    const { controllerId, region, observedAt } = cp.header;
    const ageMs = this.now() - observedAt;
    const refuse = (reason: string): undefined => {
      this.logger.warn({ checkpoint: this.store.location, reason }, 'checkpoint not used; the first scan starts cold');
      return undefined;
    };
    if (controllerId !== this.settings.controllerId) return refuse(`written by controller "${controllerId}", this is "${this.settings.controllerId}"`);
    if (region !== this.settings.region) return refuse(`written for region "${region}", this controller reads "${this.settings.region}"`);
    if (ageMs > this.settings.maxAgeMs)
      return refuse(`observed ${Math.round(ageMs / 1000)} s ago, more than the maximum age of ${Math.round(this.settings.maxAgeMs / 1000)} s`);
    this.logger.info(
      { checkpoint: this.store.location, resources: cp.resources.size, ageSeconds: Math.round(ageMs / 1000), ms: this.now() - t0 },
      'checkpoint read',
    );
    return cp;
  }

  /** After a full scan: writes its live set when the interval has passed and no write is under way. */
  afterScan(snap: Snapshot): void {
    if (snap.restored || this.writing || this.now() - this.lastWriteAt < this.settings.intervalMs) return;
    this.writing = this.write(snap).finally(() => {
      this.writing = undefined;
    });
  }

  /** At shutdown: waits for a write under way, then writes the newest full observation. */
  async flush(snap: Snapshot | undefined): Promise<void> {
    await this.writing;
    if (snap && !snap.restored) await this.write(snap);
    this.store.close();
  }

  private async write(snap: Snapshot): Promise<void> {
    const t0 = this.now();
    this.lastWriteAt = t0;
    try {
      const bytes = await encodeCheckpoint(
        { controllerId: this.settings.controllerId, region: this.settings.region, observedAt: snap.observeStartedAt, writtenAt: t0 },
        snap.live.resources.values(),
      );
      await this.store.write(bytes);
      this.logger.info(
        { checkpoint: this.store.location, resources: snap.live.resources.size, bytes: bytes.length, ms: this.now() - t0 },
        'checkpoint written',
      );
    } catch (err) {
      this.logger.warn({ checkpoint: this.store.location, error: errorMessage(err) }, 'checkpoint not written; the next scan tries again');
    }
  }
}
