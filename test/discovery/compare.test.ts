import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareNamespace, compareService, type NamespaceObservation } from '../../src/discovery/compare.js';
import { remediationCandidates } from '../../src/discovery/remediation.js';
import type { CompareOptions, DiscoveryTarget, InstanceView, RecordView, ServiceObservation, TaskView } from '../../src/discovery/types.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const OPTIONS: CompareOptions = { now: NOW, missingGraceMs: 60_000, maxUnhealthyPercent: 25 };

function target(over: Partial<DiscoveryTarget> = {}): DiscoveryTarget {
  return {
    key: 'CloudMapService/internal/name',
    name: 'name',
    arn: 'arn:aws:servicediscovery:us-east-1:123456789012:service/srv-1',
    id: 'srv-1',
    namespace: 'internal',
    namespaceKey: 'CloudMapNamespace/internal',
    namespaceType: 'DNS_PRIVATE',
    hostedZoneId: 'Z1',
    dns: { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl: 60 }] },
    hasHealthCheck: true,
    ecsServices: [{ key: 'EcsService/demo/name', cluster: 'demo', name: 'name' }],
    ...over,
  };
}

const hex = (n: number): string => n.toString(16).padStart(32, '0');

function task(n: number, over: Partial<TaskView> = {}): TaskView {
  return {
    arn: `arn:aws:ecs:us-east-1:123456789012:task/demo/${hex(n)}`,
    id: hex(n),
    cluster: 'demo',
    service: 'name',
    ip: `10.0.0.${n}`,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    startedAt: NOW - 600_000,
    ...over,
  };
}

function instance(n: number, over: Partial<InstanceView> = {}): InstanceView {
  return { id: hex(n), attributes: { AWS_INSTANCE_IPV4: `10.0.0.${n}`, ECS_SERVICE_NAME: 'name', ECS_CLUSTER_NAME: 'demo' }, health: 'HEALTHY', ...over };
}

function record(n: number, over: Partial<RecordView> = {}): RecordView {
  return { name: 'name.internal.', type: 'A', setIdentifier: hex(n), ttl: 60, multiValueAnswer: true, values: [`10.0.0.${n}`], ...over };
}

function healthy(count: number, over: Partial<ServiceObservation> = {}): ServiceObservation {
  const ns = Array.from({ length: count }, (_, i) => i + 1);
  return {
    target: target(),
    tasks: ns.map((n) => task(n)),
    stoppedTasks: new Map(),
    instances: ns.map((n) => instance(n)),
    records: ns.map((n) => record(n)),
    ...over,
  };
}

interface Case {
  name: string;
  obs: ServiceObservation;
  reasons: string[];
  /** Each finding's message must match (in order). */
  messages?: RegExp[];
}

const stoppedTask = task(3, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedAt: NOW - 30_000, stopCode: 'EssentialContainerExited' });

