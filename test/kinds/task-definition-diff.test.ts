import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InlineTaskDefinition } from '../../src/manifests/types.js';
import { contentHash, diffTaskDefinition } from '../../src/kinds/ecs-service/task-definition/diff.js';
import { normalizeTaskDefinition } from '../../src/kinds/ecs-service/task-definition/normalize.js';
import { OWNER_TAGS, type LiveTaskDefinition } from '../../src/kit/types.js';
import { taskDefinitionArn } from './fixtures.js';

const BASE: InlineTaskDefinition = {
  family: 'name',
  cpu: '0.25 vCPU',
  memory: '1 GB',
  requiresCompatibilities: ['FARGATE'],
  containers: [
    {
      name: 'web',
      image: 'example/web:1',
      portMappings: [{ containerPort: 3000, name: 'http' }, { containerPort: 9090 }],
      environment: { PORT: '3000', MODE: 'prod' },
      secrets: [
        { name: 'B', valueFrom: 'arn:b' },
        { name: 'A', valueFrom: 'arn:a' },
      ],
      command: ['node', 'server.js'],
      healthCheck: { command: ['CMD-SHELL', 'true'] },
    },
    { name: 'sidecar', image: 'example/sidecar:1' },
  ],
};

/** The same content as AWS describes it: numeric units, defaults echoed, lists in AWS order. */
const AS_AWS_RETURNS: InlineTaskDefinition = {
  family: 'name',
  cpu: '256',
  memory: '1024',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  containers: [
    { name: 'sidecar', image: 'example/sidecar:1', essential: true, cpu: 0, portMappings: [], environment: {} },
    {
      name: 'web',
      image: 'example/web:1',
      cpu: 0,
      essential: true,
      portMappings: [
        { containerPort: 9090, hostPort: 9090, protocol: 'tcp' },
        { containerPort: 3000, hostPort: 3000, protocol: 'tcp', name: 'http' },
      ],
      environment: { MODE: 'prod', PORT: '3000' },
      secrets: [
        { name: 'A', valueFrom: 'arn:a' },
        { name: 'B', valueFrom: 'arn:b' },
      ],
      command: ['node', 'server.js'],
      healthCheck: { command: ['CMD-SHELL', 'true'], interval: 30, timeout: 5, retries: 3 },
    },
  ],
  tags: { [OWNER_TAGS.contentHash]: 'abc', [OWNER_TAGS.controller]: 'ecs-gitops' },
};

function live(spec: InlineTaskDefinition): LiveTaskDefinition {
  return { arn: taskDefinitionArn('name', 3), family: 'name', revision: 3, tags: spec.tags ?? {}, spec };
}

function withWeb(patch: Partial<InlineTaskDefinition['containers'][number]>): InlineTaskDefinition {
  const [web, sidecar] = BASE.containers;
  return { ...BASE, containers: [{ ...web!, ...patch }, sidecar!] };
}

describe('inline task definition diff', () => {
  it('reports no change against the revision as AWS describes it (units, defaults, order)', () => {
    assert.deepEqual(diffTaskDefinition(BASE, live(AS_AWS_RETURNS), taskDefinitionArn('name', 3)), []);
  });

  it('keeps ordered lists ordered: a reordered command is a change', () => {
    const changes = diffTaskDefinition(withWeb({ command: ['server.js', 'node'] }), live(AS_AWS_RETURNS), '');
    assert.deepEqual(
      changes.map((c) => [c.path, c.effect]),
      [['spec.taskDefinition.containers[name=web].command', 'redeploy']],
    );
  });

  const contentChanges: { name: string; td: InlineTaskDefinition; path: string }[] = [
    {
      name: 'an environment value',
      td: withWeb({ environment: { PORT: '3001', MODE: 'prod' } }),
      path: 'spec.taskDefinition.containers[name=web].environment',
    },
    { name: 'the memory', td: { ...BASE, memory: '2 GB' }, path: 'spec.taskDefinition.memory' },
    {
      name: 'a port mapping',
      td: withWeb({ portMappings: [{ containerPort: 3000, name: 'http' }] }),
      path: 'spec.taskDefinition.containers[name=web].portMappings',
    },
    { name: 'the essential flag', td: withWeb({ essential: false }), path: 'spec.taskDefinition.containers[name=web].essential' },
  ];
  for (const c of contentChanges) {
    it(`reports a change of ${c.name} as a redeploy at ${c.path}`, () => {
      const changes = diffTaskDefinition(c.td, live(AS_AWS_RETURNS), '');
      assert.deepEqual(
        changes.map((x) => [x.path, x.effect]),
        [[c.path, 'redeploy']],
      );
    });
  }

  it('reports a container that is gone from the manifest and one that is new', () => {
    const td: InlineTaskDefinition = { ...BASE, containers: [BASE.containers[0]!, { name: 'proxy', image: 'example/proxy:1' }] };
    const changes = diffTaskDefinition(td, live(AS_AWS_RETURNS), '');
    assert.deepEqual(
      changes.map((c) => [c.path, c.from === undefined, c.to === undefined]),
      [
        ['spec.taskDefinition.containers[name=proxy]', true, false],
        ['spec.taskDefinition.containers[name=sidecar]', false, true],
      ],
    );
  });

  it('gives the same content hash to spellings of the same content, and a new one for new content', () => {
    const reordered: InlineTaskDefinition = { ...BASE, containers: [...BASE.containers].reverse(), cpu: 256, memory: '1024' };
    assert.equal(contentHash(BASE), contentHash(reordered));
    assert.equal(contentHash(BASE), contentHash({ ...AS_AWS_RETURNS, containers: AS_AWS_RETURNS.containers.map(({ cpu: _c, ...c }) => c) }));
    assert.notEqual(contentHash(BASE), contentHash(withWeb({ image: 'example/web:2' })));
    assert.match(contentHash(BASE), /^[0-9a-f]{64}$/);
  });

  it('normalizes cpu and memory to canonical strings without modifying the input', () => {
    const copy = structuredClone(BASE);
    const out = normalizeTaskDefinition(BASE);
    assert.deepEqual(BASE, copy);
    assert.equal(out.cpu, '256');
    assert.equal(out.memory, '1024');
    assert.deepEqual(
      out.containers.map((c) => c.name),
      ['sidecar', 'web'],
    );
  });
});
