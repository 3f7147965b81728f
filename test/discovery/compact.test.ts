import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHECKED_ATTRIBUTES, ecsMark, keptAttributes, TaskKeeper } from '../../src/discovery/compact.js';
import { discoveryTargets } from '../../src/discovery/targets.js';
import type { TaskView } from '../../src/discovery/types.js';
import type { LiveEcsService } from '../../src/kit/types.js';
import { liveCloudMapService, liveEcsService, liveNamespace } from '../kinds/fixtures.js';
import { liveSet } from '../reconcile/helpers.js';

const SRC = fileURLToPath(new URL('../../../src/discovery/', import.meta.url));
const ID = '0123456789abcdef0123456789abcdef';

function task(over: Partial<TaskView> = {}): TaskView {
  return {
    arn: `arn:aws:ecs:us-east-1:123456789012:task/demo/${ID}`,
    id: ID,
    cluster: 'demo',
    service: 'api',
    ip: '10.0.0.7',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    startedAt: Date.parse('2026-01-01T00:00:00Z'),
    ...over,
  };
}

/** Every TaskView member, read through the interface (a kept task has the ARN as a getter). */
function fields(t: TaskView): Record<string, unknown> {
  const { arn, id, cluster, service, ip, lastStatus, desiredStatus, startedAt, stoppedAt, stopCode, stoppedReason } = t;
  return { arn, id, cluster, service, ip, lastStatus, desiredStatus, startedAt, stoppedAt, stopCode, stoppedReason };
}

describe('what the discovery checker keeps between checks', () => {
  it('keeps only the instance attributes the checks read, in one order', () => {
    const ecs = {
      AVAILABILITY_ZONE: 'us-east-1a',
      ECS_CLUSTER_NAME: 'demo',
      AWS_INSTANCE_IPV4: '10.0.0.7',
      REGION: 'us-east-1',
      ECS_SERVICE_NAME: 'api',
      ECS_TASK_DEFINITION_FAMILY: 'api',
      AWS_INIT_HEALTH_STATUS: 'HEALTHY',
      AWS_INSTANCE_PORT: '3000',
      custom: 'x',
    };
    const kept = keptAttributes(ecs);
    assert.deepEqual(Object.entries(kept), [
      ['AWS_INSTANCE_IPV4', '10.0.0.7'],
      ['AWS_INSTANCE_PORT', '3000'],
      ['ECS_SERVICE_NAME', 'api'],
      ['ECS_CLUSTER_NAME', 'demo'],
    ]);
    assert.deepEqual(keptAttributes({ AWS_INSTANCE_CNAME: 'db.example.com', AWS_INSTANCE_IPV6: '::1' }), {
      AWS_INSTANCE_IPV6: '::1',
      AWS_INSTANCE_CNAME: 'db.example.com',
    });
    assert.deepEqual(keptAttributes(undefined), {});
  });

  it('keeps every attribute src/discovery reads', () => {
    const read = new Set<string>();
    for (const file of readdirSync(SRC).filter((f) => f.endsWith('.ts'))) {
      for (const m of readFileSync(`${SRC}${file}`, 'utf8').matchAll(/attributes\[\s*'([A-Z0-9_]+)'\s*\]|'(AWS_INSTANCE_[A-Z0-9_]+|ECS_[A-Z_]+_NAME)'/g)) {
        read.add((m[1] ?? m[2])!);
      }
    }
    const missing = [...read].filter((a) => !(CHECKED_ATTRIBUTES as readonly string[]).includes(a));
    assert.deepEqual(missing, [], 'an attribute read by a check must be in CHECKED_ATTRIBUTES, or it is dropped when read');
    assert.ok(read.has('ECS_CLUSTER_NAME') && read.has('AWS_INSTANCE_IPV4'), 'the scan finds the attributes the checks read');
  });

  it('keeps a task without its ARN and gives back every member unchanged', () => {
    const keeper = new TaskKeeper();
    const running = task();
    const stopped = task({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedAt: 5, stopCode: 'EssentialContainerExited', stoppedReason: 'exit 1' });
    const bare = task({ service: undefined, ip: undefined, startedAt: undefined });
    for (const t of [running, stopped, bare]) assert.deepEqual(fields(keeper.keep(t)), fields(t));
    assert.equal(keeper.keep(running, () => ID).id, ID);
    // An id that is not the ARN's last segment: kept as it is.
    const odd = task({ id: 'other' });
    assert.equal(keeper.keep(odd), odd);
  });

  it('shares one string per ARN prefix and cluster, and forgets the ones no kept task uses', () => {
    const keeper = new TaskKeeper();
    const hex = (n: number): string => n.toString(16).padStart(32, '0');
    const inCluster = (cluster: string, n: number) =>
      keeper.keep(task({ arn: `arn:aws:ecs:us-east-1:123456789012:task/${cluster}/${hex(n)}`, id: hex(n), cluster }));
    const demo = [1, 2, 3].map((n) => inCluster('demo', n));
    const other = [4, 5].map((n) => inCluster('other', n));
    assert.equal(keeper.sharedCount, 4, 'two clusters: two names and two ARN prefixes, however many tasks');
    assert.equal(other[1]!.arn, `arn:aws:ecs:us-east-1:123456789012:task/other/${hex(5)}`);
    keeper.forgetAllBut(demo);
    assert.equal(keeper.sharedCount, 2);
    keeper.forgetAllBut([]);
    assert.equal(keeper.sharedCount, 0);
    assert.equal(demo[2]!.arn, `arn:aws:ecs:us-east-1:123456789012:task/demo/${hex(3)}`, 'a kept task does not depend on what is shared');
  });

  it('marks the ECS side so that every change the checks follow moves the mark', () => {
    const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:4';
    const svc = liveCloudMapService('api', { namespace: 'internal' });
    const build = (over: Partial<LiveEcsService> = {}, extra: LiveEcsService[] = []) => {
      const ecs = Object.assign(liveEcsService('api', { cluster: 'demo', taskDefinitionRef: TD }), {
        serviceRegistryArns: [svc.arn],
        taskDefinitionArn: TD,
        ...over,
      });
      const live = liveSet(liveNamespace('internal', { type: 'HTTP' }), svc, ecs, ...extra);
      return ecsMark(live, discoveryTargets(live)[0]!);
    };
    const base = build();
    assert.equal(build(), base, 'equal live sets, equal marks');
    assert.ok(base.includes('EcsService/demo/api') && base.includes('api:4'));
    const moved = [
      build({ runningCount: 7 }),
      build({ pendingCount: 3 }),
      build({ deploymentsInProgress: 2 }),
      build({ taskDefinitionArn: `${TD.slice(0, -1)}5` }),
      build({}, [Object.assign(liveEcsService('api-2', { cluster: 'demo', taskDefinitionRef: TD }), { serviceRegistryArns: [svc.arn] })]),
    ];
    for (const m of moved) assert.notEqual(m, base);
    assert.equal(new Set(moved).size, moved.length);
  });
});
