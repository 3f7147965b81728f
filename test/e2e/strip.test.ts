// Never strip a setting on write: adopting a service whose task definition or service carries
// settings the manifest cannot express, then changing it, is blocked by plan and apply.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateServiceCommand, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { PlanJson } from '../../src/reconcile/render.js';
import { useExamplesCli } from '../helpers/examples.js';

const SUBNETS = ['subnet-0a1b2c3d4e5f60718'];

function manifest(name: string, image: string, extra: string): string {
  return `apiVersion: ecs-gitops.io/v1alpha1
kind: EcsService
metadata:
  name: ${name}
spec:
  cluster: demo
  taskDefinition:
    family: ${name}
    cpu: "256"
    memory: "512"
    requiresCompatibilities: [FARGATE]
    containers:
      - name: app
        image: ${image}
        portMappings:
          - containerPort: 8080
  networkConfiguration:
    subnets: [${SUBNETS.join(', ')}]
${extra}  syncPolicy:
    adopt: true
`;
}

describe('never strip a setting on write (CLI against the sandbox)', () => {
  const f = useExamplesCli();
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function source(text: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-strip-'));
    dirs.push(dir);
    await writeFile(join(dir, 'service.yaml'), text);
    return dir;
  }

  /** Successful ECS write calls since `since` (ms of the sandbox's clock), by operation. */
  function writesSince(since: number): string[] {
    return f.sandbox.world.calls
      .calls(since)
      .filter((c) => c.service === 'ecs' && c.outcome === 'ok' && !/^(Describe|List)/.test(c.operation))
      .map((c) => c.operation);
  }

  async function revisions(family: string): Promise<number> {
    const out = await f.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family }));
    return out.taskDefinitionArns?.length ?? 0;
  }

  it('blocks an image bump of an adopted service whose revision has an inference accelerator (not modelled); tag-only adoption goes through', async () => {
    const td = await f.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'arm-api',
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        inferenceAccelerators: [{ deviceName: 'eia', deviceType: 'eia2.medium' }],
        containerDefinitions: [
          {
            name: 'app',
            image: 'example/api:1.0',
            portMappings: [{ containerPort: 8080 }],
          },
        ],
      }),
    );
    await f.ecs.send(
      new CreateServiceCommand({
        cluster: 'demo',
        serviceName: 'arm-api',
        taskDefinition: td.taskDefinition!.taskDefinitionArn!,
        desiredCount: 1,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS } },
      }),
    );

    const bumped = await source(manifest('arm-api', 'example/api:1.1', ''));
    const plan = await f.cli('plan', '--source', bumped, '--no-discovery');
    assert.equal(plan.code, 2, `${plan.out}\n${plan.err}`);
    assert.match(plan.out, /^! blocked EcsService\/demo\/arm-api \(unexpressible-fields, would update \(redeploys\)\)$/m);
    assert.match(plan.out, /reason: live task definition has fields ecs-gitops cannot express: inferenceAccelerators$/m);
    const json = await f.cli('plan', '--source', bumped, '--no-discovery', '--output', 'json');
    const doc = JSON.parse(json.out) as PlanJson;
    assert.equal(doc.resources[0]?.blockedBy, 'unexpressible-fields');
    assert.deepEqual(doc.resources[0]?.unexpressedFields, ['taskDefinition.inferenceAccelerators']);

    const since = f.sandbox.world.now();
    const applied = await f.cli('apply', '--source', bumped, '--no-discovery', '--wait', '5s');
    assert.equal(applied.code, 2, `${applied.out}\n${applied.err}`);
    assert.deepEqual(writesSince(since), [], 'nothing is written: no revision, no UpdateService, no tags');
    assert.equal(await revisions('arm-api'), 1);

    // The same manifest without the bump only adds the owner tags: allowed.
    const same = await source(manifest('arm-api', 'example/api:1.0', ''));
    const adopt = await f.cli('apply', '--source', same, '--no-discovery', '--wait', '5s');
    assert.equal(adopt.code, 0, `${adopt.out}\n${adopt.err}`);
    assert.deepEqual([...new Set(writesSince(since))], ['TagResource']);
    assert.equal(await revisions('arm-api'), 1);

    // Owned now, the bump stays blocked.
    const again = await f.cli('apply', '--source', bumped, '--no-discovery', '--wait', '5s');
    assert.equal(again.code, 2, `${again.out}\n${again.err}`);
    assert.match(again.out, /ecs-gitops cannot express: inferenceAccelerators/);
    assert.equal(await revisions('arm-api'), 1);
  });

  it('blocks an UpdateService of a service with blue/green through VPC Lattice (placement, alarms and the BLUE_GREEN strategy are modelled)', async () => {
    const td = await f.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'placed',
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [{ name: 'app', image: 'example/api:1.0', portMappings: [{ containerPort: 8080 }] }],
      }),
    );
    await f.ecs.send(
      new CreateServiceCommand({
        cluster: 'demo',
        serviceName: 'placed',
        taskDefinition: td.taskDefinition!.taskDefinitionArn!,
        desiredCount: 1,
        launchType: 'EC2',
        networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS } },
        placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type =~ t3.*' }],
        deploymentConfiguration: { alarms: { alarmNames: ['placed-5xx'], enable: true, rollback: true }, strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 },
        vpcLatticeConfigurations: [
          {
            roleArn: 'arn:aws:iam::123456789012:role/ecsLatticeRole',
            targetGroupArn: 'arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0123456789abcdef0',
            portName: 'http',
            advancedConfiguration: { alternateTargetGroupArn: 'arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-0fedcba9876543210' },
          },
        ],
      }),
    );

    const scaled = await source(manifest('placed', 'example/api:1.0', '  launchType: EC2\n  desiredCount: 2\n'));
    // The service adopted by the test above is not in this source: --no-prune keeps it.
    const plan = await f.cli('plan', '--source', scaled, '--no-discovery', '--no-prune');
    assert.equal(plan.code, 2, `${plan.out}\n${plan.err}`);
    assert.match(plan.out, /^! blocked EcsService\/demo\/placed \(unexpressible-fields, would update\)$/m);
    assert.match(plan.out, /reason: live service has fields ecs-gitops cannot express: vpcLatticeConfigurations\[0\]\.advancedConfiguration$/m);

    const since = f.sandbox.world.now();
    const applied = await f.cli('apply', '--source', scaled, '--no-discovery', '--no-prune', '--wait', '5s');
    assert.equal(applied.code, 2, `${applied.out}\n${applied.err}`);
    assert.deepEqual(writesSince(since), []);
  });
});
