// Pairs benchmark: the figures of issue 13 for N pairs (an ECS service and its Cloud Map
// service), with the controller (`ecs-gitops run`) as a child process against the sandbox,
// the sandbox enforcing AWS's token buckets and the controller on its default rate limits.
// Prints figures only; nothing here asserts a time. The last line with --json is one JSON object.
//
//   npm run bench -- --pairs 1000 --json
//   npm run bench -- --pairs 1000 --pairs 5000 --json     (or --pairs 1000,5000): {"runs":[...]}
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { UpdateServiceCommand } from '@aws-sdk/client-servicediscovery';
import { startSandbox, type SandboxHandle } from '@ecs-gitops/sandbox';
import { createAwsClients, destroyAwsClients, type AwsClients } from '../src/aws/clients.js';
import { scanFloor, sumCalls } from './floor.js';
import { ControllerProcess } from './pairs/controller-process.js';
import { seedEstate, serviceName, TTL, writeManifests } from './pairs/estate.js';

const QUEUE = 'ecs-gitops-events';
/** EventBridge delivers an event to the queue about half a second after the call. */
const EVENT_DELAY_MS = 500;
const MINUTE = 60_000;

interface Options {
  readonly pairs: number[];
  readonly json: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    options: { pairs: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  const pairs = (values.pairs ?? []).flatMap((v) => v.split(',')).map(Number);
  if (pairs.length === 0 || pairs.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`--pairs must be positive integers, got ${values.pairs?.join(' ')}`);
  return { pairs, json: values.json === true };
}

const seconds = (ms: number): number => Math.round(ms / 10) / 100;
const mib = (bytes: number): number => Math.round(bytes / 1024 / 1024);

/** What one run at N pairs measured. */
type Figures = Record<string, number | string | null>;

/** A hand change: when it was sent and when its answer arrived. */
interface HandChange {
  readonly sentAt: number;
  readonly at: number;
}

/** Changes the TTL of Cloud Map service `id` by hand (one UpdateService). */
async function handChange(clients: AwsClients, id: string, ttl: number): Promise<HandChange> {
  const sentAt = Date.now();
  await clients.serviceDiscovery.send(new UpdateServiceCommand({ Id: id, Service: { DnsConfig: { DnsRecords: [{ Type: 'A', TTL: ttl }] } } }));
  return { sentAt, at: Date.now() };
}

/** The time of the controller's accepted UpdateService of `id` after the hand change (the next one after the hand's own). */
async function revertOf(sandbox: SandboxHandle, id: string, change: HandChange, timeoutMs: number): Promise<number> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const writes = sandbox.world.calls
      .calls(change.sentAt)
      .filter((c) => c.service === 'servicediscovery' && c.operation === 'UpdateService' && c.input['Id'] === id && c.outcome === 'ok');
    // The first accepted UpdateService since the hand change was sent is the hand change itself.
    const revert = writes[1];
    if (revert) return revert.time;
    await sleep(20);
  }
  throw new Error(`no revert of ${id} within ${timeoutMs} ms`);
}

/** A hand change of pair `i`: seconds until a published snapshot shows drift and until the controller wrote it back. */
async function driftRound(
  sandbox: SandboxHandle,
  hand: AwsClients,
  ctl: ControllerProcess,
  id: string,
  timeoutMs: number,
): Promise<{ seen: number; reverted: number }> {
  const change = await handChange(hand, id, TTL + 240);
  const seen = await ctl.waitLine(change.at, (l) => Number(l.fields['drifted'] ?? 0) > 0, timeoutMs, 'drift to be seen');
  const reverted = await revertOf(sandbox, id, change, timeoutMs);
  return { seen: seconds(seen.at - change.at), reverted: seconds(reverted - change.at) };
}

async function waitConverged(ctl: ControllerProcess, resources: number, timeoutMs: number): Promise<number> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const s = await ctl.status().catch(() => undefined);
    if (s && s.resources.length === resources && s.resources.every((r) => r.syncStatus === 'Synced')) return Date.now();
    await sleep(1_000);
  }
  throw new Error(`not every resource was Synced within ${timeoutMs} ms`);
}

