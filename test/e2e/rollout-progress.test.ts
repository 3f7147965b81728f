import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { get, metricValue, startTestController, waitFor, type LogLines } from '../run/helpers.js';
import type { RunningController } from '../../src/run/app.js';
import { condition, reconciles, resource, startShiftedSandbox, type ShiftedSandbox } from './rollout-helpers.js';

const KEY = 'EcsService/demo/web';
const MINUTE = 60_000;

function manifest(image: string): string {
  return `apiVersion: ecs-gitops.io/v1alpha1
kind: EcsService
metadata:
  name: web
spec:
  cluster: demo
  taskDefinition:
    family: web
    cpu: "256"
    memory: "512"
    networkMode: awsvpc
    requiresCompatibilities: [FARGATE]
    containers:
      - name: web
        image: ${image}
        portMappings:
          - containerPort: 8080
  desiredCount: 2
  launchType: FARGATE
  networkConfiguration:
    subnets: [subnet-0a1b2c3d4e5f60718]
`;
}

describe('a rollout is not drift (controller, BLUE_GREEN with bake time, sandbox clock)', () => {
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

  it('shows BLUE_GREEN and the stage while ECS bakes the new image, and starts no other deployment', async () => {
    const v1 = await mkdtemp(join(tmpdir(), 'ecs-gitops-web-'));
    await writeFile(join(v1, 'web.yaml'), manifest('registry.example/web:1'));
    const applied = await s.cli('apply', '--source', v1, '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);

    // The strategy and the new revision go in through the SDK (the manifest model does not
    // express BLUE_GREEN yet): ECS starts a blue/green deployment with a 2-minute bake.
    await s.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web', deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 2 } }));
    await s.advance(1_000);
    const td = await s.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [{ name: 'web', image: 'registry.example/web:2', portMappings: [{ containerPort: 8080 }] }],
      }),
    );
    await s.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web', taskDefinition: td.taskDefinition!.taskDefinitionArn! }));
    await s.advance(1_000);

    // The controller on a copy with the new image.
    const v2 = await mkdtemp(join(tmpdir(), 'ecs-gitops-web-'));
    await writeFile(join(v2, 'web.yaml'), manifest('registry.example/web:2'));
    ({ running, logs } = await startTestController(s.sandbox, ['--source', v2, '--resync', '1s', '--interval', '1s']));
    const r = running;
    await waitFor(() => resource(r, KEY)?.rollout?.stage === 'BAKE_TIME', 30_000, 'Progressing at BAKE_TIME');
    const st = resource(r, KEY)!;
    assert.equal(st.syncStatus, 'Progressing');
    assert.equal(condition(r, KEY, 'Progressing'), 'True');
    assert.equal(condition(r, KEY, 'Drifted'), 'False');
    assert.equal(st.rollout?.strategy, 'BLUE_GREEN');
    assert.equal(st.rollout?.productionTrafficPercent, 100);
    const metrics = (await get(r, '/metrics')).body;
    assert.equal(metricValue(metrics, 'ecs_gitops_rollout_in_progress', { kind: 'EcsService', name: 'demo/web', stage: 'BAKE_TIME' }), 1);

    const cli = await s.cli('rollout', 'status', '--cluster', 'demo', '--service', 'web');
    assert.equal(cli.code, 0, `${cli.out}\n${cli.err}`);
    assert.match(cli.out, /IN_PROGRESS\s+BLUE_GREEN\s+BAKE_TIME\s+100%/);
    const json = await s.cli('rollout', 'status', '--cluster', 'demo', '--service', 'web', '--output', 'json');
    assert.equal((JSON.parse(json.out) as { deployments: { strategy: string }[] }).deployments[0]?.strategy, 'BLUE_GREEN');

    // 40 s of bake on the sandbox clock, with reconciles in between: at most one UpdateService.
    const before = await s.calls('ecs:UpdateService');
    for (let i = 0; i < 4; i++) {
      await s.advance(10_000);
      await reconciles(logs, KEY, 2);
    }
    assert.ok((await s.calls('ecs:UpdateService')) <= before + 1);
    assert.equal(await s.calls('ecs:UpdateService'), before, 'the controller starts no deployment during the bake');
    assert.equal(resource(r, KEY)?.rollout?.stage, 'BAKE_TIME');

    await s.advance(2 * MINUTE);
    await waitFor(() => resource(r, KEY)?.syncStatus === 'Synced', 30_000, 'Synced once the bake is over');
    assert.equal(condition(r, KEY, 'Progressing'), 'False');
    assert.equal(
      metricValue((await get(r, '/metrics')).body, 'ecs_gitops_rollout_in_progress', { kind: 'EcsService', name: 'demo/web', stage: 'BAKE_TIME' }),
      undefined,
    );
    assert.equal(await s.calls('ecs:UpdateService'), before);
  });

  it('rollout continue/rollback/abort: usage errors exit 1, help lists the exit codes', async () => {
    const bad = await s.cli('rollout', 'nudge', '--cluster', 'demo', '--service', 'web');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /expected one action/);
    const missing = await s.cli('rollout', 'status', '--cluster', 'demo', '--service', 'nope');
    assert.equal(missing.code, 1);
    const idle = await s.cli('rollout', 'continue', '--cluster', 'demo', '--service', 'web');
    assert.equal(idle.code, 2, `${idle.out}\n${idle.err}`);
    const help = await s.cli('rollout', '--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /3 {2}refused: the service is not owned/);
  });
});
