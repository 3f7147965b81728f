import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { ListInstancesCommand, ListServicesCommand, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { RunningController } from '../../src/run/app.js';
import type { SandboxHandle } from '@ecs-gitops/sandbox';
import { copyExamples, get, metricValue, nameYamlWithTtl, startExampleSandbox, startTestController, waitConverged, waitFor } from './helpers.js';

describe('ecs-gitops run with --remediate-stale-instances (sandbox)', () => {
  let sandbox: SandboxHandle;
  let source: string;

  before(async () => {
    sandbox = await startExampleSandbox();
    // A TTL of 1 s keeps "stopped longer than TTL + grace" short enough for a test.
    source = await copyExamples();
    const file = join(source, 'hello-name', 'name.yaml');
    await writeFile(file, nameYamlWithTtl(await readFile(file, 'utf8'), 1));
  });
  after(async () => {
    await sandbox.stop();
    await rm(source, { recursive: true, force: true });
  });

  it('reports a stale instance with its IP and task, then deregisters it after TTL + grace', async () => {
    let running: RunningController | undefined;
    const ecs = new ECSClient(sandbox.clientConfig());
    const sd = new ServiceDiscoveryClient(sandbox.clientConfig());
    try {
      ({ running } = await startTestController(sandbox, [
        '--source',
        source,
        '--health-interval',
        '1s',
        '--remediate-stale-instances',
        '--remediate-grace',
        '1s',
      ]));
      await waitConverged(running);
      const tasks = await waitFor(
        async () => {
          const out = await ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'name' }));
          return (out.taskArns?.length ?? 0) > 0 && out.taskArns;
        },
        10_000,
        'a running task of "name"',
      );
      const taskArn = tasks[0]!;
      const stopped = sandbox.services.ecs.stopTask('demo', taskArn, { leaveInstanceRegistered: true });
      const instanceId = stopped.leftRegistered[0]?.instanceId;
      assert.ok(instanceId, 'the sandbox left the instance registered');

      const finding = await waitFor(
        async () => {
          const status = JSON.parse((await get(running!, '/status')).body) as { discovery?: { findings: { reason: string; taskArn?: string; ip?: string }[] } };
          return status.discovery?.findings.find((f) => f.reason === 'StaleInstance');
        },
        10_000,
        'the StaleInstance finding in /status',
      );
      assert.equal(finding.taskArn, taskArn);
      assert.match(finding.ip ?? '', /^\d+\.\d+\.\d+\.\d+$/);

      await waitFor(
        async () => {
          const metrics = (await get(running!, '/metrics')).body;
          return (metricValue(metrics, 'ecs_gitops_discovery_remediations_total', { result: 'submitted' }) ?? 0) >= 1;
        },
        15_000,
        'one successful remediation',
      );
      const services = await sd.send(new ListServicesCommand({}));
      const name = services.Services?.find((s) => s.Name === 'name');
      assert.ok(name?.Id);
      await waitFor(
        async () => {
          const instances = await sd.send(new ListInstancesCommand({ ServiceId: name.Id }));
          return !instances.Instances?.some((i) => i.Id === instanceId);
        },
        10_000,
        'the stale instance to be deregistered',
      );
      await waitFor(
        async () => {
          const metrics = (await get(running!, '/metrics')).body;
          // A cleared finding's series is removed, so it reads as absent (or 0).
          return (
            (metricValue(metrics, 'ecs_gitops_discovery_findings', { kind: 'CloudMapService', name: 'internal/name', reason: 'StaleInstance' }) ?? 0) === 0
          );
        },
        10_000,
        'the finding to clear from /metrics',
      );
      const status = JSON.parse((await get(running, '/status')).body) as { discovery?: { findings: { reason: string }[] } };
      assert.equal(status.discovery?.findings.filter((f) => f.reason === 'StaleInstance').length, 0);
    } finally {
      await running?.stop(2_000);
      ecs.destroy();
      sd.destroy();
    }
  });
});
