import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROLLER_OPTIONS, parseListen } from '../../src/config/controller-config.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { gitAuthFromEnv } from '../../src/sources/git/auth.js';
import { parseDuration } from '../../src/util/duration.js';
import { isValidFargateSize } from '../../src/util/fargate.js';
import {
  allConditions,
  allowedActions,
  codeCalls,
  conditionNames,
  decide,
  isObject,
  loadTemplate,
  obj,
  roleStatements,
  type Json,
  type JsonObject,
  type Statement,
} from './template-model.js';

/**
 * Actions the controller never calls itself but AWS Cloud Map performs with the caller's
 * permissions (Cloud Map API permissions reference), keyed to the Cloud Map calls that need
 * them. Each is allowed only because the code makes one of those calls.
 */
const CLOUD_MAP_ON_BEHALF: Readonly<Record<string, readonly string[]>> = {
  'route53:CreateHostedZone': ['servicediscovery:CreatePrivateDnsNamespace', 'servicediscovery:CreatePublicDnsNamespace'],
  'route53:ListHostedZonesByName': ['servicediscovery:CreatePrivateDnsNamespace', 'servicediscovery:CreatePublicDnsNamespace'],
  'ec2:DescribeVpcs': ['servicediscovery:CreatePrivateDnsNamespace'],
  'ec2:DescribeRegions': ['servicediscovery:CreatePrivateDnsNamespace'],
  'route53:DeleteHostedZone': ['servicediscovery:DeleteNamespace'],
  'route53:ChangeResourceRecordSets': [
    'servicediscovery:UpdateService',
    'servicediscovery:DeregisterInstance',
    'servicediscovery:UpdatePrivateDnsNamespace',
    'servicediscovery:UpdatePublicDnsNamespace',
  ],
  'route53:CreateHealthCheck': ['servicediscovery:UpdateService'],
  'route53:GetHealthCheck': ['servicediscovery:UpdateService', 'servicediscovery:DeregisterInstance'],
  'route53:UpdateHealthCheck': ['servicediscovery:UpdateService', 'servicediscovery:DeregisterInstance'],
  'route53:DeleteHealthCheck': ['servicediscovery:UpdateService', 'servicediscovery:DeregisterInstance'],
};

/** Each conditional grant: the condition that turns it on and the actions it adds. */
const CONDITIONAL_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  UseS3Source: ['s3:ListBucket', 's3:GetObject'],
  RemediationEnabled: ['servicediscovery:DeregisterInstance'],
  EventsEnabled: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
  LeaseEnabled: ['dynamodb:DescribeTable', 'dynamodb:CreateTable', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
  ManageDnsNamespaces: Object.keys(CLOUD_MAP_ON_BEHALF),
};

const OWNER_TAG = 'ecs-gitops.io/controller';
const READ_ONLY = /^(Get|List|Describe|Discover)/;

const template = loadTemplate();
const resources = obj(template['Resources'], 'Resources');
const ON = allConditions(template, true);
const OFF = allConditions(template, false);
const calls = codeCalls();

function taskRole(conditions: Readonly<Record<string, boolean>>): Statement[] {
  return roleStatements(template, 'TaskRole', conditions);
}

function container(conditions: Readonly<Record<string, boolean>>): JsonObject {
  const td = obj(decide(resources['TaskDefinition'] ?? null, conditions), 'TaskDefinition');
  const defs = obj(td['Properties'], 'TaskDefinition.Properties')['ContainerDefinitions'];
  assert.ok(Array.isArray(defs) && defs.length === 1, 'one container');
  return obj(defs[0], 'container');
}

function names(list: Json | undefined): string[] {
  return Array.isArray(list) ? list.map((e) => String(obj(e, 'name/value')['Name'])) : [];
}

/** Every mapping under `node` with its path, for reference checks. */
function* walk(node: Json, path = ''): Generator<[string, JsonObject]> {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) yield* walk(n, `${path}[${i}]`);
  } else if (isObject(node)) {
    yield [path, node];
    for (const [k, v] of Object.entries(node)) yield* walk(v, `${path}.${k}`);
  }
}

