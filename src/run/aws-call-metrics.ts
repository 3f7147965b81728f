import type { CallOutcome } from '../aws/call-counter.js';
import { classifyError, httpStatusOf } from '../aws/errors.js';
import type { AwsCallOutcome } from '../observability/metrics.js';

/**
 * The `outcome` label of aws_api_calls_total for one attempt: not-found is a client error
 * (an observation, but a 4xx all the same); failures are split by who is at fault.
 */
export function awsCallOutcome(outcome: CallOutcome, error?: unknown): AwsCallOutcome {
  switch (outcome) {
    case 'ok':
      return 'success';
    case 'throttled':
      return 'throttled';
    case 'not-found':
      return 'client-error';
    case 'error': {
      const status = httpStatusOf(error);
      if (status !== undefined) return status >= 500 ? 'server-error' : 'client-error';
      return classifyError(error) === 'transient' ? 'network-error' : 'client-error';
    }
  }
}
