import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsServiceSpec, InlineTaskDefinition } from '../../src/manifests/types.js';
import { diffEcsService, parseTaskDefinitionRef } from '../../src/kinds/ecs-service/diff.js';
import { normalizeEcsServiceSpec } from '../../src/kinds/ecs-service/normalize.js';
import { desiredEcsService, liveEcsService, type LiveEcsOptions } from './fixtures.js';

const TD: InlineTaskDefinition = {
  family: 'name',
  cpu: '256',
  memory: '512',
  containers: [{ name: 'name', image: 'example/name:1.0', portMappings: [{ containerPort: 3000 }] }],
};

function diff(desired: EcsServiceSpec, live: EcsServiceSpec, o: LiveEcsOptions = {}) {
  return diffEcsService(desiredEcsService('name', desired), liveEcsService('name', live, o));
}

describe('EcsService diff', () => {
  const equalCases: { name: string; desired: EcsServiceSpec; live: EcsServiceSpec }[] = [
    {
      name: 'subnets and security groups come back in another order',
      desired: { cluster: 'demo', networkConfiguration: { subnets: ['subnet-b', 'subnet-a'], securityGroups: ['sg-2', 'sg-1'] } },
      live: { cluster: 'demo', networkConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1', 'sg-2'], assignPublicIp: 'DISABLED' } },
    },
    {
      name: 'server-side defaults are spelled out in the manifest and left out by AWS',
      desired: {
        cluster: 'demo',
        platformVersion: 'LATEST',
        propagateTags: 'NONE',
        enableECSManagedTags: false,
        enableExecuteCommand: false,
        healthCheckGracePeriodSeconds: 0,
        deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, circuitBreaker: { enable: false, rollback: false } },
        networkConfiguration: { subnets: ['subnet-a'], assignPublicIp: 'DISABLED' },
      },
      live: { cluster: 'demo', networkConfiguration: { subnets: ['subnet-a'] } },
    },
    {
      name: 'AWS reports defaults the manifest leaves out',
      desired: { cluster: 'demo', deploymentConfiguration: { circuitBreaker: { enable: true, rollback: true } } },
      live: {
        cluster: 'demo',
        platformVersion: 'LATEST',
        propagateTags: 'NONE',
        healthCheckGracePeriodSeconds: 0,
        deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, circuitBreaker: { enable: true, rollback: true } },
      },
    },
    {
      name: 'desiredCount is not declared (autoscaling owns it)',
      desired: { cluster: 'demo' },
      live: { cluster: 'demo', desiredCount: 7 },
    },
    {
      name: 'load balancers and capacity providers come back in another order, weight/base defaulted',
      desired: {
        cluster: 'demo',
        loadBalancers: [
          { targetGroupArn: 'arn:tg/b', containerName: 'web', containerPort: 80 },
          { targetGroupArn: 'arn:tg/a', containerName: 'web', containerPort: 80 },
        ],
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }, { capacityProvider: 'FARGATE' }],
      },
      live: {
        cluster: 'demo',
        loadBalancers: [
          { targetGroupArn: 'arn:tg/a', containerName: 'web', containerPort: 80 },
          { targetGroupArn: 'arn:tg/b', containerName: 'web', containerPort: 80 },
        ],
        capacityProviderStrategy: [
          { capacityProvider: 'FARGATE', weight: 0, base: 0 },
          { capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 },
        ],
      },
    },
    {
      name: 'tags match apart from aws:* and ownership tags',
      desired: { cluster: 'demo', tags: { team: 'names' } },
      live: { cluster: 'demo', tags: { team: 'names', 'aws:ecs:serviceName': 'name' } },
    },
    {
      name: 'the cluster is omitted and the live service is in "default"',
      desired: {},
      live: { cluster: 'default' },
    },
  ];
  for (const c of equalCases) {
    it(`reports no change when ${c.name}`, () => {
      assert.deepEqual(diff(c.desired, c.live), []);
    });
  }

  it('classifies each declared field: in place, redeploy or replace', () => {
    const changes = diff(
      {
        cluster: 'demo',
        desiredCount: 3,
        launchType: 'FARGATE',
        platformVersion: '1.4.0',
        networkConfiguration: { subnets: ['subnet-c'] },
        healthCheckGracePeriodSeconds: 30,
        enableExecuteCommand: true,
        propagateTags: 'SERVICE',
        deploymentConfiguration: { maximumPercent: 150 },
        discovery: { service: 'name', namespace: 'internal' },
        tags: { team: 'b' },
      },
      { cluster: 'demo', desiredCount: 2, launchType: 'EC2', networkConfiguration: { subnets: ['subnet-a'] }, tags: { team: 'a' } },
    );
    assert.deepEqual(
      changes.map((c) => [c.path, c.effect]),
      [
        ['spec.desiredCount', 'in-place'],
        ['spec.launchType', 'replace'],
        ['spec.platformVersion', 'redeploy'],
        ['spec.networkConfiguration.subnets', 'redeploy'],
        ['spec.healthCheckGracePeriodSeconds', 'in-place'],
        ['spec.enableExecuteCommand', 'in-place'],
        ['spec.propagateTags', 'in-place'],
        ['spec.deploymentConfiguration.maximumPercent', 'in-place'],
        ['spec.discovery', 'redeploy'],
        ['spec.tags', 'in-place'],
      ],
    );
    assert.deepEqual(changes[0], { path: 'spec.desiredCount', pointer: '/spec/desiredCount', from: 2, to: 3, effect: 'in-place' });
  });

  it('compares a taskDefinitionRef by family, family:revision or ARN against the live ARN', () => {
    const live: EcsServiceSpec = { cluster: 'demo' };
    const o = { revision: 7 };
    const cases: [string, boolean][] = [
      ['name', false],
      ['name:7', false],
      ['arn:aws:ecs:us-east-1:123456789012:task-definition/name:7', false],
      ['name:6', true],
      ['other', true],
      ['arn:aws:ecs:us-east-1:123456789012:task-definition/name:8', true],
    ];
    for (const [ref, changed] of cases) {
      const changes = diff({ cluster: 'demo', taskDefinitionRef: ref }, live, o);
      assert.equal(changes.length > 0, changed, ref);
      if (changed) {
        assert.equal(changes[0]?.path, 'spec.taskDefinitionRef');
        assert.equal(changes[0]?.from, 'name:7');
        assert.equal(changes[0]?.effect, 'redeploy');
      }
    }
  });

  it('parses task definition references', () => {
    assert.deepEqual(parseTaskDefinitionRef('web'), { family: 'web' });
    assert.deepEqual(parseTaskDefinitionRef('web:12'), { family: 'web', revision: 12 });
    assert.deepEqual(parseTaskDefinitionRef('arn:aws:ecs:eu-west-1:1:task-definition/web:3'), { family: 'web', revision: 3 });
  });

  it('compares an inline task definition with the revision the service runs', () => {
    const same = diff({ cluster: 'demo', taskDefinition: TD }, { cluster: 'demo' }, { taskDefinition: { ...TD, networkMode: 'awsvpc' } });
    assert.deepEqual(same, []);
    const image = diff(
      { cluster: 'demo', taskDefinition: { ...TD, containers: [{ ...TD.containers[0]!, image: 'example/name:2.0' }] } },
      { cluster: 'demo' },
      { taskDefinition: TD },
    );
    assert.deepEqual(
      image.map((c) => [c.path, c.from, c.to, c.effect]),
      [['spec.taskDefinition.containers[name=name].image', 'example/name:1.0', 'example/name:2.0', 'redeploy']],
    );
  });

  it('reports an inline task definition whose live revision could not be described as a redeploy', () => {
    const changes = diff({ cluster: 'demo', taskDefinition: TD }, { cluster: 'demo' });
    assert.equal(changes.length, 1);
    assert.equal(changes[0]?.path, 'spec.taskDefinition');
    assert.equal(changes[0]?.effect, 'redeploy');
  });

  it('normalizes without modifying the input and accepts a cluster ARN', () => {
    const spec: EcsServiceSpec = { cluster: 'arn:aws:ecs:us-east-1:1:cluster/demo', networkConfiguration: { subnets: ['b', 'a'] } };
    const copy = structuredClone(spec);
    const out = normalizeEcsServiceSpec(spec);
    assert.deepEqual(spec, copy);
    assert.equal(out.cluster, 'demo');
    assert.deepEqual(out.networkConfiguration, { subnets: ['a', 'b'], assignPublicIp: 'DISABLED' });
  });
});
