import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WaitingError } from '../../src/controller/errors.js';
import { GitOpsReconciler, MAX_DEPENDENCY_WAIT_MS } from '../../src/run/reconciler.js';
import { cloudMapService, namespace } from '../apply/fixtures.js';
import { desiredOf, planFor, useEnv } from '../apply/helpers.js';
import { reconcilerDeps, snapshotOf } from './reconciler-fixture.js';

describe('GitOpsReconciler: a resource that keeps waiting for a dependency backs off', () => {
  const env = useEnv(['demo']);

  it('retries after 1.5 s, then twice as long each time, at most 30 s, and still asks for the rescan that queues it again', async () => {
    const desired = desiredOf([namespace(), cloudMapService('web')]);
    const { plan, live } = await planFor(env, desired);
    const snapshot = snapshotOf(plan, live);
    let rescans = 0;
    const reconciler = new GitOpsReconciler(reconcilerDeps(env, snapshot, { requestRescan: () => rescans++ }));
    const key = 'CloudMapService/internal/web';
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const err = await reconciler.reconcile(key, new AbortController().signal).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof WaitingError, `attempt ${i + 1}: ${String(err)}`);
      assert.equal(err.reason, 'DependencyNotReady');
      delays.push(err.requeueAfterMs);
    }
    assert.deepEqual(delays, [1_500, 3_000, 6_000, 12_000, 24_000, MAX_DEPENDENCY_WAIT_MS, MAX_DEPENDENCY_WAIT_MS]);
    assert.ok(rescans > 0, 'a missing dependency still asks for a rescan, which queues the resource again');
  });
});
