import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UpdateServiceCommand as UpdateEcsServiceCommand } from '@aws-sdk/client-ecs';
import { ListNamespacesCommand, ListServicesCommand, UpdateServiceCommand as UpdateCloudMapServiceCommand } from '@aws-sdk/client-servicediscovery';
import { realWaitSeams } from '../../src/kit/apply-wait.js';
import { waitForOperation } from '../../src/kit/operations.js';
import { useExamplesCli } from '../helpers/examples.js';

describe('ecs-gitops plan and apply on the examples (sandbox)', () => {
  const f = useExamplesCli();

  it('apply --source examples converges from empty, and plan then exits 0', async () => {
    const applied = await f.cli('apply', '--source', 'examples', '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    assert.match(applied.out, /ok\s+create\s+CloudMapNamespace\/internal/);
    assert.match(applied.out, /After apply: in sync/);
    const planned = await f.cli('plan', '--source', 'examples');
    assert.equal(planned.code, 0, `${planned.out}\n${planned.err}`);
    assert.match(planned.out, /No changes/);
  });

  it('plan exits 2 naming an out-of-band TTL and desired count change; apply reverts them; plan exits 0', async () => {
    const namespaces = await f.sd.send(new ListNamespacesCommand({}));
    const internal = namespaces.Namespaces?.find((n) => n.Name === 'internal');
    assert.ok(internal?.Id, 'the examples declare namespace internal');
    const services = await f.sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [internal.Id], Condition: 'EQ' }] }));
    const name = services.Services?.find((s) => s.Name === 'name');
    assert.ok(name?.Id && name.DnsConfig?.DnsRecords?.length, 'the examples declare Cloud Map service name');
    const records = name.DnsConfig.DnsRecords.map((r) => ({ Type: r.Type, TTL: 299 }));
    const op = await f.sd.send(new UpdateCloudMapServiceCommand({ Id: name.Id, Service: { DnsConfig: { DnsRecords: records } } }));
    await waitForOperation(f.sd, op.OperationId!, { initialDelayMs: 10, maxDelayMs: 50, factor: 2, timeoutMs: 3_000 }, realWaitSeams);
    await f.ecs.send(new UpdateEcsServiceCommand({ cluster: 'demo', service: 'name', desiredCount: 7 }));

    const drifted = await f.cli('plan', '--source', 'examples');
    assert.equal(drifted.code, 2, `${drifted.out}\n${drifted.err}`);
    assert.match(drifted.out, /ttl: 299 -> /);
    assert.match(drifted.out, /desiredCount: 7 -> /);

    const applied = await f.cli('apply', '--source', 'examples', '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    assert.match(applied.out, /ok\s+update\s+CloudMapService\/internal\/name/);
    assert.match(applied.out, /ok\s+update\s+EcsService\/demo\/name: desiredCount/);

    const planned = await f.cli('plan', '--source', 'examples');
    assert.equal(planned.code, 0, `${planned.out}\n${planned.err}`);
  });

  it('apply rejects a bad --wait and prints its exit codes in --help', async () => {
    const bad = await f.cli('apply', '--source', 'examples', '--wait', 'soon');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /--wait/);
    const help = await f.cli('apply', '--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /0 {2}converged/);
    assert.match(help.out, /2 {2}applied without errors, but drift remains/);
  });
});
