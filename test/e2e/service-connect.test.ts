import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { ListNamespacesCommand, ListServicesCommand, ListTagsForResourceCommand } from '@aws-sdk/client-servicediscovery';
import { EXAMPLES_DIR } from '../../src/paths.js';
import { useExamplesCli } from '../helpers/examples.js';
import { createAwsClients, destroyAwsClients } from '../../src/aws/clients.js';
import { createObserveCaches, observe } from '../../src/observe/index.js';
import { observeEcsService } from '../../src/observe/observe-one.js';

const EXAMPLE = join(EXAMPLES_DIR, 'service-connect');

describe('examples/service-connect through the CLI (sandbox)', () => {
  const f = useExamplesCli();

  it('apply converges; ECS runs Service Connect and owns the Cloud Map service it created; plan then exits 0', async () => {
    const applied = await f.cli('apply', '--source', EXAMPLE, '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    assert.match(applied.out, /ok\s+create\s+CloudMapNamespace\/mesh/);
    assert.match(applied.out, /ok\s+create\s+EcsService\/demo\/sc-name/);

    const described = await f.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['sc-name', 'sc-hello'] }));
    const byName = new Map((described.services ?? []).map((s) => [s.serviceName, s]));
    const server = byName.get('sc-name')?.deployments?.find((d) => d.status === 'PRIMARY');
    assert.equal(server?.serviceConnectConfiguration?.enabled, true);
    assert.deepEqual(
      server?.serviceConnectResources?.map((r) => r.discoveryName),
      ['name'],
    );
    const client = byName.get('sc-hello')?.deployments?.find((d) => d.status === 'PRIMARY');
    assert.equal(client?.serviceConnectConfiguration?.enabled, true);
    assert.equal(client?.serviceConnectResources?.length ?? 0, 0, 'client-only mode publishes nothing');

    const mesh = (await f.sd.send(new ListNamespacesCommand({}))).Namespaces?.find((n) => n.Name === 'mesh');
    assert.ok(mesh?.Id);
    const services = await f.sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [mesh.Id], Condition: 'EQ' }] }));
    assert.deepEqual(
      services.Services?.map((s) => s.Name),
      ['name'],
    );
    const created = services.Services?.[0];
    const tags = (await f.sd.send(new ListTagsForResourceCommand({ ResourceARN: created?.Arn }))).Tags ?? [];
    assert.deepEqual(
      tags.map((t) => [t.Key, t.Value]),
      [['AmazonECSManaged', 'true']],
      'created by ECS: its tag only, no ecs-gitops.io/controller tag',
    );

    const planned = await f.cli('plan', '--source', EXAMPLE);
    assert.equal(planned.code, 0, `${planned.out}\n${planned.err}`);
    assert.match(planned.out, /No changes/);
    assert.doesNotMatch(planned.out, /CloudMapService\/mesh\/name/, 'the Cloud Map service ECS created is neither diffed nor pruned');
  });

  it('a Service Connect change is a redeploy that apply makes; plan names the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-example-'));
    try {
      cpSync(EXAMPLE, dir, { recursive: true });
      const { readFileSync, writeFileSync } = await import('node:fs');
      const file = join(dir, 'name.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('perRequestTimeoutSeconds: 15', 'perRequestTimeoutSeconds: 30'));
      const drifted = await f.cli('plan', '--source', dir);
      assert.equal(drifted.code, 2, `${drifted.out}\n${drifted.err}`);
      assert.match(drifted.out, /spec\.serviceConnect\.services/);
      const applied = await f.cli('apply', '--source', dir, '--wait', '5s');
      assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
      assert.match(applied.out, /ok\s+update\s+EcsService\/demo\/sc-name: serviceConnectConfiguration/);
      const described = await f.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['sc-name'] }));
      const primary = described.services?.[0]?.deployments?.find((d) => d.status === 'PRIMARY');
      assert.equal(primary?.serviceConnectConfiguration?.services?.[0]?.timeout?.perRequestTimeoutSeconds, 30);
      const planned = await f.cli('plan', '--source', dir);
      assert.equal(planned.code, 0, `${planned.out}\n${planned.err}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the namespace stays while Service Connect uses it: prune names the ECS services', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-example-'));
    try {
      cpSync(EXAMPLE, dir, { recursive: true });
      rmSync(join(dir, 'namespace.yaml'));
      const planned = await f.cli('plan', '--source', dir);
      assert.match(planned.out, /CloudMapNamespace\/mesh/);
      assert.match(planned.out, /Service Connect of EcsService\/demo\/sc-hello, EcsService\/demo\/sc-name uses the namespace/);
      const applied = await f.cli('apply', '--source', dir, '--wait', '5s');
      assert.doesNotMatch(applied.out, /delete\s+CloudMapNamespace\/mesh/);
      const mesh = (await f.sd.send(new ListNamespacesCommand({}))).Namespaces?.find((n) => n.Name === 'mesh');
      assert.ok(mesh?.Id, 'namespace mesh is kept');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a change event re-reads a Service Connect service exactly as a full scan converts it (namespace resolved)', async () => {
    const applied = await f.cli('apply', '--source', EXAMPLE, '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    const cfg = f.sandbox.clientConfig();
    const clients = createAwsClients({ region: cfg.region, credentials: cfg.credentials, endpoints: { default: cfg.endpoint } });
    try {
      const caches = createObserveCaches();
      const live = await observe(clients, { clusters: ['demo'] }, caches);
      const scanned = [...live.resources.values()].find((r) => r.kind === 'EcsService' && r.name === 'sc-name');
      assert.ok(scanned && scanned.kind === 'EcsService' && scanned.serviceConnectNamespace, 'the scan resolves the namespace');
      const reread = await observeEcsService(clients, caches, live, 'demo', 'sc-name');
      assert.ok('found' in reread);
      assert.deepEqual(reread.found, scanned);
    } finally {
      destroyAwsClients(clients);
    }
  });
});
