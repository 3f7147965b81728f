/**
 * Reconcile errors typed by what the controller does next (after Flux's error kinds):
 * - StalledError: needs a human (invalid manifest, access denied, replacement not allowed).
 *   No retry until the next source revision or resync.
 * - WaitingError: not a failure; something is in progress (an async Cloud Map operation, an
 *   ECS service draining). Requeue after `requeueAfterMs`, without backoff.
 * - anything else: a transient failure, retried with per-key exponential backoff.
 */

/** Needs a human: no retry until the next revision or resync. */
export class StalledError extends Error {
  override readonly name = 'StalledError';
  /** Stable CamelCase reason, e.g. `InvalidManifest`, `AccessDenied`, `ReplaceNotAllowed`. */
  readonly reason: string;

  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/** In progress elsewhere: requeue after a fixed delay, no backoff. */
export class WaitingError extends Error {
  override readonly name = 'WaitingError';
  /** Stable CamelCase reason, e.g. `OperationPending`, `ServiceDraining`. */
  readonly reason: string;
  readonly requeueAfterMs: number;

  constructor(reason: string, message: string, requeueAfterMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
    this.requeueAfterMs = requeueAfterMs;
  }
}

/** What the controller does after a reconcile threw. */
export type ErrorDisposition =
  | { readonly kind: 'stalled'; readonly reason: string }
  | { readonly kind: 'waiting'; readonly reason: string; readonly requeueAfterMs: number }
  | { readonly kind: 'retry'; readonly reason: string };

/** Classifies a thrown value. Errors that are not ours retry with reason `ReconcileFailed`. */
export function classifyReconcileError(err: unknown): ErrorDisposition {
  if (err instanceof StalledError) return { kind: 'stalled', reason: err.reason };
  if (err instanceof WaitingError) return { kind: 'waiting', reason: err.reason, requeueAfterMs: err.requeueAfterMs };
  return { kind: 'retry', reason: 'ReconcileFailed' };
}
