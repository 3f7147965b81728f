import type { DiscoveryTarget, StaleInstance } from './types.js';

/** The opt-in remediation of stale instances (off by default). */
export interface RemediationOptions {
  /** Deregister stale instances whose task stopped long enough ago. Default false. */
  readonly enabled: boolean;
  /** Waited on top of the service's DNS TTL before deregistering (ms). */
  readonly graceMs: number;
  /** Asked before each pass: false holds remediation back (a standby without the writer lease). */
  readonly allowed?: () => boolean;
}

/** A stale instance and when it may be deregistered. */
export interface RemediationCandidate {
  readonly instance: StaleInstance;
  /** ms epoch the task stopped, or the instance was first seen stale when ECS no longer knows the task. */
  readonly stoppedSince: number;
  /** ms epoch after which it is deregistered. */
  readonly dueAt: number;
}

/**
 * The longest TTL of the service's records (s): clients may cache an answer that long, so
 * a stopped task's IP is served at most this long after its instance is gone. 0 for services
 * without DNS records.
 */
export function serviceTtlSeconds(target: DiscoveryTarget): number {
  return Math.max(0, ...(target.dns?.records.map((r) => r.ttl) ?? []));
}

/**
 * Which stale instances are due for deregistration at `now`: only instances ECS registered
 * (they carry `ECS_SERVICE_NAME`; anything registered by hand is reported, never removed),
 * and only once the task has been stopped for longer than the service's TTL plus the grace.
 * `firstSeenStale` gives the time a stale instance was first seen, for tasks ECS no longer
 * describes. Pure.
 */
export function remediationCandidates(
  target: DiscoveryTarget,
  stale: readonly StaleInstance[],
  now: number,
  graceMs: number,
  firstSeenStale: (instanceId: string) => number,
): { due: RemediationCandidate[]; waiting: RemediationCandidate[] } {
  const ttlMs = serviceTtlSeconds(target) * 1000;
  const due: RemediationCandidate[] = [];
  const waiting: RemediationCandidate[] = [];
  for (const instance of stale) {
    if (!instance.registeredByEcs) continue;
    const stoppedSince = instance.task?.stoppedAt ?? firstSeenStale(instance.instanceId);
    const candidate = { instance, stoppedSince, dueAt: stoppedSince + ttlMs + graceMs };
    (now > candidate.dueAt ? due : waiting).push(candidate);
  }
  return { due, waiting };
}
