import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import { renderStatus } from '../../src/cli/commands/status.js';
import { StatusStore } from '../../src/controller/status.js';
import { startHttpServer, type ControllerHttpServer } from '../../src/http/server.js';
import { ControllerMetrics } from '../../src/observability/metrics.js';

function fixture(now: () => number) {
  const s = new StatusStore({ now, controllerId: 'test' });
  s.setSourceUrl('https://git.example.com/org/deploy.git');
  s.recordFetch('0123456789abcdef0123456789abcdef01234567');
  s.recordObserve();
  s.track({ key: 'CloudMapService/internal/name', kind: 'CloudMapService', name: 'name', mode: 'observe' });
  s.reconciled('CloudMapService/internal/name', { revision: 'r1', driftedFields: [{ path: 'spec.dns.records[0].ttl', from: 300, to: 60 }] });
  s.track({ key: 'EcsService/demo/hello', kind: 'EcsService', name: 'hello', mode: 'enforce' });
  s.reconciled('EcsService/demo/hello', { revision: '0123456789abcdef0123456789abcdef01234567', actions: [] });
  return s;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env: {} }, out: () => out.join(''), err: () => err.join('') };
}

describe('ecs-gitops status', () => {
  let server: ControllerHttpServer;
  let t = Date.parse('2026-01-01T00:00:00Z');
  const store = fixture(() => t);

  before(async () => {
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      metrics: new ControllerMetrics({ processMetrics: false }),
      status: () => store.snapshot(),
      liveness: () => ({ ok: true }),
      readiness: () => store.readiness(),
    });
  });
  after(() => server.close(100));

  it('renders a table with one line per resource, drift reason and short revision', () => {
    t += 90_000;
    const text = renderStatus(store.snapshot(), t);
    const lines = text.split('\n');
    assert.match(text, /^Source: +https:\/\/git\.example\.com\/org\/deploy\.git$/m);
    assert.match(text, /^Ready: +True$/m);
    const headerIdx = lines.findIndex((l) => l.startsWith('KIND'));
    assert.match(lines[headerIdx]!, /^KIND +NAME +MODE +READY +DRIFTED +SYNC +HEALTH +REASON +REVISION +AGE$/);
    assert.match(
      lines[headerIdx + 1]!,
      /^CloudMapService +internal\/name +observe +False +True +OutOfSync +Unknown +DriftDetected \(spec\.dns\.records\[0\]\.ttl\) +- +1m30s$/,
    );
    assert.match(lines[headerIdx + 2]!, /^EcsService +demo\/hello +enforce +True +False +Synced +Unknown +ReconciliationSucceeded +0123456789ab +1m30s$/);
  });

  it('fetches /status from --url and exits 2 when a resource is not Ready', async () => {
    const c = io();
    const code = await main(['status', '--url', server.url], c.io);
    assert.equal(code, 2);
    assert.match(c.out(), /demo\/hello/);
    assert.match(c.out(), /internal\/name/);
  });

  it('prints the raw JSON with --output json, filtered by --kind', async () => {
    const c = io();
    const code = await main(['status', '--url', server.url, '--output', 'json', '--kind', 'EcsService'], c.io);
    assert.equal(code, 0);
    const parsed = JSON.parse(c.out()) as { resources: { key: string }[] };
    assert.deepEqual(
      parsed.resources.map((r) => r.key),
      ['EcsService/demo/hello'],
    );
  });

  it('exits 1 with a clear message when the controller is unreachable', async () => {
    const closed = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      metrics: new ControllerMetrics({ processMetrics: false }),
      status: () => ({}),
      liveness: () => ({ ok: true }),
      readiness: () => ({ ok: true }),
    });
    await closed.close(0);
    const c = io();
    const code = await main(['status', '--url', closed.url, '--timeout', '2s'], c.io);
    assert.equal(code, 1);
    assert.match(c.err(), /cannot read http:\/\/127\.0\.0\.1:\d+\/status: ECONNREFUSED/);
  });

  it('rejects an unknown output format', async () => {
    const c = io();
    assert.equal(await main(['status', '--output', 'yaml'], c.io), 1);
    assert.match(c.err(), /--output must be table or json/);
  });
});
