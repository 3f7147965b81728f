import { SandboxError } from '../../errors.js';
import type { JsonObject } from '../../types.js';
import type { SandboxWorld } from '../../world.js';
import type { CloudMapState, OperationRecord, OperationType } from './state.js';
import { decodeToken, encodeToken, epochSeconds, maxResults, parseFilters, requireStr } from './validate.js';

/** Why an operation ended in FAIL (GetOperation's ErrorCode / ErrorMessage). */
export interface OperationFailure {
  readonly code: string;
  readonly message: string;
}

export interface OperationWork {
  /** Runs when the operation completes; returns a failure instead of applying when it cannot. */
  readonly complete: () => OperationFailure | undefined;
  /** Runs when the operation ends in FAIL (injected or returned by `complete`). */
  readonly onFail?: () => void;
}

/**
 * Asynchronous Cloud Map operations: SUBMITTED at once, PENDING after half the configured
 * delay, SUCCESS or FAIL (and the change applied) after the full delay, all through the
 * world's deterministic scheduler.
 */
export class OperationTracker {
  private readonly injected: OperationFailure[] = [];

  constructor(
    private readonly world: SandboxWorld,
    private readonly state: CloudMapState,
  ) {}

  start(type: OperationType, targets: OperationRecord['targets'], work: OperationWork): OperationRecord {
    const now = this.world.now();
    const op: OperationRecord = {
      id: `${this.world.hexId(32)}-${this.world.hexId(8)}`,
      seq: this.state.nextSeq(),
      type,
      status: 'SUBMITTED',
      createDate: now,
      updateDate: now,
      targets,
    };
    this.state.operations.add(op);
    const delay = this.world.options.operationDelayMs;
    const injected = this.injected.shift();
    this.world.scheduler.after(delay / 2, () => {
      op.status = 'PENDING';
      op.updateDate = this.world.now();
    });
    this.world.scheduler.after(delay, () => {
      const failure = injected ?? work.complete();
      op.updateDate = this.world.now();
      if (failure) {
        op.status = 'FAIL';
        op.errorCode = failure.code;
        op.errorMessage = failure.message;
        work.onFail?.();
      } else {
        op.status = 'SUCCESS';
      }
    });
    return op;
  }

  /** Admin switch: the next operation started ends in FAIL with this error. */
  failNext(failure: OperationFailure): void {
    this.injected.push(failure);
  }

  get(id: string): OperationRecord | undefined {
    return this.state.operations.get(id);
  }

  inProgress(id: string | undefined): boolean {
    const op = id === undefined ? undefined : this.get(id);
    return op !== undefined && (op.status === 'SUBMITTED' || op.status === 'PENDING');
  }

  getOperation(input: JsonObject): unknown {
    const id = requireStr(input, 'OperationId');
    const op = this.get(id);
    if (!op) throw new SandboxError('OperationNotFound', `No operation found with ID ${id}`);
    return {
      Operation: {
        Id: op.id,
        Type: op.type,
        Status: op.status,
        ErrorMessage: op.errorMessage,
        ErrorCode: op.errorCode,
        CreateDate: epochSeconds(op.createDate),
        UpdateDate: epochSeconds(op.updateDate),
        Targets: op.targets,
      },
    };
  }

  listOperations(input: JsonObject): unknown {
    const filters = parseFilters(input, ['NAMESPACE_ID', 'SERVICE_ID', 'STATUS', 'TYPE', 'UPDATE_DATE']);
    const limit = maxResults(input, 100, 100);
    const matches = (op: OperationRecord): boolean =>
      filters.every((f) => {
        switch (f.name) {
          case 'NAMESPACE_ID':
            return op.targets.NAMESPACE === f.values[0];
          case 'SERVICE_ID':
            return op.targets.SERVICE === f.values[0];
          case 'STATUS':
            return f.values.includes(op.status);
          case 'TYPE':
            return f.values.includes(op.type);
          default: {
            const [from, to] = f.values.map(Number);
            const t = epochSeconds(op.updateDate);
            return t >= (from ?? 0) && t <= (to ?? Number.POSITIVE_INFINITY);
          }
        }
      });
    const page = this.state.operations.page(decodeToken(input), limit, { filter: matches });
    return {
      Operations: page.items.map((op) => ({ Id: op.id, Status: op.status })),
      NextToken: page.nextAfter === undefined ? undefined : encodeToken(page.nextAfter),
    };
  }
}