async function runPairs(n: number, log: (line: string) => void): Promise<Figures> {
  const sandbox = await startSandbox({ operationDelayMs: 20, taskStartDelayMs: 20, drainDelayMs: 20 });
  const cfg = sandbox.clientConfig();
  const hand = createAwsClients({ region: cfg.region, credentials: cfg.credentials, endpoints: { default: cfg.endpoint }, maxAttempts: 10 });
  const dir = mkdtempSync(join(tmpdir(), 'ecs-gitops-bench-'));
  const stateDir = mkdtempSync(join(tmpdir(), 'ecs-gitops-bench-state-'));
  let ctl: ControllerProcess | undefined;
  try {
    const t = Date.now();
    const ids = await seedEstate(hand, n);
    writeManifests(dir, n);
    log(`N=${n}: ${n} ECS services and ${n} Cloud Map services created and written as manifests (${seconds(Date.now() - t)} s)`);
    // Events only from now on: the seed's own writes are not in the queue.
    const queueUrl = sandbox.services.sqs.queues.create(QUEUE).url;
    sandbox.services.events.configure({ queueName: QUEUE, delayMs: EVENT_DELAY_MS });
    sandbox.world.faults.enforceRateLimits(true);

    const startedAt = Date.now();
    const controllerOptions = {
      bin: join(import.meta.dirname, '..', 'src', 'cli', 'bin.js'),
      args: ['--source', dir, '--events-queue', queueUrl, '--checkpoint', join(stateDir, 'observation.gz')],
      env: {
        AWS_ENDPOINT_URL: cfg.endpoint,
        AWS_REGION: cfg.region,
        AWS_ACCESS_KEY_ID: cfg.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: cfg.credentials.secretAccessKey,
        AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: '1',
      },
    };
    ctl = await ControllerProcess.start(controllerOptions);
    ctl.sampleMemory(1_000);
    const readyAt = await ctl.waitReady(30 * MINUTE);
    const coldCalls = sandbox.world.calls.calls(startedAt).filter((c) => c.time <= readyAt && c.service !== 'sqs').length;
    const cold = await ctl.waitLine(startedAt, (l) => l.fields['from'] === 'scan', MINUTE, 'the first scan');
    log(`N=${n}: ready after ${seconds(readyAt - startedAt)} s, ${coldCalls} AWS calls`);
    const convergedAt = await waitConverged(ctl, 2 * n + 1, 30 * MINUTE);
    log(`N=${n}: every resource Synced after ${seconds(convergedAt - startedAt)} s`);

    const events = await driftRound(sandbox, hand, ctl, ids[0] ?? '', 10 * MINUTE);
    log(`N=${n}: with the events queue a hand change was seen after ${events.seen} s and reverted after ${events.reverted} s`);
    // Quiet first: the revert is followed by a re-read of its own (a full scan) that would see any drift.
    await ctl.waitLine(Date.now(), (l) => l.fields['from'] === 'scan', 10 * MINUTE, 'the scan after the revert');
    await sleep(2_000);
    sandbox.services.events.configure(undefined);
    const resync = await driftRound(sandbox, hand, ctl, ids[n - 1] ?? '', 10 * MINUTE);
    sandbox.services.events.configure({ queueName: QUEUE, delayMs: EVENT_DELAY_MS });
    log(`N=${n}: by the resync alone (${serviceName(n - 1)}) seen after ${resync.seen} s, reverted after ${resync.reverted} s`);

    const warm = await ctl.waitLine(cold.at + 1, (l) => l.fields['from'] === 'scan', 10 * MINUTE, 'a warm scan');
    const rss = await ctl.peakRss();
    const peak = ctl.peakMoment();
    log(`N=${n}: first run: peak RSS ${mib(rss.sampled)} MiB, ${peak.seconds} s after the start, after "${peak.after}"; ${peak.heap}`);

    // A deploy: the controller stops (writing its checkpoint), a hand change lands while none
    // runs, and the next one starts from the checkpoint.
    await ctl.stop();
    ctl = undefined;
    const whileDown = await handChange(hand, ids[1] ?? '', TTL + 120);
    const restartedAt = Date.now();
    ctl = await ControllerProcess.start(controllerOptions);
    ctl.sampleMemory(1_000);
    const restartReadyAt = await ctl.waitReady(30 * MINUTE);
    const restored = (await ctl.controllerStatus()).restoredFrom !== undefined;
    log(`N=${n}: restarted ${restored ? 'from the checkpoint' : 'cold (checkpoint not used)'}, ready after ${seconds(restartReadyAt - restartedAt)} s`);
    const phase = (msg: string): string => {
      const line = ctl?.lines.find((l) => l.at >= restartedAt && l.msg === msg);
      return line ? `${msg} +${seconds(line.at - restartedAt)} s` : `${msg} (not seen)`;
    };
    log(`N=${n}: restart phases: ${['controller starting', 'loaded source revision', 'checkpoint read', 'controller running'].map(phase).join(', ')}`);
    const downReverted = await revertOf(sandbox, ids[1] ?? '', whileDown, 30 * MINUTE);
    log(`N=${n}: the change made while no controller ran was reverted ${seconds(downReverted - restartedAt)} s after the restart`);
    const restartRss = await ctl.peakRss();
    const restartPeak = ctl.peakMoment();
    log(
      `N=${n}: restart: peak RSS ${mib(restartRss.sampled)} MiB, ${restartPeak.seconds} s after the start, after "${restartPeak.after}"; ${restartPeak.heap}`,
    );
    const floorCalls = sumCalls(scanFloor(n, n, true));
    return {
      pairs: n,
      coldCalls,
      coldScanCalls: sumCalls(cold.fields['calls'] as Record<string, number>),
      warmCalls: sumCalls(warm.fields['calls'] as Record<string, number>),
      floorCalls,
      warmFloorCalls: sumCalls(scanFloor(n, n, false)),
      readySeconds: seconds(restartReadyAt - restartedAt),
      readyFromCheckpoint: restored ? 'yes' : 'no',
      readyColdSeconds: seconds(readyAt - startedAt),
      downChangeRevertedSeconds: seconds(downReverted - restartedAt),
      syncedSeconds: seconds(convergedAt - startedAt),
      coldScanSeconds: seconds(Number(cold.fields['ms'] ?? 0)),
      warmScanSeconds: seconds(Number(warm.fields['ms'] ?? 0)),
      driftSeenSeconds: events.seen,
      driftRevertedSeconds: events.reverted,
      driftSeenSecondsResync: resync.seen,
      driftRevertedSecondsResync: resync.reverted,
      rssMiB: mib(Math.max(rss.sampled, restartRss.sampled)),
      rssHighWaterMiB: rss.hwm !== undefined ? mib(Math.max(rss.hwm, restartRss.hwm ?? 0)) : null,
    };
  } finally {
    await ctl?.stop();
    destroyAwsClients(hand);
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const o = options();
  const runs: Figures[] = [];
  for (const n of o.pairs) {
    const figures = await runPairs(n, (line) => console.log(line));
    runs.push(figures);
    if (!o.json)
      console.log(
        Object.entries(figures)
          .map(([k, v]) => `  ${k.padEnd(28)} ${v}`)
          .join('\n'),
      );
  }
  if (o.json) console.log(JSON.stringify(runs.length === 1 ? runs[0] : { runs }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
