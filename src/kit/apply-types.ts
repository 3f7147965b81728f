/**
 * Contracts of the apply engine: what it needs (clients, live set, options) and what it
 * reports (one event per AWS write or wait, one outcome per planned resource).
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import type { AwsErrorCategory } from '../aws/errors.js';
import type { ManifestKind } from '../manifests/types.js';
import type { LiveSet, LiveTaskDefinition } from './types.js';
import type { ApplyErrorCode } from './apply-codes.js';

/** The SDK clients apply writes through (structurally the adapter's `AwsClients`). */
export interface ApplyClients {
  ecs: ECSClient;
  serviceDiscovery: ServiceDiscoveryClient;
}

/** Kinds that appear in apply events: the manifest kinds plus task definition revisions. */
export type ApplyKind = ManifestKind | 'TaskDefinition';

/** What one action did (the `operation` label of `apply_total`). */
export type ApplyOperation = 'create' | 'update' | 'delete' | 'register' | 'reuse' | 'adopt' | 'tag' | 'untag' | 'detach' | 'attach' | 'wait' | 'deregister';

/**
 * Result of one action. `pending`: an asynchronous Cloud Map operation (or a drain) has not
 * finished within the wait bound; the controller requeues instead of blocking.
 */
export type ApplyActionResult = 'ok' | 'error' | 'pending';

/** The AWS adapter's error category, or `pending` for a wait that ran out of time. */
export type ApplyErrorCategory = AwsErrorCategory | 'pending';

/** A classified error, safe to print and to count. */
export interface ApplyErrorInfo {
  /** Category as the AWS adapter classifies it (`throttled`, `in-use`, `invalid`, ...). */
  category: ApplyErrorCategory;
  /** AWS error code, or an `EGO_APPLY_*` code for errors raised by apply itself. */
  code: string;
  message: string;
  /** For errors raised by apply itself: their catalogue code (apply-codes.ts), which decides how the controller treats them. */
  applyCode?: ApplyErrorCode;
}

/** One AWS write (or bounded wait) made while applying a resource. */
export interface ApplyActionEvent {
  kind: ApplyKind;
  /** Resource key (`TaskDefinition/<family>` for task definitions). */
  key: string;
  operation: ApplyOperation;
  result: ApplyActionResult;
  durationMs: number;
  /** Short human detail, e.g. `revision 3`, `serviceRegistries: []`, `TTL 60 -> 300`. */
  detail?: string;
  error?: ApplyErrorInfo;
  /** Cloud Map operation still in progress (result `pending`). */
  operationId?: string;
}

/**
 * Final state of one planned resource after apply.
 * - `applied`: every write succeeded;
 * - `unchanged`: the plan had nothing to do (noop);
 * - `blocked`: the plan blocked it (observe mode, not owned, replace not allowed, prune refused): nothing written;
 * - `skipped`: not attempted because something it depends on failed or is pending;
 * - `pending`: writes accepted but an asynchronous operation or drain has not finished yet;
 * - `failed`: a write failed.
 */
export type ResourceOutcomeStatus = 'applied' | 'unchanged' | 'blocked' | 'skipped' | 'pending' | 'failed';

export interface ResourceOutcome {
  kind: ManifestKind;
  key: string;
  /** The plan action that was carried out (`create`, `update`, `replace`, `delete`, ...). */
  action: string;
  status: ResourceOutcomeStatus;
  /** Why it was blocked, skipped, pending or failed. */
  reason?: string;
  error?: ApplyErrorInfo;
  /** Cloud Map operation to poll later (status `pending`). */
  pendingOperationId?: string;
}

export interface ApplyResult {
  /** One outcome per resource of the plan, in plan order. */
  resources: ResourceOutcome[];
  /** Every action, in the order it was taken. */
  actions: ApplyActionEvent[];
  /** Counts by outcome status. */
  summary: Record<ResourceOutcomeStatus, number>;
  /** True when nothing failed, was skipped or is pending (blocked resources do not count). */
  ok: boolean;
  /** Outcomes of the plan's tidy entries that were due (deregistrations), in plan order. */
  tidied: TidyOutcome[];
}

/** What became of one tidy entry: done, refused by apply's own checks, or failed. */
export interface TidyOutcome {
  key: string;
  status: 'applied' | 'blocked' | 'failed';
  reason?: string;
}

/** Backoff and bound for one kind of wait. `timeoutMs: 0` = do not wait (report pending). */
export interface WaitPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Multiplier between polls. */
  factor: number;
  timeoutMs: number;
}

/** The bounded waits apply performs. */
export interface ApplyWaits {
  /** Cloud Map GetOperation polling (namespace create/update/delete, service update). */
  operation: WaitPolicy;
  /** Cloud Map service instances draining after ECS let go. */
  instances: WaitPolicy;
  /** ECS service DRAINING -> INACTIVE before a re-create. */
  ecsInactive: WaitPolicy;
  /** Retries of a delete answered with ResourceInUse. */
  inUse: WaitPolicy;
}

/**
 * Described task definition revisions by ARN (structurally observe's ObserveCaches). Revisions
 * are immutable, so what observe described is reused by apply and what apply registers or
 * describes is reused by the next observe.
 */
export interface TaskDefinitionCache {
  taskDefinition(arn: string): LiveTaskDefinition | undefined;
  rememberTaskDefinition(td: LiveTaskDefinition): void;
}

/** Everything applyPlan needs. Configuration is passed in, never read from the environment. */
export interface ApplyContext {
  clients: ApplyClients;
  /** The live set the plan was computed from (ids and ARNs of existing resources). */
  live: LiveSet;
  /** Controller id written into (and required in) the owner tags. */
  controllerId: string;
  /** Wait bounds; defaults in DEFAULT_APPLY_WAITS. */
  waits?: Partial<ApplyWaits>;
  /** Called for every action as it completes (CLI printing, metrics). */
  onAction?: (event: ApplyActionEvent) => void;
  /** Called after an Cloud Map/ECS tag write so observe can drop cached tags of that ARN. */
  onTagsChanged?: (arn: string) => void;
  /**
   * Aborts the run (controller shutdown, reconcile timeout): no further action starts, waits
   * end at once, and applyPlan rejects with the signal's reason. A call already sent to AWS
   * is not taken back.
   */
  signal?: AbortSignal;
  /** Time seams (tests). */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Task definitions already described (observe's cache); absent = describe every revision inspected. */
  taskDefinitions?: TaskDefinitionCache;
  /** How many task definition revisions of a family to inspect for a reusable one. */
  maxRevisionsToInspect?: number;
}

/** Defaults: generous for the CLI (AWS documents no duration; Terraform waits 5 minutes). */
export const DEFAULT_APPLY_WAITS: ApplyWaits = {
  operation: { initialDelayMs: 500, maxDelayMs: 10_000, factor: 2, timeoutMs: 300_000 },
  instances: { initialDelayMs: 1_000, maxDelayMs: 10_000, factor: 2, timeoutMs: 300_000 },
  ecsInactive: { initialDelayMs: 1_000, maxDelayMs: 10_000, factor: 2, timeoutMs: 600_000 },
  inUse: { initialDelayMs: 1_000, maxDelayMs: 10_000, factor: 2, timeoutMs: 120_000 },
};
