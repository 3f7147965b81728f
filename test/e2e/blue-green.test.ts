// examples/blue-green through the CLI against the sandbox: a BLUE_GREEN service with a bake
// time converges, the next plan is clean, a new image goes out as an ECS blue/green service
// deployment, and AWS's strategy rules fail validate with file:line, field and code.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand, ListServiceDeploymentsCommand, DescribeServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { runCli, useExamplesCli } from '../helpers/examples.js';

const EXAMPLE = 'examples/blue-green/checkout.yaml';

describe('examples/blue-green (CLI against the sandbox)', () => {
  const f = useExamplesCli();
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  /** A source directory holding the example with `edit` applied to its text. */
  async function variant(edit: (text: string) => string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'ecs-gitops-blue-green-'));
    dirs.push(dir);
    await writeFile(join(dir, 'checkout.yaml'), edit(await readFile(EXAMPLE, 'utf8')));
    return dir;
  }

  it('apply --source examples/blue-green exits 0, ECS has the strategy and bake time, and plan then exits 0', async () => {
    const applied = await f.cli('apply', '--source', 'examples/blue-green', '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    assert.match(applied.out, /ok\s+create\s+EcsService\/demo\/checkout/);

    const described = await f.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['checkout'] }));
    const svc = described.services?.[0];
    assert.equal(svc?.deploymentConfiguration?.strategy, 'BLUE_GREEN');
    assert.equal(svc?.deploymentConfiguration?.bakeTimeInMinutes, 10);
    assert.match(svc?.loadBalancers?.[0]?.advancedConfiguration?.alternateTargetGroupArn ?? '', /targetgroup\/checkout-green\//);

    const planned = await f.cli('plan', '--source', 'examples/blue-green');
    assert.equal(planned.code, 0, `${planned.out}\n${planned.err}`);
    assert.match(planned.out, /No changes/);
  });

  it('a new image is rolled out by ECS as a BLUE_GREEN service deployment', async () => {
    const dir = await variant((t) => t.replace('checkout:1.0.0', 'checkout:1.1.0'));
    const plan = await f.cli('plan', '--source', dir);
    assert.equal(plan.code, 2, `${plan.out}\n${plan.err}`);
    assert.match(
      plan.out,
      /image: "[^"]*checkout:1\.0\.0" -> "[^"]*checkout:1\.1\.0" {2}\(redeploy: a new task definition revision is deployed; ECS rolls it out BLUE_GREEN \(bake 10 min\)\)/,
    );
    const applied = await f.cli('apply', '--source', dir, '--wait', '0s');
    assert.notEqual(applied.code, 1, `${applied.out}\n${applied.err}`);
    const listed = await f.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'demo', service: 'checkout' }));
    const newest = listed.serviceDeployments?.[0]?.serviceDeploymentArn;
    assert.ok(newest, 'ECS lists the new service deployment');
    const d = await f.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [newest] }));
    assert.equal(d.serviceDeployments?.[0]?.deploymentConfiguration?.strategy, 'BLUE_GREEN');
  });

  it('validate names file:line, field and code of a load balancer without advancedConfiguration under BLUE_GREEN', async () => {
    const dir = await variant((t) => t.replace(/ {6}advancedConfiguration:\n(?: {8}.*\n)+/, ''));
    const checked = await runCli(['validate', dir], {});
    assert.equal(checked.code, 1, `${checked.out}\n${checked.err}`);
    assert.match(
      checked.out,
      /checkout\.yaml:30:7 EcsService\/checkout spec\.loadBalancers\[0\]\.advancedConfiguration: the BLUE_GREEN strategy needs advancedConfiguration .*\[EGO_ADVANCED_CONFIGURATION_REQUIRED\]/,
    );
  });

  it('validate refuses BLUE_GREEN under the CODE_DEPLOY controller, naming the strategy', async () => {
    const dir = await variant((t) =>
      t.replace('  healthCheckGracePeriodSeconds: 30\n', '  healthCheckGracePeriodSeconds: 30\n  deploymentController:\n    type: CODE_DEPLOY\n'),
    );
    const checked = await runCli(['validate', dir], {});
    assert.equal(checked.code, 1, `${checked.out}\n${checked.err}`);
    assert.match(
      checked.out,
      /checkout\.yaml:\d+:\d+ EcsService\/checkout spec\.deploymentConfiguration\.strategy: the BLUE_GREEN strategy needs deploymentController ECS \(got CODE_DEPLOY\) \[EGO_STRATEGY_CONTROLLER\]/,
    );
  });
});
