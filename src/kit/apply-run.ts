/**
 * State of one applyPlan call shared by the per-kind executors: clients, wait bounds, the ids
 * and ARNs of resources (seeded from the live set, updated as resources are created or
 * deleted), and the reporting of actions.
 */
import { namespaceKey } from '../manifests/keys.js';
import { PendingError, toErrorInfo } from './apply-errors.js';
import {
  DEFAULT_APPLY_WAITS,
  type ApplyActionEvent,
  type ApplyClients,
  type ApplyContext,
  type ApplyKind,
  type ApplyOperation,
  type ApplyWaits,
  type TaskDefinitionCache,
} from './apply-types.js';
import { realWaitSeams, type WaitSeams } from './apply-wait.js';
import type { LiveCloudMapService, LiveEcsService, LiveNamespace, LiveSet, LiveTaskDefinition } from './types.js';

/** Where a Cloud Map namespace or service lives now. */
export interface CloudMapRef {
  id: string;
  arn: string;
}

function runLocalTaskDefinitionCache(): TaskDefinitionCache {
  const byArn = new Map<string, LiveTaskDefinition>();
  return { taskDefinition: (arn) => byArn.get(arn), rememberTaskDefinition: (td) => void byArn.set(td.arn, td) };
}

export class ApplyRun {
  readonly clients: ApplyClients;
  readonly controllerId: string;
  readonly waits: ApplyWaits;
  readonly seams: WaitSeams;
  readonly live: LiveSet;
  readonly maxRevisionsToInspect: number;
  /** Described task definition revisions, shared with observe (a private one when none is given). */
  readonly taskDefinitions: TaskDefinitionCache;
  readonly actions: ApplyActionEvent[] = [];
  /** Namespaces by name. */
  readonly namespaces = new Map<string, CloudMapRef>();
  /** Cloud Map services by key (`CloudMapService/<namespace>/<name>`). */
  readonly cloudMapServices = new Map<string, CloudMapRef>();
  /** ECS services deleted (or being deleted) in this run, by key. */
  readonly deletedEcsServices = new Set<string>();
  /** serviceRegistries already set to [] in this run, by ECS service key. */
  readonly detachedEcsServices = new Set<string>();
  /** Task definition ARNs this run registered, reused or pointed a service at: never tidied by it. */
  readonly taskDefinitionsUsed = new Set<string>();

  constructor(private readonly ctx: ApplyContext) {
    this.clients = ctx.clients;
    this.controllerId = ctx.controllerId;
    this.waits = {
      operation: { ...DEFAULT_APPLY_WAITS.operation, ...ctx.waits?.operation },
      instances: { ...DEFAULT_APPLY_WAITS.instances, ...ctx.waits?.instances },
      ecsInactive: { ...DEFAULT_APPLY_WAITS.ecsInactive, ...ctx.waits?.ecsInactive },
      inUse: { ...DEFAULT_APPLY_WAITS.inUse, ...ctx.waits?.inUse },
    };
    this.seams = {
      sleep: ctx.sleep ?? realWaitSeams.sleep,
      now: ctx.now ?? realWaitSeams.now,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    };
    this.live = ctx.live;
    this.maxRevisionsToInspect = ctx.maxRevisionsToInspect ?? 10;
    this.taskDefinitions = ctx.taskDefinitions ?? runLocalTaskDefinitionCache();
  }

  liveNamespace(name: string): LiveNamespace | undefined {
    const r = this.live.resources.get(namespaceKey(name));
    return r?.kind === 'CloudMapNamespace' ? r : undefined;
  }

  liveCloudMapServices(): LiveCloudMapService[] {
    return [...this.live.resources.values()].filter((r): r is LiveCloudMapService => r.kind === 'CloudMapService');
  }

  liveEcsServices(): LiveEcsService[] {
    return [...this.live.resources.values()].filter((r): r is LiveEcsService => r.kind === 'EcsService');
  }

  /** Throws the abort reason once the run's signal has aborted: nothing more may be written. */
  throwIfAborted(): void {
    this.ctx.signal?.throwIfAborted();
  }

  /**
   * Runs one AWS write (or wait), times it and reports it. Rethrows the error after
   * reporting, so the executor decides what the failure means for the resource. Once the
   * run's signal has aborted it throws the abort reason instead of starting the action.
   */
  async act<T>(
    kind: ApplyKind,
    key: string,
    operation: ApplyOperation,
    fn: () => Promise<T>,
    detail?: string | ((value: T) => string | undefined),
  ): Promise<T> {
    this.throwIfAborted();
    const start = this.seams.now();
    try {
      const value = await fn();
      const d = typeof detail === 'function' ? detail(value) : detail;
      this.report({ kind, key, operation, result: 'ok', durationMs: this.seams.now() - start, ...(d ? { detail: d } : {}) });
      return value;
    } catch (err) {
      const d = typeof detail === 'string' ? detail : undefined;
      if (err instanceof PendingError) {
        this.report({
          kind,
          key,
          operation,
          result: 'pending',
          durationMs: this.seams.now() - start,
          detail: d ? `${d}: ${err.message}` : err.message,
          ...(err.operationId ? { operationId: err.operationId } : {}),
        });
      } else {
        this.report({
          kind,
          key,
          operation,
          result: 'error',
          durationMs: this.seams.now() - start,
          ...(d ? { detail: d } : {}),
          error: toErrorInfo(err),
        });
      }
      throw err;
    }
  }

  /** Reports a decision that needed no write (e.g. reusing a task definition revision). */
  actionNote(kind: ApplyKind, key: string, operation: ApplyOperation, detail: string): void {
    this.report({ kind, key, operation, result: 'ok', durationMs: 0, detail });
  }

  tagsChanged(arn: string): void {
    this.ctx.onTagsChanged?.(arn);
  }

  private report(event: ApplyActionEvent): void {
    this.actions.push(event);
    this.ctx.onAction?.(event);
  }
}