describe('deployment template (examples/deploy/ecs-gitops.yaml)', () => {
  it('finds the AWS calls of the code (sanity check of the scan itself)', () => {
    // If these disappear the scan is broken, not the code.
    for (const a of ['ecs:CreateService', 'ecs:DescribeServices', 'servicediscovery:ListNamespaces', 'route53:GetHostedZone', 's3:GetObject']) {
      assert.ok(calls.has(a), `expected the scan to find ${a}`);
    }
    assert.ok(calls.size >= 25, `only ${calls.size} actions found`);
  });

  it('allows every AWS action the code calls (with an S3 source, DNS namespaces and remediation turned on)', () => {
    const allowed = allowedActions(taskRole(ON));
    const missing = [...calls.values()].filter((c) => !allowed.has(c.action)).map((c) => `${c.action} (${c.files.join(', ')})`);
    assert.deepEqual(missing, [], `the task role lacks actions the code calls`);
  });

  it("allows nothing the code never calls, except what Cloud Map does with the caller's permissions for calls the code makes; no wildcards", () => {
    const statements = taskRole(ON);
    for (const s of statements) {
      assert.equal(s.effect, 'Allow', `${s.sid}: only Allow statements`);
      for (const a of s.actions) assert.ok(!a.includes('*'), `${s.sid}: wildcard action ${a}`);
    }
    const extra = [...allowedActions(statements)].filter((a) => !calls.has(a) && a !== 'iam:PassRole');
    for (const a of extra) {
      const needs = CLOUD_MAP_ON_BEHALF[a];
      assert.ok(needs, `${a} is allowed but the code never calls it`);
      assert.ok(
        needs.some((n) => calls.has(n)),
        `${a} is only needed for ${needs.join(', ')}, which the code never calls`,
      );
    }
  });

  it('leaves out the S3, remediation and Cloud Map DNS grants when their conditions are off', () => {
    const off = allowedActions(taskRole(OFF));
    for (const [condition, actions] of Object.entries(CONDITIONAL_ACTIONS)) {
      assert.ok(conditionNames(template).includes(condition), `condition ${condition} exists`);
      for (const a of actions) assert.ok(!off.has(a), `${a} granted although ${condition} is false`);
    }
    for (const a of ['route53:GetHostedZone', 'route53:ListResourceRecordSets', 'ecs:CreateService', 'servicediscovery:CreateService']) {
      assert.ok(off.has(a), `${a} must not depend on a condition`);
    }
  });

  it('keeps Route 53 read-only for the controller; Route 53 writes only in the conditional statements for Cloud Map', () => {
    for (const a of [...calls.keys()].filter((k) => k.startsWith('route53:'))) assert.match(a.split(':')[1]!, READ_ONLY, `the code writes Route 53: ${a}`);
    const off = taskRole({ ...ON, ManageDnsNamespaces: false })
      .flatMap((s) => s.actions)
      .filter((a) => a.startsWith('route53:'));
    assert.ok(off.length > 0);
    for (const a of off) assert.match(a.split(':')[1]!, READ_ONLY, `${a} granted without ManageDnsNamespaces`);
    for (const s of taskRole(ON)) {
      const writes = s.actions.filter((a) => a.startsWith('route53:') && !READ_ONLY.test(a.split(':')[1]!));
      if (writes.length > 0) assert.match(s.sid, /OnCallersBehalf$/, `${s.sid} writes Route 53 (${writes.join(', ')})`);
    }
  });

  it('passes only the listed roles, only to ECS tasks', () => {
    const passes = taskRole(ON).filter((s) => s.actions.includes('iam:PassRole'));
    assert.equal(passes.length, 1);
    const [p] = passes;
    assert.deepEqual(p!.resources, [{ Ref: 'PassRoleArns' }]);
    assert.deepEqual(p!.condition, { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    assert.ok(!('Default' in obj(obj(template['Parameters'], 'Parameters')['PassRoleArns'], 'PassRoleArns')), 'PassRoleArns has no default');
  });

  it('limits ECS and Cloud Map changes to resources with the owner tag unless adoption is allowed, and creates to requests carrying it', () => {
    const ownerTag = `aws:ResourceTag/${OWNER_TAG}`;
    const requestTag = `aws:RequestTag/${OWNER_TAG}`;
    const changes = /^(ecs|servicediscovery):(Update|Delete|Untag)/;
    const creates = /^(ecs|servicediscovery):(Create|RegisterTaskDefinition)/;
    const strict = taskRole({ ...ON, AdoptionAllowed: false });
    let checked = 0;
    for (const s of strict) {
      const cond = JSON.stringify(s.condition ?? {});
      if (s.actions.some((a) => changes.test(a) && a !== 'servicediscovery:DeregisterInstance')) {
        assert.ok(cond.includes(ownerTag) && cond.includes('"Ref":"ControllerId"'), `${s.sid} changes resources without the owner tag condition`);
        checked++;
      }
      if (s.actions.some((a) => creates.test(a))) {
        assert.ok(cond.includes(requestTag), `${s.sid} creates without requiring the owner tag`);
        checked++;
      }
    }
    assert.ok(checked >= 6, `only ${checked} statements checked`);
    const adopting = taskRole({ ...ON, AdoptionAllowed: true });
    assert.ok(adopting.some((s) => s.actions.includes('ecs:UpdateService') && !JSON.stringify(s.condition ?? {}).includes(ownerTag)));
  });

  it('scopes ECS service and task calls to the managed clusters', () => {
    const scoped = [
      'ecs:ListServices',
      'ecs:ListTasks',
      'ecs:DescribeServices',
      'ecs:DescribeTasks',
      'ecs:CreateService',
      'ecs:UpdateService',
      'ecs:DeleteService',
    ];
    for (const adoption of [false, true]) {
      for (const s of taskRole({ ...ON, AdoptionAllowed: adoption }).filter((st) => st.actions.some((a) => scoped.includes(a)))) {
        assert.deepEqual(obj(s.condition?.['ArnEquals'], `${s.sid} ArnEquals`)['ecs:cluster'], { Ref: 'ManagedClusterArns' }, s.sid);
      }
    }
  });

  it('gives the execution role only image pull, its log group and the two secrets', () => {
    const statements = roleStatements(template, 'ExecutionRole', ON);
    const actions = [...allowedActions(statements)].sort();
    assert.deepEqual(actions, [
      'ecr:BatchCheckLayerAvailability',
      'ecr:BatchGetImage',
      'ecr:GetAuthorizationToken',
      'ecr:GetDownloadUrlForLayer',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
    ]);
    const secrets = statements.find((s) => s.actions.includes('secretsmanager:GetSecretValue'));
    assert.deepEqual(secrets?.resources, [{ Ref: 'GitTokenSecretArn' }, { Ref: 'WebhookSecretArn' }]);
    const none = roleStatements(template, 'ExecutionRole', { ...ON, HasAnySecret: false, HasGitToken: false, HasWebhookSecret: false });
    assert.ok(!allowedActions(none).has('secretsmanager:GetSecretValue'));
  });

  it("runs the container as the image's non-root user, without capabilities", () => {
    const dockerfile = readFileSync(join(PACKAGE_ROOT, 'Dockerfile'), 'utf8');
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    assert.ok(users.length > 0, 'the Dockerfile sets a USER');
    assert.ok(!['root', '0', '0:0'].includes(users.at(-1)!), `final image user ${users.at(-1)}`);
    const c = container(ON);
    assert.ok(typeof c['User'] === 'string' && !/^(root|0)(:|$)/.test(c['User']), `container user ${String(c['User'])}`);
    assert.deepEqual(obj(obj(c['LinuxParameters'], 'LinuxParameters')['Capabilities'], 'Capabilities')['Drop'], ['ALL']);
  });

  it('builds the image from a base pinned by digest, and builds only the product (no development sandbox)', () => {
    const dockerfile = readFileSync(join(PACKAGE_ROOT, 'Dockerfile'), 'utf8');
    const args = new Map([...dockerfile.matchAll(/^ARG\s+(\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]!.replace(/^\$\{(\w+)\}$/, (_, name: string) => args.get(name) ?? name));
    assert.ok(bases.length >= 2, 'a build and a runtime stage');
    for (const base of bases) assert.match(base, /^[\w.\/-]+:[\w.-]+@sha256:[0-9a-f]{64}$/, `FROM ${base} is not pinned by digest`);
    assert.match(dockerfile, /^RUN npm run build:product$/m);
    assert.match(readFileSync(join(PACKAGE_ROOT, '.dockerignore'), 'utf8'), /^packages$/m, 'the sandbox package stays out of the build context');
  });

  it('exposes the default --listen port, which the Dockerfile exposes and the health check probes', () => {
    const listen = CONTROLLER_OPTIONS.find((o) => o.name === 'listen')?.default;
    const port = parseListen(listen!).port;
    const c = container(ON);
    const mappings = c['PortMappings'];
    assert.ok(Array.isArray(mappings) && mappings.length === 1);
    assert.equal(obj(mappings[0], 'port mapping')['ContainerPort'], port);
    assert.ok(!names(c['Environment']).includes('ECS_GITOPS_LISTEN'), 'the template relies on the default --listen');
    const dockerfile = readFileSync(join(PACKAGE_ROOT, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, new RegExp(`^EXPOSE ${port}$`, 'm'));
    const command = obj(c['HealthCheck'], 'HealthCheck')['Command'];
    assert.ok(Array.isArray(command));
    assert.equal(command[0], 'CMD-SHELL');
    assert.match(String(command[1]), new RegExp(`^node -e .*http://127\\.0\\.0\\.1:${port}/healthz`));
  });

  it('passes the secrets under the environment names the code reads, from Secrets Manager only', () => {
    const c = container(ON);
    assert.deepEqual(names(c['Secrets']).sort(), ['ECS_GITOPS_GIT_TOKEN', 'ECS_GITOPS_WEBHOOK_SECRET']);
    assert.equal(CONTROLLER_OPTIONS.find((o) => o.name === 'webhook-secret')?.env, 'ECS_GITOPS_WEBHOOK_SECRET');
    assert.equal(gitAuthFromEnv({ ECS_GITOPS_GIT_TOKEN: 't0k' }).token, 't0k');
    const known = new Set([...CONTROLLER_OPTIONS.map((o) => o.env), 'AWS_REGION']);
    for (const n of names(c['Environment'])) {
      assert.ok(known.has(n), `unknown environment variable ${n}`);
      assert.ok(!/SECRET|TOKEN|PASSWORD/.test(n), `${n} looks like a secret in plain environment`);
    }
    assert.deepEqual(names(container(OFF)['Secrets']), []);
  });

  it('stops within the ECS stop timeout; 0.25 vCPU / 512 MiB tasks; never two writers: stop-first without the lease, more tasks only with it', () => {
    const c = container(ON);
    const grace = parseDuration(CONTROLLER_OPTIONS.find((o) => o.name === 'shutdown-grace')!.default!);
    assert.equal(c['StopTimeout'], 30);
    assert.ok(grace < 30_000, 'the default shutdown grace fits in the stop timeout');
    const td = obj(obj(resources['TaskDefinition'], 'TaskDefinition')['Properties'], 'TaskDefinition.Properties');
    assert.ok(isValidFargateSize(Number(td['Cpu']), Number(td['Memory'])));
    assert.deepEqual([td['Cpu'], td['Memory']], ['256', '512']);
    const params = obj(template['Parameters'], 'Parameters');
    assert.equal(obj(params['DesiredCount'], 'DesiredCount')['Default'], 1);
    assert.equal(obj(params['WriterLease'], 'WriterLease')['Default'], 'true');
    // Without the lease: the old task stops before the new one starts.
    const off = obj(obj(decide(resources['Service'] ?? null, { ...ON, LeaseEnabled: false }), 'Service')['Properties'], 'Service.Properties');
    const offDc = obj(off['DeploymentConfiguration'], 'DeploymentConfiguration');
    assert.deepEqual([offDc['MinimumHealthyPercent'], offDc['MaximumPercent']], [0, 100]);
    assert.deepEqual(off['DesiredCount'], { Ref: 'DesiredCount' });
    // With it: start-first (the new task stands by until the old one releases the lease).
    const on = obj(obj(decide(resources['Service'] ?? null, { ...ON, LeaseEnabled: true }), 'Service')['Properties'], 'Service.Properties');
    const onDc = obj(on['DeploymentConfiguration'], 'DeploymentConfiguration');
    assert.deepEqual([onDc['MinimumHealthyPercent'], onDc['MaximumPercent']], [100, 200]);
    // A rule refuses DesiredCount > 1 without the lease.
    const rule = JSON.stringify(obj(obj(template['Rules'], 'Rules')['StandbysNeedTheLease'], 'StandbysNeedTheLease'));
    assert.match(rule, /WriterLease/);
    assert.match(rule, /DesiredCount/);
    // The lease table is passed to the container only with the lease.
    assert.ok(names(container({ ...ON, LeaseEnabled: true })['Environment']).includes('ECS_GITOPS_LEASE_TABLE'));
    assert.ok(!names(container({ ...ON, LeaseEnabled: false })['Environment']).includes('ECS_GITOPS_LEASE_TABLE'));
  });

  it('references only declared parameters, resources and conditions', () => {
    const declared = new Set([
      ...Object.keys(obj(template['Parameters'], 'Parameters')),
      ...Object.keys(resources),
      'AWS::AccountId',
      'AWS::Region',
      'AWS::Partition',
      'AWS::StackName',
      'AWS::NoValue',
    ]);
    const conditions = new Set(conditionNames(template));
    const problems: string[] = [];
    for (const [path, node] of walk(template as Json)) {
      const ref = node['Ref'];
      if (typeof ref === 'string' && !declared.has(ref)) problems.push(`${path}: Ref ${ref}`);
      const att = node['Fn::GetAtt'];
      if (Array.isArray(att) && !declared.has(String(att[0]))) problems.push(`${path}: GetAtt ${String(att[0])}`);
      const cond = node['Condition'];
      if (typeof cond === 'string' && !conditions.has(cond)) problems.push(`${path}: Condition ${cond}`);
      const fnIf = node['Fn::If'];
      if (Array.isArray(fnIf) && !conditions.has(String(fnIf[0]))) problems.push(`${path}: Fn::If ${String(fnIf[0])}`);
      const sub = node['Fn::Sub'];
      const subText = typeof sub === 'string' ? sub : Array.isArray(sub) ? String(sub[0]) : undefined;
      for (const m of subText?.matchAll(/\$\{([^}!]+)\}/g) ?? []) {
        const name = m[1]!.split('.')[0]!;
        if (!declared.has(name)) problems.push(`${path}: Fn::Sub \${${m[1]}}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
