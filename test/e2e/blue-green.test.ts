// examples/blue-green through the CLI against the sandbox: a BLUE_GREEN service with a bake
// time and Service Connect test traffic converges, the next plan is clean, a new image goes out as an ECS blue/green service
// deployment, and AWS's strategy rules fail validate with file:line, field and code.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand, ListServiceDeploymentsCommand, DescribeServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { runCli, useExamplesCli } from '../helpers/examples.js';

const EXAMPLE = 'examples/blue-green/checkout.yaml';
const NAMESPACE = 'examples/blue-green/namespace.yaml';

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
    await writeFile(join(dir, 'namespace.yaml'), await readFile(NAMESPACE, 'utf8'));
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
    const sc = svc?.deployments?.[0]?.serviceConnectConfiguration;
    assert.equal(sc?.enabled, true);
    assert.deepEqual(sc?.services?.[0]?.clientAliases?.[0]?.testTrafficRules, { header: { name: 'x-checkout-test', value: { exact: 'green' } } });
    assert.equal(svc?.deployments?.[0]?.serviceConnectResources?.[0]?.discoveryName, 'checkout');

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

  it('validate names file:line, field and code of LINEAR without Service Connect or a load balancer', async () => {
    const dir = await variant((t) => t.replace('strategy: BLUE_GREEN', 'strategy: LINEAR').replace(/ {2}serviceConnect:\n(?: {4}.*\n)+/, ''));
    const checked = await runCli(['validate', dir], {});
    assert.equal(checked.code, 1, `${checked.out}\n${checked.err}`);
    assert.match(
      checked.out,
      /checkout\.yaml:\d+:\d+ EcsService\/checkout spec\.deploymentConfiguration\.strategy: the LINEAR strategy shifts traffic in steps: it needs a load balancer with advancedConfiguration or Service Connect \[EGO_TRAFFIC_SHIFT_REQUIRED\]/,
    );
  });

  it('validate warns (exit 0) about testTrafficRules under ROLLING, naming file:line of the alias rules', async () => {
    const dir = await variant((t) => t.replace('    strategy: BLUE_GREEN\n', '    strategy: ROLLING\n').replace(/ {4}bakeTimeInMinutes: 10\n/, ''));
    const checked = await runCli(['validate', dir], {});
    assert.equal(checked.code, 0, `${checked.out}\n${checked.err}`);
    assert.match(
      checked.out,
      /checkout\.yaml:41:13 EcsService\/checkout spec\.serviceConnect\.services\[0\]\.clientAliases\[0\]\.testTrafficRules: warning: testTrafficRules route test traffic only during BLUE_GREEN, LINEAR and CANARY deployments \(strategy is ROLLING\) \[EGO_STRATEGY_SETTING_UNUSED\]/,
    );
  });

  it('validate refuses BLUE_GREEN under the CODE_DEPLOY controller, naming the strategy', async () => {
    const dir = await variant((t) => t.replace('  deploymentConfiguration:\n', '  deploymentController:\n    type: CODE_DEPLOY\n  deploymentConfiguration:\n'));
    const checked = await runCli(['validate', dir], {});
    assert.equal(checked.code, 1, `${checked.out}\n${checked.err}`);
    assert.match(
      checked.out,
      /checkout\.yaml:\d+:\d+ EcsService\/checkout spec\.deploymentConfiguration\.strategy: the BLUE_GREEN strategy needs deploymentController ECS \(got CODE_DEPLOY\) \[EGO_STRATEGY_CONTROLLER\]/,
    );
  });
});
