/**
 * What happened to a commit, as events: the controller emits them as it reconciles, and the
 * consumers (drift history and counters, logs, notifications) subscribe. Emitting never
 * waits for a consumer and a consumer that throws never reaches the emitter, so nothing a
 * listener does can hold back or break reconciliation.
 */
import type { DriftedField } from './status.js';

/** A resource by identity (`key` as in `/status`, e.g. `CloudMapService/internal/name`). */
export interface EventResource {
  readonly key: string;
  readonly kind: string;
  readonly name: string;
}

/** A resource that keeps a revision from succeeding, with the one-line reason. */
export interface FailingResource extends EventResource {
  /** `<Reason>: <message>`, e.g. `RolledBack: ECS rolled back ...`. */
  readonly reason: string;
  /** ECS's stopped reason of the newest failed task of a failed rollout, when it was read. */
  readonly stoppedReason?: string;
}

interface EventBase {
  /** ISO time the controller saw it. */
  readonly at: string;
  /** Source revision in force (e.g. a Git commit SHA), when there is one. */
  readonly revision?: string;
}

export type DeliveryEvent =
  /** A new source revision was loaded and its reconcile starts. */
  | (EventBase & { readonly type: 'revision-started'; readonly revision: string })
  /** Every write the revision asked for was made (the resources may still be rolling out). */
  | (EventBase & { readonly type: 'revision-applied'; readonly revision: string; readonly changed: readonly EventResource[] })
  /** Every resource is Synced and Healthy at this revision. Emitted once per revision. */
  | (EventBase & { readonly type: 'revision-succeeded'; readonly revision: string })
  /** The revision cannot succeed as it is (rollback, stalled resource, failed apply). Once per revision. */
  | (EventBase & { readonly type: 'revision-failed'; readonly revision: string; readonly reason: string; readonly failing: readonly FailingResource[] })
  /** An ECS rollout of the revision failed (circuit breaker, rollback, tasks that never run). */
  | (EventBase & { readonly type: 'rollout-failed'; readonly resource: EventResource; readonly reason: string })
  /** Live state differs from the manifest (a hand change, or a write of another tool). */
  | (EventBase & {
      readonly type: 'drift-detected';
      readonly resource: EventResource;
      readonly fields: readonly DriftedField[];
      readonly mode: 'enforce' | 'observe';
    })
  /** The controller wrote the manifest's values back. */
  | (EventBase & { readonly type: 'drift-reverted'; readonly resource: EventResource; readonly fields: readonly DriftedField[] })
  /** A resource cannot be reconciled without a person (Stalled condition turned True). */
  | (EventBase & { readonly type: 'resource-stalled'; readonly resource: EventResource; readonly reason: string })
  /** A prune was refused (deletion limit, unread file, failed read). */
  | (EventBase & { readonly type: 'prune-blocked'; readonly reason: string; readonly resources: readonly EventResource[] });

export type DeliveryEventType = DeliveryEvent['type'];
export type DeliveryListener = (event: DeliveryEvent) => void;

/** A synchronous fan-out: listeners must hand slow work (HTTP) to their own queue. */
export class DeliveryEvents {
  private readonly listeners = new Set<DeliveryListener>();

  constructor(private readonly onListenerError: (err: unknown, event: DeliveryEvent) => void = () => {}) {}

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: DeliveryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: DeliveryEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(err, event);
      }
    }
  }
}
