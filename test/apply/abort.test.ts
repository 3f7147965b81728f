import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/reconcile/apply.js';
import type { ApplyActionEvent } from '../../src/kit/apply-types.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { recordSentCalls } from '../helpers/sent-calls.js';
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
    const clock = new FakeClock();
    const sent = recordSentCalls(env.clients);
    let sentAtAbort: string[] = [];

    try {
      await assert.rejects(
        applyPlan(plan, {
          clients: env.clients,
          live,
          controllerId: CONTROLLER_ID,
          waits: FAST_WAITS,
          signal: abort.signal,
          onAction: (e) => events.push(e),
          now: () => clock.now(),
          // The first backoff sleep of the GetOperation poll is where the shutdown arrives.
          sleep: (ms) => {
            if (!abort.signal.aborted) {
              sentAtAbort = sent.names();
              abort.abort(reason);
            }
            return new Promise((resolve) => clock.setTimeout(resolve, ms));
          },
        }),
        (err: unknown) => err === reason,
      );
      // Run every backoff the abandoned poll could still be sleeping on: a poll that went on
      // after the abort (the old behaviour) sends GetOperation again here.
      await clock.advance(60_000);
      assert.deepEqual(sent.names(), sentAtAbort, 'no AWS call after the abort');
      assert.deepEqual(clock.pendingDelays(), [], 'nothing left sleeping');
    } finally {
      sent.stop();
    }
    assert.ok(sentAtAbort.includes('CreatePrivateDnsNamespace'));
    assert.ok(!sentAtAbort.includes('CreateService'));
    assert.deepEqual(
      events.map((e) => `${e.operation} ${e.key} ${e.result}`),
      ['create CloudMapNamespace/internal ok', 'wait CloudMapNamespace/internal error'],
    );
  });
});
