import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DescribeServicesCommand, ListServicesCommand as ListEcsServicesCommand, TagResourceCommand as TagEcsResourceCommand } from '@aws-sdk/client-ecs';
import { ListNamespacesCommand, ListServicesCommand, TagResourceCommand } from '@aws-sdk/client-servicediscovery';
import { useExamplesCli, type ExamplesCliFixture } from '../helpers/examples.js';

/** A temporary copy of examples/`dir` holding only `keep` (paths relative to it; all when absent). */
function copyOf(dir: string, keep?: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'prune-guards-'));
  cpSync(join('examples', dir), root, { recursive: true });
  if (keep) {
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
    for (const file of walk(root)) if (/\.ya?ml$/.test(file) && !keep.includes(relative(root, file))) rmSync(file);
  }
  return root;
}

async function cloudMapServices(f: ExamplesCliFixture): Promise<string[]> {
  const out: string[] = [];
  for (const ns of (await f.sd.send(new ListNamespacesCommand({}))).Namespaces ?? []) {
    const page = await f.sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [ns.Id!], Condition: 'EQ' }] }));
    for (const s of page.Services ?? []) out.push(`${ns.Name}/${s.Name}`);
  }
  return out.sort();
}

async function activeEcsServices(f: ExamplesCliFixture, cluster: string): Promise<number> {
  const arns = (await f.ecs.send(new ListEcsServicesCommand({ cluster }))).serviceArns ?? [];
  if (arns.length === 0) return 0;
  const described = await f.ecs.send(new DescribeServicesCommand({ cluster, services: arns }));
  return (described.services ?? []).filter((s) => s.status === 'ACTIVE').length;
}

async function serviceArn(f: ExamplesCliFixture, namespace: string, name: string): Promise<string> {
  const ns = (await f.sd.send(new ListNamespacesCommand({}))).Namespaces?.find((n) => n.Name === namespace);
  const page = await f.sd.send(new ListServicesCommand({ Filters: [{ Name: 'NAMESPACE_ID', Values: [ns!.Id!], Condition: 'EQ' }] }));
  const svc = page.Services?.find((s) => s.Name === name);
  assert.ok(svc?.Arn, `${namespace}/${name} exists`);
  return svc.Arn;
}

describe('prune limit: apply and plan refuse a mass deletion (sandbox, CLI)', () => {
  const f = useExamplesCli();

  it('apply of the examples with all but one file removed deletes nothing, names the limit and exits non-zero; plan shows the same', async () => {
    const all = copyOf('.');
    const applied = await f.cli('apply', '--source', all, '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    const servicesBefore = await cloudMapServices(f);
    const ecsBefore = await activeEcsServices(f, 'demo');
    assert.ok(servicesBefore.length > 3 && ecsBefore > 3, 'the examples create several services');

    const one = copyOf('.', ['hello-name/namespace.yaml']);
    const planned = await f.cli('plan', '--source', one, '--cluster', 'demo');
    assert.equal(planned.code, 2, planned.out);
    assert.match(planned.out, /blocked EcsService\/demo\/hello \(prune-limit, would delete\)/);
    assert.match(planned.out, /exceeds the limit of 10 \(--prune-max-deletions\)/);

    const pruned = await f.cli('apply', '--source', one, '--cluster', 'demo', '--wait', '5s');
    assert.notEqual(pruned.code, 0, pruned.out);
    assert.match(pruned.out, /--prune-max-deletions/);
    assert.doesNotMatch(pruned.out, /ok\s+delete/);
    assert.deepEqual(await cloudMapServices(f), servicesBefore);
    assert.equal(await activeEcsServices(f, 'demo'), ecsBefore);

    const help = await f.cli('apply', '--help');
    assert.match(help.out, /--prune-max-deletions <n>.*\n.*default 10\)/);
    assert.match(help.out, /--prune-max-percent <0-100>.*\n.*default 50\)/);
  });
});

describe('identity and in use: what prune keeps (sandbox, CLI)', () => {
  const f = useExamplesCli();

  it('keeps a Cloud Map service whose owner tag names another identity, and reports it', async () => {
    const applied = await f.cli('apply', '--source', copyOf('hello-name'), '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    const arn = await serviceArn(f, 'internal', 'name');
    await f.sd.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'ecs-gitops.io/resource', Value: 'CloudMapService/app/name' }] }));
    const planned = await f.cli('plan', '--source', copyOf('hello-name', ['namespace.yaml', 'hello.yaml']), '--hide-unchanged');
    assert.equal(planned.code, 2);
    assert.match(planned.out, /blocked CloudMapService\/internal\/name \(identity-conflict, would delete\)/);
    const pruned = await f.cli('apply', '--source', copyOf('hello-name', ['namespace.yaml', 'hello.yaml']), '--wait', '5s');
    assert.equal(pruned.code, 2, pruned.out);
    assert.match(pruned.out, /found as CloudMapService\/internal\/name but tagged ecs-gitops.io\/resource=CloudMapService\/app\/name/);
    assert.ok((await cloudMapServices(f)).includes('internal/name'), 'the conflicting service is still there');
    // Put the tag back for the next test.
    await f.sd.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'ecs-gitops.io/resource', Value: 'CloudMapService/internal/name' }] }));
  });

  it('keeps a Cloud Map service a running ECS service the plan does not delete still registers into, naming it', async () => {
    const applied = await f.cli('apply', '--source', copyOf('hello-name'), '--wait', '5s');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    const ecsArn = (await f.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['name'] }))).services?.[0]?.serviceArn;
    assert.ok(ecsArn);
    await f.ecs.send(new TagEcsResourceCommand({ resourceArn: ecsArn, tags: [{ key: 'ecs-gitops.io/prune', value: 'false' }] }));
    const pruned = await f.cli('apply', '--source', copyOf('hello-name', ['namespace.yaml', 'hello.yaml']), '--wait', '5s');
    assert.equal(pruned.code, 2, pruned.out);
    assert.match(pruned.out, /blocked\s+CloudMapService\/internal\/name: in use: ECS service EcsService\/demo\/name registers into it/);
    assert.doesNotMatch(pruned.out, /detach/);
    assert.ok((await cloudMapServices(f)).includes('internal/name'));
    const described = await f.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['name'] }));
    assert.equal(described.services?.[0]?.serviceRegistries?.length, 1, 'the ECS service still registers into it');
  });

  it('keeps a Cloud Map service with registered instances when the ECS half is not in the source', async () => {
    // Only the namespace: cluster demo is not observed, its running services are not seen.
    const pruned = await f.cli('apply', '--source', copyOf('hello-name', ['namespace.yaml']), '--wait', '5s');
    assert.equal(pruned.code, 2, pruned.out);
    assert.match(pruned.out, /CloudMapService\/internal\/name: in use: \d+ instances? (is|are) registered/);
    assert.doesNotMatch(pruned.out, /in sync/);
    assert.ok((await cloudMapServices(f)).includes('internal/name'));
  });
});