const CASES: Case[] = [
  { name: 'three running tasks, their instances and records: nothing', obs: healthy(3), reasons: [] },
  { name: 'more than 8 healthy instances behind MULTIVALUE is fine', obs: healthy(12), reasons: [] },
  { name: 'no tasks and no instances (scaled to zero): nothing', obs: healthy(0), reasons: [] },
  {
    name: 'equal inputs in another order give the same (empty) result',
    obs: {
      ...healthy(4),
      tasks: healthy(4).tasks.slice().reverse(),
      instances: healthy(4).instances.slice().reverse(),
      records: healthy(4).records!.slice().reverse(),
    },
    reasons: [],
  },
  {
    name: 'an instance whose task stopped is stale, naming the IP, the task and why',
    obs: {
      ...healthy(2),
      instances: [instance(1), instance(2), instance(3)],
      records: [record(1), record(2), record(3)],
      stoppedTasks: new Map([[hex(3), stoppedTask]]),
    },
    reasons: ['StaleInstance'],
    messages: [
      new RegExp(`instance ${hex(3)} \\(10\\.0\\.0\\.3\\) is registered, but its task .*task/demo/${hex(3)} is STOPPED since .*EssentialContainerExited`),
    ],
  },
  {
    name: 'an instance matching no task at all is stale (ECS forgot the task)',
    obs: { ...healthy(1), instances: [instance(1), instance(9)], records: [record(1), record(9)] },
    reasons: ['StaleInstance'],
    messages: [/instance 0+9 \(10\.0\.0\.9\) is registered, but no running task of EcsService demo\/name has this id or IP/],
  },
  {
    name: 'an instance registered under another id but with a running task IP is not stale',
    obs: { ...healthy(1), instances: [instance(1, { id: 'manual-1' })], records: [record(1, { setIdentifier: 'manual-1' })] },
    reasons: [],
  },
  {
    name: 'a running task without an instance after the grace period is missing',
    obs: { ...healthy(2), instances: [instance(1)], records: [record(1)] },
    reasons: ['MissingInstance'],
    messages: [new RegExp(`task .*${hex(2)} \\(10\\.0\\.0\\.2\\) of EcsService demo/name is RUNNING since .* but has no instance`)],
  },
  {
    name: 'a task that started within the grace period may still lack its instance',
    obs: { ...healthy(1), tasks: [task(1), task(2, { startedAt: NOW - 5_000 })] },
    reasons: [],
  },
  {
    name: 'a PENDING task is not expected to have an instance',
    obs: { ...healthy(1), tasks: [task(1), task(2, { lastStatus: 'PENDING', startedAt: undefined })] },
    reasons: [],
  },
  {
    name: 'one unhealthy instance out of four is within a 25% threshold',
    obs: { ...healthy(4), instances: [instance(1, { health: 'UNHEALTHY' }), instance(2), instance(3), instance(4)] },
    reasons: [],
  },
  {
    name: 'two unhealthy instances out of four are beyond the threshold, listed with their IPs',
    obs: { ...healthy(4), instances: [instance(1, { health: 'UNHEALTHY' }), instance(2, { health: 'UNHEALTHY' }), instance(3), instance(4)] },
    reasons: ['UnhealthyInstances'],
    messages: [/2 of 4 instance\(s\) are UNHEALTHY \(threshold 25%\): 0+1 \(10\.0\.0\.1\), 0+2 \(10\.0\.0\.2\)/],
  },
  {
    name: 'zero healthy instances while tasks run',
    obs: { ...healthy(2), instances: [instance(1, { health: 'UNHEALTHY' }), instance(2, { health: 'UNHEALTHY' })] },
    reasons: ['NoHealthyInstances'],
    messages: [/2 task\(s\) of EcsService demo\/name are RUNNING but none of its 2 instance\(s\) is healthy/],
  },
  {
    name: 'instances without a health check (UNKNOWN) are served: healthy enough',
    obs: { ...healthy(2), target: target({ hasHealthCheck: false }), instances: [instance(1, { health: 'UNKNOWN' }), instance(2, { health: 'UNKNOWN' })] },
    reasons: [],
  },
  {
    name: 'a record set left behind after its instance went away',
    obs: { ...healthy(1), records: [record(1), record(7)] },
    reasons: ['RecordWithoutInstance'],
    messages: [/record set name\.internal\. A \[0+7\] -> 10\.0\.0\.7 has no registered instance/],
  },
  {
    name: 'a record set pointing at another IP than its instance',
    obs: { ...healthy(1), records: [record(1, { values: ['10.9.9.9'] })] },
    reasons: ['RecordWithoutInstance'],
    messages: [/-> 10\.9\.9\.9 but instance 0+1 has 10\.0\.0\.1/],
  },
  {
    name: 'an instance without its record set',
    obs: { ...healthy(2), records: [record(1)] },
    reasons: ['InstanceWithoutRecord'],
    messages: [/instance 0+2 \(10\.0\.0\.2\) has no A record set at name\.internal\./],
  },
  {
    name: 'a record set TTL edited by hand',
    obs: { ...healthy(2), records: [record(1), record(2, { ttl: 300 })] },
    reasons: ['RecordTtlMismatch'],
    messages: [/record set name\.internal\. A \[0+2\] \(10\.0\.0\.2\) has TTL 300, the service's DNS config says 60/],
  },
  {
    name: 'a weighted record set behind a MULTIVALUE service',
    obs: { ...healthy(1), records: [record(1, { multiValueAnswer: undefined, weight: 1 })] },
    reasons: ['RoutingPolicyMismatch'],
    messages: [/has Weight 1, the service's routing policy is MULTIVALUE/],
  },
  {
    name: 'a multivalue record set behind a WEIGHTED service',
    obs: { ...healthy(1), target: target({ dns: { routingPolicy: 'WEIGHTED', records: [{ type: 'A', ttl: 60 }] } }) },
    reasons: ['RoutingPolicyMismatch'],
    messages: [/has MultiValueAnswer, the service's routing policy is WEIGHTED/],
  },
  {
    name: 'records of other names in the zone are ignored',
    obs: { ...healthy(1), records: [record(1), record(5, { name: 'other.internal.' }), record(6, { name: 'x.name.internal.' })] },
    reasons: [],
  },
  {
    name: 'an HTTP namespace service has no records to compare',
    obs: { ...healthy(2), target: target({ namespaceType: 'HTTP', dns: undefined }), records: undefined },
    reasons: [],
  },
  {
    name: 'SRV services: the SRV record and the A record of each instance host',
    obs: {
      ...healthy(1),
      target: target({ dns: { routingPolicy: 'MULTIVALUE', records: [{ type: 'SRV', ttl: 30 }] } }),
      instances: [instance(1, { attributes: { AWS_INSTANCE_IPV4: '10.0.0.1', AWS_INSTANCE_PORT: '3000', ECS_SERVICE_NAME: 'name' } })],
      records: [record(1, { type: 'SRV', ttl: 30, values: [`1 1 3000 ${hex(1)}.name.internal`] }), record(1, { name: `${hex(1)}.name.internal.`, ttl: 30 })],
    },
    reasons: [],
  },
];

describe('discovery comparison core (pure)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const result = compareService(c.obs, OPTIONS);
      assert.deepEqual(
        result.findings.map((f) => f.reason),
        c.reasons,
      );
      for (const [i, re] of (c.messages ?? []).entries()) assert.match(result.findings[i]!.message, re);
      for (const f of result.findings) {
        assert.equal(f.key, 'CloudMapService/internal/name');
        assert.match(f.message, /CloudMapService internal\/name/);
      }
    });
  }

  it('does not mutate its inputs', () => {
    const obs = healthy(2, { records: [record(1, { ttl: 5 })] });
    const copy = structuredClone({ ...obs, stoppedTasks: [...obs.stoppedTasks] });
    compareService(obs, OPTIONS);
    assert.deepEqual({ ...obs, stoppedTasks: [...obs.stoppedTasks] }, copy);
  });

  it('counts instances by state, stale ones apart', () => {
    const obs = { ...healthy(2), instances: [instance(1), instance(2, { health: 'UNHEALTHY' as const }), instance(3)], records: undefined };
    assert.deepEqual(compareService(obs, OPTIONS).counts, { healthy: 1, unhealthy: 1, unknown: 0, stale: 1 });
  });
});

