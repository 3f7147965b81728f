import { isCode } from '../../kit/apply-errors.js';
import { isNotFound } from '../../aws/errors.js';
import type { ApplyRun } from '../../kit/apply-run.js';
import { pollUntil } from '../../kit/apply-wait.js';

/**
 * Sends a Cloud Map delete (namespace or service) until it goes through. `ResourceInUse`
 * (services still in the namespace, instances or ECS still on the service, often going away
 * earlier in the same plan) is retried within `run.waits.inUse`, then reported as pending;
 * not found means already deleted and resolves to undefined.
 */
export async function deleteWhenUnused<T>(run: ApplyRun, send: () => Promise<T>, waitingFor: string): Promise<T | undefined> {
  const result = await pollUntil(
    async () => {
      try {
        return { out: await send() };
      } catch (err) {
        if (isNotFound(err)) return { out: undefined };
        if (isCode(err, 'ResourceInUse')) return undefined;
        throw err;
      }
    },
    run.waits.inUse,
    run.seams,
    waitingFor,
  );
  return result.out;
}
