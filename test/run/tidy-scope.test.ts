import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DesiredResource } from '../../src/manifests/types.js';
import type { LiveEcsService, LiveSet, ResourcePlan } from '../../src/kit/types.js';
import type { Snapshot } from '../../src/run/scanner.js';
import { passRefusal, tidyScope } from '../../src/run/tidy-scope.js';
import { revisionFamiliesOf } from '../../src/observe/index.js';
import { ecsService } from '../apply/fixtures.js';
import { desiredOf } from '../apply/helpers.js';

const ARN = 'arn:aws:ecs:us-east-1:123456789012:task-definition';

function liveService(name: string, inUse: string[], deploymentsInProgress = 0): LiveEcsService {
  return {
    kind: 'EcsService',
    key: `EcsService/demo/${name}`,
    name,
    spec: {},
    tags: {},
    cluster: 'demo',
    status: 'ACTIVE',
    taskDefinitionArn: inUse[0] ?? '',
    serviceRegistryArns: [],
    runningCount: 1,
    pendingCount: 0,
    deploymentsInProgress,
    taskDefinitionsInUse: inUse,
  } as unknown as LiveEcsService;
}

/** A snapshot of `desired` and `services`, every plan `noop` unless `actions` says otherwise. */
function snapshot(
  desired: DesiredResource[],
  services: LiveEcsService[],
  options: { actions?: Record<string, Partial<ResourcePlan>>; unreadable?: LiveSet['unreadable']; invalid?: boolean } = {},
): Snapshot {
  const byKey = new Map<string, ResourcePlan>(
    desired.map((d) => [
      d.key,
      { kind: d.kind, key: d.key, name: d.name, desired: d, action: 'noop', changes: [], ...options.actions?.[d.key] } as ResourcePlan,
    ]),
  );
  return {
    seq: 1,
    revision: 'r1',
    state: {
      url: 'dir',
      revision: 'r1',
      desired,
      invalid: new Map(options.invalid ? [['EcsService/broken', { kind: 'EcsService' as const, name: 'broken', problems: ['x'] }]] : []),
      unattributedErrors: [],
      diagnostics: [],
    },
    live: { resources: new Map(services.map((s) => [s.key, s])), calls: {}, unreadable: options.unreadable ?? [] },
    plan: { resources: [...byKey.values()], hasChanges: false, hasDrift: false },
    byKey,
    invalidKeys: new Map(),
    observeStartedAt: 1_000,
    keys: [...byKey.keys()],
  };
}

describe('revision tidying scope of the controller (pure)', () => {
  const web = ecsService('web');
  const api = ecsService('api');
  const desired = desiredOf([web, api]);

  it('names the families of the desired inline task definitions', () => {
    assert.deepEqual(revisionFamiliesOf(snapshot(desired, []).state.desired), ['api', 'web']);
  });

  it('refuses a whole pass on a stale observation, an invalid EcsService manifest or an ECS cluster it could not read', () => {
    assert.equal(passRefusal(snapshot(desired, []), false), undefined);
    assert.match(passRefusal(snapshot(desired, []), true) ?? '', /stale/);
    assert.match(passRefusal(snapshot(desired, [], { invalid: true }), false) ?? '', /EcsService broken is invalid/);
    const denied = [{ scope: 'EcsCluster/other', reason: 'AccessDeniedException: no', code: 'AccessDeniedException' }];
    assert.match(passRefusal(snapshot(desired, [], { unreadable: denied }), false) ?? '', /EcsCluster\/other could not be read/);
    // A cluster that does not exist holds no service: nothing can be in use there.
    const missing = [{ scope: 'EcsCluster/gone', reason: 'not found', code: 'ClusterNotFoundException' }];
    assert.equal(passRefusal(snapshot(desired, [], { unreadable: missing }), false), undefined);
    assert.match(passRefusal(snapshot([], []), false) ?? '', /empty/);
  });

  it('skips observe-mode and blocked families for good, written ones for this pass only; mid-deployment families stay due', () => {
    const observed = desiredOf([{ ...api, spec: { ...api.spec, syncPolicy: { mode: 'observe' } } }, web]);
    const s = snapshot(observed, [liveService('web', [`${ARN}/web:3`, `${ARN}/web:2`], 1)]);
    const scope = tidyScope(s, ['api', 'web'], new Set());
    assert.deepEqual(scope.families, ['web']);
    assert.deepEqual(scope.skipped, [{ family: 'api', reason: 'EcsService/demo/api is in observe mode', retry: false }]);
    assert.deepEqual([...scope.retry], ['web'], 'web is mid-deployment: tidied and looked at again');

    const blocked = snapshot(desired, [], { actions: { 'EcsService/demo/web': { action: 'blocked', blockedBy: 'not-owned' } } });
    assert.deepEqual(tidyScope(blocked, ['web'], new Set()).skipped, [{ family: 'web', reason: 'EcsService/demo/web is blocked (not-owned)', retry: false }]);

    const written = tidyScope(snapshot(desired, []), ['api', 'web'], new Set(['EcsService/demo/web']));
    assert.deepEqual(written.families, ['api']);
    assert.deepEqual(
      written.skipped.map((x) => [x.family, x.retry]),
      [['web', true]],
    );
    // A service that runs a revision of the family ties it too, whatever its manifest names.
    const other = snapshot(desired, [liveService('web', [`${ARN}/web:2`, `${ARN}/api:7`])]);
    assert.deepEqual(tidyScope(other, ['api'], new Set(['EcsService/demo/web'])).families, []);
    assert.deepEqual(tidyScope(other, ['api'], new Set(['EcsService/demo/api'])).families, []);
    assert.deepEqual(tidyScope(snapshot(desired, []), ['api'], new Set(['EcsService/demo/web'])).families, ['api']);
    // A key the snapshot does not know may belong to any family.
    assert.deepEqual(tidyScope(snapshot(desired, []), ['api', 'web'], new Set(['EcsService/demo/new'])).families, []);
  });
});