describe('hosted zone checks (pure)', () => {
  const ns = (over: Partial<NamespaceObservation>): NamespaceObservation => ({
    key: 'CloudMapNamespace/internal',
    name: 'internal',
    type: 'DNS_PRIVATE',
    hostedZoneId: 'Z1',
    vpc: 'vpc-1',
    zone: { id: 'Z1', exists: true, privateZone: true, vpcs: ['vpc-1'] },
    ...over,
  });
  const cases: [string, NamespaceObservation, string[]][] = [
    ['a private zone associated with its VPC', ns({}), []],
    ['a zone that does not exist', ns({ zone: { id: 'Z1', exists: false, vpcs: [] } }), ['HostedZoneMissing']],
    ['a DNS namespace without a zone id', ns({ hostedZoneId: undefined, zone: undefined }), ['HostedZoneMissing']],
    ['a private zone that lost its only VPC', ns({ zone: { id: 'Z1', exists: true, vpcs: [] } }), ['HostedZoneVpcNotAssociated']],
    ['a private zone associated with another VPC only', ns({ zone: { id: 'Z1', exists: true, vpcs: ['vpc-2'] } }), ['HostedZoneVpcNotAssociated']],
    ['a public zone has no VPC to check', ns({ type: 'DNS_PUBLIC', vpc: undefined, zone: { id: 'Z1', exists: true, vpcs: [] } }), []],
    ['an HTTP namespace has no zone', ns({ type: 'HTTP', hostedZoneId: undefined, zone: undefined }), []],
  ];
  for (const [name, input, reasons] of cases) {
    it(name, () => {
      const findings = compareNamespace(input);
      assert.deepEqual(
        findings.map((f) => f.reason),
        reasons,
      );
      for (const f of findings) assert.equal(f.kind, 'CloudMapNamespace');
    });
  }
  it('names the zone and the VPC it lost', () => {
    assert.match(
      compareNamespace(ns({ zone: { id: 'Z1', exists: true, vpcs: [] } }))[0]!.message,
      /private hosted zone Z1 is not associated with vpc-1 \(it has no VPC\)/,
    );
  });
});

describe('stale instance remediation decision (pure)', () => {
  const t = target({ dns: { routingPolicy: 'MULTIVALUE', records: [{ type: 'A', ttl: 60 }] } });
  const stale = { instanceId: hex(3), ip: '10.0.0.3', task: stoppedTask, registeredByEcs: true };
  const firstSeen = (): number => NOW;

  it('waits for TTL plus grace after the task stopped, then is due', () => {
    const stoppedAt = stoppedTask.stoppedAt!;
    const dueAt = stoppedAt + 60_000 + 30_000;
    assert.equal(remediationCandidates(t, [stale], dueAt, 30_000, firstSeen).due.length, 0);
    assert.equal(remediationCandidates(t, [stale], dueAt - 1, 30_000, firstSeen).waiting[0]!.dueAt, dueAt);
    assert.equal(remediationCandidates(t, [stale], dueAt + 1, 30_000, firstSeen).due.length, 1);
  });

  it('uses the first time the instance was seen stale when ECS no longer knows the task', () => {
    const unknown = { instanceId: hex(9), registeredByEcs: true };
    const seen = NOW - 100_000;
    assert.equal(remediationCandidates(t, [unknown], NOW, 30_000, () => seen).due.length, 1);
    assert.equal(remediationCandidates(t, [unknown], NOW, 30_000, () => NOW - 80_000).due.length, 0);
  });

  it('never deregisters an instance that ECS did not register', () => {
    const manual = { instanceId: 'manual-1', registeredByEcs: false };
    const { due, waiting } = remediationCandidates(t, [manual], NOW + 10 * 3_600_000, 0, () => NOW - 3_600_000);
    assert.deepEqual([due.length, waiting.length], [0, 0]);
  });
});
