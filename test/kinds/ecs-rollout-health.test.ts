import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentIdOfRevision, ecsRolloutHealth } from '../../src/kinds/ecs-service/health.js';
import { deploymentStateOf } from '../../src/kinds/ecs-service/convert.js';
import { newestReason } from '../../src/run/rollout-health.js';
import { StatusStore } from '../../src/controller/status.js';
import type { EcsDeploymentState } from '../../src/kit/types.js';

const steady: EcsDeploymentState = { id: 'ecs-svc/1', rolloutState: 'COMPLETED', failedTasks: 0, desiredCount: 2, runningCount: 2, deployments: 1 };

describe('ECS rollout health (pure)', () => {
  const cases: [string, EcsDeploymentState, string, string][] = [
    ['completed, all running, one deployment', steady, 'Healthy', 'RolloutCompleted'],
    ['a deployment under way', { ...steady, rolloutState: 'IN_PROGRESS', runningCount: 1, deployments: 2 }, 'Progressing', 'RolloutInProgress'],
    ['old tasks still stopping', { ...steady, deployments: 2 }, 'Progressing', 'RolloutInProgress'],
    [
      'circuit breaker without rollback',
      { ...steady, rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', runningCount: 0, failedTasks: 3 },
      'Degraded',
      'RolloutFailed',
    ],
    [
      'tasks failing, no circuit breaker',
      { ...steady, rolloutState: 'IN_PROGRESS', failedTasks: 4, runningCount: 0, deployments: 2 },
      'Degraded',
      'TasksFailing',
    ],
    ['a task failed once, all running again', { ...steady, failedTasks: 1 }, 'Healthy', 'RolloutCompleted'],
  ];
  for (const [name, state, expected, reason] of cases) {
    it(`${name}: ${expected}`, () => {
      const h = ecsRolloutHealth(state);
      assert.equal(h.state, expected);
      assert.equal(h.reason, reason);
    });
  }

  it('a held rollback is Degraded whatever the running revision looks like, with ECS reason and the stopped reason', () => {
    const h = ecsRolloutHealth(
      steady,
      { deploymentId: 'ecs-svc/9', reason: 'ECS deployment circuit breaker: tasks failed to start.' },
      'Essential container in task exited',
    );
    assert.equal(h.state, 'Degraded');
    assert.equal(h.reason, 'RolledBack');
    assert.equal(h.failedDeployment, 'ecs-svc/9');
    assert.match(h.message, /circuit breaker: tasks failed to start\..*a task stopped: Essential container in task exited/);
    assert.equal(h.stoppedReason, 'Essential container in task exited');
  });

  it('names the failed deployment of a service revision ARN and reads the newest stopped reason with the container exit code', () => {
    assert.equal(deploymentIdOfRevision('arn:aws:ecs:us-east-1:1:service-revision/demo/web/4980306466373577095'), 'ecs-svc/4980306466373577095');
    assert.equal(deploymentIdOfRevision(undefined), undefined);
    const reason = newestReason([
      { stoppedReason: 'older', stoppedAt: new Date(1) },
      { stoppedReason: 'Essential container in task exited', stoppedAt: new Date(2), containers: [{ name: 'web', exitCode: 1 }] },
    ]);
    assert.equal(reason, 'Essential container in task exited (container web: exit code 1)');
    assert.equal(newestReason([]), undefined);
    // After a rollback ECS scales the failed deployment in: those stops are no failure.
    const afterRollback = newestReason([
      {
        stoppedReason: 'Essential container in task exited',
        stopCode: 'EssentialContainerExited',
        stoppedAt: new Date(2),
        containers: [{ name: 'web', exitCode: 1 }],
      },
      {
        stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/9)',
        stopCode: 'ServiceSchedulerInitiated',
        stoppedAt: new Date(3),
        containers: [{ name: 'web', exitCode: 0 }],
      },
    ]);
    assert.equal(afterRollback, 'Essential container in task exited (container web: exit code 1)');
    assert.equal(
      newestReason([{ stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/9)', stoppedAt: new Date(3) }]),
      'Scaling activity initiated by (deployment ecs-svc/9)',
    );
    // A container reason that only repeats the task's is left out for the exit code.
    assert.equal(
      newestReason([
        {
          stoppedReason: 'Essential container in task exited',
          stoppedAt: new Date(1),
          containers: [{ name: 'web', exitCode: 1, reason: 'Essential container in task exited' }],
        },
      ]),
      'Essential container in task exited (container web: exit code 1)',
    );
    assert.equal(
      newestReason([
        {
          stoppedReason: 'Task failed to start',
          stoppedAt: new Date(1),
          containers: [{ name: 'web', reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)' }],
        },
      ]),
      'Task failed to start (container web: CannotPullContainerError: pull image manifest has been retried 5 time(s))',
    );
  });

  it('takes the PRIMARY deployment counts and the newest steady-state event from DescribeServices', () => {
    const state = deploymentStateOf({
      desiredCount: 2,
      runningCount: 3,
      deployments: [
        { id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 2, runningCount: 1, failedTasks: 1 },
        { id: 'ecs-svc/1', status: 'ACTIVE', rolloutState: 'COMPLETED', desiredCount: 2, runningCount: 2 },
      ],
      events: [{ message: '(service web) has reached a steady state.', createdAt: new Date(0) }],
    });
    assert.deepEqual(state, {
      id: 'ecs-svc/2',
      rolloutState: 'IN_PROGRESS',
      failedTasks: 1,
      desiredCount: 2,
      runningCount: 1,
      deployments: 2,
      steadySince: '1970-01-01T00:00:00.000Z',
    });
  });
});

describe('StatusStore: rollout health combined with discovery health', () => {
  const key = 'EcsService/demo/web';
  const store = () => {
    const s = new StatusStore();
    s.track({ key, kind: 'EcsService', name: 'web', mode: 'enforce' });
    return s;
  };
  const healthy = (s: StatusStore) => s.get(key)!.conditions.find((c) => c.type === 'Healthy');

  it('Degraded rollout wins over healthy discovery; Progressing shows as health_status Progressing; both healthy is Healthy', () => {
    const s = store();
    s.setHealth(key, 'True', 'DiscoveryHealthy', 'ok');
    s.setRolloutHealth(key, { state: 'Degraded', reason: 'TasksFailing', message: 'tasks fail' });
    assert.equal(s.get(key)!.healthStatus, 'Degraded');
    assert.equal(healthy(s)!.reason, 'TasksFailing');
    s.setRolloutHealth(key, { state: 'Progressing', reason: 'RolloutInProgress', message: 'rolling' });
    assert.equal(s.get(key)!.healthStatus, 'Progressing');
    assert.equal(healthy(s)!.status, 'Unknown');
    s.setRolloutHealth(key, { state: 'Healthy', reason: 'RolloutCompleted', message: 'done' });
    assert.equal(s.get(key)!.healthStatus, 'Healthy');
    s.setHealth(key, 'False', 'stale-instance', 'a stale instance');
    assert.equal(s.get(key)!.healthStatus, 'Degraded');
    assert.equal(healthy(s)!.reason, 'stale-instance');
  });

  it('an ECS revision counts as deployed (lastAppliedRevision) only once its rollout completed', () => {
    const s = store();
    s.reconciled(key, { revision: 'r1' });
    assert.equal(s.get(key)!.lastAppliedRevision, 'r1');
    s.reconciling(key, 'r2');
    s.setRolloutHealth(key, { state: 'Progressing', reason: 'RolloutStarted', message: 'started' });
    s.reconciled(key, { revision: 'r2', actions: ['update-redeploys'] });
    assert.equal(s.get(key)!.lastAppliedRevision, 'r1');
    assert.equal(s.get(key)!.syncStatus, 'Synced');
    s.setRolloutHealth(key, { state: 'Healthy', reason: 'RolloutCompleted', message: 'done' });
    assert.equal(s.get(key)!.lastAppliedRevision, 'r2');
  });
});
