import { GetOperationCommand, type ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { ApplyError } from './apply-errors.js';
import type { ApplyRun } from './apply-run.js';
import type { ApplyKind } from './apply-types.js';
import type { WaitPolicy } from './apply-types.js';
import { pollUntil, type WaitSeams } from './apply-wait.js';

/** Targets of a finished Cloud Map operation (`NAMESPACE`, `SERVICE`, `INSTANCE` -> id). */
export type OperationTargets = Partial<Record<string, string>>;

/**
 * Polls a Cloud Map operation (GetOperation) until SUCCESS, with backoff and a bound.
 * FAIL becomes an ApplyError carrying Cloud Map's ErrorCode; still SUBMITTED/PENDING at the
 * bound becomes a PendingError with the operation id, so the caller can requeue.
 */
export async function waitForOperation(client: ServiceDiscoveryClient, operationId: string, policy: WaitPolicy, seams: WaitSeams): Promise<OperationTargets> {
  return pollUntil(
    async () => {
      const { Operation: op } = await client.send(new GetOperationCommand({ OperationId: operationId }));
      if (op?.Status === 'SUCCESS') return { ...(op.Targets ?? {}) };
      if (op?.Status === 'FAIL') {
        throw new ApplyError(
          'EGO_APPLY_OPERATION_FAILED',
          `Cloud Map operation ${operationId} (${op.Type ?? 'unknown'}) failed: ${op.ErrorMessage ?? 'no message'}`,
          { awsCode: op.ErrorCode },
        );
      }
      return undefined;
    },
    policy,
    seams,
    `Cloud Map operation ${operationId}`,
    operationId,
  );
}

/** {@link waitForOperation} within the run's operation wait bound, reported as a `wait` action of `key`. */
export function awaitOperation(run: ApplyRun, kind: ApplyKind, key: string, operationId: string): Promise<OperationTargets> {
  return run.act(
    kind,
    key,
    'wait',
    () => waitForOperation(run.clients.serviceDiscovery, operationId, run.waits.operation, run.seams),
    `operation ${operationId}`,
  );
}
