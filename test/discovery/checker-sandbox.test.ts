import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDiscoveryChecker } from '../../src/discovery/checker.js';
import { createDiscoveryTask } from '../../src/discovery/task.js';
import { StatusStore } from '../../src/controller/status.js';
import { ControllerMetrics } from '../../src/observability/metrics.js';
import { CONTROLLER_ID, CLUSTER, VPC, recordingLogger, startDiscoveryEnv, waitRunning, type DiscoveryEnv } from './helpers.js';

const TTL_S = 60;
const GRACE_MS = 30_000;

describe('discovery health against the sandbox: stale instances', () => {
  let env: DiscoveryEnv;

  before(async () => {
    env = await startDiscoveryEnv({ services: ['name', 'hello'], tasksPerService: 2, ttl: TTL_S, manualClock: true });
  });
  after(async () => env.stop());

  it('reports nothing while every task is registered and resolvable', async () => {
    const checker = createDiscoveryChecker({ clients: env.clients, controllerId: CONTROLLER_ID, clock: env.clock });
    const report = await checker.check(await env.live());
    assert.deepEqual(report.findings, []);
    assert.deepEqual(report.unreadable, []);
    assert.deepEqual(
      report.services.map((s) => [s.key, s.runningTasks, s.instances.healthy]),
      [
        ['CloudMapService/internal/hello', 2, 2],
        ['CloudMapService/internal/name', 2, 2],
      ],
    );
  });

  it('finds the instance a stopped task left behind, names its IP and task, and deregisters it after TTL plus grace, not before', async () => {
    const logger = recordingLogger();
    const status = new StatusStore({ now: () => env.clock.now() });
    const metrics = new ControllerMetrics({ processMetrics: false });
    const checker = createDiscoveryChecker({
      clients: env.clients,
      controllerId: CONTROLLER_ID,
      clock: env.clock,
      logger,
      status,
      metrics,
      remediate: { enabled: true, graceMs: GRACE_MS },
    });
    const [victim] = await env.taskIds('name');
    const stopped = env.sandbox.services.ecs.stopTask(CLUSTER, victim!, { leaveInstanceRegistered: true });
    const stoppedAt = env.clock.now();
    assert.equal(stopped.leftRegistered.length, 1);
    const ip = env.sandbox.services.cloudmap.state.services.get(env.registries.get('name')!.split('/').pop()!)!.instances.get(victim!)!.attributes[
      'AWS_INSTANCE_IPV4'
    ]!;
    const live = await waitRunning(env, 4); // the replacement task starts and registers

    const check = async (at: number) => {
      env.clock.advance(at - (env.clock.now() - stoppedAt));
      return checker.check(live);
    };
    const first = await check(10_000);
    assert.deepEqual(
      first.findings.map((f) => [f.reason, f.key, f.instanceId, f.ip]),
      [['StaleInstance', 'CloudMapService/internal/name', victim, ip]],
    );
    const finding = first.findings[0]!;
    assert.match(
      finding.message,
      new RegExp(`instance ${victim} \\(${ip.replaceAll('.', '\\.')}\\) is registered, but its task \\S+/${victim} is STOPPED since`),
    );
    assert.equal(finding.taskArn, stopped.taskArn);
    assert.deepEqual(first.remediations, []);

    // Health, surfaced in status and metrics.
    assert.equal(status.get('CloudMapService/internal/name')?.healthStatus, 'Degraded');
    assert.equal(status.get('CloudMapService/internal/name')?.conditions.find((c) => c.type === 'Healthy')?.reason, 'StaleInstance');
    assert.equal(status.get('EcsService/demo/name')?.healthStatus, 'Degraded');
    assert.equal(status.get('CloudMapService/internal/hello')?.healthStatus, 'Healthy');
    assert.equal(status.snapshot().discovery?.findings[0]?.instanceId, victim);
    const text = await metrics.render();
    assert.match(text, /ecs_gitops_discovery_findings\{kind="CloudMapService",name="internal\/name",reason="StaleInstance"\} 1/);
    assert.match(text, /ecs_gitops_discovery_instances\{name="internal\/name",state="stale"\} 1/);

    // Exactly TTL + grace after the stop: not yet.
    const atDue = await check(TTL_S * 1000 + GRACE_MS);
    assert.deepEqual(atDue.remediations, []);
    assert.equal(env.sandbox.services.cloudmap.state.services.get(env.registries.get('name')!.split('/').pop()!)!.instances.get(victim!) !== undefined, true);

    const late = await check(TTL_S * 1000 + GRACE_MS + 1);
    assert.deepEqual(
      late.remediations.map((r) => [r.action, r.instanceId, r.result]),
      [['DeregisterInstance', victim, 'submitted']],
    );
    const audit = logger.lines.filter((l) => l.fields['audit'] === true);
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.level, 'warn');
    assert.deepEqual(
      [audit[0]!.fields['instanceId'], audit[0]!.fields['ip'], audit[0]!.fields['taskArn'], audit[0]!.fields['service']],
      [victim, ip, stopped.taskArn, 'CloudMapService/internal/name'],
    );

    // Checked again while the deregistration is still in progress: nothing is sent or counted again.
    const again = await checker.check(live);
    assert.deepEqual(
      again.findings.map((f) => [f.reason, f.instanceId]),
      [['StaleInstance', victim]],
    );
    assert.deepEqual(again.remediations, []);
    assert.equal(env.sandbox.world.calls.total('servicediscovery', 'DeregisterInstance'), 1);

    // The deregistration is asynchronous; once it finished the finding is gone.
    env.clock.advance(25);
    const after = await checker.check(live);
    assert.deepEqual(after.findings, []);
    assert.equal(status.get('CloudMapService/internal/name')?.healthStatus, 'Healthy');
    assert.doesNotMatch(await metrics.render(), /reason="StaleInstance"/);
    assert.match(await metrics.render(), /ecs_gitops_discovery_remediations_total\{result="submitted"\} 1/);
  });

  it('reports a stale instance but never deregisters it when remediation is off (the default)', async () => {
    const [victim] = await env.taskIds('hello');
    env.sandbox.services.ecs.stopTask(CLUSTER, victim!, { leaveInstanceRegistered: true });
    const live = await waitRunning(env, 4);
    const checker = createDiscoveryChecker({ clients: env.clients, controllerId: CONTROLLER_ID, clock: env.clock });
    env.clock.advance(10 * 3_600_000);
    const report = await checker.check(live);
    assert.deepEqual(
      report.findings.map((f) => [f.reason, f.instanceId]),
      [['StaleInstance', victim]],
    );
    assert.deepEqual(report.remediations, []);
    assert.equal(env.sandbox.world.calls.total('servicediscovery', 'DeregisterInstance'), 1); // only the earlier test's
  });
});

