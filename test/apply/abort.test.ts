import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/reconcile/apply.js';
import type { ApplyActionEvent } from '../../src/reconcile/apply-types.js';
import { cloudMapService, namespace } from './fixtures.js';
import { CONTROLLER_ID, FAST_WAITS, desiredOf, planFor, useEnv } from './helpers.js';

describe('an aborted apply (controller shutdown, reconcile timeout) stops writing', () => {
  // The namespace create takes 300 ms, so apply is polling GetOperation when the abort comes.
  const env = useEnv(['demo'], { operationDelayMs: 300 });

  it('ends the wait at once, starts no further write, and rejects with the abort reason', async () => {
    const desired = desiredOf([namespace(), cloudMapService('name')]);
    const { plan, live } = await planFor(env, desired);
    const abort = new AbortController();
    const reason = new Error('controller is shutting down');
    const events: ApplyActionEvent[] = [];
    const calls = () => env.sandbox.world.calls.calls().map((c) => c.operation);
    let callsAtAbort: string[] = [];

    await assert.rejects(
      applyPlan(plan, {
        clients: env.clients,
        live,
        controllerId: CONTROLLER_ID,
        waits: FAST_WAITS,
        signal: abort.signal,
        onAction: (e) => events.push(e),
        // The first backoff sleep of the GetOperation poll is where the shutdown arrives.
        sleep: (ms) => {
          if (!abort.signal.aborted) {
            callsAtAbort = calls();
            abort.abort(reason);
          }
          return new Promise((resolve) => setTimeout(resolve, ms));
        },
      }),
      (err: unknown) => err === reason,
    );

    // Give a background poll (the old behaviour) time to show itself.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(calls(), callsAtAbort, 'no AWS call after the abort');
    assert.ok(callsAtAbort.includes('CreatePrivateDnsNamespace'));
    assert.ok(!callsAtAbort.includes('CreateService'));
    assert.deepEqual(
      events.map((e) => `${e.operation} ${e.key} ${e.result}`),
      ['create CloudMapNamespace/internal ok', 'wait CloudMapNamespace/internal error'],
    );
  });
});
