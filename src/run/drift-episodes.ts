/**
 * Drift episodes: live state that moved away from a source that did not change (a hand change,
 * or another tool's write) is drift; a difference because the source changed is a change to
 * apply. An episode starts when a resource that was in sync differs from the same desired
 * state, and ends when it is in sync again (reverted, or put back by hand). Within an episode
 * the same difference is reported once, however many resyncs it lasts; a different difference
 * (another hand change) is a new episode.
 *
 * Memory is the process's: after a restart, a difference found before the first sync is not
 * counted as drift (nothing says whether the source or the live side moved).
 */
import { createHash } from 'node:crypto';
import type { ResourcePlan } from '../kit/types.js';
import type { DriftedField } from '../controller/status.js';

function fingerprint(rp: ResourcePlan): string | undefined {
  if (!rp.desired) return undefined;
  return createHash('sha256')
    .update(JSON.stringify([rp.desired.manifest.spec, rp.desired.policy]))
    .digest('base64');
}

function signature(fields: readonly DriftedField[]): string {
  return JSON.stringify(fields.map((f) => [f.path, f.from]));
}

export class DriftEpisodes {
  /** Key -> fingerprint of the desired state it was last in sync with. */
  private readonly synced = new Map<string, string>();
  /** Key -> the open episode: its signature and fields. */
  private readonly open = new Map<string, { sig: string; fields: readonly DriftedField[] }>();

  /** The resource is in sync with `rp`'s desired state. Returns the fields of the episode this ends, if one was open. */
  inSync(rp: ResourcePlan): readonly DriftedField[] | undefined {
    const fp = fingerprint(rp);
    if (fp !== undefined) this.synced.set(rp.key, fp);
    const open = this.open.get(rp.key);
    this.open.delete(rp.key);
    return open?.fields;
  }

  /** Whether `rp`'s difference is drift: the resource was in sync with this very desired state before. */
  isDrift(rp: ResourcePlan): boolean {
    const fp = fingerprint(rp);
    return fp !== undefined && this.synced.get(rp.key) === fp;
  }

  /**
   * Whether `fields` of a drifted `rp` begin a new episode (true once per episode). A
   * difference because the source changed is no episode, and ends an open one.
   */
  detect(rp: ResourcePlan, fields: readonly DriftedField[]): boolean {
    if (fields.length === 0) return false;
    if (!this.isDrift(rp)) {
      this.open.delete(rp.key);
      return false;
    }
    const sig = signature(fields);
    if (this.open.get(rp.key)?.sig === sig) return false;
    this.open.set(rp.key, { sig, fields });
    return true;
  }

  /** Whether an episode is open for `key`. */
  isOpen(key: string): boolean {
    return this.open.has(key);
  }

  forget(key: string): void {
    this.synced.delete(key);
    this.open.delete(key);
  }
}
