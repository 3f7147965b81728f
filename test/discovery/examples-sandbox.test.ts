import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { useExamplesCli } from '../helpers/examples.js';

describe('discovery health on the applied examples through the CLI (sandbox)', () => {
  const f = useExamplesCli();

  before(async () => {
    const applied = await f.cli('apply', '--source', 'examples', '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    await sleep(50); // tasks start 20 ms after apply (sandbox delay)
  });

  it('plan finds nothing wrong with the examples as applied', async () => {
    const planned = await f.cli('plan', '--source', 'examples');
    assert.equal(planned.code, 0, `${planned.out}\n${planned.err}`);
    assert.match(planned.out, /^ {2}ok: \d+ service\(s\) checked, no findings$/m);
    assert.doesNotMatch(planned.err, /discovery/);
  });

  it('after a task of name stops and leaves its instance behind, plan names the instance, its IP and task, and keeps exit 0', async () => {
    const tasks = await f.ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'name' }));
    const arn = tasks.taskArns![0]!;
    const id = arn.slice(arn.lastIndexOf('/') + 1);
    f.sandbox.services.ecs.stopTask('demo', id, { leaveInstanceRegistered: true });
    await sleep(50); // the replacement starts and registers

    const text = await f.cli('plan', '--source', 'examples');
    assert.equal(text.code, 0, `${text.out}\n${text.err}`);
    assert.match(
      text.out,
      new RegExp(
        `! StaleInstance CloudMapService/internal/name: .*instance ${id} \\(10\\.\\d+\\.\\d+\\.\\d+\\) is registered, but its task ${arn.replaceAll('/', '\\/')} is STOPPED`,
      ),
    );

    const json = await f.cli('plan', '--source', 'examples', '--output', 'json');
    const doc = JSON.parse(json.out) as { discovery: { findings: { reason: string; instanceId?: string; taskArn?: string; ip?: string }[] } };
    assert.deepEqual(
      doc.discovery.findings.map((f) => [f.reason, f.instanceId, f.taskArn]),
      [['StaleInstance', id, arn]],
    );
    assert.match(doc.discovery.findings[0]!.ip ?? '', /^10\./);
  });
});
