import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { useFreshSandboxFixture } from '../src/testing.js';
import { fargateTaskDefinition } from './ecs-helpers.js';

describe('sandbox ECS task definitions', () => {
  const f = useFreshSandboxFixture();

  const register = (input: RegisterTaskDefinitionCommandInput) => f.ecs.send(new RegisterTaskDefinitionCommand(input));

  it('echoes the server-side defaults of a registered Fargate task definition', async () => {
    const out = await register({ ...fargateTaskDefinition('web'), tags: [{ key: 'team', value: 'a' }] });
    const td = out.taskDefinition!;
    assert.match(td.taskDefinitionArn!, /^arn:aws:ecs:us-east-1:123456789012:task-definition\/web:1$/);
    assert.equal(td.revision, 1);
    assert.equal(td.status, 'ACTIVE');
    assert.equal(td.cpu, '256');
    assert.equal(td.memory, '512');
    assert.ok(td.registeredAt instanceof Date);
    assert.deepEqual(td.compatibilities, ['EC2', 'FARGATE']);
    assert.deepEqual(td.requiresCompatibilities, ['FARGATE']);
    assert.ok(td.requiresAttributes!.some((a) => a.name === 'ecs.capability.task-eni'));
    const c = td.containerDefinitions![0]!;
    assert.equal(c.essential, true);
    assert.deepEqual(c.portMappings, [{ containerPort: 3000, hostPort: 3000, protocol: 'tcp' }]);
    assert.deepEqual(out.tags, [{ key: 'team', value: 'a' }]);
  });

  it('converts "1 vCPU" and "2 GB" to cpu units and MiB', async () => {
    const td = (await register({ ...fargateTaskDefinition('units'), cpu: '1 vCPU', memory: '2 GB' })).taskDefinition!;
    assert.equal(td.cpu, '1024');
    assert.equal(td.memory, '2048');
  });

  it('gives each registration of a family the next revision', async () => {
    await register(fargateTaskDefinition('rev'));
    const second = (await register(fargateTaskDefinition('rev'))).taskDefinition!;
    assert.equal(second.revision, 2);
    assert.ok(second.taskDefinitionArn!.endsWith('task-definition/rev:2'));
  });

  const invalid: [string, RegisterTaskDefinitionCommandInput, RegExp][] = [
    [
      'an invalid Fargate cpu/memory pair',
      { ...fargateTaskDefinition('bad'), cpu: '256', memory: '4096' },
      /No Fargate configuration exists for given values: 256 CPU, 4096 memory/,
    ],
    ['512 MiB with 512 cpu units', { ...fargateTaskDefinition('bad'), cpu: '512', memory: '512' }, /No Fargate configuration exists/],
    ['Fargate without awsvpc', { ...fargateTaskDefinition('bad'), networkMode: 'bridge' }, /Fargate only supports network mode/],
    ['Fargate without task cpu', { ...fargateTaskDefinition('bad'), cpu: undefined }, /Fargate requires that 'cpu' be defined at the task level/],
    [
      'an awsvpc hostPort that differs from containerPort',
      { ...fargateTaskDefinition('bad'), containerDefinitions: [{ name: 'app', image: 'x', portMappings: [{ containerPort: 80, hostPort: 8080 }] }] },
      /host ports and container ports in port mappings must match/,
    ],
    ['a malformed family name', { ...fargateTaskDefinition('bad name!') }, /Family contains invalid characters/],
    ['a family name longer than 255', { ...fargateTaskDefinition('f'.repeat(256)) }, /Family contains invalid characters/],
  ];
  for (const [what, input, message] of invalid) {
    it(`refuses ${what} with ClientException`, async () => {
      await assert.rejects(register(input), (err: Error) => {
        assert.equal(err.name, 'ClientException');
        assert.match(err.message, message);
        return true;
      });
    });
  }

  it('accepts a request of 65,536 bytes and refuses 65,537 (64 KiB task definition size)', async () => {
    const padded = (family: string, bytes: number): RegisterTaskDefinitionCommandInput => {
      const base = fargateTaskDefinition(family);
      const container = { ...base.containerDefinitions![0]!, environment: [{ name: 'PAD', value: '' }] };
      const empty = Buffer.byteLength(JSON.stringify({ ...base, containerDefinitions: [container] }));
      return { ...base, containerDefinitions: [{ ...container, environment: [{ name: 'PAD', value: 'p'.repeat(bytes - empty) }] }] };
    };
    const ok = await register(padded('size-ok', 65_536));
    assert.equal(ok.taskDefinition?.revision, 1);
    await assert.rejects(register(padded('size-over', 65_537)), (err: Error) => {
      assert.equal(err.name, 'ClientException');
      assert.equal(err.message, "Actual length: '65537'. Max allowed length is '65536' bytes.");
      return true;
    });
  });

  it('accepts 10 containers and refuses 11', async () => {
    const withContainers = (family: string, n: number): RegisterTaskDefinitionCommandInput => ({
      ...fargateTaskDefinition(family),
      containerDefinitions: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'x', essential: i === 0 })),
    });
    assert.equal((await register(withContainers('ten', 10))).taskDefinition?.containerDefinitions?.length, 10);
    await assert.rejects(register(withContainers('eleven', 11)), (err: Error) => err.name === 'ClientException' && err.message === 'Too many containers.');
  });

  it('accepts 8192 cpu units with memory on the 4096 MiB step and refuses memory off that step', async () => {
    const ok = await register({ ...fargateTaskDefinition('big'), cpu: '8192', memory: String(16384 + 4096) });
    assert.equal(ok.taskDefinition!.memory, '20480');
    await assert.rejects(register({ ...fargateTaskDefinition('big'), cpu: '8192', memory: String(16384 + 1024) }), { name: 'ClientException' });
  });

  it('describes by family (latest ACTIVE), family:revision and ARN, with tags only when asked', async () => {
    await register({ ...fargateTaskDefinition('d'), tags: [{ key: 'k', value: 'v' }] });
    const second = (await register(fargateTaskDefinition('d'))).taskDefinition!;
    await f.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: second.taskDefinitionArn }));

    const latest = await f.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'd' }));
    assert.equal(latest.taskDefinition!.revision, 1, 'family alone = latest ACTIVE revision');
    assert.equal(latest.tags, undefined);
    const byRevision = await f.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'd:2' }));
    assert.equal(byRevision.taskDefinition!.status, 'INACTIVE');
    const byArn = await f.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: latest.taskDefinition!.taskDefinitionArn, include: ['TAGS'] }));
    assert.deepEqual(byArn.tags, [{ key: 'k', value: 'v' }]);
    await assert.rejects(f.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope' })), {
      name: 'ClientException',
      message: 'Unable to describe task definition.',
    });
  });

  it('lists task definitions by family, status and sort order, in pages', async () => {
    for (const family of ['b', 'a', 'c']) {
      await register(fargateTaskDefinition(family));
      await register(fargateTaskDefinition(family));
    }
    await f.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'c:1' }));
    const names = (arns: string[] | undefined) => (arns ?? []).map((a) => a.slice(a.lastIndexOf('/') + 1));

    const asc: string[] = [];
    let token: string | undefined;
    do {
      const page = await f.ecs.send(new ListTaskDefinitionsCommand({ maxResults: 2, nextToken: token }));
      assert.ok((page.taskDefinitionArns ?? []).length <= 2);
      asc.push(...names(page.taskDefinitionArns));
      token = page.nextToken;
    } while (token);
    assert.deepEqual(asc, ['a:1', 'a:2', 'b:1', 'b:2', 'c:2']);

    const desc: string[] = [];
    do {
      const page = await f.ecs.send(new ListTaskDefinitionsCommand({ sort: 'DESC', maxResults: 3, nextToken: token }));
      desc.push(...names(page.taskDefinitionArns));
      token = page.nextToken;
    } while (token);
    assert.deepEqual(desc, ['c:2', 'b:2', 'b:1', 'a:2', 'a:1']);

    const family = await f.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'b' }));
    assert.deepEqual(names(family.taskDefinitionArns), ['b:1', 'b:2']);
    const inactive = await f.ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }));
    assert.deepEqual(names(inactive.taskDefinitionArns), ['c:1']);
  });
});
