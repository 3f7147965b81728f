import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LiveCloudMapService, LiveEcsService, LiveNamespace, LiveResource, LiveSet } from '../../src/kit/types.js';
import { planImport } from '../../src/importer/select.js';
import { renderImport } from '../../src/importer/render.js';

const OWNER = 'ecs-gitops.io/controller';

function ns(name: string, tags: Record<string, string> = {}): LiveNamespace {
  const owner = tags[OWNER];
  return {
    kind: 'CloudMapNamespace',
    key: `CloudMapNamespace/${name}`,
    name,
    arn: `arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-${name}`,
    id: `ns-${name}`,
    tags,
    spec: { type: 'HTTP', tags },
    ...(owner ? { owner: { controllerId: owner, resourceKey: `CloudMapNamespace/${name}` } } : {}),
  };
}

function cm(namespace: string, name: string, tags: Record<string, string> = {}): LiveCloudMapService {
  const owner = tags[OWNER];
  return {
    kind: 'CloudMapService',
    key: `CloudMapService/${namespace}/${name}`,
    name,
    arn: `arn:aws:servicediscovery:us-east-1:123456789012:service/srv-${name}`,
    id: `srv-${name}`,
    namespaceId: `ns-${namespace}`,
    tags,
    spec: { namespace, type: 'HTTP', tags },
    ...(owner ? { owner: { controllerId: owner, resourceKey: `CloudMapService/${namespace}/${name}` } } : {}),
  };
}

function ecs(name: string, extra: Partial<LiveEcsService> = {}, discovery?: LiveCloudMapService): LiveEcsService {
  const td = {
    family: name,
    cpu: '256',
    memory: '512',
    requiresCompatibilities: ['FARGATE' as const],
    containers: [{ name, image: `${name}:1`, essential: true, cpu: 0 }],
  };
  return {
    kind: 'EcsService',
    key: `EcsService/demo/${name}`,
    name,
    arn: `arn:aws:ecs:us-east-1:123456789012:service/demo/${name}`,
    tags: {},
    cluster: 'demo',
    status: 'ACTIVE',
    taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}:1`,
    taskDefinition: { arn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}:1`, family: name, revision: 1, tags: {}, spec: td },
    serviceRegistryArns: discovery ? [discovery.arn] : [],
    runningCount: 1,
    pendingCount: 0,
    deploymentsInProgress: 0,
    spec: {
      cluster: 'demo',
      taskDefinitionRef: `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}:1`,
      taskDefinition: td,
      desiredCount: 1,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      networkConfiguration: { subnets: ['subnet-0a1b2c3d4e5f60718'], assignPublicIp: 'DISABLED' },
      propagateTags: 'NONE',
      enableExecuteCommand: false,
      tags: {},
      ...(discovery ? { discovery: { service: discovery.name, namespace: discovery.spec.namespace } } : {}),
    },
    ...extra,
  };
}

function liveSet(...resources: LiveResource[]): LiveSet {
  return { resources: new Map(resources.map((r) => [r.key, r])), calls: {}, unreadable: [] };
}

const SELECTION = { cluster: 'demo', controllerId: 'ecs-gitops' };

describe('import selection', () => {
  it('one file per service with its Cloud Map service, the namespaces in their own file, in name order', () => {
    const api = cm('apps', 'api');
    const plan = planImport(liveSet(ecs('web'), ecs('api', {}, api), api, ns('apps'), ns('unused')), SELECTION);
    assert.deepEqual(
      plan.files.map((f) => [f.path, f.resources.map((r) => r.key)]),
      [
        ['namespaces.yaml', ['CloudMapNamespace/apps']],
        ['services/api.yaml', ['CloudMapService/apps/api', 'EcsService/demo/api']],
        ['services/web.yaml', ['EcsService/demo/web']],
      ],
    );
    assert.deepEqual(plan.problems, []);
  });

  it('skips resources of another controller by name, stops a service with unexpressed settings, goes on with the others', () => {
    const theirs = cm('apps', 'theirs', { [OWNER]: 'team-b' });
    const set = liveSet(
      ecs('ok'),
      ecs('foreign', { owner: { controllerId: 'team-b', resourceKey: 'EcsService/demo/foreign' } }),
      ecs('efs', { unexpressed: ['placementConstraints'] }),
      ecs('registered', {}, theirs),
      theirs,
      ns('apps'),
    );
    const plan = planImport(set, SELECTION);
    assert.deepEqual(
      plan.files.map((f) => f.path),
      ['services/ok.yaml'],
    );
    const byKey = Object.fromEntries(plan.problems.map((p) => [p.resource, p]));
    assert.equal(byKey['EcsService/demo/foreign']?.severity, 'skipped');
    assert.match(byKey['EcsService/demo/foreign']?.message ?? '', /owned by controller "team-b"/);
    assert.equal(byKey['EcsService/demo/efs']?.severity, 'failed');
    assert.match(byKey['EcsService/demo/efs']?.message ?? '', /cannot express: placementConstraints/);
    assert.match(byKey['EcsService/demo/registered']?.message ?? '', /CloudMapService\/apps\/theirs is owned by controller "team-b"/);
  });

  it('--service names only those; a name not found fails; --namespace adds a namespace and its unused Cloud Map services', () => {
    const spare = cm('apps', 'spare');
    const plan = planImport(liveSet(ecs('a'), ecs('b'), spare, ns('apps')), { ...SELECTION, services: ['b', 'zz'], namespaces: ['apps', 'nope'] });
    assert.deepEqual(
      plan.files.map((f) => f.path),
      ['cloud-map-services/apps.yaml', 'namespaces.yaml', 'services/b.yaml'],
    );
    assert.deepEqual(
      plan.problems.map((p) => [p.resource, p.severity]),
      [
        ['EcsService/demo/zz', 'failed'],
        ['CloudMapNamespace/nope', 'failed'],
      ],
    );
  });

  it('renders minimal YAML: defaults gone, the task definition inline, no ARN reference, adopt set, modeline first; validate accepts it', () => {
    const result = renderImport(liveSet(ecs('web')), SELECTION, () => '../crds/manifest.schema.json');
    assert.deepEqual(result.errors, []);
    assert.equal(
      result.files[0]?.content,
      [
        '# yaml-language-server: $schema=../crds/manifest.schema.json',
        'apiVersion: ecs-gitops.io/v1alpha1',
        'kind: EcsService',
        'metadata:',
        '  name: web',
        'spec:',
        '  cluster: demo',
        '  taskDefinition:',
        '    family: web',
        '    cpu: "256"',
        '    memory: "512"',
        '    requiresCompatibilities:',
        '      - FARGATE',
        '    containers:',
        '      - name: web',
        '        image: web:1',
        '  desiredCount: 1',
        '  launchType: FARGATE',
        '  networkConfiguration:',
        '    subnets:',
        '      - subnet-0a1b2c3d4e5f60718',
        '  syncPolicy:',
        '    adopt: true',
        '',
      ].join('\n'),
    );
  });
});
