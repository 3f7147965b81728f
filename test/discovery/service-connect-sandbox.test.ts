// Discovery health on the Cloud Map services ECS Service Connect creates (examples/service-connect
// applied through the CLI): ECS registers one instance per task (instance id = task id), so an
// instance without a running task is reported as stale, on the ECS service, and never deregistered
// by ecs-gitops (ECS owns it).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { ListInstancesCommand, ListServicesCommand } from '@aws-sdk/client-servicediscovery';
import { createAwsClients, destroyAwsClients } from '../../src/aws/clients.js';
import { createDiscoveryChecker } from '../../src/discovery/checker.js';
import { StatusStore } from '../../src/controller/status.js';
import { createObserveCaches, observe } from '../../src/observe/index.js';
import { useExamplesCli } from '../helpers/examples.js';

const SC_KEY = 'CloudMapService/mesh/name';

describe('discovery health on Service Connect services (examples/service-connect, sandbox)', () => {
  const f = useExamplesCli();
  let scServiceId = '';

  before(async () => {
    const applied = await f.cli('apply', '--source', 'examples/service-connect', '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    await sleep(50); // tasks start 20 ms after apply (sandbox delay)
    const services = await f.sd.send(new ListServicesCommand({}));
    scServiceId = services.Services?.find((s) => s.Name === 'name')?.Id ?? '';
    assert.ok(scServiceId, 'ECS created the Cloud Map service name');
  });

  it('checks the ECS-created service against the running tasks and finds nothing wrong', async () => {
    const planned = await f.cli('plan', '--source', 'examples/service-connect', '--output', 'json');
    assert.equal(planned.code, 0, `${planned.out}\n${planned.err}`);
    const doc = JSON.parse(planned.out) as { discovery: { services: number; findings: unknown[] } };
    assert.equal(doc.discovery.services, 1, 'the Cloud Map service ECS created for sc-name is checked');
    assert.deepEqual(doc.discovery.findings, []);
  });

  it('reports an instance a stopped task left behind (on the ECS service), and never deregisters it, even with remediation on', async () => {
    const tasks = await f.ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'sc-name' }));
    const arn = tasks.taskArns![0]!;
    const id = arn.slice(arn.lastIndexOf('/') + 1);
    const stopped = f.sandbox.services.ecs.stopTask('demo', id, { leaveInstanceRegistered: true });
    assert.equal(stopped.leftRegistered.length, 1, 'the task had its Service Connect instance');
    await sleep(50); // the replacement starts and registers

    const text = await f.cli('plan', '--source', 'examples/service-connect');
    assert.equal(text.code, 0, `${text.out}\n${text.err}`);
    assert.match(
      text.out,
      new RegExp(
        `! StaleInstance ${SC_KEY}: .*instance ${id} \\(10\\.\\d+\\.\\d+\\.\\d+\\) is registered, but its task ${arn.replaceAll('/', '\\/')} is STOPPED.*ECS Service Connect owns the instance: reported, not deregistered`,
      ),
    );

    const cfg = f.sandbox.clientConfig();
    const clients = createAwsClients({ region: cfg.region, credentials: cfg.credentials, endpoints: { default: cfg.endpoint }, maxAttempts: 3 });
    try {
      const status = new StatusStore();
      const checker = createDiscoveryChecker({ clients, status, remediate: { enabled: true, graceMs: 0 } });
      const live = await observe(clients, { clusters: ['demo'] }, createObserveCaches());
      const report = await checker.check(live);
      assert.deepEqual(
        report.findings.map((x) => [x.key, x.reason, x.instanceId]),
        [[SC_KEY, 'StaleInstance', id]],
      );
      assert.deepEqual(report.remediations, [], 'ECS owns the instance: no DeregisterInstance');
      assert.equal(report.calls['servicediscovery:DeregisterInstance'], undefined);
      const left = await f.sd.send(new ListInstancesCommand({ ServiceId: scServiceId }));
      assert.ok(
        left.Instances?.some((i) => i.Id === id),
        'the stale instance is still registered',
      );
      // The finding lands on the ECS service; the ECS-created service gets no status entry of its own.
      const healthy = status.get('EcsService/demo/sc-name')?.conditions.find((c) => c.type === 'Healthy');
      assert.equal(healthy?.status, 'False');
      assert.equal(healthy?.reason, 'StaleInstance');
      assert.equal(status.get(SC_KEY), undefined);
    } finally {
      destroyAwsClients(clients);
    }
  });
});