describe('discovery health against the sandbox: Route 53', () => {
  let env: DiscoveryEnv;

  before(async () => {
    env = await startDiscoveryEnv({ services: ['name'], tasksPerService: 2, ttl: TTL_S, manualClock: true });
  });
  after(async () => env.stop());

  it('finds a record set whose TTL was edited, once the cached records are older than the full-read interval', async () => {
    const live = await env.live();
    const checker = createDiscoveryChecker({ clients: env.clients, controllerId: CONTROLLER_ID, clock: env.clock, fullReadIntervalMs: 60_000 });
    assert.deepEqual((await checker.check(live)).findings, []);
    const [task] = await env.taskIds('name');
    const edited = env.sandbox.services.route53.setRecordTtl(env.zoneId(), 'name.internal.', 'A', task!, 300);
    const ip = edited.values[0]!;

    const calls = () => env.sandbox.world.calls.total('route53', 'ListResourceRecordSets');
    const before = calls();
    env.clock.advance(30_000);
    const cheap = await checker.check(live);
    assert.equal(calls(), before, 'an unchanged zone (same record count, same instances) is not listed again');
    assert.deepEqual(
      cheap.zones.map((z) => z.refreshed),
      [false],
    );

    env.clock.advance(31_000);
    const full = await checker.check(live);
    assert.equal(calls(), before + 1);
    assert.deepEqual(
      full.findings.map((f) => [f.reason, f.instanceId, f.ip]),
      [['RecordTtlMismatch', task, ip]],
    );
    assert.match(
      full.findings[0]!.message,
      new RegExp(`name\\.internal\\. A \\[${task}\\] \\(${ip.replaceAll('.', '\\.')}\\) has TTL 300, the service's DNS config says 60`),
    );
  });

  it('finds a private zone whose VPC association was removed', async () => {
    const live = await env.live();
    env.sandbox.services.route53.disassociateVpc(env.zoneId(), VPC);
    const report = await createDiscoveryChecker({ clients: env.clients, controllerId: CONTROLLER_ID, clock: env.clock }).check(live);
    const zone = report.findings.filter((f) => f.kind === 'CloudMapNamespace');
    assert.deepEqual(
      zone.map((f) => [f.reason, f.key]),
      [['HostedZoneVpcNotAssociated', 'CloudMapNamespace/internal']],
    );
    assert.match(zone[0]!.message, new RegExp(`not associated with ${VPC} \\(it has no VPC\\)`));
  });

  it('runs as a periodic task: publishes to the context status and metrics and logs one line', async () => {
    const task = createDiscoveryTask({ intervalMs: 30_000, clock: env.clock });
    assert.deepEqual([task.name, task.intervalMs], ['discovery-health', 30_000]);
    const status = new StatusStore();
    const metrics = new ControllerMetrics({ processMetrics: false });
    const logger = recordingLogger();
    const context = {
      live: await env.live(),
      clients: env.clients,
      controllerId: CONTROLLER_ID,
      status,
      metrics,
      logger: logger as never,
      signal: new AbortController().signal,
    };
    await task.run(context);
    assert.equal(status.snapshot().discovery?.services, 1);
    assert.match(await metrics.render(), /ecs_gitops_discovery_checks_total\{result="success"\} 1/);
    assert.match(await metrics.render(), /ecs_gitops_discovery_aws_calls_total\{service="servicediscovery",operation="DiscoverInstances"\} 1/);
    assert.deepEqual(logger.lines.filter((l) => l.msg === 'discovery health checked').length, 1);
  });
});
