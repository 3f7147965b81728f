// Discovery health benchmark: AWS calls of one discovery check, cold (first check, as `plan`
// runs it) and with nothing changed since the previous check (the controller's steady state),
// against the in-process sandbox. Call counts are what matter; wall times here say nothing
// about AWS latency.
//
//   npm run bench:discovery                       200 linked services, one task each
//   npm run bench:discovery -- --services 1000    or DISCOVERY_BENCH_SERVICES=1000
//   npm run bench:discovery -- --rate-limits      sandbox enforces AWS's token buckets
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createDiscoveryChecker } from '../src/discovery/checker.js';
import type { DiscoveryReport } from '../src/discovery/types.js';
import { CONTROLLER_ID, startDiscoveryEnv } from '../test/discovery/helpers.js';

/** The checker's default full-read interval and the controller's default --health-interval. */
const FULL_READ_INTERVAL_MS = 5 * 60_000;
const HEALTH_INTERVAL_MS = 30_000;

function options(): { services: number; rateLimits: boolean; json: boolean } {
  const { values } = parseArgs({
    options: {
      services: { type: 'string', short: 'n' },
      'rate-limits': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const raw = values.services ?? process.env['DISCOVERY_BENCH_SERVICES'] ?? '200';
  const services = Number(raw);
  if (!Number.isInteger(services) || services < 1) throw new Error(`--services must be a positive integer, got ${raw}`);
  return { services, rateLimits: values['rate-limits'] === true, json: values.json === true };
}

function sum(calls: Record<string, number>): number {
  return Object.values(calls).reduce((a, b) => a + b, 0);
}

function table(checks: { label: string; report: DiscoveryReport; ms: number }[]): string {
  const ops = [...new Set(checks.flatMap((c) => Object.keys(c.report.calls)))].sort();
  const head = ['operation', ...checks.map((c) => c.label)];
  const rows = ops.map((op) => [op, ...checks.map((c) => String(c.report.calls[op] ?? 0))]);
  rows.push(['total', ...checks.map((c) => String(sum(c.report.calls)))]);
  rows.push(['findings', ...checks.map((c) => String(c.report.findings.length))]);
  rows.push(['wall time (ms)', ...checks.map((c) => c.ms.toFixed(0))]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { services: n, rateLimits, json } = options();
  const t0 = performance.now();
  const names = Array.from({ length: n }, (_, i) => `svc-${String(i).padStart(5, '0')}`);
  const env = await startDiscoveryEnv({ services: names, tasksPerService: 1 });
  try {
    console.log(
      `setup: ${n} Cloud Map services (custom health, ECS-registered) linked to ${n} ECS services, 1 task each (${(performance.now() - t0).toFixed(0)} ms)`,
    );
    if (rateLimits) {
      env.sandbox.world.faults.enforceRateLimits(true);
      console.log('sandbox enforces AWS token buckets (throttled attempts are counted as calls)');
    }
    // The checker's clock jumps past the full-read interval before the last check.
    let offset = 0;
    const checker = createDiscoveryChecker({ clients: env.clients, controllerId: CONTROLLER_ID, clock: { now: () => Date.now() + offset } });
    const checks: { label: string; report: DiscoveryReport; ms: number }[] = [];
    for (const label of ['cold', 'no change', 'full read'] as const) {
      if (label === 'full read') offset += FULL_READ_INTERVAL_MS;
      // The controller checks the newest live set: scan again, as a resync would.
      const live = await env.live();
      const start = performance.now();
      const report = await checker.check(live);
      checks.push({ label, report, ms: performance.now() - start });
    }
    console.log('');
    console.log(table(checks));
    const [cold, steady, full] = checks;
    // At the default 30 s health interval and 5 min full-read interval, one check in ten is a full read.
    const perCycle = FULL_READ_INTERVAL_MS / HEALTH_INTERVAL_MS;
    const figures = {
      services: n,
      coldCalls: sum(cold!.report.calls),
      noChangeCalls: sum(steady!.report.calls),
      fullReadCalls: sum(full!.report.calls),
      averageCallsPerCheck: Math.round((sum(steady!.report.calls) * (perCycle - 1) + sum(full!.report.calls)) / perCycle),
    };
    console.log('');
    if (json) console.log(JSON.stringify(figures));
    else {
      console.log(`no-change check: ${figures.noChangeCalls} calls for ${n} services (${(figures.noChangeCalls / n).toFixed(3)} per service)`);
      console.log(
        `average per check over a ${FULL_READ_INTERVAL_MS / 60_000} min full-read cycle at a ${HEALTH_INTERVAL_MS / 1000} s interval: ${figures.averageCallsPerCheck} calls`,
      );
    }
  } finally {
    await env.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
