import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GitOpsReconciler } from '../../src/run/reconciler.js';
import { namespace } from '../apply/fixtures.js';
import { desiredOf, planFor, useEnv } from '../apply/helpers.js';
import { reconcilerDeps, snapshotOf } from './reconciler-fixture.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { recordSentCalls } from '../helpers/sent-calls.js';

describe('GitOpsReconciler: an aborted reconcile (shutdown, timeout) leaves no apply running behind it', () => {
  // The namespace create takes 400 ms, so the reconcile is waiting on GetOperation when aborted.
  const env = useEnv(['demo'], { operationDelayMs: 400 });

  it('rejects with the abort reason and makes no AWS call after it', async () => {
    const desired = desiredOf([namespace()]);
    const { plan, live } = await planFor(env, desired);
    const snapshot = snapshotOf(plan, live);
    const clock = new FakeClock();
    const abort = new AbortController();
    const reason = new Error('controller is shutting down');
    const sent = recordSentCalls(env.clients);
    let atAbort: string[] = [];
    const reconciler = new GitOpsReconciler(
      reconcilerDeps(env, snapshot, {
        // The shutdown arrives while the GetOperation poll backs off (the operation takes 400 ms).
        sleep: (ms) => {
          if (!abort.signal.aborted) {
            atAbort = sent.names();
            abort.abort(reason);
          }
          return new Promise((resolve) => clock.setTimeout(resolve, ms));
        },
      }),
    );
    try {
      await assert.rejects(reconciler.reconcile('CloudMapNamespace/internal', abort.signal), (err: unknown) => err === reason);
      // Fire every backoff the abandoned poll could be sleeping on: a poll that kept going
      // would send GetOperation again.
      await clock.advance(60_000);
      assert.deepEqual(sent.names(), atAbort, 'the abandoned apply kept polling Cloud Map');
      assert.ok(atAbort.includes('CreatePrivateDnsNamespace') && atAbort.includes('GetOperation'));
    } finally {
      sent.stop();
    }
  });
});
