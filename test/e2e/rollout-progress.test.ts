import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { get, metricValue, startTestController, waitFor, type LogLines } from '../run/helpers.js';
import type { RunningController } from '../../src/run/app.js';
import { condition, copyExample, edit, reconciles, resource, startShiftedSandbox, type ShiftedSandbox } from './rollout-helpers.js';

const KEY = 'EcsService/demo/checkout';
const MINUTE = 60_000;

describe('a rollout is not drift (examples/blue-green: BLUE_GREEN with bake time and Service Connect test traffic, controller, sandbox clock)', () => {
  let s: ShiftedSandbox;
  let running: RunningController | undefined;
  let logs: LogLines;
  before(async () => {
    s = await startShiftedSandbox();
  });
  after(async () => {
    await running?.stop(2_000);
    await s.stop();
  });

  it('the controller starts the manifest-declared BLUE_GREEN deployment, shows the stage, and starts no other one during the bake', async () => {
    const applied = await s.cli('apply', '--source', 'examples/blue-green', '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);

    // The controller on a copy with a new image: it registers the revision and calls
    // UpdateService once; ECS runs the blue/green deployment the manifest declares.
    const dir = await copyExample('blue-green');
    await edit(join(dir, 'checkout.yaml'), 'checkout:1.0.0', 'checkout:1.1.0');
    const atStart = await s.calls('ecs:UpdateService');
    ({ running, logs } = await startTestController(s.sandbox, ['--source', dir, '--resync', '1s', '--interval', '1s']));
    const r = running;
    await waitFor(async () => (await s.calls('ecs:UpdateService')) > atStart, 30_000, 'the controller deploys the new image');
    assert.equal(await s.calls('ecs:UpdateService'), atStart + 1, 'one deployment of the new image');
    const described = await s.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['checkout'] }));
    assert.match(described.services?.[0]?.taskDefinition ?? '', /task-definition\/checkout:2$/);

    // Through the stages on the sandbox clock (up, test traffic, production traffic) to the bake.
    for (let i = 0; i < 20 && resource(r, KEY)?.rollout?.stage !== 'BAKE_TIME'; i++) {
      await s.advance(5_000);
      await reconciles(logs, KEY, 1);
    }
    await waitFor(() => resource(r, KEY)?.rollout?.stage === 'BAKE_TIME', 30_000, 'Progressing at BAKE_TIME');
    const st = resource(r, KEY)!;
    assert.equal(st.syncStatus, 'Progressing');
    assert.equal(condition(r, KEY, 'Progressing'), 'True');
    assert.equal(condition(r, KEY, 'Drifted'), 'False');
    assert.equal(st.rollout?.strategy, 'BLUE_GREEN');
    assert.equal(st.rollout?.productionTrafficPercent, 100);
    const metrics = (await get(r, '/metrics')).body;
    assert.equal(metricValue(metrics, 'ecs_gitops_rollout_in_progress', { kind: 'EcsService', name: 'demo/checkout', stage: 'BAKE_TIME' }), 1);

    const cli = await s.cli('rollout', 'status', '--cluster', 'demo', '--service', 'checkout');
    assert.equal(cli.code, 0, `${cli.out}\n${cli.err}`);
    assert.match(cli.out, /IN_PROGRESS\s+BLUE_GREEN\s+BAKE_TIME\s+100%/);
    const json = await s.cli('rollout', 'status', '--cluster', 'demo', '--service', 'checkout', '--output', 'json');
    assert.equal((JSON.parse(json.out) as { deployments: { strategy: string }[] }).deployments[0]?.strategy, 'BLUE_GREEN');

    // 40 s of bake on the sandbox clock with 8 reconciles in between (what --resync 5s gives in
    // 40 s): the UpdateService counter rises by at most 1, and here not at all.
    const before = await s.calls('ecs:UpdateService');
    for (let i = 0; i < 4; i++) {
      await s.advance(10_000);
      await reconciles(logs, KEY, 2);
    }
    assert.ok((await s.calls('ecs:UpdateService')) <= before + 1);
    assert.equal(await s.calls('ecs:UpdateService'), before, 'the controller starts no deployment during the bake');
    assert.equal(resource(r, KEY)?.rollout?.stage, 'BAKE_TIME');

    await s.advance(10 * MINUTE);
    await waitFor(() => resource(r, KEY)?.syncStatus === 'Synced', 30_000, 'Synced once the bake is over');
    assert.equal(condition(r, KEY, 'Progressing'), 'False');
    assert.equal(
      metricValue((await get(r, '/metrics')).body, 'ecs_gitops_rollout_in_progress', { kind: 'EcsService', name: 'demo/checkout', stage: 'BAKE_TIME' }),
      undefined,
    );
    assert.equal(await s.calls('ecs:UpdateService'), before);
  });

  it('rollout continue/rollback/abort: usage errors exit 1, help lists the exit codes', async () => {
    const bad = await s.cli('rollout', 'nudge', '--cluster', 'demo', '--service', 'checkout');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /expected one action/);
    const missing = await s.cli('rollout', 'status', '--cluster', 'demo', '--service', 'nope');
    assert.equal(missing.code, 1);
    const idle = await s.cli('rollout', 'continue', '--cluster', 'demo', '--service', 'checkout');
    assert.equal(idle.code, 2, `${idle.out}\n${idle.err}`);
    const help = await s.cli('rollout', '--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /3 {2}refused: the service is not owned/);
  });
});
